package org.certwatch.discovery.internal;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * One scan of a range: every address × port, paced to the configured rate, at most {@code threads} attempts at a
 * time on the owner's pool. Returns the TLS endpoints that answered, by host and port.
 */
final class Scan {
    /** A TLS server that answered. */
    record Found(String host, int port, String subject, Instant notAfter) {
    }

    private final TlsKnock knock;
    private final ExecutorService pool;
    private final Bounds bounds;

    Scan(TlsKnock knock, ExecutorService pool, Bounds bounds) {
        this.knock = knock;
        this.pool = pool;
        this.bounds = bounds;
    }

    /** Runs on the calling thread until done; an interrupt (the owner stopping) ends it early with what was found. */
    List<Found> run(AddressRange range, List<Integer> ports) throws InterruptedException {
        Semaphore slots = new Semaphore(bounds.threads());
        Pacer pacer = new Pacer(bounds.rate(), System::nanoTime);
        List<Found> found = new ArrayList<>();
        try {
            for (InetAddress address : range) {
                for (int port : ports) {
                    pacer.await();
                    slots.acquire();
                    try {
                        pool.execute(() -> {
                            try {
                                knock.knock(address, port).ifPresent(leaf -> add(found, address, port, leaf));
                            } finally {
                                slots.release();
                            }
                        });
                    } catch (RejectedExecutionException stopped) {
                        slots.release();
                        throw new InterruptedException("discovery stopped");
                    }
                }
            }
        } finally {
            slots.acquire(bounds.threads()); // the attempts under way end within their timeouts
        }
        synchronized (found) {
            found.sort(java.util.Comparator.comparing((Found f) -> f.host()).thenComparingInt(Found::port));
            return List.copyOf(found);
        }
    }

    private static void add(List<Found> found, InetAddress address, int port, X509Certificate leaf) {
        synchronized (found) {
            found.add(new Found(address.getHostAddress(), port, leaf.getSubjectX500Principal().getName(),
                    leaf.getNotAfter().toInstant()));
        }
    }
}
