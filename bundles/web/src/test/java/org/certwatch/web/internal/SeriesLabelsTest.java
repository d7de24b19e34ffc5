package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.testing.MemoryCertificateStore;
import org.junit.jupiter.api.Test;

class SeriesLabelsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final MemoryCertificateStore store = new MemoryCertificateStore(Clock.fixed(T0, ZoneOffset.UTC));
    final SeriesLabels labels = new SeriesLabels();

    @Test
    void labelsAreMadeOncePerVersionOfACertificate() {
        CertificateInfo c = store.add(0, Role.MONITORED, "shop.example.org", "All/Berlin", T0.plus(Duration.ofDays(20)));
        byte[] first = labels.of(c, labels.start());
        assertSame(first, labels.of(c, labels.start()), "the same certificate: the same bytes");
        assertEquals(Metrics.labels(c), new String(first, StandardCharsets.UTF_8));

        CertificateInfo moved = new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), c.subjectAltNames(),
                c.caId(), c.issuer(), c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(),
                c.keyAlgorithm(), c.keySize(), c.hasKey(), "All/Hamburg", c.description(), c.createdAt(), c.revokedAt(),
                c.revocationReason(), c.predecessorId(), c.successorId(), c.retiredAt());
        String now = new String(labels.of(moved, labels.start()), StandardCharsets.UTF_8);
        assertEquals(Metrics.labels(moved), now, "a changed certificate: its new labels");
    }

    @Test
    void aCertificateNoScrapeAsksForIsDroppedAfterAFewScrapes() {
        CertificateInfo kept = store.add(0, Role.MONITORED, "a.example.org", "All", T0.plus(Duration.ofDays(20)));
        CertificateInfo gone = store.add(0, Role.MONITORED, "b.example.org", "All", T0.plus(Duration.ofDays(20)));
        long scrape = labels.start();
        labels.of(kept, scrape);
        labels.of(gone, scrape);
        labels.finish(scrape);
        for (int i = 0; i < 2 * SeriesLabels.UNUSED_SCRAPES; i++) {
            scrape = labels.start();
            labels.of(kept, scrape);
            labels.finish(scrape);
        }
        assertEquals(1, labels.size());
    }
}
