package org.certwatch.locations.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;

/** A chain a location held, as the store's certificate ids: new ones imported (monitored), known ones reused. */
final class ChainImport {
    private final CertificateStore store;

    ChainImport(CertificateStore store) {
        this.store = store;
    }

    /** The ids of the chain's certificates in its order (0 for one the store knows only as a CA). */
    List<Long> ids(List<byte[]> chain, String group, String actor) {
        StringBuilder pem = new StringBuilder();
        for (byte[] der : chain) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        ImportResult result = store.importCertificates(pem.toString().getBytes(StandardCharsets.US_ASCII), null,
                new ImportOptions(null, null, group), actor);
        Map<String, Long> byFingerprint = new HashMap<>();
        for (CertificateInfo c : result.imported()) {
            byFingerprint.put(c.fingerprint(), c.id());
        }
        for (ImportResult.AlreadyPresent p : result.alreadyPresent()) {
            byFingerprint.put(p.fingerprint(), p.certificateId());
        }
        List<Long> ids = new ArrayList<>(chain.size());
        for (byte[] der : chain) {
            ids.add(byFingerprint.getOrDefault(fingerprint(der), 0L));
        }
        return ids;
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
