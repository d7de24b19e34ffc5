package org.certwatch.fleet.internal.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.fleet.internal.state.FleetState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The static group tree: paths under {@code All}, each with a unique short name (its SNMPv3 context). */
@Component(service = {GroupDirectory.class, Groups.class})
public final class Groups implements GroupDirectory {
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
            Group group = new Group(p, shortName(p), description == null ? "" : description);
            state.groups.put(p, group);
            state.save();
            groupChanged(p, "CREATED");
            return group;
        });
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
