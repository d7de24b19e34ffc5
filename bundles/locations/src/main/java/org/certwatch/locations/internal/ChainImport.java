package org.certwatch.locations.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;

/** Chains locations held, as the store's certificate ids: new ones imported (monitored), known ones reused. */
final class ChainImport {
    /** A chain to import into a group. */
    record Chain(List<byte[]> certificates, String group) {
    }

    private final CertificateStore store;

    ChainImport(CertificateStore store) {
        this.store = store;
    }

    /**
     * Imports the chains' certificates ahead, each in the group of the first chain naming it, with one store call
     * per run of one group (one journal write for many certificates, and the ids come out in the order one import
     * per chain would give them). The ids by fingerprint; a run the store refuses is left out, so each of its
     * chains is imported alone by {@link #ids} and only the bad one fails.
     */
    Map<String, Long> importAll(List<Chain> chains, String actor) {
        Map<String, String> groupByFingerprint = new LinkedHashMap<>();
        Map<String, byte[]> derByFingerprint = new HashMap<>();
        for (Chain c : chains) {
            for (byte[] der : c.certificates()) {
                String fingerprint = fingerprint(der);
                if (groupByFingerprint.putIfAbsent(fingerprint, c.group()) == null) {
                    derByFingerprint.put(fingerprint, der);
                }
            }
        }
        Map<String, Long> ids = new HashMap<>();
        List<byte[]> run = new ArrayList<>();
        String runGroup = null;
        for (Map.Entry<String, String> e : groupByFingerprint.entrySet()) {
            if (!e.getValue().equals(runGroup)) {
                importRun(run, runGroup, actor, ids);
                run.clear();
                runGroup = e.getValue();
            }
            run.add(derByFingerprint.get(e.getKey()));
        }
        importRun(run, runGroup, actor, ids);
        return ids;
    }

    private void importRun(List<byte[]> certificates, String group, String actor, Map<String, Long> ids) {
        if (certificates.isEmpty()) {
            return;
        }
        try {
            ids.putAll(importDer(certificates, group, actor));
        } catch (CertificateStoreException e) {
            // left to the chains one by one
        }
    }

    /**
     * The ids of the chain's certificates in its order (0 for one the store knows only as a CA): from
     * {@code imported} when it has them all, else imported now.
     */
    List<Long> ids(List<byte[]> chain, String group, String actor, Map<String, Long> imported) {
        List<String> fingerprints = chain.stream().map(ChainImport::fingerprint).toList();
        Map<String, Long> byFingerprint = imported.keySet().containsAll(fingerprints) ? imported
                : importDer(chain, group, actor);
        List<Long> ids = new ArrayList<>(chain.size());
        for (String fingerprint : fingerprints) {
            ids.add(byFingerprint.getOrDefault(fingerprint, 0L));
        }
        return ids;
    }

    private Map<String, Long> importDer(List<byte[]> certificates, String group, String actor) {
        ImportResult result = store.importDerCertificates(certificates, new ImportOptions(null, null, group), actor);
        Map<String, Long> byFingerprint = new HashMap<>();
        for (CertificateInfo c : result.imported()) {
            byFingerprint.put(c.fingerprint(), c.id());
        }
        for (ImportResult.AlreadyPresent p : result.alreadyPresent()) {
            byFingerprint.put(p.fingerprint(), p.certificateId());
        }
        return byFingerprint;
    }

    /** SHA-256, lower-case hex: the store's spelling. */
    static String fingerprint(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
