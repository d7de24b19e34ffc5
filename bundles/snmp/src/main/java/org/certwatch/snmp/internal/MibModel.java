package org.certwatch.snmp.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;

/**
 * The rows behind CERTWATCH-MIB: CAs, certificates, computers and watched locations, loaded once from the
 * store, the fleet and the location registry and then kept current by their EventAdmin events. Requests read
 * {@link View}s.
 */
final class MibModel {
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");
    /** The warning window when no monitor is deployed (the monitor's default). */
    static final Duration DEFAULT_WARNING = Duration.ofDays(90);
    static final Duration DEFAULT_CRITICAL = Duration.ofDays(30);

    private final Sources sources;
    final LiveIndex<CaInfo> cas = new LiveIndex<>();
    final LiveIndex<CertificateInfo> certificates = new LiveIndex<>();
    final LiveIndex<Computer> computers = new LiveIndex<>();
    final LiveIndex<Location> locations = new LiveIndex<>();

    MibModel(Sources sources) {
        this.sources = sources;
    }

    Sources sources() {
        return sources;
    }

    /** Ids named by events while a reload runs: applied again after it, so the reload cannot undo them. */
    private final java.util.Set<String> touchedDuringReload = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean reloading;

    /** Reloads the store's rows (at start and whenever a store service binds). */
    void reloadStore() {
        touchedDuringReload.clear();
        reloading = true;
        try {
            loadStore();
        } finally {
            reloading = false;
        }
        for (String key : touchedDuringReload) {
            String[] kind = key.split(":", 2);
            if (kind[0].equals("ca")) {
                refreshCa(kind[1]);
            } else {
                refreshCertificate(kind[1]);
            }
        }
        touchedDuringReload.clear();
    }

    private void loadStore() {
        CertificateStore store = sources.store();
        if (store == null) {
            cas.replaceAll(Map.of());
            certificates.replaceAll(Map.of());
            return;
        }
        Map<Long, CaInfo> caRows = new HashMap<>();
        for (CaInfo ca : store.cas()) {
            caRows.put(ca.id(), ca);
        }
        Map<Long, CertificateInfo> certRows = new HashMap<>();
        for (CertificateInfo c : store.certificates(CertificateQuery.all())) {
            certRows.put(c.id(), c);
        }
        cas.replaceAll(caRows);
        certificates.replaceAll(certRows);
        LOG.fine(() -> "SNMP tables loaded: " + caRows.size() + " CAs, " + certRows.size() + " certificates");
    }

    void reloadComputers() {
        ComputerRegistry registry = sources.computers();
        Map<Long, Computer> rows = new HashMap<>();
        if (registry != null) {
            for (Computer c : registry.computers()) {
                rows.put(c.id(), c);
            }
        }
        computers.replaceAll(rows);
    }

    /** Reloads the locations (at start and whenever the registry comes or goes: empty without one). */
    void reloadLocations() {
        LocationRegistry registry = sources.locations();
        Map<Long, Location> rows = new HashMap<>();
        if (registry != null) {
            for (Location l : registry.locations(LocationQuery.all())) {
                rows.put(l.id(), l);
            }
        }
        locations.replaceAll(rows);
    }

    /** Applies one store, fleet or location event to the rows it names. */
    void handle(String topic, Map<String, Object> properties) {
        try {
            if (topic.startsWith(Topics.PREFIX + "certificate/")) {
                remember("cert", properties.get("certificate.id"));
                remember("cert", properties.get("predecessor.id"));
                refreshCertificate(properties.get("certificate.id"));
                refreshCertificate(properties.get("predecessor.id"));
            } else if (topic.startsWith(Topics.PREFIX + "ca/")) {
                remember("ca", properties.get("ca.id"));
                refreshCa(properties.get("ca.id"));
            } else if (topic.equals(Topics.COMPUTERS_REPLICATED)) {
                // a second's replications at once: their last replication and count columns
                if (properties.get("computer.ids") instanceof long[] ids) {
                    for (long id : ids) {
                        refreshComputer(id);
                    }
                }
            } else if (topic.startsWith(Topics.PREFIX + "computer/")) {
                refreshComputer(properties.get("computer.id"));
            } else if (topic.startsWith(Topics.PREFIX + "location/")) {
                refreshLocation(properties.get("location.id"));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "SNMP tables: cannot apply event " + topic, e);
        }
    }

    private void remember(String kind, Object id) {
        if (reloading && id != null) {
            touchedDuringReload.add(kind + ":" + id);
        }
    }

    private void refreshCertificate(Object id) {
        CertificateStore store = sources.store();
        Long value = asLong(id);
        if (store == null || value == null) {
            return;
        }
        store.certificate(value).ifPresentOrElse(c -> certificates.put(c.id(), c), () -> certificates.remove(value));
    }

    private void refreshCa(Object id) {
        CertificateStore store = sources.store();
        Long value = asLong(id);
        if (store == null || value == null) {
            return;
        }
        store.ca(value).ifPresentOrElse(c -> cas.put(c.id(), c), () -> cas.remove(value));
    }

    private void refreshComputer(Object id) {
        ComputerRegistry registry = sources.computers();
        Long value = asLong(id);
        if (registry == null || value == null) {
            return;
        }
        registry.computer(value).ifPresentOrElse(c -> computers.put(c.id(), c), () -> computers.remove(value));
    }

    private void refreshLocation(Object id) {
        LocationRegistry registry = sources.locations();
        Long value = asLong(id);
        if (registry == null || value == null) {
            return;
        }
        registry.location(value).ifPresentOrElse(l -> locations.put(l.id(), l), () -> locations.remove(value));
    }

    private static Long asLong(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** What one request sees: the rows as of now, limited to a group's subtree when {@code group} is set. */
    View view(String group) {
        LiveIndex.Snapshot<CaInfo> caRows = cas.snapshot();
        LiveIndex.Snapshot<CertificateInfo> certRows = certificates.snapshot();
        LiveIndex.Snapshot<Computer> computerRows = computers.snapshot();
        LiveIndex.Snapshot<Location> locationRows = locations.snapshot();
        if (group != null) {
            caRows = caRows.filter(group, ca -> GroupPaths.contains(group, ca.homeGroup()));
            certRows = certRows.filter(group, c -> GroupPaths.contains(group, c.homeGroup()));
            computerRows = computerRows.filter(group, c -> GroupPaths.contains(group, c.group()));
            locationRows = locationRows.filter(group, l -> GroupPaths.contains(group, l.ref().homeGroup()));
        }
        return new View(group, sources.clock().instant(), sources.monitor(), caRows, certRows, computerRows,
                locationRows, certificates.snapshot());
    }
}
