package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, the TLS probe: the real distribution with feature tls-probe checks nginx's SNI blocks (one edge case
 * each, {@link NginxFixture}), an IPv6 listener and a port still offering TLS 1.1, names each block's findings, and
 * keeps the endpoints as locations; hostile peers (a 1,000-certificate chain and a 1 MB certificate from nginx; a
 * port that accepts and stays silent, a handshake trickling a byte at a time, garbage after the ClientHello from
 * this test) each end as a location error with a clear reason in bounded time, while the other endpoints read on.
 */
class TlsProbeIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** The server's whole-check deadline, set in its configuration. */
    private static final int DEADLINE_MS = 4000;
    /** The longest wait for one read; a trickling peer stays under it, so only the deadline ends that one. */
    private static final int READ_TIMEOUT_MS = 3000;
    private static final Pattern LOCATION = Pattern.compile("(?m)^(\\d+) (\\w+) (\\S+) certificate=(\\d+)(.*)$");

    private static Set<String> findings(String probe) {
        Set<String> kinds = new TreeSet<>();
        probe.lines().skip(1).forEach(l -> kinds.add(l.substring(0, l.indexOf(' '))));
        return kinds;
    }

    /** The location lines of the tls source by address. */
    private static Map<String, MatchResult> locations(CertwatchServer server) throws IOException {
        Map<String, MatchResult> out = new LinkedHashMap<>();
        Matcher m = LOCATION.matcher(server.gogo("certwatch:endpoints locations"));
        while (m.find()) {
            out.put(m.group(3), m.toMatchResult());
        }
        return out;
    }

    @Test
    void endpointsAreProbedTheirFindingsNamedAndHostilePeersEndInBoundedTime() throws Exception {
        NginxFixture nginx = NginxFixture.shared();
        ExecutorService hostile = Executors.newCachedThreadPool();
        try (CertwatchServer server = CertwatchServer.prepare("tlsprobe");
                ServerSocket silent = hostilePeer(hostile, (in, out) -> Thread.sleep(120_000));
                ServerSocket trickle = hostilePeer(hostile, (in, out) -> {
                    in.read(new byte[1024]);
                    for (byte b : new byte[] {0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x00, 0x3c, 0x03, 0x03}) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(1000);
                    }
                });
                ServerSocket garbage = hostilePeer(hostile, (in, out) -> {
                    in.read(new byte[1024]);
                    out.write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                })) {
            CertwatchServer.writeAtomically(server.etc().resolve("org.certwatch.source.tls.cfg"),
                    "default.interval=PT20S\nminimum.interval=PT5S\nhandshake.timeout.ms=" + DEADLINE_MS
                            + "\nread.timeout.ms=" + READ_TIMEOUT_MS + "\njitter=0\n");
            server.startAndAwaitReady();
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            server.awaitGogo("certwatch:endpoints list", WAIT);
            String ca = " ca=" + nginx.rootPem();

            // a one-off check of each block names exactly its findings
            for (NginxFixture.Block b : nginx.readable()) {
                String probe = server.gogo("certwatch:endpoints probe 127.0.0.1 " + nginx.port() + " sni=" + b.sni() + ca);
                assertTrue(probe.startsWith("read TLSv1.3 "), b.name() + ": " + probe);
                assertEquals(b.findings(), findings(probe), b.name() + " (" + b.what() + "): " + probe);
            }
            String expired = server.gogo("certwatch:endpoints probe 127.0.0.1 " + nginx.port()
                    + " sni=expired.probe.test" + ca);
            Matcher notAfter = Pattern.compile("notAfter=(\\S+)").matcher(expired);
            assertTrue(notAfter.find() && Instant.parse(notAfter.group(1)).isBefore(Instant.now()), expired);
            // without the extra CA nothing trusted issued the intermediate nginx sends
            String untrusted = server.gogo("certwatch:endpoints probe 127.0.0.1 " + nginx.port()
                    + " sni=good.probe.test");
            assertEquals(Set.of("CHAIN_INCOMPLETE"), findings(untrusted), untrusted);
            assertTrue(untrusted.contains("the issuer CN=Probe Test Root of intermediate CN=Probe Test Intermediate"
                    + " is neither sent nor trusted"), untrusted);
            // IPv6 without SNI: the address literal is matched against the IP SANs
            String v6 = server.gogo("certwatch:endpoints probe ::1 " + nginx.ipv6Port() + ca);
            assertTrue(v6.startsWith("read TLSv1.3 ") && v6.contains(" [0:0:0:0:0:0:0:1]:" + nginx.ipv6Port() + " "), v6);
            assertEquals(Set.of(), findings(v6));
            // a port still offering TLS 1.1
            String legacy = server.gogo("certwatch:endpoints probe 127.0.0.1 " + nginx.oldProtocolPort()
                    + " sni=legacy.probe.test" + ca);
            assertEquals(Set.of("OLD_PROTOCOL"), findings(legacy), legacy);
            assertTrue(legacy.contains("accepts TLSv1.1"), legacy);

            // hostile peers: each a location error with its reason, in bounded time
            assertHostile(server, "127.0.0.1 " + nginx.port() + " sni=many.probe.test", "TOO_LARGE",
                    "exceeds the maximum allowed");
            assertHostile(server, "127.0.0.1 " + nginx.port() + " sni=huge.probe.test", "TOO_LARGE",
                    "exceeds the maximum allowed");
            assertHostile(server, "127.0.0.1 " + silent.getLocalPort(), "HANDSHAKE_FAILED",
                    "no answer within " + READ_TIMEOUT_MS + " ms during the handshake");
            assertHostile(server, "127.0.0.1 " + trickle.getLocalPort(), "HANDSHAKE_FAILED",
                    "handshake not done within " + DEADLINE_MS + " ms");
            assertHostile(server, "127.0.0.1 " + garbage.getLocalPort(), "HANDSHAKE_FAILED", "handshake failed: ");

            // kept endpoints: the readable ones OK, the hostile ones FAILING with their reasons, side by side
            for (NginxFixture.Block b : nginx.blocks()) {
                server.gogo("certwatch:endpoints add 127.0.0.1 " + nginx.port() + " sni=" + b.sni() + ca);
            }
            for (ServerSocket peer : new ServerSocket[] {silent, trickle, garbage}) {
                server.gogo("certwatch:endpoints add 127.0.0.1 " + peer.getLocalPort());
            }
            assertTrue(server.gogo("certwatch:endpoints add 127.0.0.1 " + nginx.port() + " sni=good.probe.test")
                    .startsWith("refused: endpoint 1 already checks tls://127.0.0.1:"));
            String base = "tls://127.0.0.1:" + nginx.port() + "#";
            CertwatchServer.await("every endpoint checked", WAIT, () -> {
                try {
                    return locations(server).size() == nginx.blocks().size() + 3;
                } catch (IOException e) {
                    return false;
                }
            });
            Map<String, MatchResult> seen = locations(server);
            for (NginxFixture.Block b : nginx.readable()) {
                assertEquals("OK", seen.get(base + b.sni()).group(2), b.name() + ": " + seen.get(base + b.sni()).group());
            }
            assertTrue(seen.get(base + "many.probe.test").group(5).contains(" TOO_LARGE: " + base + "many.probe.test: "),
                    seen.get(base + "many.probe.test").group());
            assertTrue(seen.get("tls://127.0.0.1:" + silent.getLocalPort()).group(5).contains(" HANDSHAKE_FAILED: "));
            // the good endpoint is checked again on its interval while the hostile ones fail beside it
            String good = seen.get(base + "good.probe.test").group();
            String id = good.substring(0, good.indexOf(' '));
            String before = server.gogo("certwatch:locations");
            assertTrue(before.contains(base + "good.probe.test"), before);
            CertwatchServer.await("the good endpoint read again", WAIT, () -> {
                try {
                    return server.gogo("certwatch:endpoints locations").lines()
                            .anyMatch(l -> l.startsWith(id + " OK " + base + "good.probe.test"));
                } catch (IOException e) {
                    return false;
                }
            });

            // the endpoints survive a restart
            Faults.kill(server);
            Faults.restart(server);
            String kept = server.awaitGogo("certwatch:endpoints list", WAIT);
            assertEquals(nginx.blocks().size() + 3, kept.lines().count(), kept);
            assertTrue(server.gogo("certwatch:endpoints remove 1").equals("removed 1"));
            CertwatchServer.await("a removed endpoint's location is GONE", WAIT, () -> {
                try {
                    return locations(server).get(base + "good.probe.test").group(2).equals("GONE");
                } catch (IOException e) {
                    return false;
                }
            });
        } finally {
            hostile.shutdownNow();
        }
    }

    private static void assertHostile(CertwatchServer server, String endpoint, String failure, String reason)
            throws IOException {
        long started = System.nanoTime();
        String probe = server.gogo("certwatch:endpoints probe " + endpoint);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(probe.startsWith("failed " + failure + " tls://"), endpoint + ": " + probe);
        assertTrue(probe.contains(reason), endpoint + ": " + probe);
        assertTrue(millis < DEADLINE_MS * 2L + 5000, endpoint + " took " + millis + " ms");
    }

    interface Behaviour {
        void run(InputStream in, OutputStream out) throws IOException, InterruptedException;
    }

    private static ServerSocket hostilePeer(ExecutorService threads, Behaviour behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    threads.execute(() -> {
                        try (s) {
                            behaviour.run(s.getInputStream(), s.getOutputStream());
                        } catch (IOException | InterruptedException ignored) {
                            // the probe hung up
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }
}
