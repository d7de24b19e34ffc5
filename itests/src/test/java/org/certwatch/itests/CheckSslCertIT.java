package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: certwatch's findings side by side with {@code check_ssl_cert}'s verdicts (monitoring-plugins-contrib,
 * with DESIGN.md's flags: {@code --rootcert}, {@code --sni}, {@code -m}, {@code --ignore-ocsp}, {@code --ignore-sct})
 * on the same nginx blocks: where check_ssl_cert says OK certwatch names nothing, and where it is CRITICAL it names
 * what certwatch's finding (or the expired leaf) says.
 */
class CheckSslCertIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String CHECK_SSL_CERT = "/usr/lib/nagios/plugins/check_ssl_cert";
    /** What check_ssl_cert says for each of certwatch's findings; {@code LEAF_EXPIRED} is the leaf's own expiry. */
    private static final Map<String, Pattern> SAYS = Map.of(
            "LEAF_EXPIRED", Pattern.compile("element 1 \\(.*\\) is expired"),
            "CHAIN_CERTIFICATE_EXPIRED", Pattern.compile("element 2 \\(.*\\) is expired"),
            "CHAIN_INCOMPLETE", Pattern.compile("unable to get local issuer certificate"),
            "SELF_SIGNED", Pattern.compile("(?i)self[- ]signed"),
            "HOST_MISMATCH", Pattern.compile("does not match the CN nor an alternative name"),
            "WEAK_KEY", Pattern.compile("key too weak"),
            "WEAK_SIGNATURE", Pattern.compile("digest algorithm too weak"),
            "NOT_YET_VALID", Pattern.compile("certificate is not yet valid"));

    private record Verdict(int exit, String text) {
    }

    private static Verdict checkSslCert(NginxFixture nginx, NginxFixture.Block b) throws Exception {
        Process p = new ProcessBuilder(CHECK_SSL_CERT, "-H", "127.0.0.1", "-p", Integer.toString(nginx.port()), "--sni",
                b.sni(), "-m", b.sni(), "--rootcert", nginx.rootPem().toString(), "--ignore-ocsp", "--ignore-sct")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "check_ssl_cert did not end: " + out);
        return new Verdict(p.exitValue(), out.strip());
    }

    @Test
    void certwatchNamesWhatCheckSslCertNames() throws Exception {
        NginxFixture nginx = NginxFixture.shared();
        try (CertwatchServer server = CertwatchServer.prepare("checksslcert")) {
            server.startAndAwaitReady();
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            server.awaitGogo("certwatch:endpoints list", WAIT);
            List<String> table = new ArrayList<>();
            for (NginxFixture.Block b : nginx.readable()) {
                Verdict verdict = checkSslCert(nginx, b);
                String probe = server.gogo("certwatch:endpoints probe 127.0.0.1 " + nginx.port() + " sni=" + b.sni()
                        + " ca=" + nginx.rootPem());
                Set<String> named = new TreeSet<>();
                probe.lines().skip(1).forEach(l -> named.add(l.substring(0, l.indexOf(' '))));
                Matcher notAfter = Pattern.compile("notAfter=(\\S+)").matcher(probe);
                assertTrue(notAfter.find(), probe);
                if (Instant.parse(notAfter.group(1)).isBefore(Instant.now())) {
                    named.add("LEAF_EXPIRED");
                }
                table.add(b.name() + ": check_ssl_cert " + verdict.exit() + ", certwatch " + named);
                if (verdict.exit() == 0) {
                    assertEquals(Set.of(), named, b.name() + ": check_ssl_cert OK, certwatch " + probe);
                    continue;
                }
                assertEquals(2, verdict.exit(), b.name() + ": " + verdict.text());
                assertTrue(!named.isEmpty(), b.name() + ": check_ssl_cert says " + verdict.text()
                        + " and certwatch names nothing");
                assertTrue(named.stream().anyMatch(kind -> SAYS.get(kind).matcher(verdict.text()).find()),
                        b.name() + ": certwatch " + named + ", check_ssl_cert " + verdict.text());
            }
            System.out.println("check_ssl_cert vs certwatch:\n  " + String.join("\n  ", table));
            assertEquals(nginx.readable().size(), table.size());
        }
    }
}
