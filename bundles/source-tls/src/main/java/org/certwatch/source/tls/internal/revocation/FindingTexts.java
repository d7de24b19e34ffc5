package org.certwatch.source.tls.internal.revocation;

import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.util.Locale;

/** How revocation findings name a certificate of the chain and a revocation reason. */
final class FindingTexts {
    private FindingTexts() {
    }

    /** Its place, then its subject: "leaf CN=www.example.org". */
    static String certificate(int index, X509Certificate certificate) {
        return (index == 0 ? "leaf " : "intermediate ") + certificate.getSubjectX500Principal().getName();
    }

    /** ", key compromise", or nothing when no reason is given. */
    static String reason(CRLReason reason) {
        return reason == null ? "" : ", " + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
