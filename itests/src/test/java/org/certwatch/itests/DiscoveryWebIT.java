package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.SelfSignedKeyStore;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Issue 17's discovery and endpoints through the web on the real server with the real TLS probe: a range over
 * 127.0.0.1/30 (loopback only) finds a JDK TLS server on an ephemeral port; in Chromium a server administrator
 * approves the candidate, checks the endpoint and reads its findings and the chain it presented; curl-style API
 * calls show a group administrator is refused. Skipped while the distribution's source-tls bundle is the skeleton.
 */
class DiscoveryWebIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDiscoveredEndpointIsApprovedCheckedAndShownWithItsFindings() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("discovery-web")) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            WebUsers.create(server);
            Path work = Files.createDirectories(server.data().getParent().resolve("discovery-web"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String root = WebClient.basic("root");
            web.awaitSignIn(root, WAIT);
            CertwatchServer.await("discovery is deployed", WAIT,
                    () -> web.getQuietly("/api/v1/discovery/ranges", root).contains("\"items\""));

            KeyStore keys = SelfSignedKeyStore.p256(work, "CN=found.example");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, SelfSignedKeyStore.PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            try (SSLServerSocket tls = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getByName("127.0.0.1"))) {
                Thread serving = new Thread(() -> serve(tls), "it-tls-server");
                serving.start();
                int port = tls.getLocalPort();

                WebClient.Reply refused = web.send("POST", "/api/v1/discovery/ranges", "{\"addresses\":"
                        + "\"127.0.0.1/30\",\"ports\":[" + port + "]}", "Authorization", WebClient.basic("alice"),
                        "Content-Type", "application/json");
                assertEquals(403, refused.status(), refused.body());
                WebClient.Reply created = web.send("POST", "/api/v1/discovery/ranges", "{\"addresses\":"
                        + "\"127.0.0.1/30\",\"ports\":[" + port + "],\"homeGroup\":\"All/Berlin\"}", "Authorization",
                        root, "Content-Type", "application/json");
                assertEquals(201, created.status(), created.body());
                String range = JSON.readTree(created.body()).get("id").asText();
                assertEquals(202, web.send("POST", "/api/v1/discovery/ranges/" + range + "/run", null,
                        "Authorization", root).status());
                CertwatchServer.await("the scan lists the TLS server", WAIT, () -> web.getQuietly(
                        "/api/v1/discovery/candidates", root).contains("\"port\":" + port));

                String base = "https://localhost:" + web.port;
                try (HeadlessChromium chromium = new HeadlessChromium(work)) {
                    WebDriver browser = chromium.browser;
                    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
                    browser.get(base + "/login");
                    browser.findElement(By.name("user")).sendKeys("root");
                    browser.findElement(By.name("password")).sendKeys("root-password");
                    browser.findElement(By.cssSelector("form.box button")).click();
                    awaitTitle(browser, "Dashboard");
                    browser.get(base + "/discovery");
                    awaitTitle(browser, "Discovery");
                    assertTrue(browser.getPageSource().contains("CN=found.example"), browser.getPageSource());
                    browser.findElement(By.xpath("//form[@action='/discovery/candidates/approve']/button")).click();
                    awaitTitle(browser, "Discovery");
                    browser.get(base + "/endpoints");
                    awaitTitle(browser, "TLS endpoints");
                    browser.findElement(By.linkText("tls://127.0.0.1:" + port)).click();
                    awaitTitle(browser, "Endpoint tls://127.0.0.1:" + port);
                    browser.findElement(By.xpath("//button[text()='Check now']")).click();
                    CertwatchServer.await("the endpoint's check shows its findings", WAIT, () -> {
                        browser.navigate().refresh();
                        return browser.getPageSource().contains("the chain presented and its findings");
                    });
                    assertTrue(browser.getPageSource().contains("self signed"), browser.getPageSource());
                    browser.findElement(By.linkText("the chain presented and its findings")).click();
                    awaitTitle(browser, "Location ");
                    String page = browser.getPageSource();
                    assertTrue(page.contains("CN=found.example") && page.contains("handshake"), page);
                }
                JsonNode endpoints = JSON.readTree(web.get("/api/v1/endpoints", "Authorization", root).body());
                JsonNode endpoint = endpoints.get("items").get(0);
                assertEquals("All/Berlin", endpoint.get("homeGroup").asText(), endpoints.toString());
                assertTrue(endpoint.get("location").get("findings").toString().contains("SELF_SIGNED"),
                        endpoints.toString());
                assertTrue(web.get("/api/v1/audit?action=web.discovery", "Authorization", root).body()
                        .contains("web.discovery.approve"));
            }
        }
    }

    private static void serve(SSLServerSocket tls) {
        while (!tls.isClosed()) {
            try (SSLSocket s = (SSLSocket) tls.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                try (InputStream in = s.getInputStream()) {
                    in.read();
                }
            } catch (IOException e) {
                // a probe hung up after the handshake (or offered an old protocol), or the server closed
            }
        }
    }

    private static void awaitTitle(WebDriver browser, String prefix) {
        CertwatchServer.await("a page titled '" + prefix + "…' (now '" + browser.getTitle() + "')", WAIT,
                () -> browser.getTitle().startsWith(prefix));
    }

}
