package org.certwatch.monitor.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationException;
import org.certwatch.api.notify.NotificationScope;

/**
 * The notification definitions, saved through {@link MonitorStorage} on every change. The first open
 * creates the two predefined, enabled notifications. A change runs alone among the servers sharing a
 * backend and starts from what the others saved (ids are allocated once).
 */
final class NotificationBook {
    static final String SERVER_ID = "server-certificate";
    static final String CA_ID = "certification-authority";
    static final List<Integer> DEFAULT_THRESHOLDS = List.of(90, 30, 14, 7, 1);
    /** A pragmatic RFC 5321 mailbox: local@domain, no display names, no spaces, no quoting. */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final MonitorStorage storage;
    private final LinkedHashMap<String, NotificationDefinition> definitions = new LinkedHashMap<>();
    private long nextId = 1;

    private NotificationBook(MonitorStorage storage) {
        this.storage = storage;
    }

    static NotificationBook open(MonitorStorage storage) throws IOException {
        NotificationBook book = new NotificationBook(storage);
        Optional<Map<String, Object>> saved = storage.readDefinitions();
        if (saved.isPresent()) {
            book.read(saved.get());
        } else {
            // servers starting together on an empty backend: the first creates the predefined ones, the others
            // read them; an unlocked write would be refused as a conflict and fail the monitor's activation
            storage.exclusively(book::predefineUnlessSaved);
        }
        return book;
    }

    private synchronized NotificationBook predefineUnlessSaved() {
        if (refresh()) {
            return this;
        }
        definitions.put(SERVER_ID, new NotificationDefinition(SERVER_ID, "server certificate expiring",
                NotificationScope.SERVER_CERTIFICATE, null, DEFAULT_THRESHOLDS, List.of(), false, Group.ROOT,
                true, true));
        definitions.put(CA_ID, new NotificationDefinition(CA_ID, "certification authority expiring",
                NotificationScope.CAS, null, DEFAULT_THRESHOLDS, List.of(), false, Group.ROOT, true, true));
        save();
        return this;
    }

    synchronized List<NotificationDefinition> all() {
        return List.copyOf(definitions.values());
    }

    synchronized Optional<NotificationDefinition> get(String id) {
        return Optional.ofNullable(definitions.get(id));
    }

    /** Takes what another server saved; true if anything changed. */
    synchronized boolean refresh() {
        Optional<Map<String, Object>> saved = storage.changedDefinitions();
        saved.ifPresent(this::read);
        return saved.isPresent();
    }

    NotificationDefinition create(NotificationDefinition d) {
        return storage.exclusively(() -> createAlone(d));
    }

    private synchronized NotificationDefinition createAlone(NotificationDefinition d) {
        refresh();
        NotificationDefinition saved = validate(d.withId("n" + nextId), false);
        definitions.put(saved.id(), saved);
        nextId++;
        saveOrRollback(() -> definitions.remove(saved.id()));
        return saved;
    }

    NotificationDefinition update(NotificationDefinition d) {
        return storage.exclusively(() -> updateAlone(d));
    }

    private synchronized NotificationDefinition updateAlone(NotificationDefinition d) {
        refresh();
        NotificationDefinition old = definitions.get(d.id());
        if (old == null) {
            throw new NotificationException("no notification " + d.id());
        }
        NotificationDefinition saved = validate(d, old.predefined());
        definitions.put(saved.id(), saved);
        saveOrRollback(() -> definitions.put(old.id(), old));
        return saved;
    }

    void delete(String id) {
        storage.exclusively(() -> {
            deleteAlone(id);
            return null;
        });
    }

    private synchronized void deleteAlone(String id) {
        refresh();
        NotificationDefinition old = definitions.get(id);
        if (old == null) {
            throw new NotificationException("no notification " + id);
        }
        if (old.predefined()) {
            throw new NotificationException("notification " + id + " is predefined: disable it instead of deleting it");
        }
        definitions.remove(id);
        saveOrRollback(() -> definitions.put(id, old));
    }

    /**
     * Moves the owner groups of renamed groups (one durable write, alone among the servers); true when any moved.
     * All renames each time: applying them again moves nothing (the fleet refuses a group at a path they move).
     */
    boolean followRenames(List<GroupRename> renames) {
        return storage.exclusively(() -> followAlone(renames));
    }

    private synchronized boolean followAlone(List<GroupRename> renames) {
        refresh();
        LinkedHashMap<String, NotificationDefinition> before = new LinkedHashMap<>(definitions);
        boolean moved = false;
        for (NotificationDefinition d : before.values()) {
            String owner = GroupRename.applyAll(renames, d.ownerGroup());
            if (owner != null && !owner.equals(d.ownerGroup())) {
                definitions.put(d.id(), new NotificationDefinition(d.id(), d.name(), d.scope(), d.role(), d.thresholds(),
                        d.emailRecipients(), d.snmp(), owner, d.enabled(), d.predefined()));
                moved = true;
            }
        }
        if (moved) {
            saveOrRollback(() -> {
                definitions.clear();
                definitions.putAll(before);
            });
        }
        return moved;
    }

    /** Checks a definition and returns it normalised (thresholds sorted descending, addresses trimmed). */
    static NotificationDefinition validate(NotificationDefinition d, boolean predefined) {
        if (d.name() == null || d.name().isBlank() || d.name().length() > 200) {
            throw new NotificationException("name: required, at most 200 characters");
        }
        if (d.scope() == null) {
            throw new NotificationException("scope: required (" + List.of(NotificationScope.values()) + ")");
        }
        if (d.role() != null && d.scope() != NotificationScope.PEER_CERTIFICATES) {
            throw new NotificationException("role: only for scope PEER_CERTIFICATES");
        }
        TreeSet<Integer> thresholds = new TreeSet<>((a, b) -> Integer.compare(b, a));
        for (Integer t : d.thresholds()) {
            if (t == null || t < 1 || t > 3650) {
                throw new NotificationException("thresholds: each must be 1..3650 days, got " + t);
            }
            thresholds.add(t);
        }
        // computers and locations notify on a change of state: thresholds are optional there (and unused)
        boolean byDays = d.scope() != NotificationScope.COMPUTERS && d.scope() != NotificationScope.LOCATIONS;
        if (thresholds.isEmpty() && byDays) {
            throw new NotificationException("thresholds: at least one, e.g. 90, 30, 7, 1");
        }
        List<String> recipients = new ArrayList<>();
        for (String a : d.emailRecipients()) {
            String address = a == null ? "" : a.trim();
            if (address.length() > 254 || !ADDRESS.matcher(address).matches()) {
                throw new NotificationException("emailRecipients: invalid address \"" + a + "\"");
            }
            if (!recipients.contains(address)) {
                recipients.add(address);
            }
        }
        String owner = d.ownerGroup() == null ? "" : d.ownerGroup().trim();
        if (!GroupPaths.isWellFormed(owner)) {
            throw new NotificationException("ownerGroup: a group path under " + Group.ROOT + ", got \"" + owner + "\"");
        }
        return new NotificationDefinition(d.id(), d.name().trim(), d.scope(), d.role(), List.copyOf(thresholds),
                recipients, d.snmp(), owner, d.enabled(), predefined);
    }

    private void saveOrRollback(Runnable rollback) {
        try {
            save();
        } catch (RuntimeException e) {
            // not written (disk full, database away, another server's write): memory keeps what is saved
            rollback.run();
            throw e;
        }
    }

    private void save() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (NotificationDefinition d : definitions.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("name", d.name());
            m.put("scope", d.scope().name());
            m.put("role", d.role() == null ? null : d.role().name());
            m.put("thresholds", d.thresholds());
            m.put("emailRecipients", d.emailRecipients());
            m.put("snmp", d.snmp());
            m.put("ownerGroup", d.ownerGroup());
            m.put("enabled", d.enabled());
            m.put("predefined", d.predefined());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("nextId", nextId);
        root.put("notifications", list);
        storage.writeDefinitions(root);
    }

    @SuppressWarnings("unchecked")
    private void read(Map<String, Object> root) {
        definitions.clear();
        nextId = ((Number) root.getOrDefault("nextId", 1)).longValue();
        for (Map<String, Object> m : (List<Map<String, Object>>) root.getOrDefault("notifications", List.of())) {
            List<Integer> thresholds = new ArrayList<>();
            for (Object o : (List<Object>) m.getOrDefault("thresholds", List.of())) {
                thresholds.add(((Number) o).intValue());
            }
            String role = (String) m.get("role");
            NotificationDefinition d = new NotificationDefinition((String) m.get("id"), (String) m.get("name"),
                    NotificationScope.valueOf((String) m.get("scope")), role == null ? null : Role.valueOf(role),
                    thresholds, (List<String>) m.getOrDefault("emailRecipients", List.of()),
                    Boolean.TRUE.equals(m.get("snmp")), (String) m.get("ownerGroup"),
                    Boolean.TRUE.equals(m.get("enabled")), Boolean.TRUE.equals(m.get("predefined")));
            definitions.put(d.id(), d);
        }
    }
}
