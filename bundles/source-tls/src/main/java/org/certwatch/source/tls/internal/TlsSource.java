package org.certwatch.source.tls.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.groups.RenameFollower;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.time.SwitchableClock;
import org.certwatch.source.tls.internal.revocation.RevocationCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code tls} source: checks the endpoints kept in {@code $CERTWATCH_DATA/tls/endpoints.json} (or a shared
 * backend's document, from the {@link TlsBackend}) on their intervals and reports each chain, its findings and the
 * handshake to the location registry; with servers sharing a backend only the leader checks, every server serves
 * and edits the endpoints. A new configuration
 * applies in place (@Modified), so the locations never turn NOT_WATCHED for it.
 */
@Component(service = {CertificateSource.class, Endpoints.class, OneOffProbe.class, EventHandler.class}, immediate = true,
        configurationPid = "org.certwatch.source.tls", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.CLOCK_CHANGED, EventConstants.EVENT_TOPIC + "=" + Topics.GROUP_RENAMED})
@Designate(ocd = TlsProbeConfiguration.class)
public final class TlsSource implements CertificateSource, Endpoints, OneOffProbe, EventHandler {
    /** How long a stop waits for the scheduler and the aborted checks. */
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final LocationRegistry registry;
    private final EndpointAdministration administration;
    private final ScheduledThreadPoolExecutor watchdog;
    private final TlsProber prober;
    private final ProbeScheduler scheduler;
    private final EndpointCheck check;
    private final EndpointBook book;
    /** The endpoints follow the fleet's renames of groups (their next check reports the new group). */
    private final RenameFollower renames;
    private final Leadership leadership;
    private Subscription following = () -> { };
    private Subscription leading = () -> { };
    private volatile Schedule schedule;
    private volatile ProbeBounds bounds;
    private volatile Duration chainWarning;
    private volatile RevocationCheck revocation;
    private volatile boolean stopping;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog auditLog;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CertificateStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ExpiryMonitor monitor;

    @Activate
    public TlsSource(TlsProbeConfiguration config, @Reference LocationRegistry registry,
            @Reference(name = "backend") TlsBackend backend) throws IOException {
        this(backend.endpoints(), backend.leadership(), config, registry);
    }

    /** Outside OSGi (tests, the benchmark): {@code folder} holds {@code endpoints.json}; then {@link #start()}. */
    public TlsSource(Path folder, TlsProbeConfiguration config, LocationRegistry registry) throws IOException {
        this(new FileDocument(folder.resolve("endpoints.json"), true), Backends.ALONE, config, registry);
    }

    TlsSource(StoredDocument endpoints, Leadership leadership, TlsProbeConfiguration config,
            LocationRegistry registry) throws IOException {
        this.registry = registry;
        this.leadership = leadership;
        configure(config);
        this.watchdog = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "certwatch-tls-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.watchdog.setRemoveOnCancelPolicy(true);
        this.prober = new TlsProber(watchdog, () -> bounds);
        StoreAnchors anchors = new StoreAnchors(new TrustAnchors(TrustAnchors.jdk()));
        WarningWindow warning = new WarningWindow(clock, () -> monitor, () -> chainWarning);
        this.check = new EndpointCheck(prober, clock, () -> anchors.anchors(store), warning::get, () -> revocation);
        this.scheduler = new ProbeScheduler(clock, () -> schedule, e -> {
            if (!leadership.isLeader()) {
                return; // another server probes; becoming the leader checks everything at once
            }
            Observation seen = check.observeKept(e);
            // a check aborted by the stop saw nothing about the endpoint
            if (!stopping) {
                registry.report(seen);
            }
        }, new SplittableRandom());
        this.book = EndpointBook.open(endpoints);
        this.administration = new EndpointAdministration(book, clock,
                this::audit, new EndpointAdministration.Listener() {
                    @Override
                    public void changed(Endpoint endpoint) {
                        scheduler.put(endpoint, clock.instant());
                    }

                    @Override
                    public void removed(Endpoint endpoint) {
                        scheduler.remove(endpoint.id());
                        check.forget(endpoint.id());
                        registry.gone(EndpointCheck.ref(endpoint));
                    }
                }, () -> schedule);
        this.renames = new RenameFollower(Logger.getLogger("org.certwatch.source.tls"), "TLS endpoints", all -> rescheduleChanged(() -> book.followRenames(all)));
    }

    /** Schedules the kept endpoints (spread over their jitter) and settles locations of endpoints gone meanwhile. */
    @Activate
    public void start() {
        List<Endpoint> endpoints = administration.endpoints();
        registry.present(EndpointCheck.SOURCE, endpoints.stream().map(Endpoint::address).toList());
        endpoints.forEach(scheduler::putSpread);
        scheduler.start();
        following = book.watch(this::followed);
        leading = leadership.onChange(leader -> {
            if (leader) {
                administration.endpoints().forEach(e -> scheduler.put(e, clock.instant()));
            }
        });
        renames.start();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRenames(GroupRenames fleet) {
        renames.source(fleet);
    }

    void unbindRenames(GroupRenames fleet) {
        renames.sourceGone(fleet);
    }

    /** Tests: returns once the endpoints follow the renames known now. */
    void followRenamesNow() {
        renames.catchUp();
    }

    /** Another server's edits: changed endpoints are checked now, removed ones leave the schedule. */
    private void followed() {
        rescheduleChanged(book::refresh);
    }

    /** After {@code change} (true when the book changed): changed endpoints are checked now, removed ones leave the schedule. */
    private void rescheduleChanged(BooleanSupplier change) {
        Map<String, Endpoint> before = new HashMap<>();
        administration.endpoints().forEach(e -> before.put(e.id(), e));
        if (!change.getAsBoolean()) {
            return;
        }
        for (Endpoint e : administration.endpoints()) {
            if (!e.equals(before.remove(e.id()))) {
                scheduler.put(e, clock.instant());
            }
        }
        before.values().forEach(gone -> scheduler.remove(gone.id()));
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // mandatory: SCR binds the replacement first, or deactivates the component
    }

    @Modified
    void modified(TlsProbeConfiguration config) {
        configure(config);
        scheduler.wake();
    }

    private void configure(TlsProbeConfiguration config) {
        schedule = Schedule.of(config);
        bounds = ProbeBounds.of(config);
        chainWarning = Duration.ofDays(config.chain_warning_days());
        RevocationCheck r = revocation;
        Duration crlTimeout = Duration.ofMillis(config.crl_timeout_ms());
        // a new check only for new bounds: it holds the CRLs fetched so far
        if (r == null || !r.timeout().equals(crlTimeout) || r.maxCrlBytes() != config.max_crl_bytes()) {
            revocation = new RevocationCheck(clock, crlTimeout, config.max_crl_bytes());
        }
    }

    @Deactivate
    public void deactivate() {
        renames.close();
        leading.close();
        following.close();
        stopping = true;
        prober.abortAll();
        scheduler.stop(STOP_GRACE_MILLIS);
        prober.abortAll();
        watchdog.shutdownNow();
    }

    /** The test clock moved: the scheduler measures its wait again. A group was renamed: the endpoints follow. */
    @Override
    public void handleEvent(Event event) {
        if (Topics.GROUP_RENAMED.equals(event.getTopic())) {
            renames.request();
        } else {
            scheduler.wake();
        }
    }

    @Override
    public String name() {
        return EndpointCheck.SOURCE;
    }

    @Override
    public String summary() {
        return scheduler.size() + " endpoints, " + scheduler.running() + " checks under way";
    }

    @Override
    public List<Endpoint> endpoints() {
        return administration.endpoints();
    }

    @Override
    public Optional<Endpoint> endpoint(String id) {
        return administration.endpoint(id);
    }

    @Override
    public Endpoint create(Endpoint endpoint, String actor) {
        return administration.create(endpoint, actor);
    }

    @Override
    public Endpoint update(Endpoint endpoint, String actor) {
        return administration.update(endpoint, actor);
    }

    @Override
    public void delete(String id, String actor) {
        administration.delete(id, actor);
    }

    @Override
    public void checkNow(String id) {
        if (administration.endpoint(id).isEmpty()) {
            throw new IllegalArgumentException("no endpoint " + id);
        }
        scheduler.checkNow(id);
    }

    @Override
    public Observation probe(Endpoint endpoint) {
        return check.observe(endpoint);
    }

    @Override
    public Duration defaultInterval() {
        return schedule.defaultInterval();
    }

    @Override
    public Duration minimumInterval() {
        return schedule.minimumInterval();
    }

    private void audit(AuditEntry entry) {
        AuditLog log = auditLog;
        if (log != null) {
            log.append(entry);
        }
    }
}
