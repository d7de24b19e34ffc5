package org.certwatch.source.tls.internal;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.Observation;
import org.certwatch.source.tls.internal.revocation.RevocationCheck;

/** One check of an endpoint into what the registry is told: the chain and its findings, or why there is none. */
final class EndpointCheck {
    static final String SOURCE = "tls";

    private final TlsProber prober;
    private final Clock clock;
    private final Supplier<TrustAnchors> anchors;
    private final Supplier<Duration> warning;
    private final Supplier<RevocationCheck> revocation;
    private final ChainFindings kept = new ChainFindings();

    EndpointCheck(TlsProber prober, Clock clock, Supplier<TrustAnchors> anchors,
            Supplier<Duration> warning, Supplier<RevocationCheck> revocation) {
        this.prober = prober;
        this.clock = clock;
        this.anchors = anchors;
        this.warning = warning;
        this.revocation = revocation;
    }

    static LocationRef ref(Endpoint e) {
        return new LocationRef(SOURCE, LocationKind.ENDPOINT, e.address(), e.homeGroup());
    }

    /** A check of an endpoint that is not kept: everything judged afresh. */
    Observation observe(Endpoint e) {
        return observe(e, (chain, der, at) -> {
            TrustAnchors trusted = ChainFindings.withExtraCa(anchors.get(), e);
            return new ChainFindings.Judged(trusted, FindingsEvaluator.evaluate(chain, TlsProber.expectedName(e), at,
                    warning.get(), trusted));
        });
    }

    /** A check of a kept endpoint: the stable findings again while its chain and anchors stay the same. */
    Observation observeKept(Endpoint e) {
        return observe(e, (chain, der, at) -> kept.judge(e, chain, der, anchors.get(), at, warning.get()));
    }

    /** A kept endpoint is gone. */
    void forget(String endpointId) {
        kept.forget(endpointId);
    }

    /** How a check's chain is judged. */
    private interface Judge {
        ChainFindings.Judged judge(List<X509Certificate> chain, List<byte[]> der, Instant at);
    }

    private Observation observe(Endpoint e, Judge judge) {
        try {
            Capture c = prober.probe(e);
            Instant at = clock.instant();
            List<byte[]> der = der(c.chain());
            ChainFindings.Judged judged = judge.judge(c.chain(), der, at);
            List<Finding> out = new ArrayList<>(judged.findings());
            c.oldProtocol().ifPresent(p -> out.add(new Finding(FindingKind.OLD_PROTOCOL, -1,
                    e.address() + " accepts " + p + " (TLS 1.1 or older)")));
            out.addAll(revocation.get().check(withAnchor(c.chain(), judged.trusted()), c.stapledOcsp(), e.checkCrl()));
            return Observation.read(ref(e), at, der, List.copyOf(out), c.probe());
        } catch (ProbeFailure f) {
            return Observation.failed(ref(e), clock.instant(), f.failure(), f.getMessage());
        }
    }

    /** The chain as presented, plus the trust anchor that issued its last certificate when the server left it out
     *  (as it should): only then can the last certificate's CRL be checked against its issuer. */
    static List<X509Certificate> withAnchor(List<X509Certificate> chain, TrustAnchors trusted) {
        if (chain.isEmpty()) {
            return chain;
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return chain;
        }
        X509Certificate anchor = trusted.issuerOf(last);
        if (anchor == null) {
            return chain;
        }
        List<X509Certificate> out = new ArrayList<>(chain);
        out.add(anchor);
        return out;
    }

    private static List<byte[]> der(List<X509Certificate> chain) {
        List<byte[]> out = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            try {
                out.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate cannot be encoded", e);
            }
        }
        return out;
    }
}
