package org.certwatch.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.Role;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;

/**
 * The in-memory certificate store of the unit tests: records only, no cryptography. Reads behave like
 * the real store's; of the writes, creating a CA, issuing and revoking work, the rest are unsupported.
 */
public final class MemoryCertificateStore implements CertificateStore {
    private final Map<Long, CaInfo> cas = new ConcurrentSkipListMap<>();
    private final Map<Long, CertificateInfo> certs = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong caIds = new AtomicLong();
    private final Clock clock;

    /** The clock gives the validity and creation times of what {@link #addCa} and {@link #add} make. */
    /** Why writes fail as on a shared backend whose database is down; null while they work. */
    private volatile String unavailable;

    /**
     * Makes {@link #createCa}, {@link #issue} and {@link #revoke} throw {@link StorageUnavailableException}
     * with {@code why}, changing nothing, as the store does while its database cannot be reached; null ends it.
     */
    public void storageUnavailable(String why) {
        unavailable = why;
    }

    private void writable() {
        String why = unavailable;
        if (why != null) {
            throw new StorageUnavailableException(why, null);
        }
    }

    public MemoryCertificateStore(Clock clock) {
        this.clock = clock;
    }

    public CaInfo addCa(String subject, String group, Instant notAfter) {
        long id = caIds.incrementAndGet();
        CaInfo ca = new CaInfo(id, subject, BigInteger.valueOf(1000 + id), clock.instant().minus(Duration.ofDays(1)),
                notAfter, "ca" + id, "EC", 256, CaStatus.ACTIVE, true, false, group, "", clock.instant(), null, null);
        cas.put(id, ca);
        return ca;
    }

    public CertificateInfo add(long caId, Role role, String host, String group, Instant notAfter) {
        long id = ids.incrementAndGet();
        CaInfo ca = cas.get(caId);
        CertificateInfo c = new CertificateInfo(id, role, host, List.of(), caId, ca == null ? "CN=unknown" : ca.subject(),
                "CN=" + host + ",OU=" + role, BigInteger.valueOf(0xABC000 + id), clock.instant().minus(Duration.ofDays(1)),
                notAfter, "fp" + id, "EC", 256, true, group, "", clock.instant(), null, null, 0, 0);
        certs.put(id, c);
        return c;
    }

    /** A certificate made by the test, with the next id. */
    public CertificateInfo add(java.util.function.LongFunction<CertificateInfo> withId) {
        CertificateInfo c = withId.apply(ids.incrementAndGet());
        certs.put(c.id(), c);
        return c;
    }

    /** A CA as given, under its own id. */
    public void put(CaInfo ca) {
        cas.put(ca.id(), ca);
        caIds.accumulateAndGet(ca.id(), Math::max);
    }

    /** A certificate as given, under its own id (replacing one with that id). */
    public void put(CertificateInfo certificate) {
        certs.put(certificate.id(), certificate);
        ids.accumulateAndGet(certificate.id(), Math::max);
    }

    public void removeCertificate(long id) {
        certs.remove(id);
    }

    @Override
    public List<CaInfo> cas() {
        return List.copyOf(cas.values());
    }

    @Override
    public Optional<CaInfo> ca(long id) {
        return Optional.ofNullable(cas.get(id));
    }

    @Override
    public Optional<CaInfo> caByFingerprint(String sha256Hex) {
        return cas.values().stream().filter(c -> c.fingerprint().equals(sha256Hex)).findFirst();
    }

    @Override
    public Optional<CertificateInfo> certificate(long id) {
        return Optional.ofNullable(certs.get(id));
    }

    @Override
    public Optional<CertificateInfo> certificateByFingerprint(String sha256Hex) {
        return certs.values().stream().filter(c -> c.fingerprint().equals(sha256Hex)).findFirst();
    }

    @Override
    public List<CertificateInfo> certificates(CertificateQuery query) {
        List<CertificateInfo> out = new ArrayList<>();
        for (CertificateInfo c : certs.values()) {
            if (query.matches(c)) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public Optional<CertificateInfo> serverCertificate() {
        return certs.values().stream().filter(c -> c.role() == Role.SERVER).findFirst();
    }

    @Override
    public CaInfo createCa(CaRequest request, String actor) {
        writable();
        Duration validity = request.validity() == null ? Duration.ofDays(3650) : request.validity();
        return addCa(request.subject(), request.homeGroup() == null ? ROOT_GROUP : request.homeGroup(),
                clock.instant().plus(validity));
    }

    @Override
    public CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CaInfo deleteCa(long caId, String forceReason, String actor) {
        CaInfo c = cas.get(caId);
        if (c == null || c.status() == CaStatus.DELETED) {
            throw new CertificateStoreException("CA " + caId + " is deleted already or was never there");
        }
        CaInfo deleted = new CaInfo(c.id(), c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(),
                c.keyAlgorithm(), c.keySize(), CaStatus.DELETED, false, c.imported(), c.homeGroup(), c.description(),
                c.createdAt(), clock.instant(), forceReason);
        cas.put(caId, deleted);
        return deleted;
    }

    @Override
    public List<String> caDeletionBlockers(long caId) {
        return List.of();
    }

    @Override
    public CertificateInfo issue(IssueRequest r, String actor) {
        writable();
        CaInfo ca = cas.get(r.caId());
        if (ca == null) {
            throw new CertificateStoreException("no CA " + r.caId());
        }
        Instant notAfter = r.notAfter() == null ? clock.instant().plus(Duration.ofDays(730)) : r.notAfter();
        if (notAfter.isAfter(ca.notAfter())) {
            throw new CertificateStoreException("notAfter " + notAfter + " lies after the CA's end " + ca.notAfter());
        }
        return add(r.caId(), r.role(), r.host(), r.homeGroup() == null ? ROOT_GROUP : r.homeGroup(), notAfter);
    }

    @Override
    public List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        return requests.stream().map(r -> issue(r, actor)).toList();
    }

    @Override
    public org.certwatch.api.store.ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CertificateInfo renew(long certificateId, RenewRequest request, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CertificateInfo supersede(long predecessorId, long successorId, String actor) {
        CertificateInfo old = monitored(predecessorId);
        CertificateInfo next = monitored(successorId);
        if (predecessorId == successorId || (old.successorId() != 0 && old.successorId() != successorId)) {
            throw new CertificateStoreException("certificate " + predecessorId + " cannot be succeeded by "
                    + successorId);
        }
        certs.put(successorId, with(next, next.predecessorId() == 0 ? predecessorId : next.predecessorId(),
                next.successorId(), next.retiredAt()));
        CertificateInfo linked = with(old, old.predecessorId(), successorId, old.retiredAt());
        certs.put(predecessorId, linked);
        return linked;
    }

    @Override
    public CertificateInfo setRetired(long certificateId, boolean retired, String actor) {
        CertificateInfo c = monitored(certificateId);
        if (c.retired() == retired) {
            return c;
        }
        CertificateInfo changed = with(c, c.predecessorId(), c.successorId(), retired ? clock.instant() : null);
        certs.put(certificateId, changed);
        return changed;
    }

    @Override
    public void deleteMonitored(long certificateId, String actor) {
        monitored(certificateId);
        certs.remove(certificateId);
    }

    private CertificateInfo monitored(long id) {
        CertificateInfo c = certs.get(id);
        if (c == null || c.role() != Role.MONITORED) {
            throw new CertificateStoreException("no monitored certificate " + id);
        }
        return c;
    }

    private static CertificateInfo with(CertificateInfo c, long predecessorId, long successorId, Instant retiredAt) {
        return new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), c.subjectAltNames(), c.caId(),
                c.issuer(), c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                c.keySize(), c.hasKey(), c.homeGroup(), c.description(), c.createdAt(), c.revokedAt(),
                c.revocationReason(), predecessorId, successorId, retiredAt);
    }

    @Override
    public CertificateInfo revoke(long id, RevocationReason reason, String actor) {
        writable();
        CertificateInfo c = certs.get(id);
        if (c.revoked()) {
            throw new CertificateStoreException("certificate " + id + " is already revoked");
        }
        CertificateInfo r = new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), c.caId(), c.issuer(),
                c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(), c.keySize(),
                c.hasKey(), c.homeGroup(), c.description(), c.createdAt(), clock.instant(), reason, 0, 0);
        certs.put(id, r);
        return r;
    }

    @Override
    public byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        return ("-----BEGIN CERTIFICATE-----\n" + certificateId + "\n-----END CERTIFICATE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        return export(caId, format, password, actor);
    }

    @Override
    public byte[] crl(long caId, boolean pem) {
        return new byte[] {0x30, 0x00};
    }

    @Override
    public void rekey(char[] newPassword, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CertificateInfo setServerCertificate(long certificateId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<org.certwatch.api.store.TlsIdentity> tlsIdentity(long certificateId) {
        return Optional.empty();
    }
}
