package org.certwatch.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.Stores;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 (5, 10): {@code certwatch:import} lists what it stored and what was there, and names the file it refuses. */
class StoreCommandsImportTest {
    @TempDir
    Path dir;

    @Test
    void importReportsBothListsAndNamesTheFileItRefuses() throws Exception {
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime());
                Stores source = new Stores(dir.resolve("source"), SettableClock.atSystemTime())) {
            PkiStore other = source.open();
            CaInfo ca = other.createCa(CaRequest.of("CN=Vendor CA"), "t");
            CertificateInfo first = other.issue(IssueRequest.of(ca.id(), Role.SERVER, "a.example.org"), "t");
            CertificateInfo second = other.issue(IssueRequest.of(ca.id(), Role.SERVER, "b.example.org"), "t");
            Path chain = Files.write(dir.resolve("first-chain.pem"), other.export(first.id(), ExportFormat.PEM_CHAIN,
                    null, "t"));
            Path p12 = Files.write(dir.resolve("second.p12"), other.export(second.id(), ExportFormat.PKCS12,
                    "bundle-secret".toCharArray(), "t"));
            StoreCommands console = new StoreCommands(stores.open(), "test", stores.clock);

            String imported = console._import(chain.toString());
            assertEquals(2, imported.lines().filter(l -> l.startsWith("imported certificate ")).count(), imported);
            assertEquals("refused: " + p12 + ": the password does not open this PKCS#12 file (or the file is damaged)",
                    console._import(p12.toString(), "wrong-secret"));
            String mixed = console._import(p12.toString(), "bundle-secret");
            assertTrue(mixed.matches("imported certificate 3 MONITORED host b\\.example\\.org .*\n"
                    + "already present as certificate 2: 'CN=Vendor CA' sha256 " + ca.fingerprint()), mixed);

            Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                    "-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END CERTIFICATE-----\n");
            assertEquals("refused: " + garbage + ": not a certificate: the PEM block CERTIFICATE is damaged (its DER"
                    + " encoding is invalid)", console._import(garbage.toString()));
            Path missing = dir.resolve("missing.pem");
            assertEquals("refused: " + missing + ": no such file", console._import(missing.toString()));
            assertEquals("refused: " + dir + ": a folder, not a file", console._import(dir.toString()));
            Path empty = Files.write(dir.resolve("empty.der"), new byte[0]);
            assertEquals("refused: " + empty + " is empty", console._import(empty.toString()));
            assertEquals("refused: " + missing + ": no such file", console._import("ca", missing.toString()));
        }
    }
}
