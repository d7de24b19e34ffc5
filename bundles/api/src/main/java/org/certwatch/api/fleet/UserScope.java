package org.certwatch.api.fleet;

import java.util.EnumSet;
import java.util.Set;

/**
 * What one user may see and do: their home group and everything below it, with their permissions.
 * Everything outside the home group does not exist for them.
 */
public record UserScope(String user, String homeGroup, Set<Permission> permissions) {
    public UserScope {
        permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
    }

    /** The server itself: everything, every permission. */
    public static UserScope system() {
        return new UserScope("system", Group.ROOT, EnumSet.allOf(Permission.class));
    }

    public boolean covers(String group) {
        return GroupPaths.contains(homeGroup, group);
    }

    public boolean has(Permission permission) {
        return permissions.contains(permission);
    }

    /** Whether certificates of {@code group} are visible: in scope and read permission held. */
    public boolean seesCertificatesOf(String group) {
        return has(Permission.CERTIFICATES_READ) && covers(group);
    }

    public boolean seesComputersOf(String group) {
        return has(Permission.COMPUTERS_READ) && covers(group);
    }
}
