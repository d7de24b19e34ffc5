package org.certwatch.fleet.internal;

import java.time.Instant;
import java.util.Set;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;

/** A user with their password hash, which never leaves this bundle. */
record UserRecord(String name, String homeGroup, Set<Permission> permissions, boolean enabled, Instant createdAt,
        String passwordHash) {
    User toUser() {
        return new User(name, homeGroup, permissions, enabled, createdAt);
    }
}
