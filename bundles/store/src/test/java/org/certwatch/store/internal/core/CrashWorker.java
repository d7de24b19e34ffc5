package org.certwatch.store.internal.core;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.audit.internal.FileAuditLog;

/**
 * Child JVM of {@link CrashSafetyTest}: issues and revokes in a loop and prints every operation the
 * store acknowledged ({@code ISSUED id fingerprint}, {@code REVOKED id}, {@code CA id fingerprint})
 * until it is killed.
 */
public final class CrashWorker {
    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
        PkiStore store = PkiStore.open(data.resolve("store"), Stores.PASSWORD.toCharArray(), Clock.systemUTC(), audit,
                StoreEvents.NONE, List::of, StoreSettings.defaults(), new BouncyCastleProvider());
        List<CaInfo> cas = new ArrayList<>(store.cas().stream().filter(c -> c.status() == CaStatus.ACTIVE).toList());
        if (cas.isEmpty()) {
            CaInfo ca = store.createCa(CaRequest.of("CN=Crash CA"), "crash");
            out.println("CA " + ca.id() + " " + ca.fingerprint());
            cas.add(ca);
        }
        List<Long> live = new ArrayList<>(store.certificates(CertificateQuery.all().withRevoked(false)).stream()
                .map(CertificateInfo::id).toList());
        out.println("READY");
        while (true) {
            int dice = random.nextInt(100);
            CaInfo ca = cas.get(random.nextInt(cas.size()));
            if (dice < 2) {
                CaInfo created = store.createCa(CaRequest.of("CN=Crash CA " + random.nextInt(1000)), "crash");
                cas.add(created);
                out.println("CA " + created.id() + " " + created.fingerprint());
            } else if (dice < 30 && !live.isEmpty()) {
                long id = live.remove(random.nextInt(live.size()));
                store.revoke(id, RevocationReason.values()[random.nextInt(3)], "crash");
                out.println("REVOKED " + id);
            } else if (dice < 60) {
                List<IssueRequest> batch = new ArrayList<>();
                int n = 1 + random.nextInt(40);
                for (int i = 0; i < n; i++) {
                    batch.add(IssueRequest.of(ca.id(), Role.AGENT, "agent" + random.nextInt(100000) + ".example.org"));
                }
                for (CertificateInfo c : store.issueAll(batch, "crash")) {
                    live.add(c.id());
                    out.println("ISSUED " + c.id() + " " + c.fingerprint());
                }
            } else {
                CertificateInfo c = store.issue(IssueRequest.of(ca.id(), Role.SERVER, "srv" + random.nextInt(1000)
                        + ".example.org"), "crash");
                live.add(c.id());
                out.println("ISSUED " + c.id() + " " + c.fingerprint());
            }
        }
    }
}
