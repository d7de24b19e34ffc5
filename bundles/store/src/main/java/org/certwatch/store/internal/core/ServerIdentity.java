package org.certwatch.store.internal.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.TlsIdentity;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.pki.Names;

/** The certificate the server presents: made at first start, replaceable, handed out with its key. */
final class ServerIdentity {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;
    private final CaOperations cas;
    private final Issuance issuance;
    private final Export export;

    ServerIdentity(StoreContext store, CaOperations cas, Issuance issuance, Export export) {
        this.store = store;
        this.cas = cas;
        this.issuance = issuance;
        this.export = export;
    }

    Optional<CertificateInfo> serverCertificate() {
        return store.index.certificate(store.index.serverCertificateId());
    }

    /**
     * First start: the initial CA and the server's certificate (host * plus this machine's names). One change, so
     * servers starting together on an empty shared store make them once: the others find them after catching up.
     */
    CertificateInfo ensureInitialCertificates(String hostName, String actor) {
        if (store.index.serverCertificateId() != 0) {
            return serverCertificate().orElseThrow();
        }
        try {
            return store.lifecycle.whileOpen(() -> store.index.serverCertificateId() != 0
                    ? serverCertificate().orElseThrow() : createInitialCertificates(hostName, actor));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CertificateInfo createInitialCertificates(String hostName, String actor) throws IOException {
        CaInfo ca = store.index.cas().stream().filter(c -> c.status() == CaStatus.ACTIVE && c.hasKey()).findFirst()
                .orElseGet(() -> cas.createCa(new CaRequest("CN=certwatch CA,O=certwatch", null, null,
                        "created at first start", null), actor));
        List<String> names = new ArrayList<>();
        if (hostName != null && !hostName.isBlank() && !hostName.equals("localhost")) {
            try {
                Names.generalName(hostName);
                names.add(hostName);
            } catch (CertificateStoreException e) {
                LOG.warning("host name '" + hostName + "' is not a DNS name; the server certificate omits it");
            }
        }
        names.addAll(List.of("localhost", "127.0.0.1", "::1"));
        CertificateInfo server = issuance.issue(new IssueRequest(ca.id(), Role.SERVER, Names.ANY_HOST, names,
                "CN=certwatch server,OU=SERVER", "created at first start", null, null, null), actor);
        store.commit(List.of(new Entry.ServerCertificate(server.id())));
        store.index.serverCertificateId(server.id());
        return server;
    }

    CertificateInfo setServerCertificate(long certificateId, String actor) {
        return store.audited.run(actor, "server.certificate", () -> "certificate:" + certificateId, () -> {
            CertificateInfo c = store.index.requireCertificate(certificateId);
            Instant now = store.now();
            if (c.role() != Role.SERVER) {
                throw new CertificateStoreException("certificate " + certificateId + " has role " + c.role()
                        + ", not SERVER");
            }
            if (!c.hasKey()) {
                throw new CertificateStoreException("the store holds no key for certificate " + certificateId);
            }
            if (c.revoked()) {
                throw new CertificateStoreException("certificate " + certificateId + " is revoked");
            }
            if (now.isBefore(c.notBefore()) || !now.isBefore(c.notAfter())) {
                throw new CertificateStoreException("certificate " + certificateId + " is not valid now (valid "
                        + c.notBefore() + " to " + c.notAfter() + ")");
            }
            store.lifecycle.whileOpen(() -> {
                store.commit(List.of(new Entry.ServerCertificate(certificateId)));
                store.index.serverCertificateId(certificateId);
                return null;
            });
            store.events.post(Topics.SERVER_CERTIFICATE_CHANGED, StoreContext.eventProperties(c));
            return c;
        }, c -> "ok");
    }

    Optional<TlsIdentity> tlsIdentity(long certificateId) {
        CertState s = store.index.certState(certificateId);
        if (s == null || s.keyLength() == 0) {
            return Optional.empty();
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            chain.add((X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(export.certificateBytes(certificateId))));
            CaState ca = store.index.caState(s.info().caId());
            if (ca != null) {
                X509Certificate issuer = ca.jcaCertificate;
                if (issuer == null) {
                    // a race parses it twice, harmlessly: the same immutable certificate
                    issuer = (X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(StoreContext.encoded(ca.certificate)));
                    ca.jcaCertificate = issuer;
                }
                chain.add(issuer);
            }
            return Optional.of(new TlsIdentity(certificateId,
                    store.lifecycle.shared(() -> store.privateKey(certificateId)), chain));
        } catch (CertificateException e) {
            throw new CertificateStoreException("cannot read certificate " + certificateId + ": " + e.getMessage(), e);
        }
    }
}
