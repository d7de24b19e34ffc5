package org.certwatch.store.internal.core;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.StoreBackend;

/**
 * The store's open/closed state and its lock: changes run under the shared lock, so many run at
 * once; a CA deletion, a rekey and the close take it exclusively, so none of them sees a change
 * half-made. Changes also run {@link StoreBackend#exclusively exclusively on the backend}: on a shared
 * one, that orders them with the other servers' changes.
 */
final class Lifecycle {
    /** Work that may throw the checked exception {@code E}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final StoreBackend backend;
    private boolean closed;

    Lifecycle(StoreBackend backend) {
        this.backend = backend;
    }

    /** Runs under the shared lock, whether or not the store is open. */
    <T, E extends Exception> T shared(Work<T, E> work) throws E {
        lock.readLock().lock();
        try {
            return work.run();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs a change under the shared lock; refuses when the store is closed. */
    <T, E extends Exception> T whileOpen(Work<T, E> work) throws E {
        return shared(() -> {
            ensureOpen();
            return backend.exclusively(work::run);
        });
    }

    /** Runs under the exclusive lock; refuses when the store is closed. */
    <T, E extends Exception> T exclusive(Work<T, E> work) throws E {
        lock.writeLock().lock();
        try {
            ensureOpen();
            return backend.exclusively(work::run);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Under the shared lock: false once the store is closed (then nothing more is done). */
    boolean isClosed() {
        return closed;
    }

    /** Marks the store closed and runs {@code closing} exclusively, once; false if it was closed already. */
    <E extends Exception> boolean close(Work<Void, E> closing) throws E {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            closing.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** After a failed open: closed, without the exclusive work of a clean close. */
    void markClosed() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new CertificateStoreException("the certificate store is closed");
        }
    }
}
