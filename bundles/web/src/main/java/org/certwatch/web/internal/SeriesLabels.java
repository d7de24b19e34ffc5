package org.certwatch.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.OpenSslText;

/**
 * Each certificate's labels as the exposition writes them (UTF-8, without the closing brace, so
 * locations may follow), made once per version of the certificate and reused by every scrape: the
 * labels change only when the certificate does, while a scrape of 100,000 certificates would
 * otherwise parse two names and spell the serial twice for each, every time. Labels do not depend on
 * the scope, so one cache serves every user. An entry unused for {@link #UNUSED_SCRAPES} scrapes is
 * dropped (a certificate that was renewed, retired or deleted).
 */
final class SeriesLabels {
    static final int UNUSED_SCRAPES = 8;

    private static final class Entry {
        final CertificateInfo source;
        final byte[] labels;
        volatile long usedIn;

        Entry(CertificateInfo source, byte[] labels) {
            this.source = source;
            this.labels = labels;
        }
    }

    private final Map<Long, Entry> byId = new ConcurrentHashMap<>();
    private final AtomicLong scrapes = new AtomicLong();

    /** Starts a scrape; its number goes to {@link #of} and {@link #finish}. */
    long start() {
        return scrapes.incrementAndGet();
    }

    byte[] of(CertificateInfo c, long scrape) {
        Entry e = byId.get(c.id());
        // the store hands out the same record until the certificate changes: identity is the usual answer
        if (e == null || (e.source != c && !e.source.equals(c))) {
            e = new Entry(c, Metrics.labels(c).getBytes(StandardCharsets.UTF_8));
            byId.put(c.id(), e);
        }
        e.usedIn = scrape;
        return e.labels;
    }

    /**
     * Makes the certificate's labels ahead of a scrape (the warm-up, {@link MetricsWarmup}): kept as if the
     * latest scrape had used them, so the next scrape finds them and the unused ones still age out.
     */
    void prepare(CertificateInfo c) {
        of(c, scrapes.get());
    }

    void finish(long scrape) {
        if (scrape % UNUSED_SCRAPES == 0) {
            byId.values().removeIf(e -> e.usedIn <= scrape - UNUSED_SCRAPES);
        }
    }

    /** How many certificates' labels are kept (for tests). */
    int size() {
        return byId.size();
    }
}
