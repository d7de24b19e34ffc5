package org.certwatch.source.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.Provider;
import java.util.Objects;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.commons.certs.CertificateContainers;
import org.certwatch.commons.certs.ContainerException;
import org.certwatch.commons.certs.ContainerLimits;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Failure;

/**
 * Reads one file into its certificates within the bounds, whole and of one version (a file replaced while being
 * read is read again); what it holds is read by the shared {@link CertificateContainers}. Every failure names the
 * file.
 */
final class CertificateReader {
    /** Attempts before a file that keeps changing under the reader is reported. */
    private static final int ATTEMPTS = 3;

    private final CertificateContainers containers;
    private volatile Bounds bounds;

    /** {@code bouncyCastle}: decrypts PKCS#12 certificate bags. */
    CertificateReader(Provider bouncyCastle, Bounds bounds) {
        this.containers = new CertificateContainers(bouncyCastle);
        this.bounds = bounds;
    }

    void bounds(Bounds next) {
        this.bounds = next;
    }

    /** @param password the watch's keystore password, null when it has none */
    FileContent read(Path file, char[] password) {
        return read(file, null, password);
    }

    /** @param known the file's attributes just read by the caller, null when it has none: saves a look */
    FileContent read(Path file, BasicFileAttributes known, char[] password) {
        Bounds b = bounds;
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                BasicFileAttributes before = attempt == 0 && known != null ? known
                        : Files.readAttributes(file, BasicFileAttributes.class);
                if (!before.isRegularFile()) {
                    return new Failure(LocationFailure.UNREADABLE, file + ": not a regular file");
                }
                if (before.size() > b.maxFileBytes()) {
                    return tooLarge(file, before.size(), b);
                }
                byte[] bytes;
                try (InputStream in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(b.maxFileBytes() + 1);
                }
                if (bytes.length > b.maxFileBytes()) {
                    return tooLarge(file, bytes.length, b);
                }
                BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
                if (sameVersion(before, after) && after.size() == bytes.length) {
                    return parse(file, bytes, password, b);
                }
                // replaced or still being written while we read it: read the new one
            }
            return new Failure(LocationFailure.UNREADABLE, file + ": kept changing while being read");
        } catch (NoSuchFileException e) {
            return new Failure(LocationFailure.MISSING, file + ": no such file");
        } catch (AccessDeniedException e) {
            return new Failure(LocationFailure.UNREADABLE, file + ": permission denied");
        } catch (FileSystemException e) {
            String why = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
            return new Failure(LocationFailure.UNREADABLE, file + ": " + why);
        } catch (IOException e) {
            return new Failure(LocationFailure.UNREADABLE, file + ": " + e.getMessage());
        }
    }

    static boolean sameVersion(BasicFileAttributes a, BasicFileAttributes b) {
        return a.size() == b.size() && a.lastModifiedTime().equals(b.lastModifiedTime())
                && Objects.equals(a.fileKey(), b.fileKey());
    }

    private static Failure tooLarge(Path file, long size, Bounds b) {
        return new Failure(LocationFailure.TOO_LARGE, file + ": " + size + " bytes, more than max.file.bytes ("
                + b.maxFileBytes() + ")");
    }

    FileContent parse(Path file, byte[] bytes, char[] password, Bounds b) {
        try {
            return new Certificates(containers.read(bytes, password, new ContainerLimits(b.maxFileBytes(),
                    b.maxAliases(), b.maxCertificates()), false, file.toString()).entries());
        } catch (ContainerException e) {
            return new Failure(switch (e.problem()) {
                case EMPTY -> LocationFailure.EMPTY;
                case CORRUPT -> LocationFailure.CORRUPT;
                case WRONG_PASSWORD -> LocationFailure.WRONG_PASSWORD;
                case TOO_LARGE -> LocationFailure.TOO_LARGE;
            }, e.getMessage());
        }
    }
}
