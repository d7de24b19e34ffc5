package org.certwatch.persistence.postgresql.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.SharedBackendConnector;

/**
 * The database of {@code etc/org.certwatch.persistence.postgresql.cfg} opened by {@code certwatch migrate} outside
 * a server (found through {@link java.util.ServiceLoader}): the same pool, schema migrations and
 * {@link PostgresPersistence} a server uses, without its lease and listener. A copy writes thousands of rows per
 * statement, so its statement timeout is a minute rather than the server's few seconds.
 */
public final class MigrationConnector implements SharedBackendConnector {
    private static final String CFG = PostgresBackendComponent.PID + ".cfg";

    @Override
    public String backend() {
        return PostgresPersistence.BACKEND;
    }

    @Override
    public Connection open(Path etc) throws IOException {
        Path cfg = etc.resolve(CFG);
        if (!Files.isRegularFile(cfg)) {
            throw new IOException("there is no " + cfg + ": write url = jdbc:postgresql://HOST:PORT/DATABASE and user"
                    + " there (and the password into " + etc.resolve("postgresql-password") + ") first");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IOException("cannot read " + cfg + ", which names the database: " + e.getMessage(), e);
        }
        String url = value(properties, "url", "");
        if (url.isEmpty()) {
            throw new IOException(cfg + " names no url: set url = jdbc:postgresql://HOST:PORT/DATABASE first");
        }
        Path passwordFile = etc.resolve(value(properties, "password.file", "postgresql-password"));
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
        } catch (IOException e) {
            throw new IOException("cannot read the database password from " + passwordFile + " (password.file): " + e, e);
        }
        BackendSettings settings = new BackendSettings(url, value(properties, "user", "certwatch"), password, 2,
                Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(1));
        String id = "migrate-" + ProcessHandle.current().pid();
        Database database = new Database(settings, id);
        try {
            SchemaMigrations.migrate(database);
            return new Opened(database, new ChangeFeed(database, settings.poll()), id);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A value as FileInstall reads it: quotes and a type prefix ({@code I"5"}) taken off. */
    private static String value(Properties properties, String key, String otherwise) {
        String v = properties.getProperty(key, otherwise).strip();
        if (v.length() >= 3 && Character.isLetter(v.charAt(0)) && v.charAt(1) == '"' && v.endsWith("\"")) {
            v = v.substring(1);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    private record Opened(Database database, ChangeFeed feed, String id) implements Connection {
        @Override
        public Persistence persistence() {
            return new PostgresPersistence(database, feed, id);
        }

        @Override
        public String where() {
            return "PostgreSQL " + database.settings().where();
        }

        @Override
        public boolean empty() {
            return database.transaction("check whether the database is empty", c -> {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                        "SELECT NOT EXISTS (SELECT 1 FROM certwatch_journal)"
                                + " AND NOT EXISTS (SELECT 1 FROM certwatch_document WHERE value IS NOT NULL)")) {
                    r.next();
                    return r.getBoolean(1);
                }
            });
        }

        @Override
        public String runningServer() {
            return database.transaction("read the leader lease", c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT holder FROM certwatch_lease WHERE expires_at > now()"); ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            });
        }

        /** Positions and versions start again from 1: no server follows the database while this runs. */
        @Override
        public void wipe() {
            database.transaction("empty the database", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("TRUNCATE certwatch_journal, certwatch_journal_head, certwatch_document,"
                            + " certwatch_documents_head, certwatch_lease");
                }
                return null;
            });
        }

        @Override
        public void close() {
            feed.close();
            database.close();
        }
    }
}
