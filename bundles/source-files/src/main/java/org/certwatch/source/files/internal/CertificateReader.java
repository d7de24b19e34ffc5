package org.certwatch.source.files.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.PKCSException;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Entry;
import org.certwatch.source.files.internal.FileContent.Failure;

/**
 * Reads one file into its certificates within the bounds: PEM bundles (every certificate, in file order), DER,
 * PKCS#12 ({@link Pkcs12Reader}) and JKS/JCEKS (one entry per alias), the kind told from the content. Every failure names the file.
 */
final class CertificateReader {
    /** Attempts before a file that keeps changing under the reader is reported. */
    private static final int ATTEMPTS = 3;
    private static final Pattern PEM_CERTIFICATE = Pattern.compile(
            "-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([A-Za-z0-9+/=\\s]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----");

    private final Pkcs12Reader pkcs12;
    private volatile Bounds bounds;

    /** {@code bouncyCastle}: decrypts PKCS#12 certificate bags. */
    CertificateReader(Provider bouncyCastle, Bounds bounds) {
        this.pkcs12 = new Pkcs12Reader(bouncyCastle);
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
        if (bytes.length == 0) {
            return new Failure(LocationFailure.EMPTY, file + ": empty file");
        }
        try {
            return switch (ContentKind.of(bytes)) {
                case PEM -> pem(file, bytes, b);
                case DER -> new Certificates(List.of(new Entry(null, List.of(checked(bytes)))));
                case PKCS12 -> pkcs12(file, bytes, password, b);
                case JKS -> keyStore(file, bytes, KeyStore.getInstance("JKS"), "JKS", password, b);
                case JCEKS -> keyStore(file, bytes, KeyStore.getInstance("JCEKS"), "JCEKS", password, b);
                case UNKNOWN -> new Failure(LocationFailure.CORRUPT,
                        file + ": not a certificate, PEM bundle, PKCS#12 or JKS keystore");
            };
        } catch (CertificateException | IllegalArgumentException e) {
            return new Failure(LocationFailure.CORRUPT, file + ": not a valid X.509 certificate ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            return new Failure(LocationFailure.CORRUPT, file + ": " + e.getMessage());
        }
    }

    private FileContent pkcs12(Path file, byte[] bytes, char[] password, Bounds b) {
        try {
            return pkcs12.read(file, bytes, password, b);
        } catch (IOException | PKCSException | RuntimeException | StackOverflowError e) {
            // a hostile file can break the parser in many ways; each is this file's problem only
            return new Failure(LocationFailure.CORRUPT, file + ": not a readable PKCS#12 keystore ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    private static FileContent pem(Path file, byte[] bytes, Bounds b) throws CertificateException {
        // ISO-8859-1 maps every byte: a binary or mis-encoded file cannot make decoding fail
        Matcher m = PEM_CERTIFICATE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        List<byte[]> chain = new ArrayList<>();
        while (m.find()) {
            if (chain.size() == b.maxCertificates()) {
                return new Failure(LocationFailure.TOO_LARGE, file + ": more than max.certificates ("
                        + b.maxCertificates() + ") certificates");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(1));
            } catch (IllegalArgumentException e) {
                return new Failure(LocationFailure.CORRUPT, file + ": certificate " + (chain.size() + 1)
                        + " of the PEM file is not valid base64");
            }
            try {
                chain.add(checked(der));
            } catch (CertificateException e) {
                return new Failure(LocationFailure.CORRUPT, file + ": certificate " + (chain.size() + 1)
                        + " of the PEM file is not a valid X.509 certificate");
            }
        }
        if (chain.isEmpty()) {
            return new Failure(LocationFailure.EMPTY, file + ": PEM without a certificate");
        }
        return new Certificates(List.of(new Entry(null, chain)));
    }

    /** The DER of a parsable X.509 certificate; the registry stores what the source hands it. */
    private static byte[] checked(byte[] der) throws CertificateException {
        Certificate c = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        return c.getEncoded();
    }

    private static FileContent keyStore(Path file, byte[] bytes, KeyStore store, String kind, char[] password,
            Bounds b) throws GeneralSecurityException {
        try {
            store.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || mentionsPassword(e)) {
                return new Failure(LocationFailure.WRONG_PASSWORD, file + ": " + kind
                        + (password == null || password.length == 0 ? " keystore needs a password, none is set"
                                : " keystore: wrong password"));
            }
            return new Failure(LocationFailure.CORRUPT, file + ": not a readable " + kind + " keystore ("
                    + e.getMessage() + ")");
        } catch (RuntimeException | StackOverflowError e) {
            // a hostile keystore can break the parser in many ways; each is this file's problem only
            return new Failure(LocationFailure.CORRUPT, file + ": not a readable " + kind + " keystore ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (store.size() > b.maxAliases()) {
            return new Failure(LocationFailure.TOO_LARGE, file + ": " + store.size()
                    + " aliases, more than max.aliases (" + b.maxAliases() + ")");
        }
        List<String> aliases = Collections.list(store.aliases());
        Collections.sort(aliases);
        List<Entry> entries = new ArrayList<>();
        int certificates = 0;
        for (String alias : aliases) {
            Certificate[] chain = store.isKeyEntry(alias) ? store.getCertificateChain(alias) : null;
            if (chain == null || chain.length == 0) {
                Certificate one = store.getCertificate(alias);
                chain = one == null ? new Certificate[0] : new Certificate[] {one};
            }
            certificates += chain.length;
            if (certificates > b.maxCertificates()) {
                return new Failure(LocationFailure.TOO_LARGE, file + ": more than max.certificates ("
                        + b.maxCertificates() + ") certificates");
            }
            if (chain.length > 0) {
                List<byte[]> der = new ArrayList<>(chain.length);
                for (Certificate c : chain) {
                    der.add(c.getEncoded());
                }
                entries.add(new Entry(alias, der));
            }
        }
        if (entries.isEmpty()) {
            return new Failure(LocationFailure.EMPTY, file + ": " + kind + " keystore without a certificate");
        }
        return new Certificates(entries);
    }

    private static boolean mentionsPassword(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return m.contains("password") || m.contains("mac invalid") || m.contains("tampered");
    }
}
