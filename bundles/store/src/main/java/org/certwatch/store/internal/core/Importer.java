package org.certwatch.store.internal.core;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.SubjectAltName;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.pki.CertificateCheck;
import org.certwatch.store.internal.pki.ImportReader;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.Pem;
import org.certwatch.store.internal.pki.SubjectAltNames;

/** Import of certificates to monitor (no key): each stored once, tied to the CA here that signed it. */
final class Importer {
    private final StoreContext store;
    private final ImportReader importReader;
    private final CertificateCheck check;
    private final Succession succession;

    Importer(StoreContext store, ImportReader importReader, CertificateCheck check, Succession succession) {
        this.store = store;
        this.importReader = importReader;
        this.check = check;
        this.succession = succession;
    }

    ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor) {
        return audited(options, actor, () -> {
            // keys are not kept, so not read
            return importReader.read(data, password, false, "the import").certificates();
        });
    }

    /** The certificates as they are: no container to read; each new one parsed once, known ones not at all. */
    ImportResult importDerCertificates(List<byte[]> certificates, ImportOptions options, String actor) {
        return audited(options, actor, () -> {
            if (certificates == null || certificates.isEmpty()) {
                throw new CertificateStoreException("the import holds no certificate");
            }
            return certificates;
        });
    }

    private ImportResult audited(ImportOptions options, String actor, Supplier<List<byte[]>> read) {
        ImportOptions o = options == null ? ImportOptions.defaults() : options;
        return store.audited.run(actor, "certificate.import", () -> o.caId() == null ? "certificates" : "ca:" + o.caId(),
                () -> {
                    List<byte[]> certificates = read.get();
                    CaState named = o.caId() == null ? null : store.index.requireCa(o.caId());
                    String group = Fields.group(o.homeGroup());
                    String description = Fields.description(o.description());
                    // one import at a time: what is "already there" cannot change between the check and the commit,
                    // and ids are taken only for what is then stored
                    return store.lifecycle.whileOpen(() -> {
                        synchronized (store.monitoredChanges) {
                            return store(certificates, named, group, description, o.replaces());
                        }
                    });
                }, r -> "ok: certificates " + r.imported().stream().map(c -> Long.toString(c.id())).toList()
                        + (r.alreadyPresent().isEmpty() ? "" : "; already present: " + r.alreadyPresent().stream()
                                .map(ImportResult.AlreadyPresent::where).toList()));
    }

    private ImportResult store(List<byte[]> certificates, CaState named, String group, String description,
            Long replaces) {
        List<CertificateCheck.Checked> fresh = new ArrayList<>();
        List<ImportResult.AlreadyPresent> present = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String first = null;
        for (byte[] der : certificates) {
            // known certificates by their fingerprint alone: only new ones are parsed
            String fingerprint = Pem.sha256(der);
            first = first == null ? fingerprint : first;
            if (!seen.add(fingerprint)) {
                continue; // the same certificate twice in one file (a chain repeated): once is enough
            }
            Long knownCertificate = store.index.certificateIdByFingerprint(fingerprint);
            Long knownCa = store.index.caIdByFingerprint(fingerprint);
            if (knownCertificate != null || knownCa != null) {
                String subject = knownCertificate != null ? store.index.requireCertificate(knownCertificate).subject()
                        : store.index.requireCa(knownCa).info.subject();
                present.add(new ImportResult.AlreadyPresent(subject, fingerprint,
                        knownCertificate == null ? 0 : knownCertificate, knownCa == null ? 0 : knownCa));
            } else {
                fresh.add(check.read(der, "the import"));
            }
        }
        List<Entry.CertAdded> entries = new ArrayList<>();
        for (CertificateCheck.Checked c : fresh) {
            entries.add(monitored(c, named, group, description));
        }
        // the file's first certificate replaces `replaces`: checked before anything is stored
        Long presentSuccessor = replaces == null ? null : store.index.certificateIdByFingerprint(first);
        boolean freshSuccessor = replaces != null && presentSuccessor == null;
        List<Entry> links = List.of();
        if (replaces != null) {
            if (presentSuccessor == null && store.index.caIdByFingerprint(first) != null) {
                throw new CertificateStoreException("the import's first certificate is a CA of this store; it cannot "
                        + "replace certificate " + replaces);
            }
            links = presentSuccessor != null ? succession.links(replaces, presentSuccessor) : checkReplaceable(replaces);
        }
        List<Entry> numbered = new ArrayList<>(entries.size() + links.size());
        for (Entry.CertAdded e : entries) {
            long predecessor = freshSuccessor && e.fingerprint().equals(first) ? replaces : 0;
            numbered.add(withId(e, store.index.takeCertificateId(), predecessor));
        }
        numbered.addAll(links);
        List<CertificateInfo> imported = numbered.isEmpty() ? List.of() : store.commitCertificates(numbered).join();
        for (CertificateInfo c : imported) {
            store.events.post(Topics.CERTIFICATE_IMPORTED, StoreContext.eventProperties(c));
        }
        if (replaces != null) {
            store.events.post(Topics.CERTIFICATE_CHANGED,
                    StoreContext.eventProperties(store.index.requireCertificate(replaces)));
            if (presentSuccessor != null) {
                store.events.post(Topics.CERTIFICATE_CHANGED,
                        StoreContext.eventProperties(store.index.requireCertificate(presentSuccessor)));
            }
        }
        return new ImportResult(imported, present);
    }

    /** A fresh certificate can succeed {@code id} (its record names it as predecessor): no links to write. */
    private List<Entry> checkReplaceable(long id) {
        CertificateInfo old = store.index.requireCertificate(id);
        if (old.role() != Role.MONITORED) {
            throw new CertificateStoreException("certificate " + id + " is not a monitored certificate (role "
                    + old.role() + "); an import can replace only a monitored one");
        }
        if (old.successorId() != 0) {
            throw new CertificateStoreException("certificate " + id + " has a successor already, certificate "
                    + old.successorId());
        }
        return List.of();
    }

    /** The journal entry of a certificate to monitor, id 0 until it is certain to be stored. */
    private Entry.CertAdded monitored(CertificateCheck.Checked checked, CaState named, String group,
            String description) {
        X509CertificateHolder c = checked.holder();
        String subject = c.getSubject().toString();
        long caId;
        if (named != null) {
            if (!store.maker.signedBy(c, named.certificate)) {
                throw new CertificateStoreException("the signature of '" + subject + "' does not verify against CA "
                        + named.info.id() + " '" + named.info.subject() + "'");
            }
            caId = named.info.id();
        } else {
            caId = issuingCa(c);
        }
        byte[] der = checked.der();
        PublicKey key = checked.publicKey();
        List<SubjectAltName> sans = checked.subjectAltNames();
        String host = SubjectAltNames.host(c, sans);
        return new Entry.CertAdded(0, Role.MONITORED, host, SubjectAltNames.alternativeNames(host, sans), sans, caId,
                group, description, store.now(), 0, subject, c.getIssuer().toString(), c.getSerialNumber(),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), Pem.sha256(der), KeyPairs.algorithmName(key),
                KeyPairs.keySize(key), der, new byte[0]);
    }

    private static Entry.CertAdded withId(Entry.CertAdded e, long id, long predecessorId) {
        return new Entry.CertAdded(id, e.role(), e.host(), e.alternativeNames(), e.subjectAltNames(), e.caId(),
                e.group(), e.description(), e.createdAt(), predecessorId, e.subject(), e.issuer(), e.serial(),
                e.notBefore(), e.notAfter(), e.fingerprint(), e.keyAlgorithm(), e.keySize(), e.certificate(),
                e.encryptedKey());
    }

    private long issuingCa(X509CertificateHolder c) {
        for (CaState ca : store.index.caStates()) {
            if (ca.certificate.getSubject().equals(c.getIssuer()) && store.maker.signedBy(c, ca.certificate)) {
                return ca.info.id();
            }
        }
        return 0;
    }
}
