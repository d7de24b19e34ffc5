package org.certwatch.fleet.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.fleet.internal.endpoint.AgentEndpoint;
import org.certwatch.fleet.internal.endpoint.AgentMessages;
import org.certwatch.fleet.internal.endpoint.AgentTls;
import org.certwatch.fleet.internal.endpoint.AgentTrustManager;
import org.certwatch.fleet.internal.endpoint.Enrolment;
import org.certwatch.fleet.internal.endpoint.Replication;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.testing.SettableClock;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The fleet as the components wire it, with the real store and audit log in a temporary data folder,
 * a clock tests move, and the real agent endpoint on an ephemeral loopback port.
 */
final class FleetHarness implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-123";

    final Path data;
    final SettableClock clock = new SettableClock(Instant.now());
    final FileAuditLog audit;
    final PkiStore store;
    /** The topics the fleet posted. */
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The rollover events the fleet posted, as "topic step". */
    final List<String> rolloverEvents = new CopyOnWriteArrayList<>();
    /** The store's CA deletion guards (the components register the computers and the rollovers as such). */
    final List<CaDeletionGuard> guards = new CopyOnWriteArrayList<>();
    private final List<Fleet> opened = new ArrayList<>();
    final Fleet fleet;
    volatile Replication.Settings settings = new Replication.Settings(60, 1, 150, 300);
    final AgentMessages messages;
    final Replication replication;
    AgentEndpoint endpoint;
    AgentTrustManager trust;

    FleetHarness(Path data) throws Exception {
        this.data = data;
        audit = new FileAuditLog(data.resolve("audit/audit.log"));
        store = PkiStore.open(data.resolve("store"), "correct horse battery staple".toCharArray(), clock, audit,
                (topic, p) -> events.add(topic), () -> guards, StoreSettings.defaults(), new BouncyCastleProvider());
        store.ensureInitialCertificates("localhost", "system");
        fleet = openFleet();
        messages = new AgentMessages(fleet.state, store, () -> settings);
        replication = new Replication(fleet.state, fleet.computers, fleet.policies, store, messages, () -> settings);
    }

    /** The fleet's components on what is stored now (a restart). */
    Fleet openFleet() throws Exception {
        Fleet f = new Fleet(data.resolve("fleet"), store, audit, clock, new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event.getTopic());
                if (event.getProperty("step") != null) {
                    rolloverEvents.add(event.getTopic() + " " + event.getProperty("step"));
                }
            }

            @Override
            public void sendEvent(Event event) {
                postEvent(event);
            }
        }, ADMIN_PASSWORD.toCharArray());
        opened.add(f);
        return f;
    }

    FleetHarness startEndpoint() throws Exception {
        trust = new AgentTrustManager(store, clock);
        endpoint = new AgentEndpoint("127.0.0.1", 0, 8, AgentTls.build(store, trust).context(), messages,
                new Enrolment(fleet.state, fleet.tokens, store, messages, () -> settings), replication);
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
}
