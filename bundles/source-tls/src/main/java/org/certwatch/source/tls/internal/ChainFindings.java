package org.certwatch.source.tls.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Finding;

/**
 * The findings of kept endpoints' chains. The stable part (trust, host name, keys, signatures) is kept per endpoint
 * with the SHA-256 of the chain it was found for, and the endpoint's anchors with the anchors and extra CA they were
 * made of: a check that sees the same chain, name and anchors again only adds the validity findings of its instant.
 * A changed chain, name, extra CA or set of certwatch's CAs is judged afresh. One entry per endpoint (the digest,
 * references and the stable findings' texts); thread-safe.
 */
final class ChainFindings {
    /** The chain and anchors an endpoint's stable findings were found for. */
    private record Known(byte[] digest, String name, TrustAnchors base, String extraCaPem, TrustAnchors trusted,
            FindingsEvaluator.Stable stable) {
    }

    /** The findings of one check and the anchors they were judged against (the revocation check needs them). */
    record Judged(TrustAnchors trusted, List<Finding> findings) {
    }

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    /**
     * @param chain as presented, leaf first; {@code der} its encodings
     * @param base certwatch's anchors (the JDK's and the store's CAs): a new instance when they changed
     */
    Judged judge(Endpoint e, List<X509Certificate> chain, List<byte[]> der, TrustAnchors base, Instant at,
            Duration warning) {
        Known last = known.get(e.id());
        TrustAnchors trusted = last != null && last.base() == base && last.extraCaPem().equals(e.extraCaPem())
                ? last.trusted() : withExtraCa(base, e);
        String name = TlsProber.expectedName(e);
        byte[] digest = digest(der);
        FindingsEvaluator.Stable stable = last != null && last.trusted() == trusted && last.name().equals(name)
                && Arrays.equals(last.digest(), digest) ? last.stable() : FindingsEvaluator.stable(chain, name, trusted);
        known.put(e.id(), new Known(digest, name, base, e.extraCaPem(), trusted, stable));
        return new Judged(trusted, FindingsEvaluator.evaluate(stable, chain, at, warning));
    }

    /** The endpoint is gone: its entry too. */
    void forget(String endpointId) {
        known.remove(endpointId);
    }

    int size() {
        return known.size();
    }

    static TrustAnchors withExtraCa(TrustAnchors base, Endpoint e) {
        return e.extraCaPem().isEmpty() ? base : base.with(PemCertificates.parse(e.extraCaPem()));
    }

    private static byte[] digest(List<byte[]> der) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (byte[] certificate : der) {
                sha256.update(certificate);
            }
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
