package org.certwatch.locations.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;

/**
 * The registry (plain Java; {@link LocationRegistryComponent} publishes it): takes the sources' reports and the
 * admins' changes, in order, under one lock (this object). What a check makes of a location is {@link Checks}', what
 * it does to the store's certificates {@link Succession}'s, the events {@link Announcements}'; every change is saved
 * before it is announced.
 */
final class Locations implements LocationRegistry {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");
    /** The actor of the store changes the registry makes on its own. */
    static final String ACTOR = "locations";

    private final LocationStorage storage;
    private final ChainImport chains;
    private final Clock clock;
    private final AuditLog audit;
    private final LocationIndex index = new LocationIndex();
    private final Succession succession;
    private final Checks checks;
    private final Announcements announcements;
    private final Set<String> sources = new TreeSet<>();

    Locations(LocationStorage storage, CertificateStore store, Clock clock, AuditLog audit, Announcer announcer,
            int failuresBeforeNotice) {
        this.storage = storage;
        this.chains = new ChainImport(store);
        this.clock = clock;
        this.audit = audit;
        this.succession = new Succession(store, index);
        this.checks = new Checks(failuresBeforeNotice);
        this.announcements = new Announcements(announcer);
    }

    /** Reads what the storage keeps (not under the lock: it may take seconds, and a source may bind meanwhile). */
    void load() throws IOException {
        LOG.info("locations: reading " + storage.name());
        List<StoredLocation> all = storage.load();
        synchronized (this) {
            for (StoredLocation s : all) {
                index.put(s);
            }
            LOG.info("locations: " + index.size() + " read from " + storage.name());
        }
    }

    /**
     * Takes the locations another server saved (its sources reported, an admin acted there) and posts the change
     * event a local change posts; a location as this server holds it already (its own write) changes nothing.
     */
    synchronized void followed(List<StoredLocation> saved) {
        for (StoredLocation s : saved) {
            StoredLocation old = index.get(s.id());
            if (s.equals(old)) {
                continue;
            }
            index.put(s);
            announcements.changed(s.location(), old == null ? null : old.location().state());
        }
    }

    void failuresBeforeNotice(int failures) {
        checks.failuresBeforeNotice(failures);
    }

    // ---------------------------------------------------------------- sources

    synchronized void sourceAdded(String name) {
        sources.add(name);
    }

    /** The source's locations are no longer watched; they keep their certificates (which never expire for it). */
    synchronized void sourceGone(String name) {
        sources.remove(name);
        List<StoredLocation> changed = new ArrayList<>();
        for (StoredLocation s : index.all()) {
            LocationState state = s.location().state();
            if (s.location().ref().source().equals(name) && !s.stopped()
                    && (state == LocationState.OK || state == LocationState.FAILING)) {
                changed.add(new StoredLocation(Checks.with(s.location(), LocationState.NOT_WATCHED, now()),
                        s.history(), false, s.announced()));
            }
        }
        saveAll(changed);
        for (StoredLocation s : changed) {
            LocationState previous = index.get(s.id()).location().state();
            index.put(s);
            announcements.changed(s.location(), previous);
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
        long lastIdBefore = index.lastId();
        List<Report> reports = new ArrayList<>(observations.size());
        Map<Long, StoredLocation> toSave = new LinkedHashMap<>();
        for (Observation o : observations) {
            StoredLocation old = index.find(o.location()).orElse(null);
            if (old != null && old.stopped()) {
                reports.add(new Report(o, old, null, old));
                continue;
            }
            long id = old == null ? index.lastId() + 1 : old.id();
            LocationState previous = old == null ? null : view(old).state();
            StoredLocation next = o.succeeded() ? readOrRefused(id, old, previous, o, imported)
                    : checks.failed(id, old, previous, o);
            index.put(next);
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
                announcements.reported(r.observation(), r.old(), r.previous(), r.next());
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
            StoredLocation old = index.find(o.location()).orElse(null);
            if (o.succeeded() && (old == null
                    || !old.stopped() && !succession.holdsNow(old, ChainImport.fingerprint(o.chain().get(0))))) {
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
                index.put(r.old());
            } else {
                index.remove(r.next(), lastIdBefore);
            }
        }
    }

    /** A chain the store refuses (not a certificate after all) is a corrupt location, nothing else. */
    private StoredLocation readOrRefused(long id, StoredLocation old, LocationState previous, Observation o,
            Map<String, Long> imported) {
        try {
            return read(id, old, previous, o, imported);
        } catch (CertificateStoreException e) {
            return checks.failed(id, old, previous, Observation.failed(o.location(), o.at(), LocationFailure.CORRUPT,
                    o.location().address() + ": " + e.getMessage()));
        }
    }

    private StoredLocation read(long id, StoredLocation old, LocationState previous, Observation o,
            Map<String, Long> imported) {
        String fingerprint = ChainImport.fingerprint(o.chain().get(0));
        boolean same = old != null && succession.holdsNow(old, fingerprint);
        long certificateId;
        List<Long> chainIds;
        if (same) {
            certificateId = old.location().certificateId();
            chainIds = old.location().chainIds();
        } else {
            List<Long> ids = chains.ids(o.chain(), o.location().homeGroup(), ACTOR, imported);
            certificateId = ids.get(0);
            chainIds = ids.subList(1, ids.size());
        }
        succession.handOver(old, certificateId);
        return checks.read(id, old, previous, o, fingerprint, certificateId, chainIds, same);
    }

    @Override
    public synchronized void gone(LocationRef ref) {
        index.find(ref).ifPresent(s -> leave(List.of(s)));
    }

    @Override
    public synchronized void present(String source, Collection<String> addresses) {
        Set<String> kept = new HashSet<>(addresses);
        List<StoredLocation> missing = new ArrayList<>();
        for (StoredLocation s : index.all()) {
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
                changed.put(s.id(), Checks.gone(s, now));
            }
        }
        saveAll(changed.values());
        for (StoredLocation s : changed.values()) {
            LocationState previous = view(index.get(s.id())).state();
            index.put(s);
            succession.retireIfUnheld(s.location().certificateId());
            announcements.changed(s.location(), previous);
        }
    }

    /**
     * Follows the fleet's renames of groups: every location whose group they move is saved with its new group
     * (one durable write) before the registry answers with it. All renames each time: applying them again moves
     * nothing (the fleet refuses a group at a path its renames would move elsewhere).
     *
     * @return how many locations moved
     */
    synchronized int followRenames(List<GroupRename> renames) {
        List<StoredLocation> moved = new ArrayList<>();
        for (StoredLocation s : index.all()) {
            Location l = s.location();
            String group = GroupRename.applyAll(renames, l.ref().homeGroup());
            if (!group.equals(l.ref().homeGroup())) {
                LocationRef ref = new LocationRef(l.ref().source(), l.ref().kind(), l.ref().address(), group);
                moved.add(new StoredLocation(new Location(l.id(), ref, l.state(), l.certificateId(), l.chainIds(),
                        l.failure(), l.reason(), l.consecutiveFailures(), l.firstSeen(), l.lastCheck(), l.lastChange(),
                        l.findings(), l.probe()), s.history(), s.stopped(), s.announced()));
            }
        }
        if (!moved.isEmpty()) {
            saveAll(moved);
            moved.forEach(index::put);
            // same state: what keeps copies (the MIB's table, metrics) takes the new group
            moved.forEach(s -> announcements.changed(view(s), view(s).state()));
            LOG.info("locations: " + moved.size() + " moved with the renames of their groups");
        }
        return moved.size();
    }

    // ---------------------------------------------------------------- admin

    @Override
    public synchronized Location stopWatching(long locationId, String actor) {
        StoredLocation s = require(locationId, actor, "location.stop-watching");
        if (!s.stopped()) {
            LocationState previous = view(s).state();
            StoredLocation next = new StoredLocation(Checks.with(s.location(), LocationState.NOT_WATCHED, now()),
                    s.history(), true, false);
            save(next);
            index.put(next);
            succession.retireIfUnheld(next.location().certificateId());
            if (previous != LocationState.NOT_WATCHED) {
                announcements.changed(next.location(), previous);
            }
        }
        audit(actor, "location.stop-watching", locationId, "ok");
        return view(index.get(locationId));
    }

    @Override
    public synchronized Location resumeWatching(long locationId, String actor) {
        StoredLocation s = require(locationId, actor, "location.resume-watching");
        if (s.stopped()) {
            // NOT_WATCHED until the next check says what it holds
            StoredLocation next = new StoredLocation(s.location(), s.history(), false, false);
            save(next);
            index.put(next);
        }
        audit(actor, "location.resume-watching", locationId, "ok");
        return view(index.get(locationId));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public synchronized Optional<Location> location(long id) {
        return Optional.ofNullable(index.get(id)).map(this::view);
    }

    @Override
    public synchronized Optional<Location> location(LocationRef ref) {
        return index.find(ref).map(this::view);
    }

    @Override
    public synchronized List<Location> locations(LocationQuery q) {
        List<Location> out = new ArrayList<>();
        int skipped = 0;
        for (StoredLocation s : index.all()) {
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
        StoredLocation s = index.get(locationId);
        return s == null ? List.of() : s.history();
    }

    // ---------------------------------------------------------------- helpers

    /** What callers see: a location nobody watches (stopped, or its source absent) is NOT_WATCHED. */
    private Location view(StoredLocation s) {
        Location l = s.location();
        boolean unwatched = s.stopped() || (!sources.contains(l.ref().source()) && l.state() != LocationState.GONE);
        return unwatched && l.state() != LocationState.NOT_WATCHED ? new Location(l.id(), l.ref(),
                LocationState.NOT_WATCHED, l.certificateId(), l.chainIds(), null, "", l.consecutiveFailures(),
                l.firstSeen(), l.lastCheck(), l.lastChange(), l.findings(), l.probe()) : l;
    }

    private StoredLocation require(long id, String actor, String action) {
        StoredLocation s = index.get(id);
        if (s == null) {
            audit(actor, action, id, "refused: no such location");
            throw new IllegalArgumentException("there is no location with id " + id);
        }
        return s;
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

    private void audit(String actor, String action, long locationId, String outcome) {
        audit.append(new AuditEntry(now(), actor, action, "location:" + locationId, outcome, ""));
    }
}
