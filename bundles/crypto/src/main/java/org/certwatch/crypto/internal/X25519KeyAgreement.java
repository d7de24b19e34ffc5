package org.certwatch.crypto.internal;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * {@code XDH} key agreement on X25519 for any {@link XECPrivateKey} with its scalar and any
 * {@link XECPublicKey} (SunEC's from the peer's key share included); an all-zero shared secret (a
 * small-order peer point) is refused, as RFC 7748 and SunEC require.
 */
final class X25519KeyAgreement extends KeyAgreementSpi {
    private byte[] scalar;
    private byte[] secret;

    @Override
    protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
        if (!(key instanceof XECPrivateKey k) || !X25519Key.isX25519(k.getParams())) {
            throw new InvalidKeyException("an X25519 private key is required");
        }
        byte[] s = k.getScalar().orElseThrow(() -> new InvalidKeyException("the private key does not show its scalar"));
        if (s.length != X25519Key.SIZE) {
            throw new InvalidKeyException("an X25519 scalar has 32 bytes, not " + s.length);
        }
        scalar = s;
        secret = null;
    }

    @Override
    protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
        if (params != null && !X25519Key.isX25519(params)) {
            throw new InvalidAlgorithmParameterException("X25519 only");
        }
        engineInit(key, random);
    }

    @Override
    protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
        if (scalar == null) {
            throw new IllegalStateException("not initialised");
        }
        if (!lastPhase) {
            throw new IllegalStateException("X25519 has one phase");
        }
        if (!(key instanceof XECPublicKey k) || !X25519Key.isX25519(k.getParams())) {
            throw new InvalidKeyException("an X25519 public key is required");
        }
        byte[] u;
        try {
            u = X25519Key.littleEndian(k.getU());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
        byte[] out = new byte[X25519Key.SIZE];
        if (!X25519.calculateAgreement(scalar, 0, u, 0, out, 0)) {
            throw new InvalidKeyException("the peer's X25519 point has small order (all-zero shared secret)");
        }
        secret = out;
        return null;
    }

    @Override
    protected byte[] engineGenerateSecret() {
        if (secret == null) {
            throw new IllegalStateException("no shared secret: doPhase first");
        }
        byte[] s = secret;
        secret = null;
        return s;
    }

    @Override
    protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
        if (sharedSecret.length - offset < X25519Key.SIZE) {
            throw new ShortBufferException("32 bytes needed");
        }
        byte[] s = engineGenerateSecret();
        System.arraycopy(s, 0, sharedSecret, offset, s.length);
        Arrays.fill(s, (byte) 0);
        return X25519Key.SIZE;
    }

    @Override
    protected SecretKey engineGenerateSecret(String algorithm) {
        return new SecretKeySpec(engineGenerateSecret(), algorithm);
    }
}
