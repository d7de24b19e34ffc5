package org.certwatch.source.tls.internal.revocation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CRLs fetched over HTTP from distribution points, each checked (signed by the certificate's issuer, current) and
 * kept until its nextUpdate, so a thousand endpoints under one CA cost one download. A failure is kept for a few
 * minutes too: an unreachable distribution point must not cost every probe its timeout.
 */
final class CrlCache {
    /** A CRL without nextUpdate is fetched again after this long. */
    static final Duration WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    /** How long a failed download or a CRL that did not check out stands before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 256;

    private final Clock clock;
    private final Duration timeout;
    private final long maxBytes;
    /** Least recently used first; guarded by itself. */
    private final Map<URI, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<URI, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * @param clock what "current" and "until nextUpdate" are measured on
     * @param timeout for connecting, and for the whole download
     * @param maxBytes a larger CRL is refused unread
     */
    CrlCache(Clock clock, Duration timeout, long maxBytes) {
        this.clock = clock;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /**
     * The current CRL at {@code url}, signed by {@code issuer}.
     *
     * @throws IOException saying why there is none (download, size, signature, out of date)
     */
    X509CRL get(URI url, X509Certificate issuer) throws IOException {
        Instant now = clock.instant();
        Entry entry;
        synchronized (entries) {
            entry = entries.get(url);
        }
        if (entry == null || !now.isBefore(entry.until()) || entry.crl() != null
                && !entry.verifiedWith().equals(issuer.getPublicKey())) {
            entry = load(url, issuer, now);
            synchronized (entries) {
                entries.put(url, entry);
            }
        }
        if (entry.crl() == null) {
            throw new IOException(entry.failure());
        }
        return entry.crl();
    }

    private Entry load(URI url, X509Certificate issuer, Instant now) {
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(download(url)));
        } catch (IOException e) {
            return failed("CRL " + url + " could not be fetched: " + e.getMessage(), now);
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed("CRL " + url + " could not be read: " + e.getMessage(), now);
        }
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return failed("CRL " + url + " is issued by " + crl.getIssuerX500Principal().getName() + ", not by "
                    + issuer.getSubjectX500Principal().getName(), now);
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return failed("CRL " + url + " is not signed by its issuer's key (" + e.getMessage() + ")", now);
        }
        Instant next = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        if (next != null && !now.isBefore(next)) {
            return failed("CRL " + url + " is out of date (next update " + next + ")", now);
        }
        return new Entry(crl, issuer.getPublicKey(), null, next == null ? now.plus(WITHOUT_NEXT_UPDATE) : next);
    }

    private byte[] download(URI url) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        try {
            int millis = (int) Math.max(1, timeout.toMillis());
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + status);
            }
            if (connection.getContentLengthLong() > maxBytes) {
                throw new IOException("it has " + connection.getContentLengthLong() + " bytes, more than the "
                        + maxBytes + " allowed");
            }
            try (InputStream in = connection.getInputStream()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                byte[] buffer = new byte[16384];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    body.write(buffer, 0, n);
                    if (body.size() > maxBytes) {
                        throw new IOException("it has more than the " + maxBytes + " bytes allowed");
                    }
                    // a server trickling bytes keeps each read short of the read timeout, not the whole download
                    if (System.nanoTime() - deadline > 0) {
                        throw new IOException("the download took longer than " + timeout.toMillis() + " ms");
                    }
                }
                return body.toByteArray();
            }
        } finally {
            connection.disconnect();
        }
    }

    private static Entry failed(String why, Instant now) {
        return new Entry(null, null, why, now.plus(RETRY_AFTER));
    }

    /** A checked CRL, or why there is none, until the instant it is to be fetched again. */
    private record Entry(X509CRL crl, PublicKey verifiedWith, String failure, Instant until) {
    }
}
