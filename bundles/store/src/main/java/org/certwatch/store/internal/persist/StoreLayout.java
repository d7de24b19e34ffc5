package org.certwatch.store.internal.persist;

import java.nio.file.Path;

/**
 * Where things live in the store folder. Durable truth is the journal of the current generation
 * plus the CA key files; certificate PEMs, peer key PEMs and CRLs are readable projections that the
 * store rewrites from the journal when a crash left them missing.
 *
 * <pre>
 * format                     store format version
 * CURRENT                    name of the current generation folder (switched atomically by rekey)
 * clean                      present only while the store is closed cleanly
 * cas/&lt;id&gt;.pem               CA certificates
 * certs/&lt;nnn&gt;/&lt;id&gt;.pem        peer and monitor-only certificates (nnn = id / 1000)
 * crl/&lt;caId&gt;.crl, .crl.pem     each CA's current CRL
 * gen-NNNNNN/journal.log     the journal; its keys are encrypted under this generation's password
 * gen-NNNNNN/ca-keys/&lt;id&gt;.key CA keys (0600)
 * gen-NNNNNN/keys/&lt;nnn&gt;/&lt;id&gt;.key peer keys (0600)
 * </pre>
 */
public record StoreLayout(Path folder, String generation) {
    public static final String CURRENT = "CURRENT";
    public static final String CLEAN = "clean";

    public static String generationName(int n) {
        return String.format("gen-%06d", n);
    }

    public static int generationNumber(String name) {
        return Integer.parseInt(name.substring(4));
    }

    public Path generationFolder() {
        return folder.resolve(generation);
    }

    public Path journal() {
        return generationFolder().resolve("journal.log");
    }

    public Path caCertificate(long id) {
        return folder.resolve("cas").resolve(id + ".pem");
    }

    public Path caKey(long id) {
        return generationFolder().resolve("ca-keys").resolve(id + ".key");
    }

    public Path certificate(long id) {
        return folder.resolve("certs").resolve(shard(id)).resolve(id + ".pem");
    }

    public Path key(long id) {
        return generationFolder().resolve("keys").resolve(shard(id)).resolve(id + ".key");
    }

    public Path crl(long caId, boolean pem) {
        return folder.resolve("crl").resolve(caId + (pem ? ".crl.pem" : ".crl"));
    }

    private static String shard(long id) {
        return String.format("%03d", id / 1000);
    }
}
