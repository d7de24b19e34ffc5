package org.certwatch.persistence.postgresql.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.logging.Logger;

/**
 * Brings the database's schema to this release's version. The migrations are the SQL files
 * {@code db/migration/V<n>__<description>.sql} in this bundle, listed in {@link #MIGRATIONS}; the versions applied
 * are rows of {@code certwatch_schema_version}. Everything happens in one transaction under a transaction-level
 * advisory lock, so servers starting at the same moment migrate once (the others wait, then find nothing to do),
 * and PostgreSQL's transactional DDL leaves no half-applied migration. A database whose schema is newer than
 * this release is refused: an older server must not write into tables it does not know.
 */
final class SchemaMigrations {
    private static final Logger LOG = Logger.getLogger("org.certwatch.persistence.postgresql");
    /** The advisory lock key space of certwatch ('CW'), beside the cross-server locks' own key. */
    static final int LOCK_SPACE = 0x4357;
    private static final int MIGRATION_LOCK = 1;
    static final List<String> MIGRATIONS = List.of("V1__journals_documents_lease.sql");

    private SchemaMigrations() {
    }

    /** The schema version this release writes. */
    static int codeVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Applies the missing migrations; answers the version now in place.
     *
     * @throws SchemaTooNewException if the database holds a newer schema than this release knows
     */
    static int migrate(Database database) {
        return database.transaction("check and migrate the schema", connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, LOCK_SPACE);
                lock.setInt(2, MIGRATION_LOCK);
                lock.execute();
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE TABLE IF NOT EXISTS certwatch_schema_version (version integer PRIMARY KEY,"
                        + " description text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now())");
            }
            int current = current(connection);
            if (current > codeVersion()) {
                throw new SchemaTooNewException(current, codeVersion());
            }
            for (int version = current + 1; version <= codeVersion(); version++) {
                apply(connection, version, MIGRATIONS.get(version - 1));
            }
            return codeVersion();
        });
    }

    private static int current(Connection connection) throws SQLException {
        try (Statement query = connection.createStatement();
                ResultSet row = query.executeQuery("SELECT coalesce(max(version), 0) FROM certwatch_schema_version")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void apply(Connection connection, int version, String file) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(script(file));
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO certwatch_schema_version (version, description) VALUES (?, ?)")) {
            record.setInt(1, version);
            record.setString(2, file.substring(file.indexOf("__") + 2, file.length() - ".sql".length()).replace('_', ' '));
            record.executeUpdate();
        }
        LOG.info("PostgreSQL schema migrated to version " + version + " (" + file + ")");
    }

    private static String script(String file) {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("/db/migration/" + file)) {
            if (in == null) {
                throw new IllegalStateException("migration " + file + " missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + file, e);
        }
    }

    /** The database's schema is newer than this release's: a newer certwatch migrated it. */
    static final class SchemaTooNewException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaTooNewException(int database, int code) {
            super("the database schema is version " + database + ", newer than this release's " + code
                    + ": run a certwatch release that knows it (servers sharing a database must run one release)");
        }
    }
}
