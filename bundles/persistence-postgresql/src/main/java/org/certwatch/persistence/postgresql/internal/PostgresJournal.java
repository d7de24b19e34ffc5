package org.certwatch.persistence.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Subscription;

/**
 * A journal in {@code certwatch_journal}: an append locks the journal's row in {@code certwatch_journal_head},
 * so the appends of one journal are serialised and commit in position order — a follower that read every
 * position up to p can never miss a lower position committed later.
 */
final class PostgresJournal implements Journal {
    private static final int BATCH = 256;

    private final Database database;
    private final ChangeFeed feed;
    private final String name;

    PostgresJournal(Database database, ChangeFeed feed, String name) {
        this.database = database;
        this.feed = feed;
        this.name = name;
    }

    @Override
    public long append(List<byte[]> records) {
        return database.transaction("append to journal " + name, connection -> {
            long head = lockHead(connection);
            return write(connection, head, records);
        });
    }

    @Override
    public long appendAfter(long expectedHead, List<byte[]> records) throws ConflictException {
        long[] conflict = {-1};
        long head = database.transaction("append to journal " + name, connection -> {
            long current = lockHead(connection);
            if (current != expectedHead) {
                conflict[0] = current;
                return current; // nothing written; the commit only ends the transaction
            }
            return write(connection, current, records);
        });
        if (conflict[0] >= 0) {
            throw new ConflictException(conflict[0]);
        }
        return head;
    }

    /** Locks the journal's head row (created at 0 on first use) and answers its position. */
    private long lockHead(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("INSERT INTO certwatch_journal_head (name, head)"
                + " VALUES (?, 0) ON CONFLICT (name) DO UPDATE SET head = certwatch_journal_head.head RETURNING head")) {
            lock.setString(1, name);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private long write(Connection connection, long head, List<byte[]> records) throws SQLException {
        if (records.isEmpty()) {
            return head;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO certwatch_journal (name, position, record) VALUES (?, ?, ?)")) {
            long position = head;
            for (byte[] record : records) {
                insert.setString(1, name);
                insert.setLong(2, ++position);
                insert.setBytes(3, record);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        long last = head + records.size();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE certwatch_journal_head SET head = ? WHERE name = ?")) {
            update.setLong(1, last);
            update.setString(2, name);
            update.executeUpdate();
        }
        Database.notifyChange(connection, 'j', name);
        return last;
    }

    @Override
    public long read(long position, RecordSink sink) throws Exception {
        long head = head();
        long last = position;
        while (last < head) {
            List<Positioned> batch = batch(last, head);
            if (batch.isEmpty()) {
                break; // truncated meanwhile
            }
            for (Positioned record : batch) {
                sink.accept(record.position(), record.record());
                last = record.position();
            }
        }
        return last;
    }

    /** Up to {@link #BATCH} records after {@code after}, read in one short transaction; delivered outside it. */
    private List<Positioned> batch(long after, long head) {
        return database.transaction("read journal " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT position, record FROM certwatch_journal"
                    + " WHERE name = ? AND position > ? AND position <= ? ORDER BY position LIMIT " + BATCH)) {
                query.setString(1, name);
                query.setLong(2, after);
                query.setLong(3, head);
                List<Positioned> records = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        records.add(new Positioned(rows.getLong(1), rows.getBytes(2)));
                    }
                }
                return records;
            }
        });
    }

    @Override
    public long head() {
        return database.transaction("read the head of journal " + name, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT head FROM certwatch_journal_head WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void truncate(long position) {
        database.transaction("truncate journal " + name, connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM certwatch_journal WHERE name = ? AND position <= ?")) {
                delete.setString(1, name);
                delete.setLong(2, position);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public Subscription follow(long position, RecordSink sink) {
        long[] next = {position};
        // each record is passed once: the position moves past a record only after the sink took it
        return feed.subscribe("j:" + name, () -> read(next[0], (at, record) -> {
            sink.accept(at, record);
            next[0] = at;
        }));
    }

    private record Positioned(long position, byte[] record) {
    }
}
