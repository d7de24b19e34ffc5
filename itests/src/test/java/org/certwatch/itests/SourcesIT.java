package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 on the real server: a source bundle (testing/testsource) reports a location's chain, a replacement (the
 * successor; the old one no longer alarms), failures (counted, FAILING); removing the bundle leaves its location
 * NOT_WATCHED with its certificate kept and not expired; after a SIGKILL and restart everything is still there.
 */
class SourcesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** testsource's line, or certwatch:locations' (which names the source and address too). */
    private static final Pattern LINE = Pattern.compile(
            "location (\\d+) (?:\\S+ \\S+ )?(\\w+) certificate (\\d+) failures (\\d+)");

    private record Seen(long id, String state, long certificate, int failures) {
        static Seen of(String line) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.find(), line);
            return new Seen(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)),
                    Integer.parseInt(m.group(4)));
        }
    }

    /** A self-signed certificate valid for 5 days: inside the critical window from the start. */
    private static Path certificate(Path dir, String name) throws Exception {
        WebClient.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name + ".example", "-days", "5");
        return dir.resolve(name + ".pem");
    }

    private static String ctl(CertwatchServer server, String command) throws Exception {
        String answer = server.probe("org.certwatch.monitorctl", command).orElse("error no monitorctl");
        return answer.startsWith("ok ") ? answer.substring(3) : answer;
    }

    private static JsonNode certificate(WebClient web, long id) throws Exception {
        return JSON.readTree(web.get("/api/v1/certificates/" + id, "Authorization", WebClient.basic("root")).body());
    }

    /**
     * The registry counts the source as deployed once it has bound its service; Gogo may offer the source's commands
     * a moment earlier, and a report in that moment comes back NOT_WATCHED.
     */
    private static void awaitSourceDeployed(WebClient web) {
        CertwatchServer.await("the test source bound by the registry", WAIT, () -> {
            try {
                return JSON.readTree(web.get("/api/v1/sources", "Authorization", WebClient.basic("root")).body())
                        .get("sources").toString().contains("\"test\"");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aSourceReportsSuccessionAndFailuresAndItsLocationsOutliveItAndAKill() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("sources")) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            WebUsers.create(server);
            Path dir = Files.createDirectories(server.data().getParent().resolve("sources-it"));
            Path old = certificate(dir, "old");
            Path renewed = certificate(dir, "renewed");
            CertwatchServer.placeAtomically(TestBundles.monitorControl(),
                    server.deploy().resolve("org.certwatch.monitorctl.jar"));
            Path source = server.deploy().resolve("org.certwatch.testsource.jar");
            CertwatchServer.placeAtomically(TestBundles.testSource(), source);
            assertEquals("none", server.awaitGogo("testsource:location /srv/site.pem All/Berlin", WAIT));

            Seen first = Seen.of(server.gogo("testsource:report /srv/site.pem All/Berlin " + old));
            assertEquals("OK", first.state());
            Seen second = Seen.of(server.gogo("testsource:report /srv/site.pem All/Berlin " + renewed));
            assertEquals(first.id(), second.id());
            assertNotEquals(first.certificate(), second.certificate());

            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), dir);
            web.awaitSignIn(WebClient.basic("root"), WAIT);
            JsonNode oldJson = certificate(web, first.certificate());
            assertEquals("MONITORED", oldJson.get("role").asText());
            assertEquals("All/Berlin", oldJson.get("homeGroup").asText());
            assertEquals(second.certificate(), oldJson.get("successorId").asLong(), oldJson.toString());
            // the monitor: the replaced one no longer alarms, its successor does (both expire in 5 days)
            CertwatchServer.await("the monitor to see the succession", WAIT, () -> {
                try {
                    return ctl(server, "alarm " + first.certificate()).equals("critical=false replaced=true");
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals("critical=true replaced=false", ctl(server, "alarm " + second.certificate()));

            server.gogo("testsource:fail /srv/site.pem All/Berlin UNREADABLE permission-denied");
            Seen failing = Seen.of(server.gogo("testsource:fail /srv/site.pem All/Berlin UNREADABLE permission-denied"));
            assertEquals("FAILING", failing.state());
            assertEquals(2, failing.failures());
            assertEquals(second.certificate(), failing.certificate(), "a failing location keeps its certificate");
            assertEquals(3, Seen.of(server.gogo("testsource:fail /srv/site.pem All/Berlin UNREADABLE x")).failures());

            // the source goes: its location is no longer watched; the certificate stays, and is not expired by it
            Files.delete(source);
            CertwatchServer.await("the location to become NOT_WATCHED", WAIT, () -> {
                try {
                    return server.gogo("certwatch:locations").contains(" NOT_WATCHED certificate "
                            + second.certificate() + " ");
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode kept = certificate(web, second.certificate());
            assertEquals(second.certificate(), kept.get("id").asLong());
            assertNotEquals("EXPIRED", kept.get("status").asText(), kept.toString());

            Faults.kill(server);
            Faults.restart(server);
            String after = server.awaitGogo("certwatch:locations", WAIT);
            Seen restarted = Seen.of(after);
            assertEquals(new Seen(first.id(), "NOT_WATCHED", second.certificate(), 3), restarted, after);
            web.awaitSignIn(WebClient.basic("root"), WAIT);
            assertEquals(second.certificate(), certificate(web, first.certificate()).get("successorId").asLong());

            // the source is back: the next report sets the state; a new location gets a new id
            CertwatchServer.placeAtomically(TestBundles.testSource(), source);
            server.awaitGogo("testsource:location /srv/site.pem All/Berlin", WAIT);
            awaitSourceDeployed(web);
            Seen back = Seen.of(server.gogo("testsource:report /srv/site.pem All/Berlin " + renewed));
            assertEquals(new Seen(first.id(), "OK", second.certificate(), 0), back);
            Seen other = Seen.of(server.gogo("testsource:report /srv/other.pem All/Berlin " + old));
            assertTrue(other.id() > first.id(), "ids are never reused: " + other);
        }
    }
}
