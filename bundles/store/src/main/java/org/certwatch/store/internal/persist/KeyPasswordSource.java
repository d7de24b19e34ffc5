package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the key password comes from, in order: {@code CERTWATCH_KEY_PASSWORD}; the file named by
 * {@code CERTWATCH_KEY_PASSWORD_FILE} (so it can live outside the data folder and its backups); the
 * {@code CERTWATCH_KEY_PASSWORD=} line of {@code $CERTWATCH_DATA/initial-credentials}, which the
 * launcher generates at first start.
 */
public record KeyPasswordSource(char[] password, String origin) {
    public static final String ENV = "CERTWATCH_KEY_PASSWORD";
    public static final String ENV_FILE = "CERTWATCH_KEY_PASSWORD_FILE";
    public static final String CREDENTIALS_FILE = "initial-credentials";

    public static KeyPasswordSource resolve(Map<String, String> env, Path dataFolder) throws IOException {
        String value = env.get(ENV);
        if (value != null && !value.isEmpty()) {
            return new KeyPasswordSource(value.toCharArray(), "environment variable " + ENV);
        }
        String fileName = env.get(ENV_FILE);
        if (fileName != null && !fileName.isEmpty()) {
            Path file = Path.of(fileName);
            if (!Files.isReadable(file)) {
                throw new IOException(ENV_FILE + " names " + file + ", which is not a readable file");
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            String password = content.lines().findFirst().orElse("").strip();
            if (password.isEmpty()) {
                throw new IOException("key password file " + file + " (" + ENV_FILE + ") is empty");
            }
            return new KeyPasswordSource(password.toCharArray(), "file " + file);
        }
        Path credentials = dataFolder.resolve(CREDENTIALS_FILE);
        if (Files.isReadable(credentials)) {
            List<String> lines = Files.readAllLines(credentials, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith(ENV + "=") && line.length() > ENV.length() + 1) {
                    return new KeyPasswordSource(line.substring(ENV.length() + 1).strip().toCharArray(),
                            credentials.toString());
                }
            }
        }
        throw new IOException("no key password: set " + ENV + ", or " + ENV_FILE + " to a file holding it, or"
                + " put a " + ENV + "= line into " + credentials);
    }
}
