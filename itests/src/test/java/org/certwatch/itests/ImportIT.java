package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 (4, 5, 10, 11) on the real server: certificates made by openssl, imported on the console, keep every
 * subjectAltName; a bundle whose CA is known still brings in its new leaf; refusals name the file and what is
 * wrong with it; the API, the certificate page and the metrics spell serials and fingerprints as openssl does.
 */
class ImportIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String openssl(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return WebClient.run(dir, command).strip();
    }

    /** A leaf of the CA in {@code dir}, with this serial and these subjectAltNames (none when null). */
    private static Path leaf(Path dir, String name, String serial, String sans) throws Exception {
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
        Files.writeString(dir.resolve(name + ".ext"), sans == null ? "basicConstraints=CA:FALSE\n"
                : "subjectAltName=" + sans + "\n");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", serial,
                "-days", "30", "-extfile", name + ".ext", "-out", name + ".pem");
        return dir.resolve(name + ".pem");
    }

    @Test
    void importedCertificatesKeepTheirNamesAndReadAsOpensslPrintsThem() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("import").env("CERTWATCH_KEY_PASSWORD", "it-key-password")) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
            WebUsers.create(server);
            Path dir = Files.createDirectories(server.data().getParent().resolve("import-it"));
            openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    "ca.key", "-out", "ca.pem", "-subj", "/CN=Edge CA", "-days", "365", "-addext",
                    "basicConstraints=critical,CA:TRUE");
            Path edge = leaf(dir, "edge", "0x03E9", "DNS:*.edge.example,IP:192.0.2.7,IP:2001:DB8::7,"
                    + "email:ops@edge.example,URI:https://edge.example/status");
            Path high = leaf(dir, "high", "0x80", null);
            openssl(dir, "pkcs12", "-export", "-in", "high.pem", "-inkey", "high.key", "-certfile", "ca.pem",
                    "-passout", "pass:bundle-secret", "-out", "high.p12");
            Path bundle = Files.writeString(dir.resolve("edge-bundle.pem"), Files.readString(edge)
                    + Files.readString(dir.resolve("ca.pem")));

            String first = server.gogo("certwatch:import " + bundle);
            assertEquals(2, first.lines().filter(l -> l.startsWith("imported certificate ")).count(), first);
            assertTrue(first.contains(" MONITORED host *.edge.example "), first);
            // the PKCS#12 holds the CA again: the new leaf comes in, the CA is reported as there
            Path p12 = dir.resolve("high.p12");
            assertEquals("refused: " + p12 + ": the password does not open this PKCS#12 file (or the file is damaged)",
                    server.gogo("certwatch:import " + p12 + " --password-file " + server.passwordFile("wrong-secret")));
            String second = server.gogo("certwatch:import " + p12 + " --password-file " + server.passwordFile("bundle-secret"));
            assertTrue(second.matches("(?s)imported certificate \\d+ MONITORED host high .*\nalready present as "
                    + "certificate \\d+: 'CN=Edge CA' sha256 [0-9a-f]{64}"), second);
            // refusals in an admin's words, naming the file
            Path garbage = Files.writeString(dir.resolve("garbage.pem"),
                    "-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END CERTIFICATE-----\n");
            assertEquals("refused: " + garbage + ": not a certificate: the PEM block CERTIFICATE is damaged (its DER"
                    + " encoding is invalid)", server.gogo("certwatch:import " + garbage));
            Path missing = dir.resolve("missing.pem");
            assertEquals("refused: " + missing + ": no such file", server.gogo("certwatch:import " + missing));

            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), dir);
            web.awaitSignIn(WebClient.basic("root"), WAIT);
            JsonNode edgeJson = certificate(web, edge, dir);
            assertEquals(openssl(dir, "x509", "-in", edge.toString(), "-noout", "-serial"),
                    "serial=" + edgeJson.get("serial").asText());
            assertEquals("03E9", edgeJson.get("serial").asText());
            assertEquals("[{\"type\":\"DNS\",\"value\":\"*.edge.example\"},{\"type\":\"IP\",\"value\":\"192.0.2.7\"},"
                    + "{\"type\":\"IP\",\"value\":\"2001:db8::7\"},{\"type\":\"EMAIL\",\"value\":\"ops@edge.example\"},"
                    + "{\"type\":\"URI\",\"value\":\"https://edge.example/status\"}]",
                    edgeJson.get("subjectAltNames").toString());
            assertEquals("[\"192.0.2.7\",\"2001:db8::7\"]", edgeJson.get("alternativeNames").toString());
            JsonNode highJson = certificate(web, high, dir);
            assertEquals("80", highJson.get("serial").asText());

            String page = web.get("/certificates/" + edgeJson.get("id").asText(), "Cookie", web.login("root")[0]).body();
            String sanText = openssl(dir, "x509", "-in", edge.toString(), "-noout", "-ext", "subjectAltName")
                    .lines().skip(1).findFirst().orElseThrow().strip();
            assertTrue(sanText.startsWith("DNS:*.edge.example, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7"),
                    sanText);
            assertTrue(page.contains("<dd>" + sanText.replace("&", "&amp;") + "</dd>"), page);
            assertTrue(page.contains("<dd>" + openssl(dir, "x509", "-in", edge.toString(), "-noout", "-fingerprint",
                    "-sha256").substring("sha256 Fingerprint=".length()) + "</dd>"), page);

            String metrics = web.get("/metrics", "Authorization", WebClient.basic("root")).body();
            assertTrue(metrics.contains("serial_number=\"1001\",serial=\"03E9\""), metrics);
            assertTrue(metrics.contains("serial_number=\"128\",serial=\"80\""), metrics);
        }
    }

    /** The API's record of the certificate in {@code pem}, found by its SHA-256 as openssl computes it. */
    private static JsonNode certificate(WebClient web, Path pem, Path dir) throws Exception {
        String fingerprint = openssl(dir, "x509", "-in", pem.toString(), "-noout", "-fingerprint", "-sha256")
                .replaceAll(".*=", "").replace(":", "").toLowerCase(java.util.Locale.ROOT);
        JsonNode all = JSON.readTree(web.get("/api/v1/certificates?limit=1000", "Authorization",
                WebClient.basic("root")).body());
        for (JsonNode c : all.get("items")) {
            if (c.get("fingerprint").asText().equals(fingerprint)) {
                return c;
            }
        }
        throw new AssertionError("no certificate with SHA-256 " + fingerprint + " in " + all);
    }
}
