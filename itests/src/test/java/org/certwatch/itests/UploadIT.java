package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * Issue 16, item 4 on the real server: certificates made by openssl are uploaded with curl (PEM, and a PKCS#12
 * with its password in a header) and with headless Chromium through the upload form, into the caller's group
 * only; wrong passwords, passwords in the URL, other groups, and uploads without the CSRF token or from another
 * site are refused and change nothing. Issue 18: CAs exported by {@code openssl pkcs12 -export} (today's AES, the
 * legacy RC2/3DES and 3DES alone) are imported with curl and, through the CA form, in Chromium (screenshot
 * {@code ca-imported-from-pkcs12.png} in the test's work folder); a wrong password is a problem+json naming it and
 * stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CertwatchServer server;
    private WebClient web;
    private Path work;
    private String base;
    private long shopId;

    @BeforeAll
    void start() throws Exception {
        server = CertwatchServer.prepare("upload").env("CERTWATCH_KEY_PASSWORD", "it-key-password");
        WebUsers.fastPasswords(server);
        server.startAndAwaitReady();
        server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
        WebUsers.create(server);
        work = Files.createDirectories(server.data().getParent().resolve("upload-it"));
        web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
        web.awaitSignIn(WebClient.basic("alice"), WAIT);
        base = "https://localhost:" + web.port;
        for (String name : new String[] {"shop", "shop2", "shop3", "shop4", "shop5"}) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name + ".example", "-days", "30",
                    "-addext", "subjectAltName=DNS:" + name + ".example,DNS:www." + name + ".example");
        }
        openssl("pkcs12", "-export", "-in", "shop2.pem", "-inkey", "shop2.key", "-passout", "pass:p12-secret",
                "-out", "shop2.p12");
        openssl("pkcs12", "-export", "-in", "shop5.pem", "-inkey", "shop5.key", "-passout", "pass:jks-secret",
                "-name", "web", "-out", "shop5.p12");
        // issue 18, item 1: CAs made by openssl as PKCS#12 (today's AES, the legacy RC2/3DES and 3DES alone)
        for (String name : new String[] {"ca-aes", "ca-legacy", "ca-3des", "ca-page"}) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    name + ".key", "-out", name + ".pem", "-subj", "/CN=" + name + " import", "-days", "3650",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        }
        openssl("pkcs12", "-export", "-in", "ca-aes.pem", "-inkey", "ca-aes.key", "-passout", "pass:ca-secret",
                "-out", "ca-aes.p12");
        openssl("pkcs12", "-export", "-legacy", "-in", "ca-legacy.pem", "-inkey", "ca-legacy.key", "-passout",
                "pass:ca-secret", "-out", "ca-legacy.p12");
        openssl("pkcs12", "-export", "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1",
                "-in", "ca-3des.pem", "-inkey", "ca-3des.key", "-passout", "pass:ca-secret", "-out", "ca-3des.p12");
        openssl("pkcs12", "-export", "-in", "ca-page.pem", "-inkey", "ca-page.key", "-passout", "pass:ca-secret",
                "-out", "ca-page.p12");
        WebClient.run(work, "keytool", "-importkeystore", "-srckeystore", "shop5.p12", "-srcstoretype", "PKCS12",
                "-srcstorepass", "jks-secret", "-destkeystore", "shop5.jks", "-deststoretype", "JKS",
                "-deststorepass", "jks-secret");
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String openssl(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return WebClient.run(work, command);
    }

    /** curl's answer: the status, then the body. */
    private record Curl(int status, String body, String type) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Curl curl(String path, String file, String type, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", web.caPem.toString(), "-o", "body.out",
                "-w", "%{http_code} %{content_type}", "-H", "Content-Type: " + type, "--data-binary", "@" + file));
        command.addAll(List.of(more));
        command.add(base + path);
        String[] status = WebClient.run(work, command.toArray(String[]::new)).trim().split(" ", 2);
        return new Curl(Integer.parseInt(status[0]), Files.readString(work.resolve("body.out")),
                status.length > 1 ? status[1].split(";")[0] : "");
    }

    private String fingerprint(String pem) throws Exception {
        return openssl("x509", "-in", pem, "-noout", "-fingerprint", "-sha256").trim().replaceFirst(".*=", "")
                .replace(":", "").toLowerCase();
    }

    @Test
    @Order(1)
    void curlUploadsAPemIntoTheCallersGroupWithItsSubjectAltNamesAndAgainItIsAlreadyPresent() throws Exception {
        Curl r = curl("/api/v1/certificates/import", "shop.pem", "application/x-pem-file", "-u", "alice:alice-password");
        assertEquals(201, r.status(), r.body());
        JsonNode c = r.json().get("imported").get(0);
        shopId = c.get("id").asLong();
        assertEquals("MONITORED", c.get("role").asText());
        assertEquals("All/Berlin", c.get("homeGroup").asText());
        assertEquals(fingerprint("shop.pem"), c.get("fingerprint").asText());
        assertTrue(c.get("subjectAltNames").toString().contains("{\"type\":\"DNS\",\"value\":\"www.shop.example\"}"),
                c.toString());
        Curl again = curl("/api/v1/certificates/import", "shop.pem", "application/octet-stream", "-u",
                "alice:alice-password");
        assertEquals(201, again.status(), again.body());
        assertEquals(0, again.json().get("imported").size(), again.body());
        assertEquals(shopId, again.json().get("alreadyPresent").get(0).get("certificateId").asLong(), again.body());
        // bob (Hamburg) neither sees it nor can upload into Berlin
        assertEquals(404, web.get("/api/v1/certificates/" + shopId, "Authorization", WebClient.basic("bob")).status());
        Curl intoBerlin = curl("/api/v1/certificates/import?group=All/Berlin", "shop3.pem", "application/x-pem-file",
                "-u", "bob:bob-password");
        assertEquals(400, intoBerlin.status(), intoBerlin.body());
        assertTrue(intoBerlin.body().contains("unknown group 'All/Berlin'"), intoBerlin.body());
    }

    @Test
    @Order(2)
    void aPkcs12NeedsItsPasswordInTheHeaderNeverInTheUrl() throws Exception {
        Curl inUrl = curl("/api/v1/certificates/import?password=p12-secret", "shop2.p12", "application/x-pkcs12", "-u",
                "alice:alice-password");
        assertEquals(400, inUrl.status(), inUrl.body());
        assertTrue(inUrl.body().contains("X-Certwatch-Password"), inUrl.body());
        Curl wrong = curl("/api/v1/certificates/import", "shop2.p12", "application/x-pkcs12", "-u",
                "alice:alice-password", "-H", "X-Certwatch-Password: not-it");
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.body().contains("password does not open"), wrong.body());
        Curl right = curl("/api/v1/certificates/import", "shop2.p12", "application/x-pkcs12", "-u",
                "alice:alice-password", "-H", "X-Certwatch-Password: p12-secret");
        assertEquals(201, right.status(), right.body());
        JsonNode c = right.json().get("imported").get(0);
        assertEquals(fingerprint("shop2.pem"), c.get("fingerprint").asText());
        String audit = web.get("/api/v1/audit?action=web.certificate.import", "Authorization", WebClient.basic("root"))
                .body();
        assertTrue(audit.contains("refused: ") && !audit.contains("p12-secret") && !audit.contains("not-it"), audit);
    }

    @Test
    @Order(6) // last: the tests before it count what is stored
    void aJavaKeystoreMadeByKeytoolUploadsWithItsPassword() throws Exception {
        Curl wrong = curl("/api/v1/certificates/import", "shop5.jks", "application/octet-stream", "-u",
                "alice:alice-password", "-H", "X-Certwatch-Password: not-it");
        assertEquals(422, wrong.status(), wrong.body());
        assertTrue(wrong.body().contains("password does not open this Java keystore"), wrong.body());
        Curl right = curl("/api/v1/certificates/import", "shop5.jks", "application/octet-stream", "-u",
                "alice:alice-password", "-H", "X-Certwatch-Password: jks-secret");
        assertEquals(201, right.status(), right.body());
        assertEquals(fingerprint("shop5.pem"), right.json().get("imported").get(0).get("fingerprint").asText());
    }

    @Test
    @Order(3)
    void aSessionUploadNeedsTheCsrfTokenAndNoOtherSiteMayPostIt() throws Exception {
        String[] session = web.login("alice");
        Curl noToken = curl("/api/v1/certificates/import", "shop3.pem", "application/x-pem-file", "-H",
                "Cookie: " + session[0]);
        assertEquals(403, noToken.status(), noToken.body());
        assertTrue(noToken.body().contains("CSRF"), noToken.body());
        Curl crossSite = curl("/api/v1/certificates/import", "shop3.pem", "application/x-pem-file", "-H",
                "Cookie: " + session[0], "-H", "X-CSRF-Token: " + session[1], "-H", "Origin: https://evil.example");
        assertEquals(403, crossSite.status(), crossSite.body());
        assertTrue(crossSite.body().contains("cross-site"), crossSite.body());
        assertTrue(web.get("/api/v1/certificates?role=MONITORED", "Authorization", WebClient.basic("alice")).body()
                .contains("\"total\":2"), "nothing more was stored");
    }

    @Test
    @Order(4)
    void chromiumUploadsThroughTheFormAndTheCertificatePageOffersToStopMonitoring() throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium(work)) {
            WebDriver browser = chromium.browser;
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            browser.get(base + "/login");
            browser.findElement(By.name("user")).sendKeys("alice");
            browser.findElement(By.name("password")).sendKeys("alice-password");
            browser.findElement(By.cssSelector("form.box button")).click();
            CertwatchServer.await("the dashboard", WAIT, () -> browser.getTitle().startsWith("Dashboard"));
            browser.get(base + "/upload");
            browser.findElement(By.name("file")).sendKeys(work.resolve("shop3.pem").toAbsolutePath().toString());
            browser.findElement(By.cssSelector("form.box button")).click();
            CertwatchServer.await("the upload's result (now '" + browser.getTitle() + "')", WAIT,
                    () -> browser.getTitle().startsWith("Uploaded"));
            String result = browser.getPageSource();
            assertTrue(result.contains("shop3.pem: 1 imported, 0 already present") && result.contains("CN=shop3.example"),
                    result);
            browser.findElement(By.linkText("CN=shop3.example")).click();
            CertwatchServer.await("the certificate page", WAIT, () -> browser.getTitle().startsWith("Certificate "));
            assertTrue(browser.getPageSource().contains("Stop monitoring"), browser.getPageSource());
        }
        JsonNode list = JSON.readTree(web.get("/api/v1/certificates?role=MONITORED", "Authorization",
                WebClient.basic("alice")).body());
        assertEquals(3, list.get("total").asInt(), list.toString());
    }

    @Test
    @Order(5)
    void anUploadThatReplacesAMonitoredCertificateMakesItsSuccessorAndTheOldOneStopsAlarming() throws Exception {
        String alice = WebClient.basic("alice");
        String expiring = "certificate CN=shop.example expires in";
        assertTrue(web.get("/api/v1/attention", "Authorization", alice).body().contains(expiring),
                "30 days left: expiring");
        Curl issued = curl("/api/v1/certificates/import?replaces=1", "shop4.pem", "application/x-pem-file", "-u",
                "root:root-password");
        assertEquals(409, issued.status(), issued.body());
        assertTrue(issued.body().contains("issued by certwatch"), issued.body());
        Curl r = curl("/api/v1/certificates/import?replaces=" + shopId, "shop4.pem", "application/x-pem-file", "-u",
                "alice:alice-password");
        assertEquals(201, r.status(), r.body());
        long successor = r.json().get("imported").get(0).get("id").asLong();
        JsonNode old = JSON.readTree(web.get("/api/v1/certificates/" + shopId, "Authorization", alice).body());
        assertEquals(successor, old.get("successorId").asLong(), old.toString());
        String attention = web.get("/api/v1/attention", "Authorization", alice).body();
        assertTrue(!attention.contains(expiring) && attention.contains("certificate CN=shop4.example expires in"),
                "the replaced certificate no longer needs attention, its successor does: " + attention);
    }

    @Test
    @Order(6)
    void casFromOpensslPkcs12FilesAreImportedByTheApiAndAWrongPasswordStoresNothing() throws Exception {
        String alice = WebClient.basic("alice");
        int before = JSON.readTree(web.get("/api/v1/cas", "Authorization", alice).body()).get("total").asInt();
        Curl wrong = importCa("ca-aes.p12", "not-the-password");
        assertEquals(422, wrong.status(), wrong.body());
        assertEquals("application/problem+json", wrong.type(), wrong.body());
        assertTrue(wrong.json().get("title").asText().contains("password"), "names the problem: " + wrong.body());
        assertEquals(before, JSON.readTree(web.get("/api/v1/cas", "Authorization", alice).body()).get("total").asInt(),
                "nothing stored");
        for (String name : new String[] {"ca-aes", "ca-legacy", "ca-3des"}) {
            Curl r = importCa(name + ".p12", "ca-secret");
            assertEquals(201, r.status(), name + ": " + r.body());
            JsonNode ca = r.json();
            assertEquals("CN=" + name + " import", ca.get("subject").asText(), ca.toString());
            assertEquals("All/Berlin", ca.get("homeGroup").asText(), "the caller's home group: " + ca);
            assertEquals(fingerprint(name + ".pem"), ca.get("fingerprint").asText(), ca.toString());
        }
        assertEquals(before + 3, JSON.readTree(web.get("/api/v1/cas", "Authorization", alice).body()).get("total").asInt());
    }

    @Test
    @Order(7)
    void chromiumImportsACaFromAPkcs12OnThePage() throws Exception {
        try (HeadlessChromium chromium = new HeadlessChromium(work)) {
            WebDriver browser = chromium.browser;
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            browser.get(base + "/login");
            browser.findElement(By.name("user")).sendKeys("alice");
            browser.findElement(By.name("password")).sendKeys("alice-password");
            browser.findElement(By.cssSelector("form.box button")).click();
            CertwatchServer.await("the dashboard", WAIT, () -> browser.getTitle().startsWith("Dashboard"));
            browser.get(base + "/cas/new");
            org.openqa.selenium.WebElement form = browser.findElement(By.cssSelector("form[action='/cas/import']"));
            form.findElement(By.name("file")).sendKeys(work.resolve("ca-page.p12").toAbsolutePath().toString());
            form.findElement(By.name("password")).sendKeys("ca-secret");
            form.findElement(By.tagName("button")).click();
            CertwatchServer.await("the imported CA's page (now '" + browser.getTitle() + "')", WAIT,
                    () -> browser.getTitle().startsWith("CA "));
            assertTrue(browser.getPageSource().contains("CN=ca-page import"), browser.getPageSource());
            Files.write(work.resolve("ca-imported-from-pkcs12.png"),
                    ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        }
    }

    private Curl importCa(String p12, String password) throws Exception {
        Files.writeString(work.resolve("ca-import.json"), JSON.writeValueAsString(java.util.Map.of("pkcs12Base64",
                java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve(p12))), "password", password)));
        return curl("/api/v1/cas/import", "ca-import.json", "application/json", "-u", "alice:alice-password");
    }
}
