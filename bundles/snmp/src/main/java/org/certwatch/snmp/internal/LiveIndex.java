package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Rows by id, kept up to date by events (one map update each) and read through immutable sorted
 * snapshots. A snapshot is rebuilt only when something changed since the last one, so a walk over
 * 100,000 rows costs one binary search per varbind, not a table rebuild per request.
 */
final class LiveIndex<T> {
    private final TreeMap<Long, T> rows = new TreeMap<>();
    private long version;
    private Snapshot<T> snapshot = new Snapshot<>(0, new long[0], List.of());

    synchronized void put(long id, T row) {
        rows.put(id, row);
        version++;
    }

    synchronized void remove(long id) {
        if (rows.remove(id) != null) {
            version++;
        }
    }

    synchronized void replaceAll(Map<Long, T> all) {
        rows.clear();
        rows.putAll(all);
        version++;
    }

    synchronized T get(long id) {
        return rows.get(id);
    }

    synchronized Snapshot<T> snapshot() {
        if (snapshot.version() != version) {
            long[] ids = new long[rows.size()];
            List<T> values = new ArrayList<>(rows.size());
            int i = 0;
            for (Map.Entry<Long, T> e : rows.entrySet()) {
                ids[i++] = e.getKey();
                values.add(e.getValue());
            }
            snapshot = new Snapshot<>(version, ids, values);
        }
        return snapshot;
    }

    /** An immutable, id-sorted view of the rows at one moment. */
    static final class Snapshot<T> {
        private final long version;
        private final long[] ids;
        private final List<T> rows;
        private final Map<String, Snapshot<T>> filtered = new ConcurrentHashMap<>();

        Snapshot(long version, long[] ids, List<T> rows) {
            this.version = version;
            this.ids = ids;
            this.rows = rows;
        }

        long version() {
            return version;
        }

        int size() {
            return ids.length;
        }

        long id(int position) {
            return ids[position];
        }

        T row(int position) {
            return rows.get(position);
        }

        List<T> rows() {
            return rows;
        }

        /** The row with this id, or null. */
        T byId(long id) {
            int p = Arrays.binarySearch(ids, id);
            return p >= 0 ? rows.get(p) : null;
        }

        /** Position of the first id {@code >= id} ({@code > id} unless inclusive); size() if none. */
        int ceiling(long id, boolean inclusive) {
            int p = Arrays.binarySearch(ids, id);
            if (p >= 0) {
                return inclusive ? p : p + 1;
            }
            return -p - 1;
        }

        /** The rows that pass {@code filter}, computed once per snapshot and key (a group context). */
        Snapshot<T> filter(String key, Predicate<T> filter) {
            return filtered.computeIfAbsent(key, k -> {
                long[] keep = new long[ids.length];
                List<T> values = new ArrayList<>();
                int n = 0;
                for (int i = 0; i < ids.length; i++) {
                    if (filter.test(rows.get(i))) {
                        keep[n++] = ids[i];
                        values.add(rows.get(i));
                    }
                }
                return new Snapshot<>(version, Arrays.copyOf(keep, n), values);
            });
        }
    }
}
