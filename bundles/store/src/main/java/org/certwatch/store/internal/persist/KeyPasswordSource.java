package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the key password comes from, in order: {@code CERTWATCH_KEY_PASSWORD}; the file named by
 * {@code CERTWATCH_KEY_PASSWORD_FILE}; else {@code key-password} in the configuration folder
 * ({@code CERTWATCH_ETC}), which the launcher writes at the first start (or fills from an older
 * installation's {@code initial-credentials}). Never the data folder: a copy of it must not carry the
 * encrypted keys together with their password.
 */
public record KeyPasswordSource(char[] password, String origin) {
    public static final String ENV = "CERTWATCH_KEY_PASSWORD";
    public static final String ENV_FILE = "CERTWATCH_KEY_PASSWORD_FILE";
    /** The launcher's default file in the configuration folder (its {@code KeyPasswordFile}). */
    public static final String DEFAULT_FILE = "key-password";

    public static KeyPasswordSource resolve(Map<String, String> env, Path etcFolder) throws IOException {
        String value = env.get(ENV);
        if (value != null && !value.isEmpty()) {
            return new KeyPasswordSource(value.toCharArray(), "environment variable " + ENV);
        }
        String fileName = env.get(ENV_FILE);
        if (fileName != null && !fileName.isEmpty()) {
            return fromFile(Path.of(fileName), ENV_FILE + " names ");
        }
        Path file = etcFolder.resolve(DEFAULT_FILE);
        if (!Files.exists(file)) {
            throw new IOException("no key password: " + file + " is missing; put the password there (mode 0600), or set "
                    + ENV_FILE + " to a file holding it, or " + ENV);
        }
        return fromFile(file, "");
    }

    private static KeyPasswordSource fromFile(Path file, String named) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException(named + file + ", which is not a readable file");
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        if (password.isEmpty()) {
            throw new IOException("key password file " + file + " is empty");
        }
        return new KeyPasswordSource(password.toCharArray(), "file " + file);
    }
}
