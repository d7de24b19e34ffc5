package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 (4): Java keystores made by keytool import like PKCS#12 files: every entry's certificates. */
class JavaKeyStoreImportTest {
    @TempDir
    Path dir;

    private Path keytool(String type, String password) throws Exception {
        Path store = dir.resolve("site." + type.toLowerCase());
        run("keytool", "-genkeypair", "-keystore", store.toString(), "-storetype", type, "-storepass", password,
                "-keypass", password, "-alias", "web", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=web.example", "-validity", "40");
        OpenSsl.Result ca = OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.pem").toString(),
                "-days", "90", "-subj", "/CN=trusted.example");
        assertEquals(0, ca.exit(), ca.output());
        run("keytool", "-importcert", "-noprompt", "-keystore", store.toString(), "-storetype", type, "-storepass",
                password, "-alias", "trusted", "-file", dir.resolve("ca.pem").toString());
        return store;
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void everyEntryOfAJksOrJceksIsImportedAndAWrongPasswordIsRefused() throws Exception {
        for (String type : List.of("JKS", "JCEKS")) {
            Path file = keytool(type, "changeit-" + type);
            try (Stores stores = new Stores(dir.resolve("data-" + type), SettableClock.atSystemTime())) {
                PkiStore store = stores.open();
                byte[] data = Files.readAllBytes(file);
                CertificateStoreException wrong = assertThrows(CertificateStoreException.class,
                        () -> store.importCertificates(data, "wrong".toCharArray(), ImportOptions.defaults(), "t"));
                assertTrue(wrong.getMessage().contains("password does not open this Java keystore"),
                        wrong.getMessage());
                List<CertificateInfo> imported = store.importCertificates(data, ("changeit-" + type).toCharArray(),
                        ImportOptions.defaults(), "t").imported();
                assertEquals(List.of("CN=trusted.example", "CN=web.example"),
                        imported.stream().map(CertificateInfo::subject).sorted().toList(), type);
            }
            Files.delete(dir.resolve("ca.pem"));
        }
    }

    @Test
    void aDamagedKeystoreIsRefusedNamingIt() throws Exception {
        byte[] data = Files.readAllBytes(keytool("JKS", "changeit"));
        byte[] cut = java.util.Arrays.copyOf(data, data.length / 2);
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CertificateStoreException e = assertThrows(CertificateStoreException.class,
                    () -> store.importCertificates(cut, null, ImportOptions.defaults(), "t"));
            assertTrue(e.getMessage().contains("damaged Java keystore"), e.getMessage());
            assertEquals(0, store.certificates(org.certwatch.api.store.CertificateQuery.all()).stream()
                    .filter(c -> c.role() == org.certwatch.api.Role.MONITORED).count());
        }
    }
}
