package org.certwatch.fleet.internal.storage;

import java.time.Instant;
import java.util.Set;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;

/** A user with their password hash, which never leaves this bundle. */
public record UserRecord(String name, String homeGroup, Set<Permission> permissions, boolean enabled, Instant createdAt,
        String passwordHash) {
    public User toUser() {
        return new User(name, homeGroup, permissions, enabled, createdAt);
    }
}
