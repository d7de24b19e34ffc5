package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.SubjectAltName;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.FormatVersion;
import org.certwatch.store.internal.persist.Journal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data folder written before subjectAltNames were journaled (format 1, journal records of version 1, imports
 * with no alternativeNames) still opens, and its certificates get their names.
 */
class FormatOneStoreTest {
    @TempDir
    Path dir;

    @Test
    void aFormatOneFolderOpensAndItsImportsGetTheirNames() throws Exception {
        Path foreign = dir.resolve("foreign.pem");
        OpenSsl.Result made = OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve("foreign.key").toString(), "-out", foreign.toString(), "-days", "30",
                "-subj", "/CN=old import", "-addext", "subjectAltName=DNS:old.example,IP:192.0.2.9,email:a@old.example");
        assertEquals(0, made.exit(), made.output());
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Old CA"), "t");
            CertificateInfo issued = store.issue(new IssueRequest(ca.id(), Role.AGENT, "pc.example.org",
                    List.of("2001:DB8::5"), null, null, null, null, null), "t");
            CertificateInfo imported = store.importCertificates(Files.readAllBytes(foreign), null,
                    ImportOptions.defaults(), "t").imported().get(0);
            store.close();
            rewriteAsFormatOne(stores.folder());

            PkiStore reopened = stores.open();
            assertEquals(imported, reopened.certificate(imported.id()).orElseThrow(),
                    "the import's names are read from its certificate");
            assertEquals(List.of(SubjectAltName.dns("old.example"), SubjectAltName.ip("192.0.2.9"),
                    new SubjectAltName(SubjectAltName.Type.EMAIL, "a@old.example")),
                    reopened.certificate(imported.id()).orElseThrow().subjectAltNames());
            assertEquals(List.of("192.0.2.9"), reopened.certificate(imported.id()).orElseThrow().alternativeNames());
            assertEquals(issued, reopened.certificate(issued.id()).orElseThrow(),
                    "an issued certificate's names follow from its request");
            assertEquals(Integer.toString(FormatVersion.CURRENT), Files.readString(stores.folder().resolve("format")).strip(),
                    "upgraded through every format since");
            try (Stream<Path> siblings = Files.list(stores.data)) {
                assertTrue(siblings.anyMatch(p -> p.getFileName().toString().startsWith("store.v1.backup-")));
            }
            // new records are written in the current version beside the old ones
            CertificateInfo later = reopened.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc2.example.org"), "t");
            reopened.close();
            assertEquals(later, stores.open().certificate(later.id()).orElseThrow());
        }
    }

    /** Replaces the journal by the same facts in version 1 records, as the server wrote them before. */
    private static void rewriteAsFormatOne(Path folder) throws IOException {
        Path file = folder.resolve("gen-000001/journal.log");
        EntryCodec codec = new EntryCodec();
        List<byte[]> records = new ArrayList<>();
        Journal.open(file, (position, payload) -> {
            List<Entry> entries = new ArrayList<>();
            for (EntryCodec.Decoded d : codec.decode(position, payload)) {
                entries.add(d.entry());
            }
            records.add(versionOne(entries));
        }).close();
        Files.delete(file);
        try (Journal journal = Journal.open(file, (position, payload) -> {
        })) {
            for (byte[] r : records) {
                journal.append(r).join();
            }
        }
        Files.writeString(folder.resolve("format"), "1\n");
    }

    private static byte[] versionOne(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeShort(entries.size());
            for (Entry entry : entries) {
                if (entry instanceof Entry.Header h) {
                    out.writeByte(1);
                    bytes(out, h.salt());
                    out.writeInt(h.iterations());
                    bytes(out, h.passwordCheck());
                } else if (entry instanceof Entry.CaAdded c) {
                    out.writeByte(2);
                    out.writeLong(c.id());
                    out.writeBoolean(c.imported());
                    string(out, c.group());
                    string(out, c.description());
                    instant(out, c.createdAt());
                    bytes(out, c.certificate());
                } else if (entry instanceof Entry.CertAdded c) {
                    out.writeByte(3);
                    out.writeLong(c.id());
                    out.writeByte(c.role().ordinal());
                    string(out, c.host());
                    // format 1 stored imports without their further names
                    List<String> names = c.role() == Role.MONITORED ? List.of() : c.alternativeNames();
                    out.writeShort(names.size());
                    for (String name : names) {
                        string(out, name);
                    }
                    out.writeLong(c.caId());
                    string(out, c.group());
                    string(out, c.description());
                    instant(out, c.createdAt());
                    out.writeLong(c.predecessorId());
                    string(out, c.subject());
                    string(out, c.issuer());
                    bytes(out, c.serial().toByteArray());
                    instant(out, c.notBefore());
                    instant(out, c.notAfter());
                    string(out, c.fingerprint());
                    string(out, c.keyAlgorithm());
                    out.writeInt(c.keySize());
                    bytes(out, c.certificate());
                    bytes(out, c.encryptedKey());
                } else if (entry instanceof Entry.CrlIssued c) {
                    out.writeByte(6);
                    out.writeLong(c.caId());
                    out.writeLong(c.number());
                    instant(out, c.thisUpdate());
                    instant(out, c.nextUpdate());
                } else {
                    throw new IllegalStateException("the test writes no " + entry);
                }
            }
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        bytes(out, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void instant(DataOutputStream out, Instant i) throws IOException {
        out.writeLong(i == null ? Long.MIN_VALUE : i.toEpochMilli());
    }
}
