package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17, STARTTLS end to end: the real distribution with the {@code tls-probe} feature watches one endpoint per
 * STARTTLS protocol, each a real server of {@link StartTlsPeers} trusted through the endpoint's extra CA; every
 * location reads its own server's certificate (the API's SHA-256 fingerprint is the peer's).
 */
@ExtendWith(StartTlsPeers.Resolver.class)
class StartTlsProbeIT {
    private static final Duration WAIT = Duration.ofSeconds(180);
    /** {@code certwatch:endpoints locations}: id, state, address, certificate id, the rest. */
    private static final String LOCATION = "(?m)^(\\d+) (\\w+) %s certificate=(\\d+)(.*)$";

    /** Before the peers start: nothing to start them for without the probe. */
    @BeforeAll
    static void theProbeIsBuilt() throws IOException {
    }

    @Test
    void eachStartTlsLocationReadsItsServersCertificate(StartTlsPeers peers) throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("starttls-probe")) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
            WebUsers.create(server);
            server.awaitGogo("certwatch:endpoints list", WAIT);
            Path work = Files.createDirectories(server.data().getParent().resolve("starttls"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String root = WebClient.basic("root");
            web.awaitSignIn(root, WAIT);

            Map<EndpointProtocol, String> addresses = new EnumMap<>(EndpointProtocol.class);
            for (EndpointProtocol protocol : EndpointProtocol.values()) {
                if (protocol == EndpointProtocol.TLS) {
                    continue;
                }
                StartTlsPeers.Peer peer = peers.peer(protocol);
                Path ca = work.resolve(protocol.name() + ".pem");
                Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder()
                        .encodeToString(peer.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
                String added = server.gogo("certwatch:endpoints add 127.0.0.1 " + peer.port() + " protocol="
                        + protocol + " ca=" + ca + " interval=PT10S");
                assertFalse(added.startsWith("refused"), added);
                addresses.put(protocol, protocol.name().toLowerCase(Locale.ROOT) + "://127.0.0.1:"
                        + peer.port());
            }
            for (Map.Entry<EndpointProtocol, String> endpoint : addresses.entrySet()) {
                Matcher location = awaitOk(server, endpoint.getValue());
                String rest = location.group(4);
                assertFalse(rest.contains("CHAIN_UNTRUSTED") || rest.contains("HOST_MISMATCH"), location.group());
                WebClient.Reply certificate = web.get("/api/v1/certificates/" + location.group(3),
                        "Authorization", root);
                assertEquals(200, certificate.status(), certificate.body());
                assertTrue(certificate.body().contains(peers.peer(endpoint.getKey()).fingerprint()),
                        endpoint.getValue() + " holds " + certificate.body());
            }
        }
    }

    private static Matcher awaitOk(CertwatchServer server, String address) {
        Pattern line = Pattern.compile(String.format(LOCATION, Pattern.quote(address)));
        Matcher[] found = new Matcher[1];
        String[] last = {""};
        try {
            CertwatchServer.await(address + " OK", WAIT, () -> {
                try {
                    last[0] = server.gogo("certwatch:endpoints locations");
                    Matcher m = line.matcher(last[0]);
                    found[0] = m.find() && m.group(2).equals("OK") ? m : null;
                    return found[0] != null;
                } catch (Exception e) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; locations:\n" + last[0], e);
        }
        return found[0];
    }

}
