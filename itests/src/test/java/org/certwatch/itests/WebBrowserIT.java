package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import org.certwatch.agent.Agent;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * Debian's headless Chromium, driven by Debian's chromedriver (explicit paths: nothing is
 * downloaded), logs in, opens the dashboard, the certificate list and a computer's certificate tab
 * at phone width, saves screenshots under {@code target/screenshots/}, and is refused a state
 * change whose CSRF token was removed from the form; logged out, it keeps no HTTP Basic credentials,
 * and a page elsewhere cannot make it post to the API.
 */
class WebBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void logsInBrowsesAndIsRefusedStateChangesWithoutTheCsrfTokenOrFromAnotherSite() throws Exception {
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        try (CertwatchServer server = CertwatchServer.prepare("browser").env("CERTWATCH_KEY_PASSWORD", "it-key-password")) {
            WebUsers.fastPasswords(server);
            // a 60-day server CA caps the enrolled agent's certificate inside the 90-day warning window
            Files.writeString(server.etc().resolve("org.certwatch.store.cfg"), "ca.validity.days=60\n");
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            WebUsers.create(server);
            Path work = Files.createDirectories(server.data().getParent().resolve("browser"));
            WebClient api = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String alice = WebClient.basic("alice");
            // a real agent enrols into alice's group: the computer of the certificate tab
            Agent pc = new Agent(work.resolve("agent"), "127.0.0.1", Integer.parseInt(server.env("CERTWATCH_AGENT_PORT")),
                    "pc-berlin-1.example.org", Clock.systemUTC());
            pc.enrol(server.gogo("certwatch:enrol-token All/Berlin 1"));
            assertTrue(pc.replicate().ok());
            CertwatchServer.await("the computer warns", WAIT, () -> api.getQuietly("/api/v1/computers/" + pc.computerId(), alice)
                    .contains("certificate expires soon"));
            long ca = JSON.readTree(api.send("POST", "/api/v1/cas", "{\"subject\":\"CN=Berlin CA,O=Example\",\"validityDays\":3650}",
                    "Authorization", alice).body()).get("id").asLong();
            long agent = 0;
            for (int i = 1; i <= 4; i++) {
                String notAfter = Instant.now().plus(Duration.ofDays(i == 1 ? 12 : 100 * i)).toString();
                JsonNode c = JSON.readTree(api.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                        + ",\"role\":\"AGENT\",\"host\":\"pc-berlin-" + i + ".example.org\",\"notAfter\":\"" + notAfter + "\"}",
                        "Authorization", alice).body());
                if (i == 1) {
                    agent = c.get("id").asLong();
                }
            }
            String base = "https://localhost:" + api.port;

            try (HeadlessChromium chromium = new HeadlessChromium(work)) {
                WebDriver browser = chromium.browser;
                browser.manage().window().setSize(new Dimension(390, 844)); // a phone
                browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
                browser.get(base + "/");
                assertTrue(browser.getCurrentUrl().contains("/login"), browser.getCurrentUrl());
                browser.findElement(By.name("user")).sendKeys("alice");
                browser.findElement(By.name("password")).sendKeys("alice-password");
                browser.findElement(By.cssSelector("form.box button")).click();
                // a click does not wait for the navigation it starts
                awaitTitle(browser, "Dashboard");
                assertTrue(browser.findElement(By.tagName("svg")).isDisplayed());
                assertTrue(browser.getPageSource().contains("pc-berlin-1.example.org"), browser.getPageSource());
                shot(browser, shots.resolve("dashboard-phone.png"));
                // issue 18: on a phone the header shows who is signed in, and the next expiries show without scrolling
                assertTrue(browser.findElement(By.cssSelector(".logout span")).isDisplayed(), "the user in the header");
                int nextExpiries = browser.findElement(By.xpath("//h2[text()='Next expiries']")).getLocation().getY();
                assertTrue(nextExpiries < 844 - 120, "next expiries at y=" + nextExpiries + " of an 844-pixel screen");

                browser.get(base + "/certificates");
                assertTrue(browser.getPageSource().contains("pc-berlin-4.example.org"));
                shot(browser, shots.resolve("certificates-phone.png"));

                // a running agent replicates every minute; this one-shot one does it again, or after three
                // intervals (under load this test can take that long) its computer would be SILENT
                assertTrue(pc.replicate().ok());
                browser.get(base + "/computers");
                assertTrue(browser.getPageSource().contains("certificate expires soon"));
                browser.findElement(By.linkText("pc-berlin-1.example.org")).click();
                awaitTitle(browser, "Computer pc-berlin-1");
                assertTrue(browser.findElement(By.cssSelector(".tabs")).getText().contains("Certificate"));
                assertTrue(browser.getPageSource().contains("certificate expires soon"));
                shot(browser, shots.resolve("computer-certificate-tab-phone.png"));

                browser.get(base + "/notifications");
                awaitTitle(browser, "Notifications");
                assertTrue(browser.getPageSource().contains("Outbox"));
                shot(browser, shots.resolve("notifications-phone.png"));

                // the certificate page in words (issue 18): who issued it, whether certwatch holds its key
                browser.get(base + "/certificates/" + agent);
                String facts = browser.findElement(By.cssSelector("dl.facts")).getText();
                assertTrue(facts.contains("Issued by") && facts.contains("Berlin CA") && facts.contains("held by certwatch"),
                        facts);
                assertFalse(browser.getPageSource().contains("caId"), browser.getPageSource());
                shot(browser, shots.resolve("certificate-phone.png"));

                // the revoke form without its CSRF token: refused, nothing changes
                browser.get(base + "/certificates/" + agent);
                ((JavascriptExecutor) browser).executeScript(
                        "document.querySelectorAll('form[action$=\"/revoke\"] input[name=csrf]').forEach(e => e.remove());");
                browser.findElement(By.cssSelector("button.danger")).click();
                awaitTitle(browser, "Error 403");
                assertTrue(browser.getPageSource().contains("missing CSRF token"), browser.getPageSource());
                shot(browser, shots.resolve("csrf-refused-phone.png"));
                JsonNode cert = JSON.readTree(api.get("/api/v1/certificates/" + agent, "Authorization", alice).body());
                assertTrue(cert.get("revokedAt").isNull(), "still unrevoked");

                // with the token (the page as served) the same button revokes
                browser.get(base + "/certificates/" + agent);
                browser.findElement(By.cssSelector("button.danger")).click();
                CertwatchServer.await("the revoked certificate's page", WAIT,
                        () -> browser.getPageSource().contains("st-revoked"));
                cert = JSON.readTree(api.get("/api/v1/certificates/" + agent, "Authorization", alice).body());
                assertEquals("REVOKED", cert.get("status").asText());

                browser.manage().window().setSize(new Dimension(1280, 900));
                browser.get(base + "/");
                shot(browser, shots.resolve("dashboard-desktop.png"));

                // logged out, the browser is given Basic credentials once (in the address) and keeps none:
                // a 401 asks for no Basic, so Chromium neither sends them nor remembers them
                browser.findElement(By.cssSelector("form.logout button")).click();
                awaitTitle(browser, "Log in");
                browser.get("https://alice:alice-password@localhost:" + api.port + "/api/v1/status");
                assertTrue(browser.getPageSource().contains("log in first"), browser.getPageSource());
                browser.get(base + "/api/v1/status");
                assertTrue(browser.getPageSource().contains("log in first"), browser.getPageSource());
                // a page elsewhere (here a file) posts a text/plain form shaped as JSON to the API: refused,
                // whatever the browser might remember (Chromium sends Origin: null, Sec-Fetch-Site: cross-site)
                Path evil = Files.writeString(work.resolve("evil.html"), "<!doctype html><form method=\"post\""
                        + " enctype=\"text/plain\" action=\"" + base + "/api/v1/notifications\">"
                        + "<input name='{\"scope\":\"CAS\",\"name\":\"evil' value='\"}'><button id=\"go\">go</button></form>");
                browser.get(evil.toUri().toString());
                browser.findElement(By.id("go")).click();
                CertwatchServer.await("the cross-site post's answer", WAIT, () -> browser.getPageSource().contains("\"status\""));
                assertTrue(browser.getPageSource().contains("cross-site request"), browser.getPageSource());
                shot(browser, shots.resolve("cross-site-refused.png"));
                assertFalse(api.get("/api/v1/notifications", "Authorization", alice).body().contains("evil"));
            }
        }
    }

    private static void awaitTitle(WebDriver browser, String prefix) {
        CertwatchServer.await("a page titled '" + prefix + "…' (now '" + browser.getTitle() + "')", WAIT,
                () -> browser.getTitle().startsWith(prefix));
    }

    private static void shot(WebDriver browser, Path file) throws Exception {
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
