package org.certwatch.store.internal.core;

import org.certwatch.commons.files.DurableFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.pki.CertificateMaker;
import org.certwatch.store.internal.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM issues and revokes until it is killed with SIGKILL at a random moment; after every
 * kill the store must open without help, hold every acknowledged operation intact, and show nothing
 * half-written. Seed: {@code -Dcertwatch.crash.seed=N} repeats a run.
 */
class CrashSafetyTest {
    private static final int ROUNDS = 20;

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedOperationSurvivesSigkill() throws Exception {
        long seed = Long.getLong("certwatch.crash.seed", System.nanoTime());
        System.out.println("CrashSafetyTest seed " + seed + " (repeat with -Dcertwatch.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Map<Long, String> issued = new HashMap<>();
        Map<Long, String> createdCas = new HashMap<>();
        Set<Long> revoked = new HashSet<>();
        int killedWhileBusy = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            CountDownLatch ready = new CountDownLatch(1);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashWorker.class.getName(),
                    data.toString(), Long.toString(random.nextLong()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else {
                            acknowledged.add(line);
                        }
                    }
                } catch (Exception e) {
                    // the pipe breaks when the child dies
                }
            });
            reader.start();
            assertTrue(ready.await(120, TimeUnit.SECONDS), "round " + round + ": child did not get ready");
            // kill after a random amount of progress (robust on a loaded machine), then a random bit more
            // so the kill lands anywhere inside an operation; real time only decides when the process
            // dies, no store logic waits on it
            int progress = random.nextInt(60);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < progress && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            long delay = random.nextInt(300);
            Thread.sleep(delay);
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            if (!acknowledged.isEmpty()) {
                killedWhileBusy++;
            }
            for (String line : acknowledged) {
                String[] p = line.split(" ");
                switch (p[0]) {
                    case "ISSUED" -> issued.put(Long.parseLong(p[1]), p[2]);
                    case "REVOKED" -> revoked.add(Long.parseLong(p[1]));
                    case "CA" -> createdCas.put(Long.parseLong(p[1]), p[2]);
                    default -> throw new AssertionError("unexpected output " + line);
                }
            }
            verify(round, issued, revoked, createdCas);
            System.out.println("round " + round + ": killed " + delay + " ms after " + progress + " acknowledgements, "
                    + acknowledged.size()
                    + " acknowledged; totals " + issued.size() + " issued, " + revoked.size() + " revoked");
        }
        assertTrue(killedWhileBusy >= ROUNDS / 2, "most kills should hit a busy store");
        assertTrue(issued.size() >= 50 && revoked.size() >= 5, issued.size() + " / " + revoked.size());
    }

    private void verify(int round, Map<Long, String> issued, Set<Long> revoked, Map<Long, String> cas)
            throws Exception {
        BouncyCastleProvider provider = new BouncyCastleProvider();
        CertificateMaker maker = new CertificateMaker(provider, new java.security.SecureRandom());
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"))) {
            PkiStore store = PkiStore.open(data.resolve("store"), Stores.PASSWORD.toCharArray(), Clock.systemUTC(),
                    audit, StoreEvents.NONE, List::of, StoreSettings.defaults(), provider);
            try {
                String where = "round " + round + ": ";
                for (Map.Entry<Long, String> ca : cas.entrySet()) {
                    assertEquals(ca.getValue(), store.ca(ca.getKey()).orElseThrow().fingerprint(), where + "CA " + ca);
                }
                for (Map.Entry<Long, String> e : issued.entrySet()) {
                    CertificateInfo c = store.certificate(e.getKey()).orElseThrow(
                            () -> new AssertionError(where + "acknowledged certificate " + e.getKey() + " is missing"));
                    assertEquals(e.getValue(), c.fingerprint(), where + "certificate " + e.getKey());
                }
                for (long id : revoked) {
                    assertTrue(store.certificate(id).orElseThrow().revoked(), where + "revocation of " + id + " lost");
                }
                // nothing half-written: every certificate the store shows, acknowledged or not, is whole
                for (CertificateInfo c : store.certificates(CertificateQuery.all())) {
                    Path pem = store.folder().resolve(String.format("certs/%03d/%d.pem", c.id() / 1000, c.id()));
                    X509CertificateHolder holder = readPem(pem);
                    assertEquals(c.fingerprint(), Pem.sha256(holder.getEncoded()), where + pem);
                    Path keyFile = store.folder().resolve(String.format("gen-000001/keys/%03d/%d.key", c.id() / 1000,
                            c.id()));
                    assertTrue(Files.readString(keyFile).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
                            && Files.readString(keyFile).endsWith("-----END ENCRYPTED PRIVATE KEY-----\n"), where + keyFile);
                    PrivateKey key = store.privateKey(c.id());
                    if (c.id() % 25 == 0 || issued.size() < 50) {
                        assertTrue(maker.keyMatches(key, holder), where + "key of " + c.id());
                    }
                }
                for (CaInfo ca : store.cas()) {
                    if (ca.status() != CaStatus.ACTIVE) {
                        continue;
                    }
                    X509CRLHolder crl = new X509CRLHolder(store.crl(ca.id(), false));
                    X509CertificateHolder caCert = new X509CertificateHolder(store.caCertificateBytes(ca.id()));
                    assertTrue(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(provider)
                            .build(caCert.getSubjectPublicKeyInfo())), where + "CRL of CA " + ca.id());
                    Set<BigInteger> listed = new HashSet<>();
                    for (Object entry : crl.getRevokedCertificates()) {
                        listed.add(((X509CRLEntryHolder) entry).getSerialNumber());
                    }
                    Set<BigInteger> expected = new HashSet<>();
                    for (CertificateInfo c : store.certificates(CertificateQuery.all().withCa(ca.id()).withRevoked(true))) {
                        expected.add(c.serial());
                    }
                    assertEquals(expected, listed, where + "CRL of CA " + ca.id());
                }
                try (Stream<Path> files = Files.walk(store.folder())) {
                    List<Path> temporary = files.filter(p -> p.toString().endsWith(DurableFiles.TEMP_SUFFIX)).toList();
                    assertEquals(new ArrayList<Path>(), temporary, where + "temporary files visible");
                }
                assertFalse(Files.exists(store.folder().resolve("gen-000002")));
            } finally {
                store.close();
            }
        }
    }

    private static X509CertificateHolder readPem(Path file) throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object o = parser.readObject();
            assertTrue(o instanceof X509CertificateHolder, file + " is not a whole certificate");
            return (X509CertificateHolder) o;
        }
    }
}
