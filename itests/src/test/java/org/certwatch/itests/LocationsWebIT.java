package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, items 2 and 4 on the real server: locations that the core's test-only source reports (through its
 * Gogo commands) are listed, shown and stopped through the API and the pages, scoped by group; a monitored
 * certificate is retired, resumed and deleted through the API, an issued one is refused.
 */
class LocationsWebIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void locationsOfTheTestSourceAreListedScopedStoppedAndTheirCertificatesRetiredAndDeleted() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("locations-web")) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            WebUsers.create(server);
            Path work = Files.createDirectories(server.data().getParent().resolve("locations-web"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String alice = WebClient.basic("alice");
            String bob = WebClient.basic("bob");
            web.awaitSignIn(alice, WAIT);
            for (String name : new String[] {"site", "site2"}) {
                WebClient.run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name + ".example",
                        "-days", "20");
            }
            CertwatchServer.placeAtomically(TestBundles.testSource(), server.deploy().resolve("testsource.jar"));
            assertEquals("none", server.awaitGogo("testsource:location /srv/site.pem All/Berlin", WAIT));
            String first = server.gogo("testsource:report /srv/site.pem All/Berlin " + work.resolve("site.pem"));
            assertTrue(first.startsWith("location "), first);
            long location = Long.parseLong(first.split(" ")[1]);

            // listed for alice (Berlin), not for bob (Hamburg)
            CertwatchServer.await("the location is listed", WAIT,
                    () -> web.getQuietly("/api/v1/locations?source=test", alice).contains("/srv/site.pem"));
            assertTrue(web.get("/api/v1/locations", "Authorization", bob).body().contains("\"total\":0"));
            assertEquals(404, web.get("/api/v1/locations/" + location, "Authorization", bob).status());
            JsonNode sources = JSON.readTree(web.get("/api/v1/sources", "Authorization", alice).body());
            assertTrue(sources.get("sources").toString().contains("\"test\""), sources.toString());

            // a new certificate at the location: the old one's successor, both in its history
            server.gogo("testsource:report /srv/site.pem All/Berlin " + work.resolve("site2.pem"));
            JsonNode detail = JSON.readTree(web.get("/api/v1/locations/" + location, "Authorization", alice).body());
            assertEquals("OK", detail.get("location").get("state").asText(), detail.toString());
            assertEquals("CN=site2.example", detail.get("certificate").get("subject").asText(), detail.toString());
            assertEquals(2, detail.get("history").size(), detail.toString());
            long current = detail.get("certificate").get("id").asLong();
            long old = detail.get("history").get(1).get("certificateId").asLong();
            JsonNode oldJson = JSON.readTree(web.get("/api/v1/certificates/" + old, "Authorization", alice).body());
            assertEquals(current, oldJson.get("successorId").asLong(), oldJson.toString());

            // a failing check: status and reason; the page shows them and where the certificate is held
            // failures are counted: the configured number of consecutive ones (default 2) make the location FAILING
            server.gogo("testsource:fail /srv/site.pem All/Berlin WRONG_PASSWORD /srv/site.pem:_wrong_password");
            server.gogo("testsource:fail /srv/site.pem All/Berlin WRONG_PASSWORD /srv/site.pem:_wrong_password");
            JsonNode failing = JSON.readTree(web.get("/api/v1/locations/" + location, "Authorization", alice).body());
            assertEquals("FAILING", failing.get("location").get("state").asText(), failing.toString());
            assertEquals("WRONG_PASSWORD", failing.get("location").get("failure").asText(), failing.toString());
            String[] session = web.login("alice");
            String page = web.get("/locations/" + location, "Cookie", session[0]).body();
            assertTrue(page.contains("WRONG_PASSWORD") && page.contains("CN=site2.example"), page);
            String certificatePage = web.get("/certificates/" + current, "Cookie", session[0]).body();
            assertTrue(certificatePage.contains("Held at") && certificatePage.contains("/srv/site.pem"), certificatePage);

            // stop watching: NOT_WATCHED, audited; resume
            WebClient.Reply stopped = web.send("POST", "/api/v1/locations/" + location + "/stop", null,
                    "Authorization", alice);
            assertEquals(200, stopped.status(), stopped.body());
            assertTrue(stopped.body().contains("\"state\":\"NOT_WATCHED\""), stopped.body());
            assertEquals(200, web.send("POST", "/api/v1/locations/" + location + "/resume", null, "Authorization",
                    alice).status());
            String audit = web.get("/api/v1/audit?action=location.", "Authorization", WebClient.basic("root")).body();
            assertTrue(audit.contains("location.stop-watching") && !audit.contains("web.location"), audit);

            // the old, superseded certificate: retired, resumed, deleted; an issued one is refused
            WebClient.Reply retired = web.send("POST", "/api/v1/certificates/" + old + "/retire", null,
                    "Authorization", alice);
            assertEquals(200, retired.status(), retired.body());
            assertTrue(JSON.readTree(retired.body()).get("retiredAt").isTextual(), retired.body());
            WebClient.Reply unretired = web.send("POST", "/api/v1/certificates/" + old + "/unretire", null,
                    "Authorization", alice);
            assertTrue(JSON.readTree(unretired.body()).get("retiredAt").isNull(), unretired.body());
            assertEquals(204, web.send("DELETE", "/api/v1/certificates/" + old, null, "Authorization", alice).status());
            assertEquals(404, web.get("/api/v1/certificates/" + old, "Authorization", alice).status());
            long issued = JSON.readTree(web.get("/api/v1/certificates?role=SERVER", "Authorization",
                    WebClient.basic("root")).body()).get("items").get(0).get("id").asLong();
            assertEquals(409, web.send("DELETE", "/api/v1/certificates/" + issued, null, "Authorization",
                    WebClient.basic("root")).status());
        }
    }
}
