package org.certwatch.fleet.internal.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.commons.files.InitialCredentials;
import org.certwatch.fleet.internal.state.FleetConfiguration;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.UserRecord;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * Users, their passwords (PBKDF2, see {@link Passwords}) and the login. The first start creates
 * {@code admin} with every permission in {@code All} (immediate, so that happens at start); once its
 * password is changed, the first start's line leaves {@code initial-credentials}. A new iteration count
 * in the configuration applies to the next hash without a restart.
 */
@Component(service = {UserDirectory.class, Users.class}, immediate = true, configurationPid = "org.certwatch.fleet",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Users implements UserDirectory {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "CERTWATCH_ADMIN_PASSWORD";

    private final FleetState state;
    private final SecureRandom random = new SecureRandom();
    /** The folder of the launcher's {@code initial-credentials}; null where there is none (unit tests). */
    private final Path dataFolder;
    private volatile int passwordIterations;
    /** Until admin's password changes: set at start when it came from the generated credentials file. */
    private volatile boolean firstStartAdminPassword;

    @Activate
    public Users(@Reference(name = "state") FleetState state, FleetConfiguration config, BundleContext context) {
        this(state, config.password_iterations(), Path.of(context.getProperty(RuntimeProperties.DATA)));
    }

    public Users(FleetState state, int passwordIterations) {
        this(state, passwordIterations, null);
    }

    public Users(FleetState state, int passwordIterations, Path dataFolder) {
        this.state = state;
        this.passwordIterations = passwordIterations;
        this.dataFolder = dataFolder;
    }

    @Activate
    void start() throws IOException {
        createFirstAdmin(adminPassword(dataFolder));
        // a password from the environment was chosen by the admin; the generated one is still to change
        String env = System.getenv(ADMIN_PASSWORD);
        firstStartAdminPassword = (env == null || env.isEmpty()) && dataFolder != null
                && InitialCredentials.value(dataFolder, ADMIN_PASSWORD).isPresent();
    }

    @Override
    public boolean firstStartAdminPassword() {
        return firstStartAdminPassword;
    }

    /**
     * Creates {@code admin} with this password when there are no users yet (the first start), unless it is
     * null; once, however many servers sharing the storage start at the same moment.
     */
    public void createFirstAdmin(char[] adminPassword) {
        state.locked(() -> {
            if (state.users.isEmpty() && adminPassword != null) {
                state.users.put(ADMIN, new UserRecord(ADMIN, Group.ROOT, EnumSet.allOf(Permission.class), true,
                        state.clock().instant(), Passwords.hash(adminPassword, random, passwordIterations)));
                state.record("system", "user.create", "user:admin", "ok: first start, home group All, all permissions");
                state.save();
            }
            return null;
        });
    }

    @Modified
    void modified(FleetConfiguration config) {
        passwordIterations = config.password_iterations();
    }

    /** The first-start admin password: the environment, else the launcher's initial-credentials file. */
    static char[] adminPassword(Path data) throws IOException {
        String env = System.getenv(ADMIN_PASSWORD);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        return data == null ? null
                : InitialCredentials.value(data, ADMIN_PASSWORD).map(String::toCharArray).orElse(null);
    }

    /** A changed admin password makes the first start's one worthless: it leaves the file. */
    private void forgetInitialAdminPassword() {
        if (dataFolder == null) {
            return;
        }
        try {
            if (InitialCredentials.remove(dataFolder, ADMIN_PASSWORD)) {
                LOG.info("admin password changed: its first-start line left " + dataFolder.resolve(InitialCredentials.FILE));
            }
        } catch (IOException e) {
            LOG.warning("admin password changed, but its first-start line could not leave "
                    + dataFolder.resolve(InitialCredentials.FILE) + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<User> authenticate(String name, char[] password) {
        UserRecord user;
        try (FleetState.Held held = state.exclusive()) {
            user = state.users.get(name);
        }
        // the slow hash runs outside the lock, and also for unknown users, so timing tells nothing
        boolean ok = Passwords.verify(password, user != null ? user.passwordHash()
                : "pbkdf2-sha256$" + passwordIterations + "$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        boolean accepted = ok && user != null && user.enabled();
        // no audit entry here: a password check is not a login; the caller audits the login once, with its origin
        return accepted ? Optional.of(user.toUser()) : Optional.empty();
    }

    @Override
    public List<User> users() {
        try (FleetState.Held held = state.exclusive()) {
            return state.users.values().stream().map(UserRecord::toUser).toList();
        }
    }

    @Override
    public Optional<User> user(String name) {
        try (FleetState.Held held = state.exclusive()) {
            return Optional.ofNullable(state.users.get(name)).map(UserRecord::toUser);
        }
    }

    /**
     * A digest of the stored hash: every password set draws a new salt, so it changes with each one, and
     * it tells nothing about the password (a digest of a salted slow hash).
     */
    @Override
    public Optional<String> passwordVersion(String name) {
        String hash;
        try (FleetState.Held held = state.exclusive()) {
            UserRecord user = state.users.get(name);
            if (user == null) {
                return Optional.empty();
            }
            hash = user.passwordHash();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hash.getBytes(StandardCharsets.US_ASCII));
            return Optional.of(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    public User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password, String actor) {
        return state.change(actor, "user.create", "user:" + name, () -> {
            if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("a user name has 1 to 64 letters, digits or . _ @ -");
            }
            if (state.users.containsKey(name)) {
                throw new IllegalArgumentException("user " + name + " exists already");
            }
            state.requireGroup(homeGroup);
            UserRecord user = new UserRecord(name, homeGroup, permissions == null ? Set.of() : permissions, true,
                    state.clock().instant(), Passwords.hash(password, random, passwordIterations));
            state.users.put(name, user);
            state.save();
            return user.toUser();
        });
    }

    public User updateUser(String name, String homeGroup, Set<Permission> permissions, Boolean enabled, String actor) {
        return state.change(actor, "user.update", "user:" + name, () -> {
            UserRecord user = state.users.get(name);
            if (user == null) {
                throw new IllegalArgumentException("there is no user " + name);
            }
            if (homeGroup != null) {
                state.requireGroup(homeGroup);
            }
            UserRecord next = new UserRecord(name, homeGroup == null ? user.homeGroup() : homeGroup,
                    permissions == null ? user.permissions() : permissions,
                    enabled == null ? user.enabled() : enabled, user.createdAt(), user.passwordHash());
            state.users.put(name, next);
            state.save();
            // the web drops what it verified for the user: a disabled user's Basic credentials stop at once
            state.post(Topics.USER_CHANGED, Map.of("user.name", name));
            return next.toUser();
        });
    }

    public void setPassword(String name, char[] password, String actor) {
        state.change(actor, "user.password", "user:" + name, () -> {
            UserRecord user = state.users.get(name);
            if (user == null) {
                throw new IllegalArgumentException("there is no user " + name);
            }
            state.users.put(name, new UserRecord(user.name(), user.homeGroup(), user.permissions(), user.enabled(),
                    user.createdAt(), Passwords.hash(password, random, passwordIterations)));
            state.save();
            state.post(Topics.USER_CHANGED, Map.of("user.name", name));
            return name;
        });
        if (ADMIN.equals(name)) {
            firstStartAdminPassword = false;
            forgetInitialAdminPassword();
        }
    }

    public void deleteUser(String name, String actor) {
        state.change(actor, "user.delete", "user:" + name, () -> {
            if (state.users.remove(name) == null) {
                throw new IllegalArgumentException("there is no user " + name);
            }
            state.apiTokens.values().removeIf(t -> t.user().equals(name)); // a user's tokens go with them
            state.save();
            state.post(Topics.USER_CHANGED, Map.of("user.name", name));
            return name;
        });
    }
}
