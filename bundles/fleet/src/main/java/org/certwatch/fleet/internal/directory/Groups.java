package org.certwatch.fleet.internal.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.api.fleet.Policy;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.TokenRecord;
import org.certwatch.fleet.internal.storage.UserRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The static group tree: paths under {@code All}, each with a unique short name (its SNMPv3 context), and
 * the record of its renames.
 */
@Component(service = {GroupDirectory.class, GroupRenames.class, Groups.class})
public final class Groups implements GroupDirectory, GroupRenames {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    private final FleetState state;

    @Activate
    public Groups(@Reference(name = "state") FleetState state) {
        this.state = state;
    }

    @Override
    public List<Group> groups() {
        try (FleetState.Held held = state.exclusive()) {
            return List.copyOf(state.groups.values());
        }
    }

    @Override
    public Optional<Group> group(String path) {
        try (FleetState.Held held = state.exclusive()) {
            return Optional.ofNullable(state.groups.get(path));
        }
    }

    @Override
    public Optional<Group> groupByShortName(String shortName) {
        try (FleetState.Held held = state.exclusive()) {
            return state.groups.values().stream().filter(g -> g.shortName().equals(shortName)).findFirst();
        }
    }

    public Group createGroup(String path, String description, String actor) {
        return state.change(actor, "group.create", "group:" + path, () -> {
            String p = path == null ? "" : path.trim();
            if (p.equals(Group.ROOT) || !GroupPaths.isWellFormed(p)) {
                throw new IllegalArgumentException("a group path starts with 'All/' and names each level, e.g. All/Berlin/Lab"
                        + " ('.' and '..' are not names, control characters and line breaks not part of one)");
            }
            if (state.groups.containsKey(p)) {
                throw new IllegalArgumentException("group " + p + " exists already");
            }
            Group candidate = new Group(p, "", "");
            if (!state.groups.containsKey(candidate.parentPath())) {
                throw new IllegalArgumentException("the parent group " + candidate.parentPath() + " does not exist");
            }
            requireSettled(List.of(p), state.renames);
            Group group = new Group(p, shortName(p), description == null ? "" : description);
            state.groups.put(p, group);
            state.save();
            groupChanged(p, "CREATED");
            return group;
        });
    }

    @Override
    public List<GroupRename> since(long number) {
        try (FleetState.Held held = state.exclusive()) {
            return state.renames.stream().filter(r -> r.number() > number).toList();
        }
    }

    @Override
    public long last() {
        try (FleetState.Held held = state.exclusive()) {
            return state.lastRename();
        }
    }

    /**
     * Renames a group and its subgroups within its parent, rewriting every path the fleet stores (groups with
     * new short names, users' home groups, policies, enrolment tokens) in the one directory write that also
     * records the rename; the computers' rows follow (a crash before them: the next load moves them). A
     * rename whose new path the earlier renames would move elsewhere is refused ({@link #requireSettled}).
     */
    public Group renameGroup(String path, String name, String description, String actor) {
        String newName = name == null ? "" : name.trim();
        String parent = path == null ? null : new Group(path, "", "").parentPath();
        String to = parent == null ? newName : parent + "/" + newName;
        return state.change(actor, "group.rename", "group:" + path + " -> " + to, () -> {
            if (path == null || !state.groups.containsKey(path)) {
                throw new IllegalArgumentException("there is no group " + path);
            }
            if (path.equals(Group.ROOT) || path.equals(Group.LOST_AND_FOUND)) {
                throw new IllegalArgumentException("the group " + path + " cannot be renamed");
            }
            if (newName.isEmpty() || newName.contains("/") || !GroupPaths.isWellFormed(to)) {
                throw new IllegalArgumentException("name: a group's name is one level of its path, without '/',"
                        + " and not '.' or '..'");
            }
            Group old = state.groups.get(path);
            if (to.equals(path)) {
                Group same = new Group(path, old.shortName(), description == null ? old.description() : description);
                state.groups.put(path, same);
                state.save();
                return same;
            }
            if (state.groups.containsKey(to)) {
                throw new FleetConflictException("group " + to + " exists already");
            }
            GroupRename rename = new GroupRename(state.lastRename() + 1, path, to, state.clock().instant());
            List<GroupRename> after = new ArrayList<>(state.renames);
            after.add(rename);
            requireSettled(state.groups.keySet().stream().filter(g -> GroupPaths.contains(path, g)).map(rename::apply).toList(),
                    after);
            rewriteDirectory(rename, description);
            state.renames.add(rename);
            state.save();
            List<String> users = moveUsersAndComputers(rename);
            state.renamed(rename);
            users.forEach(u -> state.post(Topics.USER_CHANGED, Map.of("user.name", u)));
            return state.groups.get(to);
        });
    }

    /**
     * Refuses paths that the recorded renames, applied in order, would move elsewhere. Every bundle storing group
     * paths may apply all renames again (at its start, after a crash, a second server): that is harmless exactly
     * while every existing group's path stays where the renames take it. So after Lab was renamed to Lab-2, a new
     * group Lab would receive what some bundle still holds under the old name, and is refused; renaming Lab-2
     * back to Lab is fine (the two renames take Lab to Lab).
     */
    private static void requireSettled(List<String> paths, List<GroupRename> renames) {
        for (String p : paths) {
            String moved = GroupRename.applyAll(renames, p);
            if (!moved.equals(p)) {
                throw new FleetConflictException("the path " + p + " was renamed earlier and now leads to " + moved
                        + ": what was stored under the old name follows that rename, so choose another name");
            }
        }
    }

    /** Groups (new short names from their new paths), policies and enrolment tokens; the caller holds the fleet lock. */
    private void rewriteDirectory(GroupRename rename, String description) {
        List<Group> moved = state.groups.values().stream().filter(g -> GroupPaths.contains(rename.from(), g.path())).toList();
        moved.forEach(g -> state.groups.remove(g.path()));
        for (Group g : moved) {
            String p = rename.apply(g.path());
            String d = g.path().equals(rename.from()) && description != null ? description : g.description();
            state.groups.put(p, new Group(p, shortName(p), d));
        }
        state.policies.replaceAll((id, p) -> new Policy(p.id(), rename.apply(p.group()), p.component(),
                p.certificateId(), p.issuingCaId(), p.trustedCaIds(), p.description(), p.createdAt()));
        state.tokens.replaceAll((id, t) -> new TokenRecord(t.id(), t.secretHash(), rename.apply(t.group()),
                t.expiresAt(), t.usesLeft()));
        state.users.replaceAll((n, u) -> new UserRecord(u.name(), rename.apply(u.homeGroup()), u.permissions(),
                u.enabled(), u.createdAt(), u.passwordHash()));
    }

    /**
     * The users whose home group moved (already rewritten), and the computers' rows, written in one group
     * commit. A failure to store them is not the rename's: the directory holds it, and the next load moves
     * the computers still in the old group. The caller holds the fleet lock.
     */
    private List<String> moveUsersAndComputers(GroupRename rename) {
        List<String> users = state.users.values().stream().filter(u -> GroupPaths.contains(rename.to(), u.homeGroup()))
                .map(UserRecord::name).toList();
        long ticket = -1;
        List<ComputerRecord> moved = new ArrayList<>();
        for (ComputerRecord c : state.computers.values()) {
            String p = rename.apply(c.group);
            if (!p.equals(c.group)) {
                c.group = p;
                ticket = state.changed(c);
                moved.add(c);
            }
        }
        try {
            if (ticket >= 0) {
                state.awaitStored(ticket);
            }
        } catch (RuntimeException e) {
            LOG.warning("group rename " + rename.number() + ": the computers' rows were not all written (" + e.getMessage()
                    + "); the next start moves those still in " + rename.from());
        }
        // the monitor and the MIB follow a computer's group
        moved.forEach(c -> state.post(Topics.COMPUTER_CHANGED, Map.of("computer.id", c.id, "certificate.id", c.certificateId)));
        return users;
    }

    /** A unique ASCII name of at most 32 octets (an SNMPv3 context name). */
    private String shortName(String path) {
        String base = path.substring(Group.ROOT.length() + 1).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (base.isEmpty()) {
            base = "group";
        }
        if (base.length() > 26) {
            base = base.substring(base.length() - 26);
        }
        String name = base;
        for (int i = 2; groupByShortName(name).isPresent(); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    /** Refused while the group has subgroups, users, computers or policies. */
    public void deleteGroup(String path, String actor) {
        state.change(actor, "group.delete", "group:" + path, () -> {
            if (!state.groups.containsKey(path)) {
                throw new IllegalArgumentException("there is no group " + path);
            }
            if (path.equals(Group.ROOT) || path.equals(Group.LOST_AND_FOUND)) {
                throw new IllegalArgumentException("the group " + path + " always exists");
            }
            List<String> blockers = new ArrayList<>();
            state.groups.keySet().stream().filter(g -> g.startsWith(path + "/")).findFirst()
                    .ifPresent(g -> blockers.add("subgroup " + g));
            state.users.values().stream().filter(u -> u.homeGroup().equals(path)).findFirst()
                    .ifPresent(u -> blockers.add("user " + u.name()));
            state.computers.values().stream().filter(c -> c.group.equals(path)).findFirst()
                    .ifPresent(c -> blockers.add("computer " + c.name));
            state.policies.values().stream().filter(p -> p.group().equals(path)).findFirst()
                    .ifPresent(p -> blockers.add("policy " + p.id()));
            if (!blockers.isEmpty()) {
                throw new IllegalArgumentException("group " + path + " is still used: " + String.join(", ", blockers));
            }
            state.groups.remove(path);
            state.save();
            groupChanged(path, "DELETED");
            return path;
        });
    }

    /** The one place group changes are announced (the SNMP agent adds and removes its contexts). */
    private void groupChanged(String path, String change) {
        state.post(Topics.GROUP_CHANGED, Map.of("group.path", path, "change", change));
    }
}
