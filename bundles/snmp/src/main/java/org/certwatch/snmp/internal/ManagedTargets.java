package org.certwatch.snmp.internal;

import org.certwatch.commons.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The notification targets an admin set at run time, in {@code $CERTWATCH_DATA/snmp/targets} (0600:
 * v2c communities are secrets), one entry per line in the syntax of the {@code targets} key. They live
 * in the data folder, not in ConfigAdmin, because ConfigAdmin's store is rebuilt at every start.
 */
final class ManagedTargets {
    private final Path file;

    ManagedTargets(Path file) {
        this.file = file;
    }

    List<String> read() {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            List<String> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    entries.add(line.trim());
                }
            }
            return List.copyOf(entries);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the file durably. */
    void write(List<String> entries) throws IOException {
        DurableFiles.write(file, (String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8), true);
    }
}
