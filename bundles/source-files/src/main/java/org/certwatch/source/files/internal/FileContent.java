package org.certwatch.source.files.internal;

import java.util.List;
import org.certwatch.api.source.LocationFailure;

/**
 * What one read of a file gave: its certificates, one entry per location (a keystore's aliases, or the file
 * itself), or why it could not be read.
 */
sealed interface FileContent {
    /**
     * @param alias the keystore alias, null for a certificate file (PEM or DER)
     * @param chain DER certificates, the one in use first, the rest as held in the file
     */
    record Entry(String alias, List<byte[]> chain) {
        public Entry {
            chain = List.copyOf(chain);
        }
    }

    record Certificates(List<Entry> entries) implements FileContent {
        public Certificates {
            entries = List.copyOf(entries);
        }
    }

    /** @param reason names the file and says what is wrong with it */
    record Failure(LocationFailure failure, String reason) implements FileContent {
    }
}
