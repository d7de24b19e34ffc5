package org.certwatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.certwatch.commons.files.DurableFiles;
import org.certwatch.commons.files.InitialCredentials;

/**
 * Keeps the key password outside the data folder, so a copy of the data folder never carries the
 * encrypted keys together with their password: in {@code $CERTWATCH_ETC/key-password} (0600), or the
 * file {@code CERTWATCH_KEY_PASSWORD_FILE} names. The first start generates it there; an installation
 * whose password is still in {@code initial-credentials} has it moved there (the store reads it from
 * the same place; {@code CERTWATCH_KEY_PASSWORD} in the environment overrides both).
 */
final class KeyPasswordFile {
    static final String ENV = "CERTWATCH_KEY_PASSWORD";
    static final String ENV_FILE = "CERTWATCH_KEY_PASSWORD_FILE";
    static final String DEFAULT_NAME = "key-password";

    private KeyPasswordFile() {
    }

    /** The file the password lives in, or empty when the environment holds it. */
    static Optional<Path> location(Map<String, String> env, Path etc, Path workingDirectory) {
        if (isSet(env, ENV)) {
            return Optional.empty();
        }
        return Optional.of(isSet(env, ENV_FILE) ? workingDirectory.resolve(env.get(ENV_FILE)).normalize()
                : etc.resolve(DEFAULT_NAME));
    }

    /**
     * Generates the password at the first start, or moves it out of {@code initial-credentials}; answers
     * what it did, for the log (never the value), or empty when there was nothing to do.
     */
    static Optional<String> prepare(Path file, Path data, boolean firstStart, SecureRandom random) {
        try {
            Optional<String> inCredentials = InitialCredentials.value(data, ENV);
            if (Files.exists(file)) {
                // a move cut short between writing the file and rewriting initial-credentials
                if (inCredentials.isPresent() && inCredentials.get().equals(firstLine(file))) {
                    InitialCredentials.remove(data, ENV);
                    return Optional.of("key password: the copy left in " + data.resolve(InitialCredentials.FILE)
                            + " removed (the password is in " + file + ")");
                }
                return Optional.empty();
            }
            if (inCredentials.isPresent()) {
                write(file, inCredentials.get());
                InitialCredentials.remove(data, ENV);
                return Optional.of("key password moved from " + data.resolve(InitialCredentials.FILE) + " to " + file
                        + " (mode 0600): keep it, and copy it with backups separately from the data folder");
            }
            if (firstStart) {
                write(file, FirstStartCredentials.randomSecret(random, 32));
                return Optional.of("first start: generated key password written to " + file + " (mode 0600)");
            }
            return Optional.empty(); // the store names what is missing
        } catch (IOException e) {
            throw new LauncherException("cannot prepare the key password file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String password) throws IOException {
        DurableFiles.write(file, (password + "\n").getBytes(StandardCharsets.UTF_8), true);
    }

    private static String firstLine(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isEmpty();
    }
}
