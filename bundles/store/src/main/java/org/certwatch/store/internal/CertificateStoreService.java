package org.certwatch.store.internal;

import java.util.List;
import java.util.Optional;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.api.store.TlsIdentity;
import org.certwatch.store.internal.core.PkiStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the open store as {@link CertificateStore}; there while {@link StoreComponent} has the
 * store open, so every consumer finds it usable.
 */
@Component(service = CertificateStore.class)
public final class CertificateStoreService implements CertificateStore {
    private final PkiStore store;

    @Activate
    public CertificateStoreService(@Reference StoreHandle handle) {
        this.store = handle.store();
    }

    @Override
    public List<CaInfo> cas() {
        return store.cas();
    }

    @Override
    public Optional<CaInfo> ca(long id) {
        return store.ca(id);
    }

    @Override
    public Optional<CaInfo> caByFingerprint(String sha256Hex) {
        return store.caByFingerprint(sha256Hex);
    }

    @Override
    public Optional<CertificateInfo> certificate(long id) {
        return store.certificate(id);
    }

    @Override
    public Optional<CertificateInfo> certificateByFingerprint(String sha256Hex) {
        return store.certificateByFingerprint(sha256Hex);
    }

    @Override
    public List<CertificateInfo> certificates(CertificateQuery query) {
        return store.certificates(query);
    }

    @Override
    public Optional<CertificateInfo> serverCertificate() {
        return store.serverCertificate();
    }

    @Override
    public CertificateInfo setServerCertificate(long certificateId, String actor) {
        return store.setServerCertificate(certificateId, actor);
    }

    @Override
    public Optional<TlsIdentity> tlsIdentity(long certificateId) {
        return store.tlsIdentity(certificateId);
    }

    @Override
    public CaInfo createCa(CaRequest request, String actor) {
        return store.createCa(request, actor);
    }

    @Override
    public CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup, String actor) {
        return store.importCa(certificate, key, password, description, homeGroup, actor);
    }

    @Override
    public CaInfo deleteCa(long caId, String forceReason, String actor) {
        return store.deleteCa(caId, forceReason, actor);
    }

    @Override
    public List<String> caDeletionBlockers(long caId) {
        return store.caDeletionBlockers(caId);
    }

    @Override
    public CertificateInfo issue(IssueRequest request, String actor) {
        return store.issue(request, actor);
    }

    @Override
    public List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        return store.issueAll(requests, actor);
    }

    @Override
    public ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor) {
        return store.importCertificates(data, password, options, actor);
    }

    @Override
    public ImportResult importDerCertificates(List<byte[]> certificates, ImportOptions options, String actor) {
        return store.importDerCertificates(certificates, options, actor);
    }

    @Override
    public CertificateInfo renew(long certificateId, RenewRequest request, String actor) {
        return store.renew(certificateId, request, actor);
    }

    @Override
    public CertificateInfo supersede(long predecessorId, long successorId, String actor) {
        return store.supersede(predecessorId, successorId, actor);
    }

    @Override
    public CertificateInfo setRetired(long certificateId, boolean retired, String actor) {
        return store.setRetired(certificateId, retired, actor);
    }

    @Override
    public void deleteMonitored(long certificateId, String actor) {
        store.deleteMonitored(certificateId, actor);
    }

    @Override
    public CertificateInfo revoke(long certificateId, RevocationReason reason, String actor) {
        return store.revoke(certificateId, reason, actor);
    }

    @Override
    public List<CertificateInfo> revokeAll(List<Long> certificateIds, RevocationReason reason, String actor) {
        return store.revokeAll(certificateIds, reason, actor);
    }

    @Override
    public byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        return store.export(certificateId, format, password, actor);
    }

    @Override
    public byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        return store.exportCa(caId, format, password, actor);
    }

    @Override
    public byte[] crl(long caId, boolean pem) {
        return store.crl(caId, pem);
    }

    @Override
    public void rekey(char[] newPassword, String actor) {
        store.rekey(newPassword, actor);
    }
}
