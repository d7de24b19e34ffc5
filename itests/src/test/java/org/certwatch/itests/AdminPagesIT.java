package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.certwatch.agent.Agent;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;

/**
 * The admin tasks without a console, as an administrator does them in headless Chromium on the real
 * server: a group, a user for the metrics, an API token that curl then sends as a Bearer token to
 * {@code /metrics} and the API, and an enrolment token whose page shows the agent command with the
 * token in the environment or a file, never as an argument; a real agent enrols with it. The dashboard
 * names the first steps a new server lacks. A certificate is renewed with the page's button and by the API; a
 * CA made by openssl is imported on the page and deleted, a CA still in use only when forced. A policy made and
 * changed on the page reaches a real agent, and the computer's resource names it as applied. Screenshots of
 * each page go to {@code target/screenshots/admin-*.png}.
 */
class AdminPagesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "admin-password-it";

    @Test
    void anAdministratorCreatesAUserATokenAndAnEnrolmentTokenInTheBrowser() throws Exception {
        Path shots = Files.createDirectories(Path.of("target/screenshots"));
        try (CertwatchServer server = CertwatchServer.prepare("admin-pages").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .env("CERTWATCH_ADMIN_PASSWORD", ADMIN_PASSWORD)) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            Path work = Files.createDirectories(server.data().getParent().resolve("admin-browser"));
            WebClient api = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String admin = basic("admin", ADMIN_PASSWORD);
            CertwatchServer.await("the fleet serves the users", WAIT,
                    () -> api.getQuietly("/api/v1/users", admin).contains("\"admin\""));
            String base = "https://localhost:" + api.port;
            String token;
            String environmentCommand;
            String tokenFileCommand;
            long policy;
            try (HeadlessChromium chromium = new HeadlessChromium(work)) {
                WebDriver browser = chromium.browser;
                browser.manage().window().setSize(new Dimension(1280, 1000));
                browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
                browser.get(base + "/login");
                browser.findElement(By.name("user")).sendKeys("admin");
                browser.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
                browser.findElement(By.cssSelector("form.box button")).click();
                awaitTitle(browser, "Dashboard");
                // a new server notifies nobody: the dashboard says what to set up, each step linked
                WebElement steps = browser.findElement(By.id("first-steps"));
                assertTrue(steps.findElement(By.cssSelector("a[href='/settings']")).getText().contains("SMTP"), steps.getText());
                assertTrue(steps.findElement(By.cssSelector("a[href='/notifications']")).isDisplayed(), steps.getText());
                assertFalse(steps.getText().contains("password"), "admin's password came from the environment: " + steps.getText());
                shot(browser, shots.resolve("admin-first-steps.png"));

                browser.get(base + "/groups");
                WebElement path = browser.findElement(By.name("path"));
                path.clear();
                path.sendKeys("All/Berlin");
                submit(browser, "/groups");
                awaitTitle(browser, "Groups");
                assertTrue(browser.getPageSource().contains("All/Berlin"));
                shot(browser, shots.resolve("admin-groups.png"));
                // issue 18: a group renamed on the page, in its own row's form
                path = browser.findElement(By.name("path"));
                path.clear();
                path.sendKeys("All/Lab");
                submit(browser, "/groups");
                CertwatchServer.await("the group All/Lab", WAIT, () -> !browser.findElements(By.id("group-lab")).isEmpty());
                WebElement rename = browser.findElement(By.cssSelector("form[action='/groups/lab/rename']"));
                rename.findElement(By.name("name")).clear();
                rename.findElement(By.name("name")).sendKeys("Lab-2");
                rename.findElement(By.tagName("button")).click();
                CertwatchServer.await("the renamed group's row", WAIT, () -> !browser.findElements(By.id("group-lab-2")).isEmpty());
                assertTrue(browser.findElement(By.id("group-lab-2")).getText().contains("All/Lab-2"));
                assertTrue(browser.findElements(By.id("group-lab")).isEmpty(), "the old row is gone");
                shot(browser, shots.resolve("admin-groups-renamed.png"));

                browser.get(base + "/users");
                WebElement form = browser.findElement(By.cssSelector("form[action='/users']"));
                form.findElement(By.name("name")).sendKeys("metrics");
                form.findElement(By.name("perm.CERTIFICATES_READ")).click();
                form.findElement(By.name("password")).sendKeys("metrics-password-1");
                form.findElement(By.tagName("button")).click();
                CertwatchServer.await("the new user's section", WAIT, () -> browser.getPageSource().contains("id=\"user-metrics\""));
                shot(browser, shots.resolve("admin-users.png"));

                browser.get(base + "/tokens");
                browser.findElement(By.name("name")).sendKeys("prometheus");
                submit(browser, "/tokens");
                CertwatchServer.await("the new token", WAIT, () -> !browser.findElements(By.cssSelector("pre.token")).isEmpty());
                token = browser.findElement(By.cssSelector("pre.token")).getText().trim();
                shot(browser, shots.resolve("admin-tokens.png"));

                browser.get(base + "/enrolment");
                browser.findElement(By.xpath("//select[@name='group']/option[text()='All/Berlin']")).click();
                WebElement uses = browser.findElement(By.name("uses"));
                uses.clear();
                uses.sendKeys("2");
                submit(browser, "/enrolment");
                CertwatchServer.await("the enrolment command", WAIT,
                        () -> !browser.findElements(By.id("command-environment")).isEmpty());
                environmentCommand = browser.findElement(By.id("command-environment")).getText().trim();
                tokenFileCommand = browser.findElement(By.id("command-token-file")).getText().trim();
                shot(browser, shots.resolve("admin-enrolment.png"));
                browser.get(base + "/enrolment");
                assertTrue(browser.getPageSource().contains("All/Berlin"), "listed");
                assertFalse(browser.getPageSource().contains(environmentCommand), "shown once");

                // a policy for the Berlin agents on the page: a certificate per computer from the first CA, trusting it
                long firstCa = 1;
                browser.get(base + "/policies");
                WebElement policyForm = browser.findElement(By.cssSelector("form[action='/policies']"));
                policyForm.findElement(By.xpath(".//select[@name='group']/option[text()='All/Berlin']")).click();
                policyForm.findElement(By.xpath(".//select[@name='component']/option[text()='AGENT']")).click();
                policyForm.findElement(By.cssSelector("input[name='source'][value='ca']")).click();
                policyForm.findElement(By.xpath(".//select[@name='issuingCaId']/option[@value='" + firstCa + "']")).click();
                policyForm.findElement(By.name("trust." + firstCa)).click();
                policyForm.findElement(By.name("description")).sendKeys("Berlin agents");
                policyForm.findElement(By.tagName("button")).click();
                CertwatchServer.await("the new policy's row", WAIT, () -> browser.getPageSource().contains("id=\"policy-"));
                JsonNode policies = JSON.readTree(api.send("GET", "/api/v1/policies", null, "Authorization", admin).body()).get("items");
                assertEquals(1, policies.size(), policies.toString());
                policy = policies.get(0).get("id").asLong();
                assertEquals("All/Berlin", policies.get(0).get("group").asText());
                assertEquals(firstCa, policies.get(0).get("issuingCaId").asLong());
                assertFalse(policies.get(0).has("certificateId"), policies.toString());
                shot(browser, shots.resolve("admin-policies.png"));
                // its own page changes it
                browser.get(base + "/policies/" + policy);
                WebElement description = browser.findElement(By.name("description"));
                description.clear();
                description.sendKeys("Berlin agents, first CA");
                submit(browser, "/policies/" + policy);
                CertwatchServer.await("the changed description", WAIT,
                        () -> browser.getPageSource().contains("Berlin agents, first CA"));
                // what the API refuses: an unknown CA (422), the group of a policy (422); a second policy made and deleted
                WebClient.Reply unknownCa = api.send("POST", "/api/v1/policies", "{\"group\":\"All/Berlin\",\"component\":\"MDM\","
                        + "\"issuingCaId\":999}", "Authorization", admin);
                assertEquals(422, unknownCa.status(), unknownCa.body());
                assertTrue(unknownCa.body().contains("unknown CA 999"), unknownCa.body());
                WebClient.Reply unknownGroup = api.send("POST", "/api/v1/policies", "{\"group\":\"All/Nowhere\",\"component\":\"MDM\","
                        + "\"issuingCaId\":" + firstCa + "}", "Authorization", admin);
                assertEquals(422, unknownGroup.status(), unknownGroup.body());
                WebClient.Reply proxies = api.send("POST", "/api/v1/policies", "{\"group\":\"All\",\"component\":\"PROXY\","
                        + "\"issuingCaId\":" + firstCa + "}", "Authorization", admin);
                assertEquals(201, proxies.status(), proxies.body());
                long proxyPolicy = JSON.readTree(proxies.body()).get("id").asLong();
                assertEquals(200, api.send("PUT", "/api/v1/policies/" + proxyPolicy, "{\"issuingCaId\":" + firstCa
                        + ",\"trustedCaIds\":[" + firstCa + "]}", "Authorization", admin).status());
                browser.get(base + "/policies");
                submit(browser, "/policies/" + proxyPolicy + "/delete");
                CertwatchServer.await("the second policy deleted", WAIT,
                        () -> api.getQuietly("/api/v1/policies", admin).contains("\"total\":1"));

                // renewal, as every expiry mail asks: the button on the certificate page makes the successor
                long ca = JSON.readTree(api.send("POST", "/api/v1/cas", "{\"subject\":\"CN=Renewal CA\"}", "Authorization", admin)
                        .body()).get("id").asLong();
                long old = JSON.readTree(api.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                        + ",\"role\":\"SERVER\",\"host\":\"shop.example.org\"}", "Authorization", admin).body()).get("id").asLong();
                browser.get(base + "/certificates/" + old);
                submit(browser, "/certificates/" + old + "/renew");
                CertwatchServer.await("the successor's page", WAIT, () -> !browser.getCurrentUrl().endsWith("/certificates/" + old)
                        && browser.getTitle().startsWith("Certificate "));
                shot(browser, shots.resolve("admin-renewed.png"));
                long successor = Long.parseLong(browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1));
                assertEquals(successor, JSON.readTree(api.send("GET", "/api/v1/certificates/" + old, null, "Authorization", admin)
                        .body()).get("successorId").asLong());
                // and by the API, with a token: the successor's successor
                WebClient.Reply renewed = api.send("POST", "/api/v1/certificates/" + successor + "/renew", "{}",
                        "Authorization", "Bearer " + token);
                assertEquals(201, renewed.status(), renewed.body());
                assertEquals(409, api.send("POST", "/api/v1/certificates/" + old + "/renew", null, "Authorization", admin).status(),
                        "renewed already");

                // a CA made elsewhere (openssl), imported on the page as certificate and key PEM
                Path caKey = work.resolve("imported-ca.key");
                Path caCert = work.resolve("imported-ca.pem");
                Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "3650", "-subj", "/CN=Imported CA",
                        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
                        .redirectErrorStream(true).start();
                String opensslOut = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, openssl.waitFor(), opensslOut);
                browser.get(base + "/cas/new");
                WebElement importForm = browser.findElement(By.cssSelector("form[action='/cas/import']"));
                setValue(browser, importForm.findElement(By.name("certificatePem")), Files.readString(caCert));
                setValue(browser, importForm.findElement(By.name("keyPem")), Files.readString(caKey));
                importForm.findElement(By.tagName("button")).click();
                CertwatchServer.await("the imported CA's page", WAIT, () -> browser.getTitle().startsWith("CA ")
                        && browser.getPageSource().contains("Imported CA"));
                shot(browser, shots.resolve("admin-ca-imported.png"));
                long imported = Long.parseLong(browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1));
                JsonNode importedCa = JSON.readTree(api.send("GET", "/api/v1/cas/" + imported, null, "Authorization", admin).body());
                assertTrue(importedCa.get("hasKey").asBoolean() && importedCa.get("imported").asBoolean(), importedCa.toString());
                // the store's guard: the renewal CA still has valid certificates; only a reason forces it
                WebClient.Reply refused = api.send("DELETE", "/api/v1/cas/" + ca, null, "Authorization", admin);
                assertEquals(409, refused.status(), refused.body());
                WebClient.Reply forced = api.send("DELETE", "/api/v1/cas/" + ca, "{\"forceReason\":\"test of the forced deletion\"}",
                        "Authorization", admin);
                assertEquals(200, forced.status(), forced.body());
                assertTrue(forced.body().matches("(?s).*\"deletedAt\":\"[^\"]+\".*"), forced.body());
                browser.get(base + "/cas/" + imported);
                submit(browser, "/cas/" + imported + "/delete");
                CertwatchServer.await("the imported CA deleted", WAIT, () -> api.getQuietly("/api/v1/cas/" + imported, admin)
                        .matches("(?s).*\"deletedAt\":\"[^\"]+\".*"));
            }

            // curl, as a script or Prometheus would, with the token as a Bearer token and the served CA
            assertTrue(token.startsWith("cwapi_"), token);
            List<String> metrics = curl(api, "/metrics", token);
            assertEquals("200", metrics.get(0), metrics.toString());
            assertTrue(metrics.get(1).contains("x509_cert_expires_in_seconds"), metrics.get(1));
            assertEquals("401", curl(api, "/metrics", token.substring(0, token.length() - 2) + "xx").get(0));
            String listed = api.send("GET", "/api/v1/tokens", null, "Authorization", "Bearer " + token).body();
            assertTrue(listed.contains("\"name\":\"prometheus\"") && listed.contains("\"lastUsedAt\"") && !listed.contains(token), listed);
            assertEquals(200, api.send("GET", "/metrics", null, "Authorization", basic("metrics", "metrics-password-1"))
                    .status(), "the user made on the page logs in");

            // the enrolment command: the token only in the environment or a file, never an argument
            String enrolment = environmentCommand.substring(environmentCommand.indexOf("'") + 1, environmentCommand.indexOf("' "));
            assertTrue(enrolment.startsWith("cwt1."), environmentCommand);
            assertTrue(environmentCommand.startsWith("CERTWATCH_ENROLMENT_TOKEN='" + enrolment + "' bin/certwatch agent --server localhost:"
                    + server.env("CERTWATCH_AGENT_PORT") + " "), environmentCommand);
            assertFalse(environmentCommand.contains("--token "), environmentCommand);
            assertTrue(tokenFileCommand.contains("> enrolment-token;") && tokenFileCommand.endsWith("--token-file enrolment-token"),
                    tokenFileCommand);
            Agent pc = new Agent(work.resolve("agent"), "127.0.0.1", Integer.parseInt(server.env("CERTWATCH_AGENT_PORT")),
                    "pc-berlin-1.example.org", Clock.systemUTC());
            pc.enrol(enrolment);
            Agent.Outcome first = pc.replicate();
            assertTrue(first.ok(), first.message());
            String computer = api.send("GET", "/api/v1/computers/" + pc.computerId(), null, "Authorization", admin).body();
            assertTrue(computer.contains("\"All/Berlin\""), computer);
            // the policy made on the page reaches the real agent at once, which confirms it next time; the
            // computer's resource follows it
            assertEquals(policy, first.appliedPolicy(), first.message());
            Agent.Outcome confirmed = pc.replicate();
            assertTrue(confirmed.ok(), confirmed.message());
            JsonNode applied = JSON.readTree(api.send("GET", "/api/v1/computers/" + pc.computerId(), null, "Authorization", admin)
                    .body()).get("policy");
            assertEquals(policy, applied.get("id").asLong(), applied.toString());
            assertEquals("APPLIED", applied.get("state").asText(), applied.toString());
            String tokens = api.send("GET", "/api/v1/enrolment-tokens", null, "Authorization", admin).body();
            assertTrue(tokens.contains("\"usesLeft\":1") && !tokens.contains(enrolment), tokens);

            // each change once in the audit log, by the fleet
            List<String> audit = Files.readAllLines(server.data().resolve("audit/audit.log"));
            assertEquals(1, audit.stream().filter(l -> l.contains("\"action\":\"api-token.create\"")).count(), audit.toString());
            assertEquals(1, audit.stream().filter(l -> l.contains("\"action\":\"user.create\"") && l.contains("user:metrics"))
                    .count(), audit.toString());
            assertEquals(2, audit.stream().filter(l -> l.contains("\"action\":\"policy.create\"") && l.contains("\"ok")).count(),
                    audit.toString());
            assertEquals(2, audit.stream().filter(l -> l.contains("\"action\":\"policy.create\"") && l.contains("refused")).count(),
                    audit.toString());
            assertEquals(1, audit.stream().filter(l -> l.contains("\"action\":\"policy.delete\"")).count(), audit.toString());
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** curl with the served CA and a Bearer token: status code, then the body. */
    private static List<String> curl(WebClient api, String path, String token) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--cacert", api.caPem.toString(), "-H", "Authorization: Bearer " + token,
                "-w", "\n%{http_code}", "https://localhost:" + api.port + path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        int cut = out.lastIndexOf('\n');
        List<String> result = new ArrayList<>();
        result.add(out.substring(cut + 1).trim());
        result.add(out.substring(0, Math.max(cut, 0)));
        return result;
    }

    /** A long value typed at once (sendKeys of a PEM types it key by key). */
    private static void setValue(WebDriver browser, WebElement field, String value) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", field, value);
    }

    /**
     * Returns once the answer replaced the page: a page of the same title would otherwise pass for it. The old
     * page's window carries a mark that a new document does not have.
     */
    private static void submit(WebDriver browser, String action) {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("window.certwatchBeforeSubmit = true;");
        browser.findElement(By.cssSelector("form[action='" + action + "'] button")).click();
        CertwatchServer.await("the answer to the form " + action, WAIT, () -> {
            try {
                return Boolean.TRUE.equals(page.executeScript(
                        "return document.readyState === 'complete' && window.certwatchBeforeSubmit !== true;"));
            } catch (WebDriverException navigating) {
                return false;
            }
        });
    }

    private static void awaitTitle(WebDriver browser, String prefix) {
        CertwatchServer.await("a page titled '" + prefix + "…' (now '" + browser.getTitle() + "')", WAIT,
                () -> browser.getTitle().startsWith(prefix));
    }

    private static void shot(WebDriver browser, Path file) throws Exception {
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
