package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Debian's Prometheus scrapes {@code /metrics} over HTTPS, trusting the served CA and sending an API
 * token from a credentials file, as the README tells an admin to set it up; its target is up, and an
 * alert rule on {@code x509_cert_expires_in_seconds} fires for a certificate that runs out in 5 days
 * and not for one that runs out in a year. Prometheus runs on an ephemeral port with its own
 * configuration and data under {@code target/}, scraping every 5 and evaluating every second.
 */
class PrometheusIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "admin-password-it";

    @Test
    void prometheusScrapesWithABearerTokenAndAlertsOnTheCertificateRunningOutSoon() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("prometheus").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .env("CERTWATCH_ADMIN_PASSWORD", ADMIN_PASSWORD)) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            Path work = Files.createDirectories(server.data().getParent().resolve("prometheus"));
            WebClient api = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String admin = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            CertwatchServer.await("the fleet serves the users", WAIT,
                    () -> api.getQuietly("/api/v1/users", admin).contains("\"admin\""));
            // the metrics user of the README, with a token for Prometheus
            assertEquals(201, api.send("POST", "/api/v1/users", "{\"name\":\"metrics\",\"homeGroup\":\"All\","
                    + "\"permissions\":[\"CERTIFICATES_READ\"],\"password\":\"metrics-password-1\"}", "Authorization", admin).status());
            String metricsUser = "Basic " + java.util.Base64.getEncoder().encodeToString("metrics:metrics-password-1"
                    .getBytes(StandardCharsets.UTF_8));
            WebClient.Reply created = api.send("POST", "/api/v1/tokens", "{\"name\":\"prometheus\"}", "Authorization", metricsUser);
            assertEquals(201, created.status(), created.body());
            JsonNode token = JSON.readTree(created.body());
            Path tokenFile = work.resolve("certwatch-token");
            Files.writeString(tokenFile, token.get("token").asText());
            Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));

            long ca = JSON.readTree(api.send("POST", "/api/v1/cas", "{\"subject\":\"CN=Alert CA\",\"validityDays\":3650}",
                    "Authorization", admin).body()).get("id").asLong();
            for (String[] c : new String[][] {{"soon.example.org", "5"}, {"later.example.org", "365"}}) {
                String notAfter = Instant.now().plus(Duration.ofDays(Long.parseLong(c[1]))).toString();
                assertEquals(201, api.send("POST", "/api/v1/certificates", "{\"caId\":" + ca + ",\"role\":\"SERVER\",\"host\":\""
                        + c[0] + "\",\"notAfter\":\"" + notAfter + "\"}", "Authorization", admin).status());
            }

            int port = CertwatchServer.freeTcpPort();
            Files.writeString(work.resolve("rules.yml"), """
                    groups:
                      - name: certwatch
                        rules:
                          - alert: CertificateExpiresSoon
                            expr: x509_cert_expires_in_seconds < 7 * 86400
                    """);
            Files.writeString(work.resolve("prometheus.yml"), """
                    global: { scrape_interval: 5s, scrape_timeout: 5s, evaluation_interval: 1s }
                    rule_files: [ rules.yml ]
                    scrape_configs:
                      - job_name: certwatch
                        scheme: https
                        tls_config: { ca_file: %s }
                        authorization: { credentials_file: %s }
                        static_configs: [ { targets: [ 'localhost:%d' ] } ]
                    """.formatted(api.caPem.toAbsolutePath(), tokenFile.toAbsolutePath(), api.port));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + work.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + port + "/api/v1/";
                CertwatchServer.await("Prometheus' target up (" + work.resolve("prometheus.log") + ")", WAIT, () -> {
                    JsonNode targets = get(http, base + "targets");
                    return targets != null && targets.at("/data/activeTargets/0/health").asText().equals("up");
                });
                CertwatchServer.await("the alert for soon.example.org firing", WAIT, () -> {
                    JsonNode alerts = get(http, base + "alerts");
                    if (alerts == null) {
                        return false;
                    }
                    for (JsonNode a : alerts.at("/data/alerts")) {
                        if (a.at("/labels/subject_CN").asText().equals("soon.example.org") && a.path("state").asText().equals("firing")) {
                            return true;
                        }
                    }
                    return false;
                });
                JsonNode alerts = get(http, base + "alerts");
                for (JsonNode a : alerts.at("/data/alerts")) {
                    assertTrue(!a.at("/labels/subject_CN").asText().equals("later.example.org"), "no alert for a year: " + alerts);
                }
                JsonNode lastError = get(http, base + "targets").at("/data/activeTargets/0/lastError");
                assertEquals("", lastError.asText(), "scrapes succeed");
                String listed = api.send("GET", "/api/v1/tokens", null, "Authorization", metricsUser).body();
                assertTrue(listed.contains("\"lastUsedAt\""), "the scrapes used the token: " + listed);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A Prometheus API answer, or null while it does not answer yet. */
    private static JsonNode get(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
