package org.certwatch.source.tls.internal.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stapled OCSP responses made by a CA of the test, and its CRLs served over HTTP by the JDK's HttpServer. */
class RevocationCheckTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<byte[]> NO_STAPLE = List.of();

    private final SettableClock clock = new SettableClock(NOW);
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService handlers;
    private HttpServer http;
    private volatile int status = 200;
    private volatile byte[] body = new byte[0];
    private volatile boolean chunked;
    private volatile boolean hang;
    private TestPki ca;
    private RevocationCheck check;

    @BeforeEach
    void start() throws Exception {
        ca = new TestPki("Test CA", NOW);
        check = new RevocationCheck(clock, Duration.ofSeconds(3), 4096);
        handlers = Executors.newCachedThreadPool();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(handlers);
        http.createContext("/ca.crl", exchange -> {
            requests.incrementAndGet();
            try {
                if (hang) {
                    release.await();
                }
                byte[] b = body;
                exchange.sendResponseHeaders(status, chunked ? 0 : b.length == 0 ? -1 : b.length);
                exchange.getResponseBody().write(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        http.stop(0);
        handlers.shutdownNow();
        assertTrue(handlers.awaitTermination(10, TimeUnit.SECONDS));
    }

    private String crlUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/ca.crl";
    }

    @Test
    void aStapledGoodResponseIsNoFinding() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", null);
        assertEquals(List.of(), check.check(List.of(leaf, ca.certificate),
                List.of(ca.ocsp(leaf, CertificateStatus.GOOD)), false));
    }

    @Test
    void aStapledRevokedResponseIsRevoked() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", null);
        List<Finding> findings = check.check(List.of(leaf, ca.certificate),
                List.of(ca.ocsp(leaf, TestPki.revokedAt(NOW.minus(Duration.ofDays(3))))), false);
        assertEquals(List.of(new Finding(FindingKind.REVOKED, 0, "leaf CN=www.example.org revoked on "
                + "2026-05-29T12:00:00Z, key compromise (stapled OCSP response)")), findings);
    }

    @Test
    void aDelegatedResponderNeedsTheOcspSigningPurpose() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", null);
        KeyPair responderKey = TestPki.ecKey();
        byte[] delegated = ca.ocsp(leaf, TestPki.revokedAt(NOW), NOW, NOW.plus(Duration.ofDays(1)), responderKey,
                ca.responder(responderKey, true));
        assertEquals(FindingKind.REVOKED, only(check.check(List.of(leaf, ca.certificate), List.of(delegated), false))
                .kind());
        byte[] notDelegated = ca.ocsp(leaf, TestPki.revokedAt(NOW), NOW, NOW.plus(Duration.ofDays(1)), responderKey,
                ca.responder(responderKey, false));
        assertUnknown(check.check(List.of(leaf, ca.certificate), List.of(notDelegated), false),
                "leaf CN=www.example.org: stapled OCSP response not usable: it is signed neither by the issuer nor "
                        + "by a responder the issuer delegated to");
    }

    @Test
    void stapledResponsesThatAreNotGenuineOrCurrentAreUnknown() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", null);
        X509Certificate other = ca.issue("other.example.org", null);
        TestPki stranger = new TestPki("Test CA", NOW);
        List<X509Certificate> chain = List.of(leaf, ca.certificate);
        assertUnknown(check.check(chain, List.of(stranger.ocsp(leaf, CertificateStatus.GOOD)), false),
                "signed neither by the issuer");
        assertUnknown(check.check(chain, List.of(ca.ocsp(other, CertificateStatus.GOOD)), false),
                "it is about another certificate");
        assertUnknown(check.check(chain, List.of(ca.ocsp(leaf, CertificateStatus.GOOD, NOW.minus(Duration.ofDays(3)),
                NOW.minus(Duration.ofDays(2)), ca.key, null)), false),
                "it is out of date (next update 2026-05-30T12:00:00Z)");
        assertUnknown(check.check(chain, List.of(ca.ocsp(leaf, CertificateStatus.GOOD, NOW.plus(Duration.ofHours(1)),
                null, ca.key, null)), false), "it is dated in the future");
        assertUnknown(check.check(chain, List.of(ca.ocsp(leaf, new UnknownStatus())), false),
                "the responder does not know the certificate");
        assertUnknown(check.check(chain, List.of(TestPki.tryLater()), false), "the responder's status is 3");
        assertUnknown(check.check(chain, List.of(new byte[] {0x30, 0x03, 1, 2, 3}), false), "it cannot be read");
        assertUnknown(check.check(List.of(leaf), List.of(ca.ocsp(leaf, CertificateStatus.GOOD)), false),
                "the issuer is not in the chain");
    }

    @Test
    void theCrlOfTheDistributionPointNamesARevokedCertificate() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        body = ca.crl(NOW.plus(Duration.ofDays(7)), leaf).getEncoded();
        assertEquals(List.of(), check.check(List.of(leaf, ca.certificate), NO_STAPLE, false), "not asked to");
        assertEquals(0, requests.get());
        assertEquals(List.of(new Finding(FindingKind.REVOKED, 0, "leaf CN=www.example.org revoked on "
                + "2026-06-01T10:00:00Z, key compromise (CRL " + crlUrl() + ")")),
                check.check(List.of(leaf, ca.certificate), NO_STAPLE, true));
        X509Certificate good = ca.issue("good.example.org", crlUrl());
        assertEquals(List.of(), check.check(List.of(good, ca.certificate), NO_STAPLE, true));
        assertEquals(1, requests.get(), "kept until its next update");
    }

    @Test
    void theCrlIsFetchedAgainAfterItsNextUpdate() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        body = ca.crl(NOW.plus(Duration.ofDays(7))).getEncoded();
        assertEquals(List.of(), check.check(List.of(leaf, ca.certificate), NO_STAPLE, true));
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        check.check(List.of(leaf, ca.certificate), NO_STAPLE, true);
        assertEquals(1, requests.get());
        body = ca.crl(NOW.plus(Duration.ofDays(14)), leaf).getEncoded();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(FindingKind.REVOKED, only(check.check(List.of(leaf, ca.certificate), NO_STAPLE, true)).kind());
        assertEquals(2, requests.get());
    }

    @Test
    void aCrlThatCannotBeHadIsUnknownAndTriedAgainLater() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        List<X509Certificate> chain = List.of(leaf, ca.certificate);
        status = 404;
        assertUnknown(check.check(chain, NO_STAPLE, true),
                "leaf CN=www.example.org: CRL " + crlUrl() + " could not be fetched: HTTP 404");
        check.check(chain, NO_STAPLE, true);
        assertEquals(1, requests.get(), "a failure is kept a while");
        status = 200;
        body = ca.crl(NOW.plus(Duration.ofDays(7))).getEncoded();
        clock.advance(CrlCache.RETRY_AFTER);
        assertEquals(List.of(), check.check(chain, NO_STAPLE, true));
        assertEquals(2, requests.get());
    }

    @Test
    void crlsThatDoNotCheckOutAreUnknown() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        List<X509Certificate> chain = List.of(leaf, ca.certificate);
        body = new TestPki("Test CA", NOW).crl(NOW.plus(Duration.ofDays(7)), leaf).getEncoded();
        assertUnknown(check.check(chain, NO_STAPLE, true), "is not signed by its issuer's key");
        clock.advance(CrlCache.RETRY_AFTER);
        body = new TestPki("Other CA", NOW).crl(NOW.plus(Duration.ofDays(7)), leaf).getEncoded();
        assertUnknown(check.check(chain, NO_STAPLE, true), "is issued by CN=Other CA, not by CN=Test CA");
        clock.advance(CrlCache.RETRY_AFTER);
        body = ca.crl(NOW.plus(Duration.ofMinutes(1)), leaf).getEncoded();
        assertUnknown(check.check(chain, NO_STAPLE, true), "is out of date (next update 2026-06-01T12:01:00Z)");
        clock.advance(CrlCache.RETRY_AFTER);
        body = "not a CRL".getBytes();
        assertUnknown(check.check(chain, NO_STAPLE, true), "could not be read");
    }

    @Test
    void aCrlLargerThanTheBoundIsNotRead() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        List<X509Certificate> chain = List.of(leaf, ca.certificate);
        body = new byte[5000];
        assertUnknown(check.check(chain, NO_STAPLE, true), "it has 5000 bytes, more than the 4096 allowed");
        clock.advance(CrlCache.RETRY_AFTER);
        chunked = true;
        assertUnknown(check.check(chain, NO_STAPLE, true), "it has more than the 4096 bytes allowed");
    }

    @Test
    void aDistributionPointThatNeverAnswersCostsTheTimeoutOnly() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", crlUrl());
        hang = true;
        long started = System.nanoTime();
        assertUnknown(check.check(List.of(leaf, ca.certificate), NO_STAPLE, true), "could not be fetched");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 10_000, millis + " ms");
    }

    @Test
    void anUnreachableDistributionPointIsUnknown() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", "http://127.0.0.1:1/ca.crl");
        assertUnknown(check.check(List.of(leaf, ca.certificate), NO_STAPLE, true),
                "leaf CN=www.example.org: CRL http://127.0.0.1:1/ca.crl could not be fetched: ");
    }

    @Test
    void aCertificateWithoutDistributionPointOrIssuerIsNotChecked() throws Exception {
        X509Certificate leaf = ca.issue("www.example.org", null);
        assertEquals(List.of(), check.check(List.of(leaf, ca.certificate), NO_STAPLE, true));
        X509Certificate withPoint = ca.issue("www.example.org", crlUrl());
        assertEquals(List.of(), check.check(List.of(withPoint), NO_STAPLE, true));
        assertEquals(0, requests.get());
    }

    @Test
    void aRevokedIntermediateIsNamed() throws Exception {
        TestPki root = new TestPki("Root", NOW);
        X509Certificate intermediate = root.issue("Intermediate", crlUrl());
        body = root.crl(NOW.plus(Duration.ofDays(7)), intermediate).getEncoded();
        X509Certificate leaf = ca.issue("www.example.org", null);
        Finding finding = only(check.check(List.of(leaf, intermediate, root.certificate), NO_STAPLE, true));
        assertEquals(FindingKind.REVOKED, finding.kind());
        assertEquals(1, finding.certificateIndex());
        assertTrue(finding.text().startsWith("intermediate CN=Intermediate revoked on "), finding.text());
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), findings::toString);
        return findings.get(0);
    }

    private static void assertUnknown(List<Finding> findings, String text) {
        Finding finding = only(findings);
        assertEquals(FindingKind.REVOCATION_UNKNOWN, finding.kind(), finding::toString);
        assertTrue(finding.text().contains(text), finding.text());
    }
}
