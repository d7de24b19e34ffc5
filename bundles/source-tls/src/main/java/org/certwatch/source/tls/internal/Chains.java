package org.certwatch.source.tls.internal;

import java.security.cert.X509Certificate;

/** Signature checks between the certificates of a chain. */
final class Chains {
    private Chains() {
    }

    static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean selfSigned(X509Certificate cert) {
        return signedBy(cert, cert);
    }
}
