package org.certwatch.web.internal;

import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;

/**
 * Server administrators: ADMINISTRATION with home group {@code All}. What names paths on the server's disk or hosts
 * the server connects to (watched files, TLS endpoints, discovery ranges) is theirs alone.
 */
final class ServerAdministrators {
    private ServerAdministrators() {
    }

    static boolean includes(UserScope scope) {
        return scope.has(Permission.ADMINISTRATION) && Group.ROOT.equals(scope.homeGroup());
    }

    /** 403 (audited as {@code web.ACTION}) unless the caller is a server administrator; {@code what} names the area. */
    static void require(Actions actions, UserScope scope, String from, String action, String what) {
        if (!includes(scope)) {
            actions.audit(scope, "web." + action, "", "refused: not a server administrator", from);
            throw Problem.forbidden(what + " are for server administrators only (administration permission"
                    + " with home group " + Group.ROOT + ")").audited();
        }
    }
}
