package org.certwatch.crypto.internal;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** {@code XDH} key pairs on X25519 only (a TLS key share); any other curve is left to the next provider. */
final class X25519KeyPairGenerator extends KeyPairGeneratorSpi {
    private SecureRandom random;

    X25519KeyPairGenerator(SecureRandom random) {
        this.random = random;
    }

    @Override
    public void initialize(int keysize, SecureRandom with) {
        if (keysize != 255) {
            throw new InvalidParameterException("X25519 only (255 bits), not " + keysize);
        }
        random = with == null ? random : with;
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom with) throws InvalidAlgorithmParameterException {
        if (!X25519Key.isX25519(params)) {
            throw new InvalidAlgorithmParameterException("X25519 only");
        }
        random = with == null ? random : with;
    }

    @Override
    public KeyPair generateKeyPair() {
        byte[] scalar = new byte[X25519Key.SIZE];
        X25519.generatePrivateKey(random, scalar);
        byte[] u = new byte[X25519Key.SIZE];
        X25519.generatePublicKey(scalar, 0, u, 0);
        return new KeyPair(new X25519Key.Public(u), new X25519Key.Private(scalar));
    }
}
