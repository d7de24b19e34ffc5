package org.certwatch.crypto.internal;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * {@code EC} key pairs on P-256/384/521 made with Bouncy Castle's fixed-base arithmetic (the ephemeral key of every
 * TLS key share on those curves; the JDK's client offers one on P-256 beside X25519 in each ClientHello), returned as
 * the JDK's own EC keys (the JVM's EC key factory, SunEC), so whatever uses them next is unchanged. Another curve is refused, and
 * the JCA goes on to the next provider.
 */
final class EcKeyPairGenerator extends KeyPairGeneratorSpi {
    private final NamedCurves curves;
    private SecureRandom random;
    private ECParameterSpec spec;
    private ECDomainParameters domain;

    EcKeyPairGenerator(NamedCurves curves, SecureRandom random) {
        this.curves = curves;
        this.random = random;
    }

    @Override
    public void initialize(int keysize, SecureRandom with) {
        String name = switch (keysize) {
            case 256 -> "secp256r1";
            case 384 -> "secp384r1";
            case 521 -> "secp521r1";
            default -> throw new InvalidParameterException("P-256, P-384 or P-521 only, not " + keysize + " bits");
        };
        try {
            initialize(new ECGenParameterSpec(name), with);
        } catch (InvalidAlgorithmParameterException e) {
            throw new InvalidParameterException(e.getMessage());
        }
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom with) throws InvalidAlgorithmParameterException {
        ECParameterSpec jdk;
        if (params instanceof ECParameterSpec ec) {
            jdk = ec;
        } else if (params instanceof ECGenParameterSpec named) {
            jdk = jdkSpec(named);
        } else {
            throw new InvalidAlgorithmParameterException("an ECGenParameterSpec or ECParameterSpec, not " + params);
        }
        try {
            domain = curves.of(jdk);
        } catch (InvalidKeyException other) {
            throw new InvalidAlgorithmParameterException(other.getMessage());
        }
        spec = jdk;
        random = with == null ? random : with;
    }

    /** The JDK's parameters of a named curve (any of its names or its OID), as its keys carry them. */
    private static ECParameterSpec jdkSpec(ECGenParameterSpec named) throws InvalidAlgorithmParameterException {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(named);
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException unknown) {
            throw new InvalidAlgorithmParameterException("unknown curve " + named.getName());
        }
    }

    @Override
    public KeyPair generateKeyPair() {
        if (domain == null) {
            initialize(256, null);
        }
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(domain, random));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        ECPoint q = ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
        try {
            KeyFactory jdk = KeyFactory.getInstance("EC");
            return new KeyPair(jdk.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(
                            q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()), spec)),
                    jdk.generatePrivate(new ECPrivateKeySpec(((ECPrivateKeyParameters) pair.getPrivate()).getD(), spec)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refuses a key on its own curve: " + e.getMessage(), e);
        }
    }
}
