package org.certwatch.locations.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;

/**
 * The locations and their rules (plain Java; {@link LocationRegistryComponent} publishes it): each report is
 * imported into the store, a new certificate at a location succeeds the old one, a certificate no location holds
 * any more retires, failures are counted and announced once per spell. One lock, this object; every change is
 * saved before it is announced.
 */
final class Locations implements LocationRegistry {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");
    /** The actor of the store changes the registry makes on its own. */
    static final String ACTOR = "locations";

    /** A location's name within its source; shares the ref's strings. */
    private record Key(String source, String address) {
        static Key of(LocationRef ref) {
            return new Key(ref.source(), ref.address());
        }
    }

    private final LocationStorage storage;
    private final CertificateStore store;
    private final ChainImport chains;
    private final Clock clock;
    private final AuditLog audit;
    private final Announcer announcer;
    private volatile int failuresBeforeNotice;
    private final Map<Long, StoredLocation> byId = new TreeMap<>();
    private final Map<Key, Long> byKey = new HashMap<>();
    /** How many locations hold each certificate: one that drops to none retires. */
    private final Map<Long, Integer> holders = new HashMap<>();
    private final Set<String> sources = new TreeSet<>();
    private long lastId;

    Locations(LocationStorage storage, CertificateStore store, Clock clock, AuditLog audit, Announcer announcer,
            int failuresBeforeNotice) {
        this.storage = storage;
        this.store = store;
        this.chains = new ChainImport(store);
        this.clock = clock;
        this.audit = audit;
        this.announcer = announcer;
        this.failuresBeforeNotice = failuresBeforeNotice;
    }

    synchronized void load() throws IOException {
        for (StoredLocation s : storage.load()) {
            remember(s);
            lastId = Math.max(lastId, s.id());
        }
        LOG.info("locations: " + byId.size() + " read from " + storage.name());
    }

    void failuresBeforeNotice(int failures) {
        failuresBeforeNotice = Math.max(1, failures);
    }

    // ---------------------------------------------------------------- sources

    synchronized void sourceAdded(String name) {
        sources.add(name);
    }

    /** The source's locations are no longer watched; they keep their certificates (which never expire for it). */
    synchronized void sourceGone(String name) {
        sources.remove(name);
        List<StoredLocation> changed = new ArrayList<>();
        for (StoredLocation s : byId.values()) {
            LocationState state = s.location().state();
            if (s.location().ref().source().equals(name) && !s.stopped()
                    && (state == LocationState.OK || state == LocationState.FAILING)) {
                changed.add(new StoredLocation(with(s.location(), LocationState.NOT_WATCHED, now()), s.history(),
                        false, s.announced()));
            }
        }
        saveAll(changed);
        for (StoredLocation s : changed) {
            LocationState previous = byId.get(s.id()).location().state();
            remember(s);
            announce(Topics.LOCATION_CHANGED, s.location(), previous);
        }
    }

    @Override
    public synchronized List<String> sources() {
        return List.copyOf(sources);
    }

    // ---------------------------------------------------------------- reports

    @Override
    public Location report(Observation o) {
        return reportAll(List.of(o)).get(0);
    }

    /**
     * Each observation as {@link #report} takes it, in order, with the batch's new certificates imported ahead
     * (one store import per group) and its locations saved with one durable write before anything is announced.
     */
    @Override
    public synchronized List<Location> reportAll(List<Observation> observations) {
        Map<String, Long> imported = chains.importAll(toImport(observations), ACTOR);
        long lastIdBefore = lastId;
        List<Report> reports = new ArrayList<>(observations.size());
        Map<Long, StoredLocation> toSave = new LinkedHashMap<>();
        for (Observation o : observations) {
            StoredLocation old = find(o.location()).orElse(null);
            if (old != null && old.stopped()) {
                reports.add(new Report(o, old, null, old));
                continue;
            }
            long id = old == null ? lastId + 1 : old.id();
            LocationState previous = old == null ? null : view(old).state();
            StoredLocation next = o.succeeded() ? readOrRefused(id, old, previous, o, imported)
                    : failed(id, old, previous, o);
            lastId = Math.max(lastId, id);
            remember(next);
            toSave.put(id, next);
            reports.add(new Report(o, old, previous, next));
        }
        try {
            saveAll(toSave.values());
        } catch (RuntimeException e) {
            forget(reports, lastIdBefore);
            throw e;
        }
        List<Location> out = new ArrayList<>(reports.size());
        for (Report r : reports) {
            if (r.next() != r.old()) {
                announce(r);
            }
            out.add(view(r.next()));
        }
        return out;
    }

    /** One observation taken: the location before ({@code old}, null when new) and after. */
    private record Report(Observation observation, StoredLocation old, LocationState previous, StoredLocation next) {
    }

    /** The chains the batch may bring in: read at a location that held something else (or nothing) before it. */
    private List<ChainImport.Chain> toImport(List<Observation> observations) {
        List<ChainImport.Chain> out = new ArrayList<>();
        for (Observation o : observations) {
            StoredLocation old = find(o.location()).orElse(null);
            if (o.succeeded() && (old == null
                    || !old.stopped() && !holdsNow(old, ChainImport.fingerprint(o.chain().get(0))))) {
                out.add(new ChainImport.Chain(o.chain(), o.location().homeGroup()));
            }
        }
        return out;
    }

    /** A save that failed leaves the registry as it was before the batch (the store's changes stay: harmless). */
    private void forget(List<Report> reports, long lastIdBefore) {
        for (int i = reports.size() - 1; i >= 0; i--) {
            Report r = reports.get(i);
            if (r.next() == r.old()) {
                continue;
            }
            if (r.old() != null) {
                remember(r.old());
            } else {
                byId.remove(r.next().id());
                byKey.remove(Key.of(r.next().location().ref()));
                if (holds(r.next())) {
                    holders.computeIfPresent(r.next().location().certificateId(), (k, n) -> n == 1 ? null : n - 1);
                }
            }
        }
        lastId = lastIdBefore;
    }

    private void announce(Report r) {
        StoredLocation old = r.old();
        StoredLocation next = r.next();
        LocationState previous = r.previous();
        Location l = next.location();
        // a failed check is a change too (its count and reason), so the MIB's and pages' copies stay current
        if (previous != l.state() || old == null || old.location().certificateId() != l.certificateId()
                || !r.observation().succeeded()) {
            announce(Topics.LOCATION_CHANGED, l, previous);
        }
        if (next.announced() && (old == null || !old.announced())) {
            announce(Topics.LOCATION_FAILING, l, previous);
        } else if (old != null && old.announced() && !next.announced()) {
            announce(Topics.LOCATION_RECOVERED, l, previous);
        }
    }

    /** A chain the store refuses (not a certificate after all) is a corrupt location, nothing else. */
    private StoredLocation readOrRefused(long id, StoredLocation old, LocationState previous, Observation o,
            Map<String, Long> imported) {
        try {
            return read(id, old, previous, o, imported);
        } catch (CertificateStoreException e) {
            return failed(id, old, previous, Observation.failed(o.location(), o.at(), LocationFailure.CORRUPT,
                    o.location().address() + ": " + e.getMessage()));
        }
    }

    private StoredLocation read(long id, StoredLocation old, LocationState previous, Observation o,
            Map<String, Long> imported) {
        String fingerprint = ChainImport.fingerprint(o.chain().get(0));
        List<LocationHistoryEntry> history = old == null ? List.of() : old.history();
        boolean same = old != null && holdsNow(old, fingerprint);
        Location before = old == null ? null : old.location();
        long certificateId;
        List<Long> chainIds;
        if (same) {
            certificateId = before.certificateId();
            chainIds = before.chainIds();
        } else {
            List<Long> ids = chains.ids(o.chain(), o.location().homeGroup(), ACTOR, imported);
            certificateId = ids.get(0);
            chainIds = ids.subList(1, ids.size());
            history = prepend(history, new LocationHistoryEntry(certificateId, fingerprint, o.at(), null), o.at());
        }
        long oldCertificate = before == null ? 0 : before.certificateId();
        if (oldCertificate != 0 && oldCertificate != certificateId && holds(old)
                && holders.getOrDefault(oldCertificate, 0) == 1) {
            succeed(oldCertificate, certificateId);
        }
        if (certificateId != 0) {
            takeBack(certificateId);
        }
        boolean changed = previous != LocationState.OK || !same;
        Location l = new Location(id, o.location(), LocationState.OK, certificateId, chainIds, null, "", 0,
                before == null ? o.at() : before.firstSeen(), o.at(), changed ? o.at() : before.lastChange());
        return new StoredLocation(l, history, false, false);
    }

    /** The same certificate as at the location's last check (and still in the store: an admin may delete it). */
    private boolean holdsNow(StoredLocation s, String fingerprint) {
        List<LocationHistoryEntry> history = s.history();
        LocationHistoryEntry head = history.isEmpty() ? null : history.get(0);
        return head != null && head.until() == null && head.fingerprint().equals(fingerprint)
                && store.certificate(head.certificateId()).isPresent();
    }

    private StoredLocation failed(long id, StoredLocation old, LocationState previous, Observation o) {
        Location before = old == null ? null : old.location();
        int failures = (before == null ? 0 : before.consecutiveFailures()) + 1;
        boolean changed = previous != LocationState.FAILING || before.failure() != o.failure();
        Location l = new Location(id, o.location(), LocationState.FAILING,
                before == null ? 0 : before.certificateId(), before == null ? List.of() : before.chainIds(),
                o.failure(), o.reason(), failures, before == null ? o.at() : before.firstSeen(), o.at(),
                changed ? o.at() : before.lastChange());
        boolean announced = (old != null && old.announced()) || failures >= failuresBeforeNotice;
        return new StoredLocation(l, old == null ? List.of() : old.history(), false, announced);
    }

    @Override
    public synchronized void gone(LocationRef ref) {
        find(ref).ifPresent(s -> leave(List.of(s)));
    }

    @Override
    public synchronized void present(String source, Collection<String> addresses) {
        Set<String> kept = new HashSet<>(addresses);
        List<StoredLocation> missing = new ArrayList<>();
        for (StoredLocation s : byId.values()) {
            if (s.location().ref().source().equals(source) && !kept.contains(s.location().ref().address())) {
                missing.add(s);
            }
        }
        leave(missing);
    }

    /** The locations no longer exist: GONE, their certificates retire unless held elsewhere. */
    private void leave(List<StoredLocation> locations) {
        Instant now = now();
        Map<Long, StoredLocation> changed = new LinkedHashMap<>();
        for (StoredLocation s : locations) {
            if (!s.stopped() && s.location().state() != LocationState.GONE) {
                changed.put(s.id(), new StoredLocation(with(s.location(), LocationState.GONE, now),
                        close(s.history(), now), false, false));
            }
        }
        saveAll(changed.values());
        for (StoredLocation s : changed.values()) {
            StoredLocation old = byId.get(s.id());
            LocationState previous = view(old).state();
            remember(s);
            retireIfUnheld(s.location().certificateId());
            announce(Topics.LOCATION_CHANGED, s.location(), previous);
        }
    }

    // ---------------------------------------------------------------- admin

    @Override
    public synchronized Location stopWatching(long locationId, String actor) {
        StoredLocation s = require(locationId, actor, "location.stop-watching");
        if (!s.stopped()) {
            LocationState previous = view(s).state();
            StoredLocation next = new StoredLocation(with(s.location(), LocationState.NOT_WATCHED, now()),
                    s.history(), true, false);
            save(next);
            remember(next);
            retireIfUnheld(next.location().certificateId());
            if (previous != LocationState.NOT_WATCHED) {
                announce(Topics.LOCATION_CHANGED, next.location(), previous);
            }
        }
        audit(actor, "location.stop-watching", locationId, "ok");
        return view(byId.get(locationId));
    }

    @Override
    public synchronized Location resumeWatching(long locationId, String actor) {
        StoredLocation s = require(locationId, actor, "location.resume-watching");
        if (s.stopped()) {
            // NOT_WATCHED until the next check says what it holds
            StoredLocation next = new StoredLocation(s.location(), s.history(), false, false);
            save(next);
            remember(next);
        }
        audit(actor, "location.resume-watching", locationId, "ok");
        return view(byId.get(locationId));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public synchronized Optional<Location> location(long id) {
        return Optional.ofNullable(byId.get(id)).map(this::view);
    }

    @Override
    public synchronized Optional<Location> location(LocationRef ref) {
        return find(ref).map(this::view);
    }

    @Override
    public synchronized List<Location> locations(LocationQuery q) {
        List<Location> out = new ArrayList<>();
        int skipped = 0;
        for (StoredLocation s : byId.values()) {
            Location l = view(s);
            if ((q.groups().isEmpty() || q.groups().stream().anyMatch(g -> GroupPaths.contains(g, l.ref().homeGroup())))
                    && (q.source() == null || q.source().equals(l.ref().source()))
                    && (q.state() == null || q.state() == l.state())
                    && (q.certificateId() == 0 || q.certificateId() == l.certificateId())) {
                if (skipped++ < q.offset()) {
                    continue;
                }
                out.add(l);
                if (q.limit() > 0 && out.size() == q.limit()) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public synchronized List<LocationHistoryEntry> history(long locationId) {
        StoredLocation s = byId.get(locationId);
        return s == null ? List.of() : s.history();
    }

    // ---------------------------------------------------------------- helpers

    /** What callers see: a location nobody watches (stopped, or its source absent) is NOT_WATCHED. */
    private Location view(StoredLocation s) {
        Location l = s.location();
        boolean unwatched = s.stopped() || (!sources.contains(l.ref().source()) && l.state() != LocationState.GONE);
        return unwatched && l.state() != LocationState.NOT_WATCHED ? new Location(l.id(), l.ref(),
                LocationState.NOT_WATCHED, l.certificateId(), l.chainIds(), null, "", l.consecutiveFailures(),
                l.firstSeen(), l.lastCheck(), l.lastChange()) : l;
    }

    private Optional<StoredLocation> find(LocationRef ref) {
        Long id = byKey.get(Key.of(ref));
        return id == null ? Optional.empty() : Optional.of(byId.get(id));
    }

    private StoredLocation require(long id, String actor, String action) {
        StoredLocation s = byId.get(id);
        if (s == null) {
            audit(actor, action, id, "refused: no such location");
            throw new IllegalArgumentException("there is no location with id " + id);
        }
        return s;
    }

    private void remember(StoredLocation s) {
        StoredLocation old = byId.put(s.id(), s);
        if (old != null && holds(old)) {
            holders.computeIfPresent(old.location().certificateId(), (k, n) -> n == 1 ? null : n - 1);
        }
        if (old == null || !old.location().ref().address().equals(s.location().ref().address())) {
            byKey.put(Key.of(s.location().ref()), s.id());
        }
        if (holds(s)) {
            holders.merge(s.location().certificateId(), 1, Integer::sum);
        }
    }

    /** Whether the location still holds its certificate (gone and stopped ones do not). */
    private static boolean holds(StoredLocation s) {
        return !s.stopped() && s.location().state() != LocationState.GONE && s.location().certificateId() != 0;
    }

    private void succeed(long oldCertificate, long newCertificate) {
        try {
            if (newCertificate != 0) {
                store.supersede(oldCertificate, newCertificate, ACTOR);
                return;
            }
        } catch (CertificateStoreException e) {
            LOG.info("certificate " + oldCertificate + " not succeeded by " + newCertificate + " (" + e.getMessage()
                    + "); it retires instead");
        }
        retire(oldCertificate);
    }

    private void retireIfUnheld(long certificateId) {
        if (certificateId != 0 && !holders.containsKey(certificateId)) {
            retire(certificateId);
        }
    }

    private void retire(long certificateId) {
        store.certificate(certificateId).filter(c -> c.role() == org.certwatch.api.Role.MONITORED && !c.retired())
                .ifPresent(c -> store.setRetired(certificateId, true, ACTOR));
    }

    /** A certificate a location holds (again) is not retired. */
    private void takeBack(long certificateId) {
        Optional<CertificateInfo> c = store.certificate(certificateId);
        if (c.isPresent() && c.get().retired()) {
            store.setRetired(certificateId, false, ACTOR);
        }
    }

    private static List<LocationHistoryEntry> prepend(List<LocationHistoryEntry> history, LocationHistoryEntry entry,
            Instant at) {
        List<LocationHistoryEntry> out = new ArrayList<>(history.size() + 1);
        out.add(entry);
        out.addAll(close(history, at));
        return out;
    }

    /** The history with its open head (what it holds now) closed at {@code at}. */
    private static List<LocationHistoryEntry> close(List<LocationHistoryEntry> history, Instant at) {
        if (history.isEmpty() || history.get(0).until() != null) {
            return history;
        }
        List<LocationHistoryEntry> out = new ArrayList<>(history);
        LocationHistoryEntry h = out.get(0);
        out.set(0, new LocationHistoryEntry(h.certificateId(), h.fingerprint(), h.from(), at));
        return out;
    }

    private static Location with(Location l, LocationState state, Instant at) {
        return new Location(l.id(), l.ref(), state, l.certificateId(), l.chainIds(), null, "",
                l.consecutiveFailures(), l.firstSeen(), l.lastCheck(), at);
    }

    private Instant now() {
        return clock.instant();
    }

    private void save(StoredLocation s) {
        saveAll(List.of(s));
    }

    private void saveAll(Collection<StoredLocation> locations) {
        if (locations.isEmpty()) {
            return;
        }
        try {
            storage.save(locations);
        } catch (IOException e) {
            throw new UncheckedIOException("locations not saved to " + storage.name() + ": " + e.getMessage(), e);
        }
    }

    private void announce(String topic, Location l, LocationState previous) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("location.id", l.id());
        p.put("state", l.state().name());
        p.put("previous.state", previous == null ? "" : previous.name());
        p.put("certificate.id", l.certificateId());
        p.put("source", l.ref().source());
        p.put("address", l.ref().address());
        p.put("group", l.ref().homeGroup());
        if (topic.equals(Topics.LOCATION_FAILING)) {
            p.put("failure", l.failure() == null ? "" : l.failure().name());
            p.put("reason", l.reason());
            p.put("failures", l.consecutiveFailures());
        }
        announcer.post(topic, p);
    }

    private void audit(String actor, String action, long locationId, String outcome) {
        audit.append(new AuditEntry(now(), actor, action, "location:" + locationId, outcome, ""));
    }
}
