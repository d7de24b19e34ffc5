package org.certwatch.snmp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * The notification targets an admin set at run time, in {@code $CERTWATCH_DATA/snmp/targets} (0600:
 * v2c communities are secrets), one entry per line in the syntax of the {@code targets} key. They live
 * in the data folder, not in ConfigAdmin, because ConfigAdmin's store is rebuilt at every start. On a
 * shared backend the same bytes are a document every server applies.
 */
final class ManagedTargets {
    private final StoredDocument file;

    ManagedTargets(Path file) {
        this(new FileDocument(file, true));
    }

    ManagedTargets(StoredDocument file) {
        this.file = file;
    }

    List<String> read() {
        try {
            Optional<byte[]> saved = file.read();
            if (saved.isEmpty()) {
                return List.of();
            }
            List<String> entries = new ArrayList<>();
            for (String line : new String(saved.get(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    entries.add(line.trim());
                }
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the entries durably. */
    void write(List<String> entries) throws IOException {
        file.write((String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** True if another server saved entries since this one last read or wrote them. */
    boolean changed() {
        return file.changed().isPresent();
    }

    /** Calls {@code changed} when another server may have saved entries. */
    Subscription watch(Runnable changed) {
        return file.watch(changed);
    }
}
