package org.certwatch.store.internal.pki;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/** Signs a CA's CRL: every revoked serial with date and reason, a CRL number and nextUpdate. */
public final class CrlMaker {
    private final CertificateMaker certificates;

    public CrlMaker(CertificateMaker certificates) {
        this.certificates = certificates;
    }

    /** One revoked certificate on a CRL. */
    public record Revocation(BigInteger serial, Instant at, int reasonCode) {
    }

    public X509CRLHolder sign(X509CertificateHolder ca, PrivateKey caKey, long number, Instant thisUpdate,
            Instant nextUpdate, List<Revocation> revoked) {
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(ca.getSubject(), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (Revocation r : revoked) {
                builder.addCRLEntry(r.serial(), Date.from(r.at()), r.reasonCode());
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new BcX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo()));
            return builder.build(certificates.signer(caKey, certificates.publicKeyOf(ca)));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot build a CRL: " + e.getMessage(), e);
        }
    }

}
