package org.certwatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.commons.files.InitialCredentials;

/**
 * On the very first start, writes random values for the admin and SNMP credentials that have no
 * preset in the environment into {@code initial-credentials} (mode 0600). Later starts leave the file
 * alone: from then on credentials change only through the server's own settings (the admin password's
 * line leaves the file then). The key password is not here: {@link KeyPasswordFile}.
 */
final class FirstStartCredentials {
    static final String FILE = InitialCredentials.FILE;
    private static final String MARKER = ".initialized";
    static final List<String> NAMES = List.of(
            "CERTWATCH_ADMIN_PASSWORD",
            "CERTWATCH_SNMP_USER",
            "CERTWATCH_SNMP_AUTH_PASSWORD",
            "CERTWATCH_SNMP_PRIV_PASSWORD");
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private FirstStartCredentials() {
    }

    /** True until the first start has completed its set-up (the marker {@code .initialized}). */
    static boolean isFirstStart(Path dataFolder) {
        return !Files.exists(dataFolder.resolve(MARKER));
    }

    /** Returns the file written, or null when this is not the first start or every value is preset. */
    static Path writeIfFirstStart(Path dataFolder, Map<String, String> env, SecureRandom random) {
        Path file = dataFolder.resolve(FILE);
        Path marker = dataFolder.resolve(MARKER);
        if (Files.exists(marker)) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (String name : NAMES) {
            if (isPreset(env, name)) {
                continue;
            }
            String value = name.equals("CERTWATCH_SNMP_USER") ? "certwatch" : randomSecret(random, 24);
            lines.add(name + "=" + value);
        }
        try {
            if (!lines.isEmpty()) {
                Path temp = Files.createTempFile(dataFolder, FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(temp, lines, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.createFile(marker);
            } catch (FileAlreadyExistsException ignored) {
                // another process cannot hold the lock; a leftover marker means the same thing
            }
        } catch (IOException e) {
            throw new LauncherException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return lines.isEmpty() ? null : file;
    }

    private static boolean isPreset(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isEmpty();
    }

    static String randomSecret(SecureRandom random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
