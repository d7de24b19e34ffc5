package org.certwatch.source.files.internal;

import java.util.List;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.commons.certs.Container;

/**
 * What one read of a file gave: its certificates, one entry per location (a keystore's aliases, or the file
 * itself), or why it could not be read.
 */
sealed interface FileContent {
    record Certificates(List<Container.Entry> entries) implements FileContent {
        public Certificates {
            entries = List.copyOf(entries);
        }
    }

    /** @param reason names the file and says what is wrong with it */
    record Failure(LocationFailure failure, String reason) implements FileContent {
    }
}
