package org.certwatch.monitor.internal;

import java.util.List;
import java.util.Optional;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;

/** What the monitor reads from the certificate store (narrow, so units run on an in-memory list). */
interface Inventory {
    List<CaInfo> cas();

    Optional<CaInfo> ca(long id);

    List<CertificateInfo> certificates();

    Optional<CertificateInfo> certificate(long id);

    /** The server certificate's id, 0 when none. */
    long serverCertificateId();

    static Inventory of(CertificateStore store) {
        return new Inventory() {
            @Override
            public List<CaInfo> cas() {
                return store.cas();
            }

            @Override
            public Optional<CaInfo> ca(long id) {
                return store.ca(id);
            }

            @Override
            public List<CertificateInfo> certificates() {
                return store.certificates(CertificateQuery.all());
            }

            @Override
            public Optional<CertificateInfo> certificate(long id) {
                return store.certificate(id);
            }

            @Override
            public long serverCertificateId() {
                return store.serverCertificate().map(CertificateInfo::id).orElse(0L);
            }
        };
    }
}
