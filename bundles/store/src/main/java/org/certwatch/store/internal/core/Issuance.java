package org.certwatch.store.internal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.Names;
import org.certwatch.store.internal.pki.Pem;
import org.certwatch.store.internal.pki.SubjectAltNames;

/**
 * Issuance and renewal: each request becomes a {@link Plan} (every check, before any key is made),
 * plans are prepared in parallel (key, signature, encryption) and committed in chunks.
 */
final class Issuance {
    private static final int CHUNK = 64;

    /** Everything an issuance needs, checked before any key is generated. */
    private record Plan(CaState ca, Role role, List<String> names, X500Name subject, String group,
            String description, KeyType keyType, Instant notBefore, Instant notAfter, long predecessorId,
            PrivateKey reuseKey) {
    }

    private final StoreContext store;
    private final KeyPairs keyPairs;

    Issuance(StoreContext store, KeyPairs keyPairs) {
        this.store = store;
        this.keyPairs = keyPairs;
    }

    CertificateInfo issue(IssueRequest request, String actor) {
        return issueAll(List.of(request), actor).get(0);
    }

    /**
     * Validation is all-or-none (nothing is issued if any request is refused). The certificates are
     * then prepared in parallel and committed in chunks; when the call returns all are durable.
     */
    List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<Plan> plans;
        try {
            plans = requests.stream().map(this::plan).toList();
        } catch (CertificateStoreException e) {
            store.audited.record(actor, "certificate.issue", "ca:" + requests.get(0).caId(),
                    "refused: " + e.getMessage());
            throw e;
        }
        List<CertificateInfo> issued = commit(plans);
        List<AuditEntry> entries = new ArrayList<>(issued.size());
        Instant now = store.now();
        for (CertificateInfo c : issued) {
            entries.add(new AuditEntry(now, actor, "certificate.issue", "certificate:" + c.id(), "ok", ""));
        }
        store.audited.recordAll(entries, "issuance(s)");
        for (CertificateInfo c : issued) {
            store.events.post(Topics.CERTIFICATE_ISSUED, StoreContext.eventProperties(c));
        }
        return issued;
    }

    CertificateInfo renew(long certificateId, RenewRequest request, String actor) {
        RenewRequest r = request == null ? RenewRequest.defaults() : request;
        return store.audited.run(actor, "certificate.renew", () -> "certificate:" + certificateId, () -> {
            CertificateInfo old = store.index.requireCertificate(certificateId);
            if (old.role() == Role.MONITORED) {
                throw new CertificateStoreException("certificate " + certificateId
                        + " is monitor-only (imported without key); it cannot be renewed here");
            }
            CaState ca = store.index.requireCa(r.caId() == null ? old.caId() : r.caId());
            PrivateKey reuse = null;
            KeyType type = keyTypeOf(old);
            if (!r.newKey()) {
                reuse = store.lifecycle.shared(() -> store.privateKey(certificateId));
            }
            List<String> names = new ArrayList<>();
            names.add(old.host());
            names.addAll(old.alternativeNames());
            Plan plan = plan(ca, old.role(), names, Names.subject(old.subject()), old.homeGroup(), old.description(),
                    type, r.notAfter(), certificateId, reuse);
            CertificateInfo renewed = commit(List.of(plan)).get(0);
            Map<String, Object> properties = StoreContext.eventProperties(renewed);
            properties.put("predecessor.id", certificateId);
            store.events.post(Topics.CERTIFICATE_RENEWED, properties);
            return renewed;
        }, c -> "ok: successor certificate:" + c.id());
    }

    private static KeyType keyTypeOf(CertificateInfo c) {
        return switch (c.keyAlgorithm()) {
            case "RSA" -> c.keySize() > 3072 ? KeyType.RSA_4096 : c.keySize() > 2048 ? KeyType.RSA_3072 : KeyType.RSA_2048;
            case "Ed25519" -> KeyType.ED25519;
            default -> c.keySize() > 256 ? KeyType.EC_P384 : KeyType.EC_P256;
        };
    }

    private Plan plan(IssueRequest r) {
        if (r.role() == null || r.role() == Role.MONITORED) {
            throw new CertificateStoreException("role must be SERVER, AGENT, PROXY or MDM, not " + r.role());
        }
        CaState ca = store.index.requireCa(r.caId());
        List<String> names = new ArrayList<>();
        names.add(r.host() == null ? "" : r.host().strip());
        names.addAll(r.alternativeNames().stream().map(String::strip).toList());
        names.forEach(Names::generalName);
        X500Name subject = r.subject() == null || r.subject().isBlank()
                ? Names.subject("CN=" + escapeRdn(names.get(0)) + ",OU=" + r.role().name())
                : Names.subject(r.subject());
        return plan(ca, r.role(), names, subject, Fields.group(r.homeGroup()), Fields.description(r.description()),
                r.keyType() == null ? KeyType.EC_P256 : r.keyType(), r.notAfter(), 0, null);
    }

    private static String escapeRdn(String value) {
        return value.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }

    private Plan plan(CaState ca, Role role, List<String> names, X500Name subject, String group, String description,
            KeyType keyType, Instant requestedNotAfter, long predecessorId, PrivateKey reuseKey) {
        CaInfo info = ca.info;
        if (info.status() != CaStatus.ACTIVE) {
            throw new CertificateStoreException("CA " + info.id() + " is deleted and cannot issue certificates");
        }
        Instant now = store.now();
        if (!now.isBefore(info.notAfter())) {
            throw new CertificateStoreException("CA " + info.id() + " expired on " + info.notAfter()
                    + " and cannot issue certificates");
        }
        Instant notAfter;
        if (requestedNotAfter == null) {
            Instant wanted = now.plus(store.settings().certificateValidity());
            notAfter = wanted.isAfter(info.notAfter()) ? info.notAfter() : wanted;
        } else {
            notAfter = requestedNotAfter;
            if (!notAfter.isAfter(now)) {
                throw new CertificateStoreException("the validity must end in the future, not at " + notAfter);
            }
            if (notAfter.isAfter(info.notAfter())) {
                throw new CertificateStoreException("the validity (ending " + notAfter
                        + ") must end inside the validity of CA " + info.id() + " '" + info.subject()
                        + "', which ends " + info.notAfter());
            }
        }
        Instant notBefore = now.minus(store.settings().clockSkew());
        if (notBefore.isBefore(info.notBefore())) {
            notBefore = info.notBefore();
        }
        return new Plan(ca, role, List.copyOf(names), subject, group, description, keyType, notBefore, notAfter,
                predecessorId, reuseKey);
    }

    /** CPU work: key, signature, encryption. Thread-safe; runs on the worker pool for bulk issuance. */
    private Entry.CertAdded prepare(Plan p, long id) {
        PrivateKey privateKey;
        PublicKey publicKey;
        if (p.reuseKey() != null) {
            privateKey = p.reuseKey();
            publicKey = publicKeyOfPredecessor(p.predecessorId());
        } else {
            KeyPair keys = keyPairs.generate(p.keyType());
            privateKey = keys.getPrivate();
            publicKey = keys.getPublic();
        }
        String base = store.settings().crlBaseUrl();
        String crlUrl = base == null || base.isBlank() ? null
                : base.replaceAll("/+$", "") + "/" + p.ca().info.id() + ".crl";
        X509CertificateHolder certificate = store.maker.peer(p.ca().certificate, store.caKey(p.ca()), p.subject(),
                publicKey, p.role(), p.names(), p.notBefore(), p.notAfter(), crlUrl);
        byte[] der = StoreContext.encoded(certificate);
        return new Entry.CertAdded(id, p.role(), p.names().get(0), p.names().subList(1, p.names().size()),
                SubjectAltNames.of(certificate), p.ca().info.id(), p.group(), p.description(), store.now(),
                p.predecessorId(), certificate.getSubject().toString(), certificate.getIssuer().toString(),
                certificate.getSerialNumber(), certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(), Pem.sha256(der), KeyPairs.algorithmName(publicKey),
                KeyPairs.keySize(publicKey), der, store.vault().encrypt(privateKey));
    }

    private PublicKey publicKeyOfPredecessor(long id) {
        try {
            CertState s = store.index.certState(id);
            return store.maker.publicKeyOf(new X509CertificateHolder(store.backend.read(s.certificatePosition(),
                    s.certificateLength())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<CertificateInfo> commit(List<Plan> plans) {
        return store.lifecycle.whileOpen(() -> commitOpen(plans));
    }

    private List<CertificateInfo> commitOpen(List<Plan> plans) {
        try {
            return prepareAndCommit(plans);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateStoreException("interrupted while issuing certificates", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof CertificateStoreException s) {
                throw s;
            }
            if (cause instanceof StorageUnavailableException s) {
                throw s;
            }
            throw new CertificateStoreException("issuing failed: " + cause.getMessage(), cause);
        }
    }

    private List<CertificateInfo> prepareAndCommit(List<Plan> plans) throws InterruptedException, ExecutionException {
        long[] ids = new long[plans.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = store.index.takeCertificateId();
        }
        if (plans.size() == 1) {
            Entry.CertAdded entry = prepare(plans.get(0), ids[0]);
            return store.commitCertificates(List.of(entry)).join();
        }
        int chunks = (plans.size() + CHUNK - 1) / CHUNK;
        AtomicInteger nextChunk = new AtomicInteger();
        List<CompletableFuture<List<CertificateInfo>>> results = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            results.add(new CompletableFuture<>());
        }
        int threads = Math.min(chunks, Math.max(2, Runtime.getRuntime().availableProcessors()));
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(store.workers.submit(() -> {
                int c;
                while ((c = nextChunk.getAndIncrement()) < chunks) {
                    CompletableFuture<List<CertificateInfo>> result = results.get(c);
                    try {
                        List<Entry.CertAdded> entries = new ArrayList<>(CHUNK);
                        for (int i = c * CHUNK; i < Math.min(plans.size(), (c + 1) * CHUNK); i++) {
                            entries.add(prepare(plans.get(i), ids[i]));
                        }
                        store.commitCertificates(entries).whenComplete((r, e) -> {
                            if (e != null) {
                                result.completeExceptionally(e);
                            } else {
                                result.complete(r);
                            }
                        });
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        List<CertificateInfo> all = new ArrayList<>(plans.size());
        for (CompletableFuture<List<CertificateInfo>> r : results) {
            all.addAll(r.join());
        }
        return all;
    }
}
