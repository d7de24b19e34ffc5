package org.certwatch.persistence.postgresql.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.certwatch.commons.files.DurableFiles;

/** This server's id among those sharing the database: random, made once, kept in {@code $CERTWATCH_DATA/server-id} (0600). */
final class ServerIdFile {
    static final String NAME = "server-id";

    private ServerIdFile() {
    }

    static String readOrCreate(Path data) throws IOException {
        Path file = data.resolve(NAME);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!id.isEmpty()) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        DurableFiles.write(file, (id + "\n").getBytes(StandardCharsets.UTF_8), true);
        return id;
    }
}
