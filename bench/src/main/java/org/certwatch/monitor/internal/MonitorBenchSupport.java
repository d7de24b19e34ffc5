package org.certwatch.monitor.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;

/**
 * Drives the monitor's engine (package-private) from the bench module: lives in the same package on
 * the bench class path only, so the bundle itself carries no benchmark hooks.
 */
public final class MonitorBenchSupport implements AutoCloseable {
    private final Map<Long, CertificateInfo> certificates;
    private final Outbox outbox;
    private final MonitorEngine engine;
    private final Instant now;

    /** In-memory certificates standing in for the store: what "the certificate itself" costs. */
    public static Map<Long, CertificateInfo> certificates(int n, long seed, Instant now) {
        Random random = new Random(seed);
        Map<Long, CertificateInfo> map = new HashMap<>(n * 2);
        String[] groups = {"All", "All/Berlin", "All/Berlin/Lab", "All/Hamburg", "All/Munich/Office"};
        for (long id = 1; id <= n; id++) {
            Instant notBefore = now.minus(Duration.ofDays(random.nextInt(700)));
            Instant notAfter = notBefore.plus(Duration.ofDays(365 + random.nextInt(400)));
            map.put(id, new CertificateInfo(id, Role.AGENT, "pc-" + id, List.of(), 1, "CN=CA", "CN=pc-" + id,
                    BigInteger.valueOf(id), notBefore, notAfter, Long.toHexString(id), "EC", 256, true,
                    groups[(int) (id % groups.length)], "", notBefore, null, null, 0, 0));
        }
        return map;
    }

    public MonitorBenchSupport(Map<Long, CertificateInfo> certificates, Path dir, Instant now) throws IOException {
        this.certificates = certificates;
        this.now = now;
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        this.outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        Inventory inventory = new Inventory() {
            @Override
            public List<CaInfo> cas() {
                return List.of();
            }

            @Override
            public Optional<CaInfo> ca(long id) {
                return Optional.empty();
            }

            @Override
            public List<CertificateInfo> certificates() {
                return new ArrayList<>(certificates.values());
            }

            @Override
            public Optional<CertificateInfo> certificate(long id) {
                return Optional.ofNullable(certificates.get(id));
            }

            @Override
            public long serverCertificateId() {
                return 0;
            }
        };
        this.engine = new MonitorEngine(inventory, clock, Events.NONE, outbox, Duration.ofDays(90),
                Duration.ofDays(14), certificates.size());
    }

    /** Builds the schedule: loads and evaluates every certificate. */
    public void load() {
        engine.load(List.of());
    }

    /** One status change: the certificate's notAfter moves (as a renewal in place would), re-planned. */
    public void change(long id, long shiftDays) {
        CertificateInfo c = certificates.get(id);
        certificates.put(id, new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), c.caId(),
                c.issuer(), c.subject(), c.serial(), c.notBefore(), c.notAfter().plus(Duration.ofDays(shiftDays)),
                c.fingerprint(), c.keyAlgorithm(), c.keySize(), c.hasKey(), c.homeGroup(), c.description(),
                c.createdAt(), c.revokedAt(), c.revocationReason(), c.predecessorId(), c.successorId()));
        engine.certificateChanged(id);
    }

    public ExpirySummary summary() {
        return engine.summary(UserScope.system());
    }

    public int size() {
        return engine.size();
    }

    public Instant now() {
        return now;
    }

    @Override
    public void close() throws IOException {
        outbox.close();
    }
}
