package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 6: {@code certwatch ready} is written when every deployed capability serves (the API
 * answers at once), and a capability that cannot start is named in a {@code ready, except} line with why.
 */
class ReadinessIT {
    @Test
    void theApiAnswersAsSoonAsTheReadyLineIsWritten() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("ready").env("CERTWATCH_ADMIN_PASSWORD", "admin-password")) {
            server.startAndAwaitReady();
            Path work = Files.createDirectories(server.data().getParent().resolve("ready-it"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            WebClient.Reply status = web.get("/api/v1/status", "Authorization", WebClient.basic("admin"));
            assertEquals(200, status.status(), status.body());
            assertTrue(server.logContains(l -> l.contains("certwatch ready: features ")), "no capability named as failing");
        }
    }

    @Test
    void aCapabilityThatCannotStartIsNamedWithWhy() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("ready-except");
                ServerSocket taken = new ServerSocket()) {
            String port = server.env("CERTWATCH_HTTPS_PORT");
            taken.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)));
            server.start();
            String line = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            assertTrue(line.contains("certwatch ready, except web (HTTPS on 127.0.0.1:" + port + ": "), line);
            assertTrue(line.contains("features "), line);
        }
    }
}
