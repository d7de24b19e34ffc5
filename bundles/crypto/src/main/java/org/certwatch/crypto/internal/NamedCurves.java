package org.certwatch.crypto.internal;

import java.security.InvalidKeyException;
import java.security.spec.ECParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The NIST curves TLS signs with, as Bouncy Castle's specialised implementations, matched to the JDK's
 * {@link ECParameterSpec} by order, generator and field size. One instance per provider: the
 * generators' precomputations live as long as it does.
 */
final class NamedCurves {
    private final List<ECDomainParameters> known = List.of(domain("secp256r1"), domain("secp384r1"), domain("secp521r1"));

    private static ECDomainParameters domain(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }

    ECDomainParameters of(ECParameterSpec spec) throws InvalidKeyException {
        if (spec == null) {
            throw new InvalidKeyException("an EC key without curve parameters");
        }
        for (ECDomainParameters d : known) {
            ECPoint g = d.getG();
            if (d.getN().equals(spec.getOrder()) && spec.getCurve().getField().getFieldSize() == d.getCurve().getFieldSize()
                    && g.getAffineXCoord().toBigInteger().equals(spec.getGenerator().getAffineX())
                    && g.getAffineYCoord().toBigInteger().equals(spec.getGenerator().getAffineY())
                    && d.getCurve().getA().toBigInteger().equals(spec.getCurve().getA())
                    && d.getCurve().getB().toBigInteger().equals(spec.getCurve().getB())) {
                return d;
            }
        }
        // another provider (SunEC) takes keys on other curves
        throw new InvalidKeyException("not a curve of this provider (P-256, P-384, P-521)");
    }
}
