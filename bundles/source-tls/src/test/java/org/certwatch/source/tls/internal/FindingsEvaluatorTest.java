package org.certwatch.source.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.junit.jupiter.api.Test;

class FindingsEvaluatorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration WARNING = Duration.ofDays(30);
    private static final TestPki ROOT = TestPki.selfSigned(TestPki.Spec.of("Test Root", NOW).asCa());
    private static final TestPki INTERMEDIATE = ROOT.issue(TestPki.Spec.of("Test Intermediate", NOW).asCa());
    private static final TrustAnchors TRUSTED = new TrustAnchors(List.of(ROOT.cert()));

    private static List<Finding> evaluate(String name, TrustAnchors anchors, X509Certificate... chain) {
        return FindingsEvaluator.evaluate(List.of(chain), name, NOW, WARNING, anchors);
    }

    private static List<FindingKind> kinds(List<Finding> findings) {
        return findings.stream().map(Finding::kind).toList();
    }

    private static X509Certificate leaf(TestPki.Spec spec) {
        return INTERMEDIATE.issue(spec).cert();
    }

    @Test
    void aGoodChainHasNoFindings() {
        X509Certificate leaf = leaf(TestPki.Spec.of("www.example.org", NOW).withNames("www.example.org"));
        assertEquals(List.of(), evaluate("www.example.org", TRUSTED, leaf, INTERMEDIATE.cert()));
        // the root sent along changes nothing
        assertEquals(List.of(), evaluate("www.example.org", TRUSTED, leaf, INTERMEDIATE.cert(), ROOT.cert()));
    }

    @Test
    void aMissingIntermediateIsAnIncompleteChain() {
        X509Certificate leaf = leaf(TestPki.Spec.of("www.example.org", NOW).withNames("www.example.org"));
        List<Finding> findings = evaluate("www.example.org", TRUSTED, leaf);
        assertEquals(List.of(FindingKind.CHAIN_INCOMPLETE), kinds(findings));
        assertEquals(-1, findings.get(0).certificateIndex());
        assertTrue(findings.get(0).text().contains("CN=Test Intermediate"), findings.get(0).text());
    }

    @Test
    void aRootNobodyTrustsIsAnUntrustedChainAndTheEndpointsExtraCaTrustsIt() {
        X509Certificate leaf = leaf(TestPki.Spec.of("www.example.org", NOW).withNames("www.example.org"));
        TrustAnchors none = new TrustAnchors(List.of());
        List<Finding> findings = evaluate("www.example.org", none, leaf, INTERMEDIATE.cert(), ROOT.cert());
        assertEquals(List.of(FindingKind.CHAIN_UNTRUSTED), kinds(findings));
        assertEquals(2, findings.get(0).certificateIndex());
        assertEquals(List.of(), evaluate("www.example.org", none.with(List.of(ROOT.cert())), leaf,
                INTERMEDIATE.cert()));
    }

    @Test
    void aSelfSignedLeafIsNamedSoUnlessTrustedItself() {
        TestPki self = TestPki.selfSigned(TestPki.Spec.of("self.example.org", NOW).withNames("self.example.org"));
        assertEquals(List.of(FindingKind.SELF_SIGNED), kinds(evaluate("self.example.org", TRUSTED, self.cert())));
        assertEquals(List.of(), evaluate("self.example.org", TRUSTED.with(List.of(self.cert())), self.cert()));
    }

    @Test
    void hostNamesFollowRfc6125() {
        X509Certificate wildcard = leaf(TestPki.Spec.of("wild", NOW).withNames("*.example.org", "192.0.2.7", "2001:db8::7"));
        assertEquals(List.of(), evaluate("www.example.org", TRUSTED, wildcard, INTERMEDIATE.cert()));
        assertEquals(List.of(), evaluate("192.0.2.7", TRUSTED, wildcard, INTERMEDIATE.cert()));
        assertEquals(List.of(), evaluate("2001:db8:0::7", TRUSTED, wildcard, INTERMEDIATE.cert()));
        for (String wrong : List.of("example.org", "a.b.example.org", "www.example.net", "192.0.2.8")) {
            List<Finding> findings = evaluate(wrong, TRUSTED, wildcard, INTERMEDIATE.cert());
            assertEquals(List.of(FindingKind.HOST_MISMATCH), kinds(findings), wrong);
            assertTrue(findings.get(0).text().endsWith("not " + wrong), findings.get(0).text());
        }
        assertTrue(HostNames.matchesName("www.example.org", "WWW.example.org.".toLowerCase()));
        assertEquals(false, HostNames.matchesName("*.org", "example.org"));
        assertEquals(false, HostNames.matchesName("w*.example.org", "www.example.org"));
        // no DNS SAN: the CN counts; an IP literal never matches a CN
        X509Certificate cnOnly = leaf(TestPki.Spec.of("cn.example.org", NOW));
        assertEquals(List.of(), evaluate("cn.example.org", TRUSTED, cnOnly, INTERMEDIATE.cert()));
    }

    @Test
    void chainCertificatesExpiringExpiredAndNotYetValid() {
        TestPki expiring = ROOT.issue(TestPki.Spec.of("Soon CA", NOW).asCa().valid(NOW.minus(Duration.ofDays(300)),
                NOW.plus(Duration.ofDays(9)).plusSeconds(60)));
        X509Certificate leaf = expiring.issue(TestPki.Spec.of("a.example.org", NOW).withNames("a.example.org")).cert();
        List<Finding> findings = evaluate("a.example.org", TRUSTED, leaf, expiring.cert());
        assertEquals(List.of(FindingKind.CHAIN_CERTIFICATE_EXPIRING), kinds(findings));
        assertEquals("intermediate CN=Soon CA expires in 9 days (2026-06-10)", findings.get(0).text());

        TestPki expired = ROOT.issue(TestPki.Spec.of("Old CA", NOW).asCa().valid(NOW.minus(Duration.ofDays(300)),
                NOW.minus(Duration.ofDays(1))));
        X509Certificate leaf2 = expired.issue(TestPki.Spec.of("b.example.org", NOW).withNames("b.example.org")).cert();
        assertEquals(List.of(FindingKind.CHAIN_CERTIFICATE_EXPIRED),
                kinds(evaluate("b.example.org", TRUSTED, leaf2, expired.cert())));

        // the leaf's own expiry is the monitor's, not a finding; a leaf not valid yet is one
        X509Certificate expiredLeaf = leaf(TestPki.Spec.of("c.example.org", NOW).withNames("c.example.org")
                .valid(NOW.minus(Duration.ofDays(90)), NOW.minus(Duration.ofDays(1))));
        assertEquals(List.of(), evaluate("c.example.org", TRUSTED, expiredLeaf, INTERMEDIATE.cert()));
        X509Certificate future = leaf(TestPki.Spec.of("d.example.org", NOW).withNames("d.example.org")
                .valid(NOW.plus(Duration.ofDays(2)), NOW.plus(Duration.ofDays(90))));
        List<Finding> early = evaluate("d.example.org", TRUSTED, future, INTERMEDIATE.cert());
        assertEquals(List.of(FindingKind.NOT_YET_VALID), kinds(early));
        assertEquals(0, early.get(0).certificateIndex());
    }

    @Test
    void weakKeysAndSignatures() {
        X509Certificate rsa1024 = leaf(TestPki.Spec.of("e.example.org", NOW).withNames("e.example.org")
                .withKey(TestPki.rsa(1024)));
        List<Finding> weak = evaluate("e.example.org", TRUSTED, rsa1024, INTERMEDIATE.cert());
        assertEquals(List.of(FindingKind.WEAK_KEY), kinds(weak));
        assertEquals("the leaf CN=e.example.org has a 1024-bit RSA key (below 2048)", weak.get(0).text());
        assertEquals(List.of(), evaluate("f.example.org", TRUSTED,
                leaf(TestPki.Spec.of("f.example.org", NOW).withNames("f.example.org").withKey(TestPki.rsa(2048))),
                INTERMEDIATE.cert()));

        X509Certificate sha1 = leaf(TestPki.Spec.of("g.example.org", NOW).withNames("g.example.org")
                .signedWith("SHA1withECDSA"));
        assertEquals(List.of(FindingKind.WEAK_SIGNATURE),
                kinds(evaluate("g.example.org", TRUSTED, sha1, INTERMEDIATE.cert())));
        // a root's own signature is never checked by anyone: SHA-1 there is no finding
        TestPki oldRoot = TestPki.selfSigned(TestPki.Spec.of("Old Root", NOW).asCa().signedWith("SHA1withECDSA"));
        X509Certificate leaf = oldRoot.issue(TestPki.Spec.of("h.example.org", NOW).withNames("h.example.org")).cert();
        assertEquals(List.of(), evaluate("h.example.org", TRUSTED.with(List.of(oldRoot.cert())), leaf,
                oldRoot.cert()));
    }
}
