package org.certwatch.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Which backend keeps the state, chosen once at start (framework property {@code certwatch.backend}):
 * {@value #POSTGRESQL} when {@code $CERTWATCH_ETC/org.certwatch.persistence.postgresql.cfg} names a non-empty
 * {@code url}, else {@value #FILE}. A backend's own feature is in the deploy folder only while that backend is
 * chosen ({@link #withheldFeatures}), so the file default loads none of a database's bundles.
 */
record BackendSelection(String backend, String reason) {
    static final String FILE = "file";
    static final String POSTGRESQL = "postgresql";
    static final String POSTGRESQL_PID = "org.certwatch.persistence.postgresql";
    /** The release feature that belongs to each backend other than the file one. */
    private static final Map<String, String> FEATURES = Map.of(POSTGRESQL, "postgresql");

    static BackendSelection choose(Path etc) {
        Path cfg = etc.resolve(POSTGRESQL_PID + ".cfg");
        if (!Files.isRegularFile(cfg)) {
            return new BackendSelection(FILE, "no " + cfg.getFileName() + " in " + etc);
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new LauncherException("cannot read " + cfg + " to choose the backend: " + e.getMessage(), e);
        }
        String url = unquoted(properties.getProperty("url", ""));
        return url.isEmpty() ? new BackendSelection(FILE, cfg + " names no url")
                : new BackendSelection(POSTGRESQL, cfg + " names a url");
    }

    /** The release features of the backends not chosen. */
    Set<String> withheldFeatures() {
        return Set.copyOf(FEATURES.entrySet().stream().filter(e -> !e.getKey().equals(backend))
                .map(Map.Entry::getValue).toList());
    }

    /** FileInstall reads {@code url = "…"} as the text between the quotes. */
    private static String unquoted(String value) {
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }
}
