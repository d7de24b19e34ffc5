package org.certwatch.persistence.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Subscription;

/**
 * Documents in {@code certwatch_document}. A write locks the name's row in {@code certwatch_documents_head} and
 * stamps each key it changes with the next revision (a deletion leaves a tombstone, value NULL), so a watcher
 * reading the keys of revisions above the last it saw misses nothing; versions go on across a deletion, so a
 * {@link #putIfVersion} read before it never matches the key written again.
 */
final class PostgresDocuments implements Documents {
    private static final int BATCH = 256;

    private final Database database;
    private final ChangeFeed feed;
    private final String name;

    PostgresDocuments(Database database, ChangeFeed feed, String name) {
        this.database = database;
        this.feed = feed;
        this.name = name;
    }

    @Override
    public Optional<Document> get(String key) {
        return database.transaction("read " + key + " of " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT version, value FROM certwatch_document"
                    + " WHERE name = ? AND key = ? AND value IS NOT NULL")) {
                query.setString(1, name);
                query.setString(2, key);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(new Document(key, row.getLong(1), row.getBytes(2)))
                            : Optional.<Document>empty();
                }
            }
        });
    }

    @Override
    public void putAll(Map<String, byte[]> values) {
        if (values.isEmpty()) {
            return;
        }
        database.transaction("write " + values.size() + " keys of " + name, connection -> {
            long revision = nextRevision(connection);
            // key order: two servers writing overlapping keys lock the rows in the same order
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(values).entrySet()) {
                if (entry.getValue() == null) {
                    delete(connection, entry.getKey(), revision);
                } else {
                    upsert(connection, entry.getKey(), entry.getValue(), revision);
                }
            }
            Database.notifyChange(connection, 'd', name);
            return null;
        });
    }

    @Override
    public Optional<Long> putIfVersion(String key, long expectedVersion, byte[] value) {
        return database.transaction("write " + key + " of " + name, connection -> {
            long revision = nextRevision(connection);
            long current = 0;
            try (PreparedStatement query = connection.prepareStatement("SELECT version FROM certwatch_document"
                    + " WHERE name = ? AND key = ? AND value IS NOT NULL FOR UPDATE")) {
                query.setString(1, name);
                query.setString(2, key);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        current = row.getLong(1);
                    }
                }
            }
            if (current != expectedVersion) {
                connection.rollback(); // the revision taken is given back
                return Optional.<Long>empty();
            }
            long version = upsert(connection, key, value, revision);
            Database.notifyChange(connection, 'd', name);
            return Optional.of(version);
        });
    }

    @Override
    public void delete(String key) {
        Map<String, byte[]> removal = new HashMap<>();
        removal.put(key, null);
        putAll(removal);
    }

    @Override
    public void scan(DocumentSink sink) throws Exception {
        String after = null;
        while (true) {
            List<Document> batch = batch(after);
            for (Document document : batch) {
                sink.accept(document);
            }
            if (batch.size() < BATCH) {
                return;
            }
            after = batch.get(batch.size() - 1).key();
        }
    }

    private List<Document> batch(String after) {
        return database.transaction("read " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT key, version, value FROM certwatch_document"
                    + " WHERE name = ? AND value IS NOT NULL" + (after == null ? "" : " AND key > ?")
                    + " ORDER BY key LIMIT " + BATCH)) {
                query.setString(1, name);
                if (after != null) {
                    query.setString(2, after);
                }
                List<Document> documents = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        documents.add(new Document(rows.getString(1), rows.getLong(2), rows.getBytes(3)));
                    }
                }
                return documents;
            }
        });
    }

    @Override
    public Subscription watch(Consumer<Set<String>> changed) {
        long[] seen = {revision()};
        return feed.subscribe("d:" + name, () -> {
            Changes changes = changesAfter(seen[0]);
            if (!changes.keys().isEmpty()) {
                changed.accept(changes.keys());
            }
            seen[0] = changes.revision();
        });
    }

    private long revision() {
        return database.transaction("read the revision of " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT revision FROM certwatch_documents_head WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    private Changes changesAfter(long revision) {
        return database.transaction("read the changes of " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT key, revision FROM certwatch_document"
                    + " WHERE name = ? AND revision > ? ORDER BY revision")) {
                query.setString(1, name);
                query.setLong(2, revision);
                Set<String> keys = new LinkedHashSet<>();
                long last = revision;
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                        last = rows.getLong(2);
                    }
                }
                return new Changes(Set.copyOf(keys), last);
            }
        });
    }

    /** Locks the name's head row (created on first use) and answers the revision this write stamps. */
    private long nextRevision(Connection connection) throws SQLException {
        try (PreparedStatement next = connection.prepareStatement("INSERT INTO certwatch_documents_head (name, revision)"
                + " VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET revision = certwatch_documents_head.revision + 1"
                + " RETURNING revision")) {
            next.setString(1, name);
            try (ResultSet row = next.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long upsert(Connection connection, String key, byte[] value, long revision) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO certwatch_document"
                + " (name, key, version, revision, value) VALUES (?, ?, 1, ?, ?) ON CONFLICT (name, key) DO UPDATE"
                + " SET version = certwatch_document.version + 1, revision = EXCLUDED.revision, value = EXCLUDED.value"
                + " RETURNING version")) {
            upsert.setString(1, name);
            upsert.setString(2, key);
            upsert.setLong(3, revision);
            upsert.setBytes(4, value);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void delete(Connection connection, String key, long revision) throws SQLException {
        try (PreparedStatement tombstone = connection.prepareStatement("UPDATE certwatch_document"
                + " SET value = NULL, version = version + 1, revision = ? WHERE name = ? AND key = ? AND value IS NOT NULL")) {
            tombstone.setLong(1, revision);
            tombstone.setString(2, name);
            tombstone.setString(3, key);
            tombstone.executeUpdate();
        }
    }

    private record Changes(Set<String> keys, long revision) {
    }
}
