package org.certwatch.snmp.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;

/** The read side of a certificate store, in memory; the write operations are not needed here. */
final class InMemoryStore implements CertificateStore {
    final Map<Long, CaInfo> cas = new ConcurrentSkipListMap<>();
    final Map<Long, CertificateInfo> certs = new ConcurrentSkipListMap<>();

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
        return certs.values().stream().filter(query::matches).toList();
    }

    @Override
    public Optional<CertificateInfo> serverCertificate() {
        return Optional.empty();
    }

    @Override
    public CaInfo createCa(CaRequest request, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CaInfo deleteCa(long caId, String forceReason, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> caDeletionBlockers(long caId) {
        return List.of();
    }

    @Override
    public CertificateInfo issue(IssueRequest request, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        throw new UnsupportedOperationException();
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
    public CertificateInfo revoke(long certificateId, RevocationReason reason, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] crl(long caId, boolean pem) {
        throw new UnsupportedOperationException();
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
