package org.certwatch.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;

/**
 * A shared backend in memory for unit tests of the bundles' storage over {@link Persistence}: two
 * {@link #server views} of one instance act as two servers sharing it. Follow and watch calls run on
 * one thread the instance owns (stopped by {@link #close}); {@link #settle} waits until they ran.
 * {@link #setAvailable(boolean) false} makes every call throw {@link StorageUnavailableException}, as a
 * stopped database would.
 */
public final class MemoryPersistence implements AutoCloseable {
    private final Map<String, MemoryJournal> journals = new ConcurrentHashMap<>();
    private final Map<String, MemoryDocuments> documents = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(r -> new Thread(r, "memory-persistence"));
    private volatile boolean available = true;

    /** A view for one server with this id. */
    public Persistence server(String serverId) {
        return new Persistence() {
            @Override
            public String backend() {
                return "memory";
            }

            @Override
            public String serverId() {
                return serverId;
            }

            @Override
            public Journal journal(String name) {
                check();
                return journals.computeIfAbsent(name, n -> new MemoryJournal());
            }

            @Override
            public Documents documents(String name) {
                check();
                return documents.computeIfAbsent(name, n -> new MemoryDocuments());
            }

            @Override
            public <T> T exclusively(String lockName, Callable<T> work) throws Exception {
                check();
                ReentrantLock lock = locks.computeIfAbsent(lockName, n -> new ReentrantLock());
                lock.lock();
                try {
                    return work.call();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    /** Waits until every follow and watch call caused so far has run. */
    public void settle() throws Exception {
        notifier.submit(() -> null).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        notifier.shutdownNow();
        notifier.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void check() {
        if (!available) {
            throw new StorageUnavailableException("the memory backend is switched off", null);
        }
    }

    private final class MemoryJournal implements Journal {
        private final TreeMap<Long, byte[]> records = new TreeMap<>();
        private final List<Follower> followers = new CopyOnWriteArrayList<>();
        private long head;

        @Override
        public synchronized long append(List<byte[]> appended) {
            check();
            for (byte[] record : appended) {
                records.put(++head, record.clone());
            }
            followers.forEach(f -> notifier.execute(f::deliver));
            return head;
        }

        @Override
        public synchronized long appendAfter(long expectedHead, List<byte[]> appended) throws ConflictException {
            check();
            if (head != expectedHead) {
                throw new ConflictException(head);
            }
            return append(appended);
        }

        @Override
        public long read(long position, RecordSink sink) throws Exception {
            check();
            Map<Long, byte[]> copy;
            synchronized (this) {
                copy = new TreeMap<>(records.tailMap(position, false));
            }
            long last = position;
            for (Map.Entry<Long, byte[]> record : copy.entrySet()) {
                sink.accept(record.getKey(), record.getValue().clone());
                last = record.getKey();
            }
            return last;
        }

        @Override
        public synchronized long head() {
            check();
            return head;
        }

        @Override
        public synchronized void truncate(long position) {
            check();
            records.headMap(position, true).clear();
        }

        @Override
        public Subscription follow(long position, RecordSink sink) {
            Follower follower = new Follower(position, sink);
            followers.add(follower);
            notifier.execute(follower::deliver);
            return () -> followers.remove(follower);
        }

        private final class Follower {
            private final RecordSink sink;
            private long position;

            Follower(long position, RecordSink sink) {
                this.position = position;
                this.sink = sink;
            }

            void deliver() {
                if (!followers.contains(this)) {
                    return;
                }
                try {
                    // past each record the sink took, so a failing sink gets the failed one again, never one twice
                    read(position, (at, record) -> {
                        sink.accept(at, record);
                        position = at;
                    });
                } catch (Exception e) {
                    // as a shared backend does: the next delivery starts again from where it was
                }
            }
        }
    }

    private final class MemoryDocuments implements Documents {
        private final TreeMap<String, Document> values = new TreeMap<>();
        private final List<Consumer<Set<String>>> watchers = new CopyOnWriteArrayList<>();

        @Override
        public synchronized Optional<Document> get(String key) {
            check();
            return Optional.ofNullable(values.get(key)).map(d -> new Document(d.key(), d.version(), d.value().clone()));
        }

        @Override
        public void putAll(Map<String, byte[]> changes) {
            check();
            synchronized (this) {
                Map<String, byte[]> ordered = new HashMap<>(changes);
                ordered.forEach((key, value) -> {
                    if (value == null) {
                        values.remove(key);
                    } else {
                        long version = values.containsKey(key) ? values.get(key).version() + 1 : 1;
                        values.put(key, new Document(key, version, value.clone()));
                    }
                });
            }
            announce(Set.copyOf(changes.keySet()));
        }

        @Override
        public Optional<Long> putIfVersion(String key, long expectedVersion, byte[] value) {
            check();
            long version;
            synchronized (this) {
                Document current = values.get(key);
                long now = current == null ? 0 : current.version();
                if (now != expectedVersion) {
                    return Optional.empty();
                }
                version = now + 1;
                values.put(key, new Document(key, version, value.clone()));
            }
            announce(Set.of(key));
            return Optional.of(version);
        }

        @Override
        public void delete(String key) {
            Map<String, byte[]> removal = new HashMap<>();
            removal.put(key, null);
            putAll(removal);
        }

        @Override
        public void scan(DocumentSink sink) throws Exception {
            check();
            List<Document> copy;
            synchronized (this) {
                copy = new ArrayList<>(values.values());
            }
            for (Document document : copy) {
                sink.accept(new Document(document.key(), document.version(), document.value().clone()));
            }
        }

        @Override
        public Subscription watch(Consumer<Set<String>> changed) {
            watchers.add(changed);
            return () -> watchers.remove(changed);
        }

        private void announce(Set<String> keys) {
            for (Consumer<Set<String>> watcher : watchers) {
                notifier.execute(() -> {
                    if (watchers.contains(watcher)) {
                        watcher.accept(keys);
                    }
                });
            }
        }
    }
}
