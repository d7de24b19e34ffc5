package org.certwatch.api.fleet;

import java.time.Instant;
import java.util.Set;

/** A user of the web page and the API; the password hash never leaves the fleet bundle. */
public record User(String name, String homeGroup, Set<Permission> permissions, boolean enabled, Instant createdAt) {
    public User {
        permissions = Set.copyOf(permissions);
    }

    public UserScope scope() {
        return new UserScope(name, homeGroup, permissions);
    }
}
