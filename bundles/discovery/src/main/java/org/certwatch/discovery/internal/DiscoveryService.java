package org.certwatch.discovery.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Endpoints;
import org.certwatch.commons.groups.RenameFollower;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.time.SwitchableClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@link Discovery}: ranges kept in {@code $CERTWATCH_DATA/discovery/discovery.json}, scanned one at a time on the
 * thread {@code certwatch-discovery} (when run, and when a scheduled range is due by the registry clock, looked at
 * every {@link #DUE_CHECK} and on {@code clock/CHANGED}); the connection attempts run on the pool
 * {@code certwatch-discovery-knock}. Both are stopped on deactivate. Found endpoints become endpoints of the TLS
 * probe ({@link Endpoints#create}) or wait as candidates.
 */
@Component(service = {Discovery.class, EventHandler.class}, immediate = true,
        configurationPid = "org.certwatch.discovery", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.CLOCK_CHANGED, EventConstants.EVENT_TOPIC + "=" + Topics.GROUP_RENAMED})
@Designate(ocd = DiscoveryConfiguration.class)
public final class DiscoveryService implements Discovery, EventHandler {
    static final Duration DUE_CHECK = Duration.ofSeconds(30);
    static final String ACTOR = "discovery";
    private static final Logger LOG = Logger.getLogger("org.certwatch.discovery");

    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final DiscoveryBook book;
    /** The ranges follow the fleet's renames of groups (what a scan adds lands in the new group). */
    private final RenameFollower renames;
    private final Leadership leadership;
    private Subscription following = () -> { };
    private final Bounds bounds;
    private final Endpoints endpoints;
    private final Consumer<AuditEntry> audit;
    private final ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor(
            named("certwatch-discovery"));
    private final ExecutorService knocks;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog auditLog;

    @Activate
    public DiscoveryService(DiscoveryConfiguration config, @Reference(name = "endpoints") Endpoints endpoints,
            @Reference(name = "backend") DiscoveryBackend backend) throws IOException {
        this(backend.book(), backend.leadership(), Bounds.of(config), endpoints, null);
    }

    /** Outside OSGi (tests): {@code folder} holds {@code discovery.json}; {@code audit} null: the AuditLog service. */
    DiscoveryService(Path folder, Bounds bounds, Endpoints endpoints, Consumer<AuditEntry> audit) throws IOException {
        this(new FileDocument(folder.resolve("discovery.json"), false), Backends.ALONE, bounds, endpoints, audit);
    }

    DiscoveryService(StoredDocument saved, Leadership leadership, Bounds bounds, Endpoints endpoints,
            Consumer<AuditEntry> audit) throws IOException {
        this.book = DiscoveryBook.open(saved);
        this.leadership = leadership;
        this.bounds = bounds;
        this.endpoints = endpoints;
        this.audit = audit != null ? audit : this::toAuditLog;
        this.knocks = Executors.newFixedThreadPool(bounds.threads(), named("certwatch-discovery-knock"));
        this.renames = new RenameFollower(LOG, "discovery ranges", all -> book.followRenames(all));
    }

    @Activate
    void start() {
        long every = DUE_CHECK.toMillis();
        scans.scheduleWithFixedDelay(this::runDue, every, every, TimeUnit.MILLISECONDS);
        following = book.watch(book::refresh); // runDue reads the ranges from the book each time
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

    @Deactivate
    void stop() throws InterruptedException {
        renames.close();
        following.close();
        scans.shutdownNow();
        knocks.shutdownNow();
        long grace = bounds.connectTimeout().plus(bounds.handshakeTimeout()).toMillis() + 1000;
        if (!scans.awaitTermination(grace, TimeUnit.MILLISECONDS)
                || !knocks.awaitTermination(grace, TimeUnit.MILLISECONDS)) {
            LOG.warning("discovery: a scan did not end within " + grace + " ms of the stop");
        }
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // mandatory: SCR binds the replacement first, or deactivates the component
    }

    /** The test clock moved: scheduled ranges may be due. A group was renamed: the ranges follow. */
    @Override
    public void handleEvent(Event event) {
        if (Topics.GROUP_RENAMED.equals(event.getTopic())) {
            renames.request();
        } else {
            submit(this::runDue);
        }
    }

    @Override
    public List<DiscoveryRange> ranges() {
        return book.ranges().stream().map(DiscoveryService::range).toList();
    }

    @Override
    public Optional<DiscoveryRange> range(String id) {
        return book.range(id).map(DiscoveryService::range);
    }

    @Override
    public DiscoveryRange create(DiscoveryRange r, String actor) {
        check(r);
        DiscoveryBook.StoredRange stored = book.add(stored(null, r, clock.instant(), null));
        audit(actor, "discovery.create", "range:" + stored.id(), "ok: " + stored.addresses());
        return range(stored);
    }

    @Override
    public DiscoveryRange update(DiscoveryRange r, String actor) {
        DiscoveryBook.StoredRange old = book.range(r.id() == null ? "" : r.id())
                .orElseThrow(() -> new IllegalArgumentException("no discovery range " + r.id()));
        check(r);
        DiscoveryBook.StoredRange stored = stored(old.id(), r, Instant.parse(old.createdAt()),
                old.lastRun() == null ? null : Instant.parse(old.lastRun()));
        book.replace(stored);
        audit(actor, "discovery.update", "range:" + old.id(), "ok: " + stored.addresses());
        return range(stored);
    }

    @Override
    public void delete(String id, String actor) {
        if (book.remove(id)) {
            audit(actor, "discovery.delete", "range:" + id, "ok");
        }
    }

    @Override
    public void run(String id, String actor) {
        DiscoveryBook.StoredRange r = book.range(id)
                .orElseThrow(() -> new IllegalArgumentException("no discovery range " + id));
        audit(actor, "discovery.run", "range:" + id, "ok: " + r.addresses());
        start(id);
    }

    @Override
    public boolean running(String id) {
        return running.contains(id);
    }

    @Override
    public List<DiscoveredEndpoint> candidates() {
        return book.candidates().stream().map(c -> new DiscoveredEndpoint(c.rangeId(), c.host(), c.port(),
                c.subject(), c.notAfter() == null ? null : Instant.parse(c.notAfter()),
                Instant.parse(c.foundAt()))).toList();
    }

    @Override
    public Endpoint approve(String host, int port, String actor) {
        DiscoveryBook.StoredCandidate c = candidate(host, port);
        String group = book.range(c.rangeId()).map(DiscoveryBook.StoredRange::homeGroup)
                .orElseThrow(() -> new IllegalArgumentException("the range of " + host + ":" + port + " is gone"));
        Endpoint e = endpoints.create(endpoint(host, port, group, c.rangeId()), actor);
        book.removeCandidate(c, false);
        audit(actor, "discovery.approve", "endpoint:" + e.id(), "ok: " + e.address());
        return e;
    }

    @Override
    public void dismiss(String host, int port, String actor) {
        DiscoveryBook.StoredCandidate c = candidate(host, port);
        book.removeCandidate(c, true);
        audit(actor, "discovery.dismiss", "range:" + c.rangeId(), "ok: " + host + ":" + port);
    }

    /** Starts a scan of the range on the scan thread unless one is running or waiting already. */
    private void start(String id) {
        if (running.add(id)) {
            if (!submit(() -> scan(id))) {
                running.remove(id);
            }
        }
    }

    private boolean submit(Runnable task) {
        try {
            scans.execute(task);
            return true;
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            return false;
        }
    }

    /** Starts the scheduled ranges that are due by the registry clock. */
    void runDue() {
        if (!leadership.isLeader()) {
            return; // another server runs the scheduled scans; a range run by hand runs where it was asked
        }
        Instant now = clock.instant();
        for (DiscoveryBook.StoredRange r : book.ranges()) {
            if (r.every() != null) {
                Instant since = Instant.parse(r.lastRun() != null ? r.lastRun() : r.createdAt());
                if (!since.plus(Duration.parse(r.every())).isAfter(now)) {
                    start(r.id());
                }
            }
        }
    }

    /** One scan, on the scan thread; what it found becomes endpoints or candidates. */
    void scan(String id) {
        try {
            Optional<DiscoveryBook.StoredRange> range = book.range(id);
            if (range.isEmpty()) {
                return;
            }
            DiscoveryBook.StoredRange r = range.get();
            List<Scan.Found> found = new Scan(new TlsKnock(bounds.connectTimeout(), bounds.handshakeTimeout()), knocks,
                    bounds).run(bounds.addresses(r.addresses()), r.ports());
            Instant now = clock.instant();
            int added = r.addFound() ? addEndpoints(r, found) : book.addCandidates(found.stream()
                    .map(f -> new DiscoveryBook.StoredCandidate(id, f.host(), f.port(), f.subject(),
                            f.notAfter().toString(), now.toString())).toList());
            book.range(id).ifPresent(current -> book.replace(withLastRun(current, now)));
            audit(ACTOR, "discovery.scan", "range:" + id, "ok: " + found.size() + " TLS endpoints found, " + added
                    + (r.addFound() ? " added as endpoints" : " new candidates"));
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "discovery: the scan of range " + id + " failed: " + e.getMessage(), e);
            audit(ACTOR, "discovery.scan", "range:" + id, "failed: " + e.getMessage());
        } finally {
            running.remove(id);
        }
    }

    /** Adds what is not an endpoint yet (nor dismissed in this range); returns how many were added. */
    private int addEndpoints(DiscoveryBook.StoredRange r, List<Scan.Found> found) {
        int added = 0;
        for (Scan.Found f : found) {
            Endpoint e = endpoint(f.host(), f.port(), r.homeGroup(), r.id());
            boolean known = endpoints.endpoints().stream().anyMatch(o -> o.address().equals(e.address()));
            if (!known && !book.dismissed(r.id(), f.host(), f.port())) {
                try {
                    endpoints.create(e, ACTOR);
                    added++;
                } catch (IllegalArgumentException refused) {
                    LOG.warning("discovery: " + e.address() + " not added: " + refused.getMessage());
                }
            }
        }
        return added;
    }

    private static Endpoint endpoint(String host, int port, String group, String rangeId) {
        return new Endpoint(null, host, port, "", EndpointProtocol.TLS, group, null, "", false,
                "found by discovery range " + rangeId, null);
    }

    private DiscoveryBook.StoredCandidate candidate(String host, int port) {
        return book.candidates().stream().filter(c -> c.host().equals(host) && c.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no candidate " + host + ":" + port));
    }

    private void check(DiscoveryRange r) {
        bounds.addresses(r.addresses());
        bounds.check(r.ports(), r.every());
    }

    private static DiscoveryBook.StoredRange stored(String id, DiscoveryRange r, Instant createdAt, Instant lastRun) {
        return new DiscoveryBook.StoredRange(id, r.addresses().trim(), List.copyOf(r.ports()), r.homeGroup(),
                r.every() == null ? null : r.every().toString(), r.addFound(), r.description(), createdAt.toString(),
                lastRun == null ? null : lastRun.toString());
    }

    private static DiscoveryBook.StoredRange withLastRun(DiscoveryBook.StoredRange r, Instant lastRun) {
        return new DiscoveryBook.StoredRange(r.id(), r.addresses(), r.ports(), r.homeGroup(), r.every(), r.addFound(),
                r.description(), r.createdAt(), lastRun.toString());
    }

    private static DiscoveryRange range(DiscoveryBook.StoredRange r) {
        return new DiscoveryRange(r.id(), r.addresses(), r.ports(), r.homeGroup(),
                r.every() == null ? null : Duration.parse(r.every()), r.addFound(), r.description(),
                Instant.parse(r.createdAt()), r.lastRun() == null ? null : Instant.parse(r.lastRun()));
    }

    private void audit(String actor, String action, String target, String outcome) {
        audit.accept(new AuditEntry(clock.instant(), actor, action, target, outcome, ""));
    }

    private void toAuditLog(AuditEntry entry) {
        AuditLog log = auditLog;
        if (log != null) {
            log.append(entry);
        }
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
