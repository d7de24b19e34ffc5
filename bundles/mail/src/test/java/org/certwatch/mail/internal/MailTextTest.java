package org.certwatch.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.Test;

class MailTextTest {
    static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    static Notice certificate(NoticeKind kind, Role role) {
        return new Notice("n1.cert42.d30", kind, T0, "watched", 42, "1000", "CN=www.example.org", "CN=Some Public CA",
                role, "www.example.org", "AB".repeat(32), T0.plusSeconds(86_400 * 20), 20, 30, "All", "text",
                "/certificates/42", List.of("ops@example.org"), false, 0, 0, "", "");
    }

    static Notice location(NoticeKind kind) {
        return new Notice("n2.loc7.failing1", kind, T0, "files", 7, "", "", "", null, "/srv/site.p12#web", "", null,
                0, -1, "All/Berlin", "location …", "/locations/7", List.of("ops@example.org"), false, 0, 0, "",
                kind == NoticeKind.LOCATION_FAILING ? "/srv/site.p12: wrong password" : "");
    }

    static Location at(String address, LocationState state) {
        return new Location(0, new LocationRef("files", LocationKind.FILE, address, "All"), state, 42, List.of(),
                state == LocationState.FAILING ? LocationFailure.MISSING : null, "", 0, T0, T0, T0);
    }

    @Test
    void aMonitoredCertificateIsRenewedAtItsIssuerAndReplacedWhereItIsUsed() {
        MemoryLocationRegistry registry = new MemoryLocationRegistry(Clock.fixed(T0, ZoneOffset.UTC));
        registry.put(at("/etc/ssl/a.pem", LocationState.OK));
        registry.put(at("/etc/ssl/b.pem", LocationState.FAILING));
        registry.put(at("/etc/ssl/old.pem", LocationState.GONE));
        Notice n = certificate(NoticeKind.CERTIFICATE_EXPIRING, Role.MONITORED);
        List<String> usedAt = MailComponent.usedAt(registry, n);
        assertEquals(List.of("/etc/ssl/a.pem (files)", "/etc/ssl/b.pem (files)"), usedAt);
        String text = MailText.plain(n, "", usedAt);
        assertTrue(text.contains("Renew the certificate at its issuer (CN=Some Public CA) and replace it where it is"
                + " used: /etc/ssl/a.pem (files), /etc/ssl/b.pem (files)."), text);
        assertFalse(text.contains("agent") || text.contains("policy"), text);
        String unknown = MailText.nextStep(certificate(NoticeKind.CERTIFICATE_EXPIRED, Role.MONITORED), List.of());
        assertTrue(unknown.startsWith("The certificate has expired"), unknown);
        assertTrue(unknown.contains("knows no watched location"), unknown);
        assertEquals(List.of(), MailComponent.usedAt(null, n), "no registry: no locations, still a mail");
    }

    @Test
    void aTestNoticeSaysTestInItsSubject() {
        Notice n = new Notice("test.1", NoticeKind.TEST, T0, "ops mail", 0, "", "", "", null, "", "", null, 0, -1, "All",
                "certwatch test notice for \"ops mail\"", "/notifications/n1", List.of("ops@example.org"), false, 0, 0,
                "", "");
        assertEquals("[certwatch] test: notification \"ops mail\" reaches you; no certificate is affected",
                MailText.subject(n));
    }

    @Test
    void issuedCertificatesKeepTheirAgentAndPolicyAdvice() {
        Notice n = certificate(NoticeKind.CERTIFICATE_EXPIRING, Role.AGENT);
        assertTrue(MailText.nextStep(n, List.of()).contains("policy"));
        assertEquals(List.of(), MailComponent.usedAt(new MemoryLocationRegistry(Clock.systemUTC()), n));
    }

    @Test
    void aFailingLocationNamesTheReasonAndARecoveryNeedsNothing() {
        String failing = MailText.plain(location(NoticeKind.LOCATION_FAILING), "https://cw.example.org", List.of());
        assertTrue(failing.contains("Location:            /srv/site.p12#web"), failing);
        assertTrue(failing.contains("Check the location: /srv/site.p12: wrong password."), failing);
        assertTrue(failing.contains("https://cw.example.org/locations/7"), failing);
        assertFalse(failing.contains("agent") || failing.contains("policy"), failing);
        String html = MailText.html(location(NoticeKind.LOCATION_RECOVERED), "", List.of());
        assertTrue(html.contains("Nothing: the location can be read again."), html);
    }

    @Test
    void findingsAreListedWithWhatToFix() {
        Notice n = new Notice("n2.loc7.findings1", NoticeKind.LOCATION_FINDINGS, T0, "endpoints", 7, "", "", "", null,
                "tls://shop.example.org:443", "", null, 0, -1, "All", "location …", "/locations/7",
                List.of("ops@example.org"), false, 0, 0, "", "certificate does not name shop.example.org");
        String text = MailText.plain(n, "", List.of());
        assertTrue(text.contains("Findings:") && text.contains("certificate does not name shop.example.org"), text);
        assertTrue(text.contains("The location page shows the chain as presented."), text);
        Notice cleared = new Notice("n2.loc7.findings2", NoticeKind.LOCATION_FINDINGS, T0, "endpoints", 7, "", "", "",
                null, "tls://shop.example.org:443", "", null, 0, -1, "All", "location …", "/locations/7",
                List.of("ops@example.org"), false, 0, 0, "", "");
        String fixed = MailText.plain(cleared, "", List.of());
        assertTrue(fixed.contains("none any more") && fixed.contains("Nothing: what was wrong at the location is fixed."),
                fixed);
    }
}
