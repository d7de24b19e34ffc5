package org.certwatch.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.commons.console.ConsolePasswords;
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

            String imported = console._import(null, chain.toString());
            assertEquals(2, imported.lines().filter(l -> l.startsWith("imported certificate ")).count(), imported);
            assertEquals("refused: the password is not taken as an argument (it would stay on the screen and in the"
                    + " console's history): " + ConsolePasswords.HOW, console._import(null, p12.toString(), "bundle-secret"));
            assertEquals("refused: no terminal to ask for the password on: give --password-file FILE (mode 0600)",
                    console._import(null, p12.toString()), "a PKCS#12 file needs one");
            assertEquals("refused: " + p12 + ": the password does not open this PKCS#12 file (or the file is damaged)",
                    console._import(null, p12.toString(), "--password-file", secret("wrong-secret").toString()));
            String mixed = console._import(null, p12.toString(), "--password-file", secret("bundle-secret").toString());
            assertTrue(mixed.matches("imported certificate 3 MONITORED host b\\.example\\.org .*\n"
                    + "already present as certificate 2: 'CN=Vendor CA' sha256 " + ca.fingerprint()), mixed);

            Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                    "-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END CERTIFICATE-----\n");
            assertEquals("refused: " + garbage + ": not a certificate: the PEM block CERTIFICATE is damaged (its DER"
                    + " encoding is invalid)", console._import(null, garbage.toString()));
            Path missing = dir.resolve("missing.pem");
            assertEquals("refused: " + missing + ": no such file", console._import(null, missing.toString()));
            assertEquals("refused: " + dir + ": a folder, not a file", console._import(null, dir.toString()));
            Path empty = Files.write(dir.resolve("empty.der"), new byte[0]);
            assertEquals("refused: " + empty + " is empty", console._import(null, empty.toString()));
            assertEquals("refused: " + missing + ": no such file", console._import(null, "ca", missing.toString()));
            assertTrue(console._import(null, "ca", chain.toString(), "secret").startsWith("refused: secret: no such key"
                    + " file; a password is not taken as an argument"), "the old form's password");
        }
    }

    /** A password file as an admin makes it (0600). */
    private Path secret(String password) throws Exception {
        Path file = Files.writeString(Files.createTempFile(dir, "pw", ""), password + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void thePasswordOfAPkcs12FileIsAskedForOnTheTerminalAndAPemFileNeedsNone() throws Exception {
        assertTrue(StoreCommands.needsPassword(Files.readAllBytes(p12()), false));
        assertTrue(StoreCommands.needsPassword("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n".getBytes(), true));
        assertFalse(StoreCommands.needsPassword("-----BEGIN CERTIFICATE-----\nMIIB\n".getBytes(), false));
        org.apache.felix.gogo.runtime.threadio.ThreadIOImpl io = new org.apache.felix.gogo.runtime.threadio.ThreadIOImpl();
        io.start();
        try (Stores stores = new Stores(dir.resolve("asked"), SettableClock.atSystemTime());
                CommandSession session = new org.apache.felix.gogo.runtime.CommandProcessorImpl(io).createSession(
                        java.io.InputStream.nullInputStream(), System.out, System.out)) {
            List<String> prompts = new ArrayList<>();
            Function<String, char[]> terminal = prompt -> {
                prompts.add(prompt);
                return "bundle-secret".toCharArray();
            };
            session.put(ConsolePasswords.SESSION_VARIABLE, terminal);
            Path p12 = p12();
            String answer = new StoreCommands(stores.open(), "test", stores.clock)._import(session, p12.toString());
            assertTrue(answer.startsWith("imported certificate "), answer);
            assertEquals(List.of("the password of " + p12 + ": "), prompts);
        } finally {
            io.stop();
        }
    }

    /** Gogo dispatches to the commands with the session first and the words after it, none for a plain rekey. */
    @Test
    void rekeyAndAPkcs12ExportGetTheirPasswordsThroughGogo() throws Exception {
        org.apache.felix.gogo.runtime.threadio.ThreadIOImpl io = new org.apache.felix.gogo.runtime.threadio.ThreadIOImpl();
        io.start();
        try (Stores stores = new Stores(dir.resolve("gogo"), SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Gogo CA"), "t");
            CertificateInfo c = store.issue(IssueRequest.of(ca.id(), Role.SERVER, "gogo.example.org"), "t");
            org.apache.felix.gogo.runtime.CommandProcessorImpl processor =
                    new org.apache.felix.gogo.runtime.CommandProcessorImpl(io);
            StoreCommands commands = new StoreCommands(store, "the test", stores.clock);
            processor.addCommand("certwatch", commands, "rekey");
            processor.addCommand("certwatch", commands, "export");
            try (CommandSession session = processor.createSession(java.io.InputStream.nullInputStream(), System.out,
                    System.out)) {
                List<String> prompts = new ArrayList<>();
                Function<String, char[]> terminal = prompt -> {
                    prompts.add(prompt);
                    return "a new key password".toCharArray();
                };
                session.put(ConsolePasswords.SESSION_VARIABLE, terminal);
                assertTrue(String.valueOf(session.execute("certwatch:rekey")).startsWith("every key is now encrypted"));
                assertEquals(List.of("the new key password: ", "again, to be sure: "), prompts);
                assertTrue(String.valueOf(session.execute("certwatch:rekey \"a new key password\""))
                        .startsWith("refused: the new key password is not taken as an argument"));
                Path p12 = dir.resolve("gogo.p12");
                Object wrote = session.execute("certwatch:export " + c.id() + " p12 " + p12 + " --password-file "
                        + secret("export-secret"));
                assertEquals("wrote " + Files.size(p12) + " bytes to " + p12, wrote);
            }
        } finally {
            io.stop();
        }
    }

    private Path p12() throws Exception {
        Path p12 = dir.resolve("asked.p12");
        if (!Files.exists(p12)) {
            try (Stores source = new Stores(dir.resolve("asked-source"), SettableClock.atSystemTime())) {
                PkiStore other = source.open();
                CaInfo ca = other.createCa(CaRequest.of("CN=Asked CA"), "t");
                CertificateInfo c = other.issue(IssueRequest.of(ca.id(), Role.SERVER, "asked.example.org"), "t");
                Files.write(p12, other.export(c.id(), ExportFormat.PKCS12, "bundle-secret".toCharArray(), "t"));
            }
        }
        return p12;
    }
}
