package org.certwatch.source.tls.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;

/**
 * The JDK's trust anchors and certwatch's own CAs (those not deleted); the CAs are exported again only when the
 * store's list of them changed.
 */
final class StoreAnchors {
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.tls");

    private final TrustAnchors jdk;
    private List<String> fingerprints = List.of();
    private TrustAnchors current;

    StoreAnchors(TrustAnchors jdk) {
        this.jdk = jdk;
        this.current = jdk;
    }

    /** @param store null when the store is not there: the JDK's anchors alone */
    synchronized TrustAnchors anchors(CertificateStore store) {
        if (store == null) {
            return jdk;
        }
        List<CaInfo> cas = store.cas().stream().filter(c -> c.status() != CaStatus.DELETED).toList();
        List<String> now = cas.stream().map(CaInfo::fingerprint).toList();
        if (!now.equals(fingerprints)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (CaInfo ca : cas) {
                try {
                    certificates.add(PemCertificates.der(store.exportCa(ca.id(), ExportFormat.DER, null, "tls-probe")));
                } catch (CertificateException | RuntimeException e) {
                    LOG.warning("tls probe: CA " + ca.id() + " cannot be trusted for endpoints: " + e.getMessage());
                }
            }
            current = jdk.with(certificates);
            fingerprints = now;
        }
        return current;
    }
}
