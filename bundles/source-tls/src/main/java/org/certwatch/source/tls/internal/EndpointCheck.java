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

/** One check of an endpoint into what the registry is told: the chain and its findings, or why there is none. */
final class EndpointCheck {
    static final String SOURCE = "tls";

    private final TlsProber prober;
    private final Clock clock;
    private final Supplier<TrustAnchors> anchors;
    private final Supplier<Duration> warning;

    EndpointCheck(TlsProber prober, Clock clock, Supplier<TrustAnchors> anchors,
            Supplier<Duration> warning) {
        this.prober = prober;
        this.clock = clock;
        this.anchors = anchors;
        this.warning = warning;
    }

    static LocationRef ref(Endpoint e) {
        return new LocationRef(SOURCE, LocationKind.ENDPOINT, e.address(), e.homeGroup());
    }

    Observation observe(Endpoint e) {
        try {
            Capture c = prober.probe(e);
            Instant at = clock.instant();
            return Observation.read(ref(e), at, der(c.chain()), findings(e, c, at), c.probe());
        } catch (ProbeFailure f) {
            return Observation.failed(ref(e), clock.instant(), f.failure(), f.getMessage());
        }
    }

    private List<Finding> findings(Endpoint e, Capture c, Instant at) {
        TrustAnchors trusted = anchors.get();
        if (!e.extraCaPem().isEmpty()) {
            trusted = trusted.with(PemCertificates.parse(e.extraCaPem()));
        }
        List<Finding> out = new ArrayList<>(FindingsEvaluator.evaluate(c.chain(), TlsProber.expectedName(e), at,
                warning.get(), trusted));
        c.oldProtocol().ifPresent(p -> out.add(new Finding(FindingKind.OLD_PROTOCOL, -1,
                e.address() + " accepts " + p + " (TLS 1.1 or older)")));
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
