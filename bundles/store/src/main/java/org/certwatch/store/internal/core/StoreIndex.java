package org.certwatch.store.internal.core;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.api.store.SubjectAltName;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.StoreBackend;
import org.certwatch.store.internal.pki.CertificateMaker;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.Pem;
import org.certwatch.store.internal.pki.SubjectAltNames;

/**
 * The in-memory index of the store: every CA and certificate as the stored entries describe them,
 * built by applying entries in order (on open, and after each commit), and the queries over it.
 */
final class StoreIndex {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final CertificateMaker maker;
    private final ConcurrentHashMap<Long, CaState> cas = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CertState> certs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> caByFingerprint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> certByFingerprint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Long>> revokedByCa = new ConcurrentHashMap<>();
    private final AtomicLong nextCaId = new AtomicLong(1);
    private final AtomicLong nextCertId = new AtomicLong(1);
    /** Imports replayed from version 1 records, which lack their names; filled during replay only. */
    private final List<Long> importsWithoutNames = new ArrayList<>();
    private volatile long serverCertificateId;
    /** Deleted monitored certificates (rare, admin actions): a rekey writes them again, so ids stay taken. */
    private final Set<Long> deletedIds = ConcurrentHashMap.newKeySet();
    private volatile byte[] sealingKey;
    /** The number of the last group rename applied (the fleet's {@code GroupRename}), 0 for none. */
    private volatile long lastGroupRename;

    StoreIndex(CertificateMaker maker) {
        this.maker = maker;
    }

    // ---------------------------------------------------------------- applying entries

    void apply(EntryCodec.Decoded decoded) throws IOException {
        Entry entry = decoded.entry();
        if (entry instanceof Entry.CaAdded c) {
            applyCa(c);
        } else if (entry instanceof Entry.CertAdded c) {
            applyCertificate(c, decoded);
        } else if (entry instanceof Entry.Revoked r) {
            applyRevocation(r);
        } else if (entry instanceof Entry.CaDeleted d) {
            CaState ca = cas.get(d.caId());
            if (ca != null) {
                CaInfo i = ca.info;
                ca.info = new CaInfo(i.id(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(),
                        i.keyAlgorithm(), i.keySize(), CaStatus.DELETED, false, i.imported(), i.homeGroup(),
                        i.description(), i.createdAt(), d.at(), d.reason());
                ca.key = null;
            }
        } else if (entry instanceof Entry.CrlIssued c) {
            CaState ca = cas.get(c.caId());
            if (ca != null) {
                ca.crlNumber = Math.max(ca.crlNumber, c.number());
                ca.crlNextUpdate = c.nextUpdate();
            }
        } else if (entry instanceof Entry.ServerCertificate s) {
            serverCertificateId = s.certificateId();
        } else if (entry instanceof Entry.Linked l) {
            certs.computeIfPresent(l.certificateId(), (id, s) -> s.with(
                    with(s.info(), l.predecessorId(), l.successorId(), s.info().retiredAt())));
        } else if (entry instanceof Entry.Retired r) {
            certs.computeIfPresent(r.certificateId(), (id, s) -> s.with(
                    with(s.info(), s.info().predecessorId(), s.info().successorId(), r.at())));
        } else if (entry instanceof Entry.CertDeleted d) {
            applyDeletion(d);
        } else if (entry instanceof Entry.SealingKey k) {
            sealingKey = k.wrappedKey();
        } else if (entry instanceof Entry.GroupRenamed r) {
            applyGroupRename(r);
        }
    }

    /**
     * Moves every CA and certificate at the rename's old path or below it; a rename already applied (its number
     * not above the last one) changes nothing, so the same rename written twice (two servers at once) is harmless.
     */
    private void applyGroupRename(Entry.GroupRenamed r) {
        if (r.number() <= lastGroupRename) {
            return;
        }
        if (!r.from().isEmpty()) {
            for (CaState ca : cas.values()) {
                CaInfo i = ca.info;
                String group = GroupPaths.renamed(i.homeGroup(), r.from(), r.to());
                if (!group.equals(i.homeGroup())) {
                    ca.info = new CaInfo(i.id(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(),
                            i.keyAlgorithm(), i.keySize(), i.status(), i.hasKey(), i.imported(), group,
                            i.description(), i.createdAt(), i.deletedAt(), i.deleteReason());
                }
            }
            certs.replaceAll((id, s) -> {
                CertificateInfo i = s.info();
                String group = GroupPaths.renamed(i.homeGroup(), r.from(), r.to());
                return group.equals(i.homeGroup()) ? s : s.with(new CertificateInfo(i.id(), i.role(), i.host(),
                        i.alternativeNames(), i.subjectAltNames(), i.caId(), i.issuer(), i.subject(), i.serial(),
                        i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(), i.keySize(), i.hasKey(), group,
                        i.description(), i.createdAt(), i.revokedAt(), i.revocationReason(), i.predecessorId(),
                        i.successorId(), i.retiredAt()));
            });
        }
        lastGroupRename = r.number();
    }

    long lastGroupRename() {
        return lastGroupRename;
    }

    /** The CAs and certificates a rename not applied yet would move (to be announced once it is). */
    record Moved(List<Long> caIds, List<Long> certificateIds) {
    }

    Moved movedBy(Entry.GroupRenamed r) {
        if (r.number() <= lastGroupRename || r.from().isEmpty()) {
            return new Moved(List.of(), List.of());
        }
        List<Long> movedCas = new ArrayList<>();
        cas.forEach((id, ca) -> {
            if (GroupPaths.contains(r.from(), ca.info.homeGroup())) {
                movedCas.add(id);
            }
        });
        List<Long> movedCerts = new ArrayList<>();
        certs.forEach((id, s) -> {
            if (GroupPaths.contains(r.from(), s.info().homeGroup())) {
                movedCerts.add(id);
            }
        });
        return new Moved(movedCas, movedCerts);
    }

    private void applyDeletion(Entry.CertDeleted d) {
        CertState gone = certs.remove(d.certificateId());
        if (gone != null) {
            certByFingerprint.remove(gone.info().fingerprint(), d.certificateId());
        }
        deletedIds.add(d.certificateId());
        // after a rekey the deleted record is all that is left of it: its id stays taken
        nextCertId.accumulateAndGet(d.certificateId() + 1, Math::max);
    }

    void applyCa(Entry.CaAdded c) throws IOException {
        X509CertificateHolder certificate = new X509CertificateHolder(c.certificate());
        PublicKey key = maker.publicKeyOf(certificate);
        String fingerprint = Pem.sha256(c.certificate());
        CaInfo info = new CaInfo(c.id(), certificate.getSubject().toString(), certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), fingerprint,
                KeyPairs.algorithmName(key), KeyPairs.keySize(key), CaStatus.ACTIVE, true, c.imported(), c.group(),
                c.description(), c.createdAt(), null, null);
        cas.put(c.id(), new CaState(info, certificate));
        caByFingerprint.put(fingerprint, c.id());
        nextCaId.accumulateAndGet(c.id() + 1, Math::max);
    }

    CertificateInfo applyCertificate(Entry.CertAdded c, EntryCodec.Decoded where) {
        CaState ca = cas.get(c.caId());
        List<SubjectAltName> sans = c.subjectAltNames();
        if (sans == null) {
            // a version 1 record: an issued certificate's names follow from its request; an import's (which
            // that version stored without them) are read from the certificate once the journal is open
            sans = SubjectAltNames.ofRequest(c.host(), c.alternativeNames());
            if (c.role() == Role.MONITORED) {
                importsWithoutNames.add(c.id());
            }
        }
        CertificateInfo info = new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), sans, c.caId(),
                c.issuer(), c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                c.keySize(), where.keyLength() > 0, c.group(), c.description(), c.createdAt(), null, null,
                c.predecessorId(), 0);
        certs.put(c.id(), new CertState(info, where.certificatePosition(), where.certificateLength(),
                where.keyPosition(), where.keyLength()));
        certByFingerprint.put(c.fingerprint(), c.id());
        nextCertId.accumulateAndGet(c.id() + 1, Math::max);
        if (c.predecessorId() != 0) {
            certs.computeIfPresent(c.predecessorId(), (id, p) -> p.with(withSuccessor(p.info(), c.id())));
        }
        if (ca == null && c.caId() != 0) {
            LOG.warning("certificate " + c.id() + " names unknown CA " + c.caId());
        }
        return info;
    }

    /**
     * Format 1 stored imported certificates without their subjectAltNames (and with no alternativeNames):
     * read them from the certificates, once per open, until a rekey writes the records anew.
     */
    void recoverImportedNames(StoreBackend backend) {
        for (long id : importsWithoutNames) {
            CertState s = certs.get(id);
            if (s == null) {
                continue;
            }
            CertificateInfo i = s.info();
            List<SubjectAltName> sans;
            try {
                sans = SubjectAltNames.of(new X509CertificateHolder(backend.read(s.certificatePosition(),
                        s.certificateLength())));
            } catch (IOException | RuntimeException e) {
                LOG.warning("certificate " + id + ": cannot read its subjectAltNames (" + e.getMessage()
                        + "); it is listed without them");
                continue;
            }
            certs.put(id, s.with(new CertificateInfo(i.id(), i.role(), i.host(),
                    SubjectAltNames.alternativeNames(i.host(), sans), sans, i.caId(), i.issuer(), i.subject(),
                    i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(), i.keySize(), i.hasKey(),
                    i.homeGroup(), i.description(), i.createdAt(), i.revokedAt(), i.revocationReason(),
                    i.predecessorId(), i.successorId(), i.retiredAt())));
        }
        importsWithoutNames.clear();
    }

    private static CertificateInfo withSuccessor(CertificateInfo i, long successor) {
        return with(i, i.predecessorId(), successor, i.retiredAt());
    }

    static CertificateInfo with(CertificateInfo i, long predecessorId, long successorId, java.time.Instant retiredAt) {
        return new CertificateInfo(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(), i.caId(),
                i.issuer(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(),
                i.keySize(), i.hasKey(), i.homeGroup(), i.description(), i.createdAt(), i.revokedAt(),
                i.revocationReason(), predecessorId, successorId, retiredAt);
    }

    void applyRevocation(Entry.Revoked r) {
        CertState updated = certs.computeIfPresent(r.certificateId(), (id, s) -> {
            CertificateInfo i = s.info();
            return s.with(new CertificateInfo(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(),
                    i.caId(),
                    i.issuer(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(),
                    i.keyAlgorithm(), i.keySize(), i.hasKey(), i.homeGroup(), i.description(), i.createdAt(), r.at(),
                    RevocationReason.ofCode(r.reasonCode()), i.predecessorId(), i.successorId(), i.retiredAt()));
        });
        if (updated != null && updated.info().caId() != 0) {
            revokedByCa.computeIfAbsent(updated.info().caId(), k -> ConcurrentHashMap.newKeySet())
                    .add(r.certificateId());
        }
    }

    /** Forgets everything, before the entries of a new generation are applied. */
    void clear() {
        cas.clear();
        certs.clear();
        caByFingerprint.clear();
        certByFingerprint.clear();
        revokedByCa.clear();
        deletedIds.clear();
        sealingKey = null;
        lastGroupRename = 0;
    }

    // ---------------------------------------------------------------- ids

    long takeCaId() {
        return nextCaId.getAndIncrement();
    }

    long peekCaId() {
        return nextCaId.get();
    }

    long takeCertificateId() {
        return nextCertId.getAndIncrement();
    }

    /** Deleted certificates' ids, ascending. */
    List<Long> deletedIds() {
        return deletedIds.stream().sorted().toList();
    }

    /** The sealing key as stored (wrapped), or null before the first secret was sealed. */
    byte[] sealingKey() {
        return sealingKey;
    }

    long serverCertificateId() {
        return serverCertificateId;
    }

    void serverCertificateId(long id) {
        serverCertificateId = id;
    }

    // ---------------------------------------------------------------- queries

    List<CaInfo> cas() {
        return cas.values().stream().map(c -> c.info).sorted(Comparator.comparingLong(CaInfo::id)).toList();
    }

    Optional<CaInfo> ca(long id) {
        return Optional.ofNullable(cas.get(id)).map(c -> c.info);
    }

    Optional<CaInfo> caByFingerprint(String sha256Hex) {
        return Optional.ofNullable(caByFingerprint.get(Pem.normalizeFingerprint(sha256Hex))).flatMap(this::ca);
    }

    Optional<CertificateInfo> certificate(long id) {
        return Optional.ofNullable(certs.get(id)).map(CertState::info);
    }

    Optional<CertificateInfo> certificateByFingerprint(String sha256Hex) {
        return Optional.ofNullable(certByFingerprint.get(Pem.normalizeFingerprint(sha256Hex)))
                .flatMap(this::certificate);
    }

    List<CertificateInfo> certificates(CertificateQuery query) {
        return certs.values().stream().map(CertState::info).filter(query::matches)
                .sorted(Comparator.comparingLong(CertificateInfo::id)).toList();
    }

    int size() {
        return certs.size();
    }

    int caCount() {
        return cas.size();
    }

    /** The id of a CA or certificate with this (normalised) fingerprint, or null. */
    Long caIdByFingerprint(String fingerprint) {
        return caByFingerprint.get(fingerprint);
    }

    Long certificateIdByFingerprint(String fingerprint) {
        return certByFingerprint.get(fingerprint);
    }

    CaState caState(long caId) {
        return cas.get(caId);
    }

    CertState certState(long id) {
        return certs.get(id);
    }

    Iterable<CaState> caStates() {
        return cas.values();
    }

    Iterable<CertState> certStates() {
        return certs.values();
    }

    List<CaState> caStatesById() {
        return cas.values().stream().sorted(Comparator.comparingLong(c -> c.info.id())).toList();
    }

    List<CertState> certStatesById() {
        return certs.values().stream().sorted(Comparator.comparingLong(s -> s.info().id())).toList();
    }

    CaState requireCa(long caId) {
        CaState ca = cas.get(caId);
        if (ca == null) {
            throw new CertificateStoreException("there is no CA with id " + caId);
        }
        return ca;
    }

    CertificateInfo requireCertificate(long id) {
        CertState s = certs.get(id);
        if (s == null) {
            throw new CertificateStoreException("there is no certificate with id " + id);
        }
        return s.info();
    }

    Set<Long> revokedBy(long caId) {
        return revokedByCa.getOrDefault(caId, Set.of());
    }

    Set<BigInteger> revokedSerials(long caId) {
        Set<BigInteger> serials = new HashSet<>();
        for (long id : revokedBy(caId)) {
            CertState s = certs.get(id);
            if (s != null) {
                serials.add(s.info().serial());
            }
        }
        return serials;
    }
}
