package org.certwatch.crypto.internal;

import java.math.BigInteger;
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
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.WNafUtil;
import org.bouncycastle.util.BigIntegers;

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
        BigInteger n = domain.getN();
        BigInteger d;
        do {
            // as Bouncy Castle's ECKeyPairGenerator: in [1, n) and not of a conspicuously low NAF weight
            d = BigIntegers.createRandomBigInteger(n.bitLength(), random);
        } while (d.signum() == 0 || d.compareTo(n) >= 0 || WNafUtil.getNafWeight(d) < n.bitLength() >>> 2);
        ECPoint q = new FixedPointCombMultiplier().multiply(domain.getG(), d);
        BigInteger[] xy = affine(q);
        try {
            KeyFactory jdk = KeyFactory.getInstance("EC");
            return new KeyPair(jdk.generatePublic(new ECPublicKeySpec(new java.security.spec.ECPoint(xy[0], xy[1]),
                            spec)),
                    jdk.generatePrivate(new ECPrivateKeySpec(d, spec)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refuses a key on its own curve: " + e.getMessage(), e);
        }
    }

    /**
     * The point's affine coordinates, the inversion of Z blinded by a factor from this generator's random, as
     * {@code ECPoint.normalize()} does; but that draws the factor from a new default SecureRandom each time, and those
     * share one lock across all threads (the probe's sixteen handshakes queued on it). The curves here use Jacobian
     * coordinates (x = X/Z², y = Y/Z³).
     */
    private BigInteger[] affine(ECPoint q) {
        ECCurve curve = q.getCurve();
        if (curve.getCoordinateSystem() != ECCurve.COORD_JACOBIAN) {
            throw new IllegalStateException("NamedCurves holds a curve without Jacobian coordinates");
        }
        ECFieldElement blind = curve.randomFieldElementMult(random);
        ECFieldElement zInv = q.getZCoord(0).multiply(blind).invert().multiply(blind);
        ECFieldElement zInv2 = zInv.square();
        return new BigInteger[] {q.getXCoord().multiply(zInv2).toBigInteger(),
                q.getYCoord().multiply(zInv2.multiply(zInv)).toBigInteger()};
    }
}
