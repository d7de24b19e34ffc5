package org.certwatch.commons.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.certwatch.commons.files.DurableFiles;

/** A {@link StoredDocument} in one file, replaced atomically; {@code secret} files are mode 0600. */
public final class FileDocument implements StoredDocument {
    private final Path file;
    private final boolean secret;

    public FileDocument(Path file, boolean secret) {
        this.file = file;
        this.secret = secret;
    }

    @Override
    public Optional<byte[]> read() throws IOException {
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        DurableFiles.write(file, bytes, secret);
    }

    @Override
    public String name() {
        return file.toString();
    }
}
