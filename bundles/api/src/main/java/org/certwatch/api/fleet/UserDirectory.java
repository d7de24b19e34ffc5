package org.certwatch.api.fleet;

import java.util.List;
import java.util.Optional;

/** The users; passwords are stored as salted slow hashes only. */
public interface UserDirectory {
    /** The user when name and password match and the user is enabled; empty otherwise (no hint why). */
    Optional<User> authenticate(String name, char[] password);

    List<User> users();

    Optional<User> user(String name);

    /**
     * A value that changes whenever the user's password is set (to anything, the same one included);
     * empty when there is no such user. The web keeps it with a session to end the sessions opened
     * before a password change. The default never changes: a directory without it ends no session.
     */
    default Optional<String> passwordVersion(String name) {
        return user(name).map(u -> "");
    }

    /** Whether {@code admin} still has the password the first start generated (a first step left to do). */
    default boolean firstStartAdminPassword() {
        return false;
    }
}
