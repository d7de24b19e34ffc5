package org.certwatch.commons.certs;

import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container holds: one entry per keystore alias (a PEM or DER file is one entry without an alias), and the
 * private keys when they were asked for.
 */
public record Container(List<Entry> entries, List<PrivateKey> keys) {
    /**
     * @param alias the keystore alias, null for a certificate file (PEM or DER)
     * @param chain DER certificates, the one in use first, the rest as held in the container
     */
    public record Entry(String alias, List<byte[]> chain) {
        public Entry {
            chain = List.copyOf(chain);
        }
    }

    public Container {
        entries = List.copyOf(entries);
        keys = List.copyOf(keys);
    }

    /** Every entry's certificates in entry order (a certificate in two chains twice). */
    public List<byte[]> certificates() {
        List<byte[]> all = new ArrayList<>();
        for (Entry e : entries) {
            all.addAll(e.chain());
        }
        return all;
    }
}
