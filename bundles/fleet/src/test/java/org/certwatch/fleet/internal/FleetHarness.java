package org.certwatch.fleet.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.certwatch.api.store.CaDeletionGuard;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreSettings;

/**
 * The fleet as the component wires it, with the real store and audit log in a temporary data folder,
 * a clock tests move, and the real agent endpoint on an ephemeral loopback port.
 */
final class FleetHarness implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-123";

    final Path data;
    final MovableClock clock = new MovableClock(Instant.now());
    final FileAuditLog audit;
    final PkiStore store;
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The store's CA deletion guards (the component registers the fleet and its rollovers as such). */
    final List<CaDeletionGuard> guards = new CopyOnWriteArrayList<>();
    final Fleet fleet;
    final Replication replication;
    volatile Replication.Settings settings = new Replication.Settings(60, 1, 150, 300);
    AgentEndpoint endpoint;
    AgentTrustManager trust;

    FleetHarness(Path data) throws Exception {
        this.data = data;
        audit = new FileAuditLog(data.resolve("audit/audit.log"));
        store = PkiStore.open(data.resolve("store"), "correct horse battery staple".toCharArray(), clock, audit,
                (topic, p) -> events.add(topic), () -> guards, StoreSettings.defaults(), new BouncyCastleProvider());
        store.ensureInitialCertificates("localhost", "system");
        fleet = openFleet();
        replication = new Replication(fleet, () -> settings, (topic, p) -> events.add(topic));
    }

    Fleet openFleet() throws Exception {
        FleetState state = new FleetState(data.resolve("fleet"));
        state.load();
        Fleet f = new Fleet(state, store, clock, audit, (topic, p) -> events.add(topic), 10_000);
        f.initialise(ADMIN_PASSWORD.toCharArray());
        return f;
    }

    FleetHarness startEndpoint() throws Exception {
        trust = new AgentTrustManager(store, clock);
        endpoint = new AgentEndpoint("127.0.0.1", 0, 8, AgentTls.build(store, trust).context(), replication);
        endpoint.start();
        return this;
    }

    /** What the component does on a new CA: trusts it in place; the TLS context and its sessions stay. */
    void trustNewCa() throws Exception {
        trust.trust(AgentTls.trustedCas(store));
    }

    /** What the component does on a new server certificate or a deleted CA. */
    void reloadTls() throws Exception {
        endpoint.reload(AgentTls.build(store, trust).context());
    }

    int port() {
        return endpoint.port();
    }

    @Override
    public void close() throws Exception {
        if (endpoint != null) {
            endpoint.stop();
        }
        store.close();
        audit.close();
    }

    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
