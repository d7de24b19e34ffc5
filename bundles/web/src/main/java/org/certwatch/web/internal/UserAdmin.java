package org.certwatch.web.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateQuery;

/**
 * Users and groups for the pages and the API, on the fleet's {@link FleetAdministration}. An
 * administrator manages the users whose home group lies in their own and whose permissions they hold
 * themselves, and never grants a permission they lack; users elsewhere answer 404, as everything out of
 * scope does. Nobody changes their own home group, permissions or state, or deletes themselves
 * (another administrator can). Everyone changes their own password, giving the current one. The fleet
 * audits each change, its refusals included.
 */
final class UserAdmin {
    record UserBody(String name, String homeGroup, List<String> permissions, String password, Boolean enabled) {
    }

    record PasswordBody(String password) {
    }

    record OwnPasswordBody(String currentPassword, String newPassword) {
    }

    record GroupBody(String path, String description) {
    }

    /** A rename: the new last segment of the path, and the description (each left out: kept). */
    record GroupRenameBody(String name, String description) {
    }

    private final Services services;
    private final Actions actions;
    private final Logins logins;
    private final SessionChecks sessions;

    UserAdmin(Services services, Actions actions, Logins logins, SessionChecks sessions) {
        this.services = services;
        this.actions = actions;
        this.logins = logins;
        this.sessions = sessions;
    }

    private FleetAdministration fleet() {
        return services.administration().orElseThrow(() -> Problem.unavailable(
                "users and groups are not available: the fleet bundle is not running"));
    }

    void requireAdmin(UserScope scope, String action, String from) {
        if (!scope.has(Permission.ADMINISTRATION)) {
            actions.audit(scope, action, "", "refused: no ADMINISTRATION permission", from);
            throw Problem.forbidden("managing users and groups needs the ADMINISTRATION permission").audited();
        }
    }

    /** The users an administrator manages, or just the caller. */
    List<User> users(UserScope scope) {
        return services.users().map(d -> d.users()).orElse(List.of()).stream()
                .filter(u -> scope.has(Permission.ADMINISTRATION) ? scope.covers(u.homeGroup()) : u.name().equals(scope.user()))
                .toList();
    }

    User user(UserScope scope, String name) {
        return users(scope).stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow(() -> Problem.notFound("user '" + name + "'"));
    }

    User create(UserScope scope, UserBody body, String from) {
        requireAdmin(scope, "user.create", from);
        if (body.name() == null || body.name().isBlank()) {
            throw Problem.badRequest("field 'name' is required");
        }
        if (body.enabled() != null) {
            throw Problem.badRequest("field 'enabled' is for changes: a new user is enabled");
        }
        String group = actions.groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        Set<Permission> permissions = grantable(scope, body.permissions());
        char[] password = required(body.password(), "password");
        return FleetChanges.refusedAs400(() -> fleet().createUser(body.name().trim(), group, permissions, password, scope.user()));
    }

    User update(UserScope scope, String name, UserBody body, String from) {
        User target = managed(scope, name, from);
        if (body.name() != null && !body.name().equals(name)) {
            throw Problem.badRequest("a user's name cannot change: create another user");
        }
        if (body.password() != null) {
            throw Problem.badRequest("field 'password' is set by POST /api/v1/users/" + name + "/password");
        }
        if (name.equals(scope.user())) {
            throw Problem.badRequest("you cannot change your own home group, permissions or state: another administrator can");
        }
        String group = body.homeGroup() == null ? null : actions.groups.known(scope, body.homeGroup(), "field 'homeGroup'");
        Set<Permission> permissions = body.permissions() == null ? null : grantable(scope, body.permissions());
        User changed = FleetChanges.refusedAs400(
                () -> fleet().updateUser(target.name(), group, permissions, body.enabled(), scope.user()));
        sessions.recheck(target.name()); // a disabled user's sessions end now; narrowed ones apply at every request
        return changed;
    }

    void delete(UserScope scope, String name, String from) {
        managed(scope, name, from);
        if (name.equals(scope.user())) {
            throw Problem.badRequest("you cannot delete yourself: another administrator can");
        }
        FleetChanges.refusedAs400(() -> {
            fleet().deleteUser(name, scope.user());
            return name;
        });
        sessions.recheck(name);
    }

    void resetPassword(UserScope scope, String name, PasswordBody body, String from) {
        managed(scope, name, from);
        char[] password = required(body.password(), "password");
        FleetChanges.refusedAs400(() -> {
            fleet().setPassword(name, password, scope.user());
            return name;
        });
        // the user's sessions end (the admin's own too, when the admin resets their own password here)
        sessions.recheck(name);
    }

    /** The caller's own password; the current one is checked like a login (lockout, audit). */
    void changeOwnPassword(Exchange ex, OwnPasswordBody body) {
        char[] current = required(body.currentPassword(), "currentPassword");
        char[] next = required(body.newPassword(), "newPassword");
        if (logins.check(ex, ex.scope.user(), current).isEmpty()) {
            throw Problem.forbidden("the current password is wrong").audited();
        }
        // the session it is made in goes on, the user's other sessions end
        sessions.ownPasswordChange(ex.session, ex.scope.user(), () -> FleetChanges.refusedAs400(() -> {
            fleet().setPassword(ex.scope.user(), next, ex.scope.user());
            return "";
        }));
    }

    List<Group> groups(UserScope scope) {
        return services.groups().map(d -> d.groups()).orElse(List.of()).stream()
                .filter(g -> scope.covers(g.path())).toList();
    }

    Group group(UserScope scope, String shortName) {
        return groups(scope).stream().filter(g -> g.shortName().equals(shortName)).findFirst()
                .orElseThrow(() -> Problem.notFound("group '" + shortName + "'"));
    }

    Group createGroup(UserScope scope, GroupBody body, String from) {
        requireAdmin(scope, "group.create", from);
        if (body.path() == null || body.path().isBlank()) {
            throw Problem.badRequest("field 'path' is required, e.g. " + scope.homeGroup() + "/Lab");
        }
        String path = body.path().trim();
        int slash = path.lastIndexOf('/');
        // the parent must be one the caller may name; the group itself does not exist yet
        actions.groups.known(scope, slash < 0 ? path : path.substring(0, slash), "field 'path' (its parent)");
        return FleetChanges.refusedAs400(() -> fleet().createGroup(path, body.description() == null ? "" : body.description(), scope.user()));
    }

    /** Refused while the group is used: by the fleet (subgroups, users, computers, policies) and here by certificates and CAs. */
    void deleteGroup(UserScope scope, String shortName, String from) {
        requireAdmin(scope, "group.delete", from);
        Group g = group(scope, shortName);
        if (g.path().equals(scope.homeGroup())) {
            throw Problem.badRequest("you cannot delete your own home group");
        }
        if (services.store().cas().stream().anyMatch(c -> c.homeGroup().equals(g.path()))
                || !services.store().certificates(new CertificateQuery(null, null, g.path(), false, null, null, null)).isEmpty()) {
            throw new Problem(409, "group " + g.path() + " is still used by certificates or CAs: move or delete them first");
        }
        FleetChanges.refusedAs400(() -> {
            fleet().deleteGroup(g.path(), scope.user());
            return g;
        });
    }

    /**
     * Renames a group within its parent (its subgroups follow) and/or changes its description: by an administrator
     * over the parent, so nobody renames their own home group. The fleet's refusals: a name in use 409, anything
     * else about the body 422 (audited by the fleet once, with the old and the new path).
     */
    Group renameGroup(UserScope scope, String shortName, GroupRenameBody body, String from) {
        requireAdmin(scope, "group.rename", from);
        Group g = group(scope, shortName);
        if (g.parentPath() == null || g.path().equals(Group.LOST_AND_FOUND)) {
            throw new Problem(422, "the group " + g.path() + " cannot be renamed");
        }
        if (!scope.covers(g.parentPath())) {
            throw Problem.forbidden("renaming a group needs an administrator of its parent: you cannot rename your own home group");
        }
        String name = body.name() == null ? g.name() : body.name();
        try {
            return fleet().renameGroup(g.path(), name, body.description(), scope.user());
        } catch (FleetConflictException e) {
            throw new Problem(409, e.getMessage()).audited();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new Problem(422, m.startsWith("name:") ? "field 'name'" + m.substring(4) : m).audited();
        }
    }

    /** The target, when the caller administers it: in scope (else 404) and with no permission the caller lacks (else 403). */
    private User managed(UserScope scope, String name, String from) {
        requireAdmin(scope, "user.update", from);
        User target = user(scope, name);
        if (!scope.permissions().containsAll(target.permissions())) {
            throw Problem.forbidden("user " + name + " holds permissions you lack: only an administrator holding them manages this user");
        }
        return target;
    }

    private static Set<Permission> grantable(UserScope scope, List<String> names) {
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (String n : names == null ? List.<String>of() : names) {
            permissions.add(Actions.parse(Permission.class, n, "permissions"));
        }
        EnumSet<Permission> lacking = EnumSet.copyOf(permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : permissions);
        lacking.removeAll(scope.permissions());
        if (!lacking.isEmpty()) {
            throw Problem.forbidden("you cannot grant permissions you lack: " + lacking);
        }
        return permissions;
    }

    private static char[] required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw Problem.badRequest("field '" + field + "' is required");
        }
        return value.toCharArray();
    }
}
