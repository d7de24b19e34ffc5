package org.certwatch.web.internal;

import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.UserScope;

/**
 * The groups a request names — a certificate's or CA's home group, a notification's owner group, the
 * certificate list's group filter — all checked one way: well formed (no {@code .} or {@code ..}),
 * inside the caller's home group, and existing. Anything else is an "unknown group", whether it exists
 * elsewhere or not, so names outside one's own home group cannot be probed.
 */
final class RequestedGroups {
    private final Services services;

    RequestedGroups(Services services) {
        this.services = services;
    }

    /** The group {@code where} names, or the caller's home group when it names none. */
    String orHome(UserScope scope, String requested, String where) {
        return requested == null || requested.isBlank() ? scope.homeGroup() : known(scope, requested, where);
    }

    /** The group {@code where} names; 400 unless the caller may name it. */
    String known(UserScope scope, String requested, String where) {
        String group = requested.trim();
        // without the fleet bundle no directory says which groups exist: the home group still bounds them
        boolean known = GroupPaths.isWellFormed(group) && scope.covers(group)
                && services.groups().map(directory -> directory.group(group).isPresent()).orElse(true);
        if (!known) {
            throw Problem.badRequest(where + ": unknown group '" + group + "'");
        }
        return group;
    }
}
