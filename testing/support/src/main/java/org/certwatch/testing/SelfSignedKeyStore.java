package org.certwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed P-256 certificate with its key, made by the JDK's own {@code keytool} (so not by the code under
 * test), as a PKCS#12 key store: enough for a TLS peer that trusts itself.
 */
public final class SelfSignedKeyStore {
    /** The key store's and the key's password. */
    public static final String PASSWORD = "changeit";

    private SelfSignedKeyStore() {
    }

    /** Writes {@code peer.p12} into {@code dir} for the given subject and loads it. */
    public static KeyStore p256(Path dir, String subject) throws IOException, GeneralSecurityException, InterruptedException {
        Path file = dir.resolve("peer.p12");
        Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", subject, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
