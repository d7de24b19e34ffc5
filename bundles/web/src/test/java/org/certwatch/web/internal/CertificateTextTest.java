package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.SubjectAltName;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (4, 11): serials as openssl prints them in the API, the page and the metrics' {@code serial} label
 * (the {@code serial_number} label in x509-certificate-exporter's decimal), subjectAltNames typed in the API and
 * as openssl's text on the page.
 */
class CertificateTextTest {
    private static CertificateInfo certificate(long id, BigInteger serial, List<SubjectAltName> names) {
        return new CertificateInfo(id, Role.MONITORED, "edge.example", List.of(), names, 0, "CN=Edge CA",
                "CN=edge-" + id, serial, TestWeb.START.minus(Duration.ofDays(1)), TestWeb.START.plus(Duration.ofDays(90)),
                "00c1830b72e0bbc5e4603845ed0c48c2d6a18d4e158c773b80005faf60126777", "EC", 256, false, "All/Berlin", "",
                TestWeb.START, null, null, 0, 0);
    }

    @Test
    void serialsNamesAndFingerprintsAsOpensslPrintsThem() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            List<SubjectAltName> names = List.of(SubjectAltName.dns("*.edge.example"), SubjectAltName.ip("192.0.2.7"),
                    SubjectAltName.ip("2001:db8::7"), new SubjectAltName(SubjectAltName.Type.EMAIL, "ops@edge.example"),
                    new SubjectAltName(SubjectAltName.Type.URI, "https://edge.example/"));
            CertificateInfo edge = web.store.add(id -> certificate(id, BigInteger.valueOf(1001), names));
            CertificateInfo high = web.store.add(id -> certificate(id, BigInteger.valueOf(128), List.of()));
            String alice = TestWeb.basic("alice");

            JsonNode json = new ObjectMapper().readTree(web.get("/api/v1/certificates/" + edge.id(), "Authorization",
                    alice).body());
            assertEquals("03E9", json.get("serial").asText());
            assertEquals("[{\"type\":\"DNS\",\"value\":\"*.edge.example\"},{\"type\":\"IP\",\"value\":\"192.0.2.7\"},"
                    + "{\"type\":\"IP\",\"value\":\"2001:db8::7\"},{\"type\":\"EMAIL\",\"value\":\"ops@edge.example\"},"
                    + "{\"type\":\"URI\",\"value\":\"https://edge.example/\"}]", json.get("subjectAltNames").toString());
            assertEquals("80", new ObjectMapper().readTree(web.get("/api/v1/certificates/" + high.id(),
                    "Authorization", alice).body()).get("serial").asText());

            String page = web.get("/certificates/" + edge.id(), "Cookie", web.login("alice")[0]).body();
            assertTrue(page.contains("<dd>DNS:*.edge.example, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7, "
                    + "email:ops@edge.example, URI:https://edge.example/</dd>"), page);
            assertTrue(page.contains("<dd>03E9</dd>"), page);
            assertTrue(page.contains("<dd>00:C1:83:0B:72:E0:BB:C5:E4:60:38:45:ED:0C:48:C2:D6:A1:8D:4E:15:8C:77:3B:80:00"
                    + ":5F:AF:60:12:67:77</dd>"), page);

            String metrics = web.get("/metrics", "Authorization", alice).body();
            assertTrue(metrics.contains("x509_cert_not_after{subject_CN=\"edge-" + edge.id()
                    + "\",issuer_CN=\"Edge CA\",serial_number=\"1001\",serial=\"03E9\","), metrics);
            assertTrue(metrics.contains("serial_number=\"128\",serial=\"80\","), metrics);
        }
    }
}
