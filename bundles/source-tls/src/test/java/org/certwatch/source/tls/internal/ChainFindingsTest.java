package org.certwatch.source.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.junit.jupiter.api.Test;

/** The stable findings kept per endpoint: kept while nothing they depend on changed, judged afresh when it did. */
class ChainFindingsTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration WARNING = Duration.ofDays(30);
    private static final TestPki ROOT = TestPki.selfSigned(TestPki.Spec.of("Test Root", NOW).asCa());
    // valid for 40 more days: no finding now, expiring 20 days later
    private static final TestPki INTERMEDIATE = ROOT.issue(TestPki.Spec.of("Test Intermediate", NOW)
            .valid(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(40))).asCa());
    private static final TrustAnchors TRUSTED = new TrustAnchors(List.of(ROOT.cert()));

    private final ChainFindings findings = new ChainFindings();

    private static Endpoint endpoint(String sni, String extraCaPem) {
        return new Endpoint("7", "192.0.2.7", 443, sni, EndpointProtocol.TLS, "All", null, extraCaPem, false, "",
                Instant.EPOCH);
    }

    private static X509Certificate leaf(String name) {
        return INTERMEDIATE.issue(TestPki.Spec.of(name, NOW).withNames(name)).cert();
    }

    private List<FindingKind> judge(Endpoint e, TrustAnchors base, Instant at, X509Certificate... chain)
            throws CertificateEncodingException {
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate c : chain) {
            der.add(c.getEncoded());
        }
        List<Finding> out = findings.judge(e, List.of(chain), der, base, at, WARNING).findings();
        assertEquals(FindingsEvaluator.evaluate(List.of(chain), TlsProber.expectedName(e), at, WARNING,
                ChainFindings.withExtraCa(base, e)), out, "the same findings as judged afresh");
        return out.stream().map(Finding::kind).toList();
    }

    private static String pem(X509Certificate c) throws CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void theSameChainKeepsItsStableFindingsAndItsValidityIsJudgedAtEveryCheck() throws Exception {
        X509Certificate leaf = leaf("www.example.org");
        Endpoint e = endpoint("www.example.org", "");
        assertEquals(List.of(), judge(e, TRUSTED, NOW, leaf, INTERMEDIATE.cert()));
        assertEquals(List.of(FindingKind.CHAIN_CERTIFICATE_EXPIRING),
                judge(e, TRUSTED, NOW.plus(Duration.ofDays(20)), leaf, INTERMEDIATE.cert()));
        assertEquals(List.of(FindingKind.CHAIN_CERTIFICATE_EXPIRED),
                judge(e, TRUSTED, NOW.plus(Duration.ofDays(41)), leaf, INTERMEDIATE.cert()));
    }

    @Test
    void aChangedChainOrNameIsJudgedAfresh() throws Exception {
        Endpoint e = endpoint("www.example.org", "");
        assertEquals(List.of(), judge(e, TRUSTED, NOW, leaf("www.example.org"), INTERMEDIATE.cert()));
        assertEquals(List.of(FindingKind.HOST_MISMATCH),
                judge(e, TRUSTED, NOW, leaf("other.example.org"), INTERMEDIATE.cert()), "another leaf");
        X509Certificate leaf = leaf("www.example.org");
        assertEquals(List.of(FindingKind.CHAIN_INCOMPLETE), judge(e, TRUSTED, NOW, leaf), "the intermediate left out");
        assertEquals(List.of(FindingKind.CHAIN_INCOMPLETE, FindingKind.HOST_MISMATCH),
                judge(endpoint("mail.example.org", ""), TRUSTED, NOW, leaf), "the same chain for another name");
    }

    @Test
    void newAnchorsOrAChangedExtraCaAreTrustedAtTheNextCheck() throws Exception {
        X509Certificate leaf = leaf("www.example.org");
        TrustAnchors none = new TrustAnchors(List.of());
        assertEquals(List.of(FindingKind.CHAIN_UNTRUSTED),
                judge(endpoint("www.example.org", ""), none, NOW, leaf, INTERMEDIATE.cert(), ROOT.cert()));
        assertEquals(List.of(), judge(endpoint("www.example.org", pem(ROOT.cert())), none, NOW, leaf,
                INTERMEDIATE.cert(), ROOT.cert()), "the endpoint's extra CA");
        TestPki otherRoot = TestPki.selfSigned(TestPki.Spec.of("Other Root", NOW).asCa());
        assertEquals(List.of(FindingKind.CHAIN_UNTRUSTED), judge(endpoint("www.example.org", pem(otherRoot.cert())),
                none, NOW, leaf, INTERMEDIATE.cert(), ROOT.cert()), "another extra CA");
        // certwatch's CAs changed (StoreAnchors makes a new instance)
        assertEquals(List.of(), judge(endpoint("www.example.org", pem(otherRoot.cert())),
                none.with(List.of(ROOT.cert())), NOW, leaf, INTERMEDIATE.cert(), ROOT.cert()), "a new CA of certwatch");
    }

    @Test
    void aRemovedEndpointLeavesNothingBehind() throws Exception {
        judge(endpoint("www.example.org", ""), TRUSTED, NOW, leaf("www.example.org"), INTERMEDIATE.cert());
        assertEquals(1, findings.size());
        findings.forget("7");
        assertEquals(0, findings.size());
    }
}
