package org.certwatch.agent;

import org.certwatch.commons.files.DurableFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's local behaviour; its protocol with the real server is tested in the fleet bundle. */
class AgentTest {
    @TempDir
    Path dir;

    @Test
    void aNewAgentIsNotEnrolledAndItsFolderIsOwnerOnly() throws IOException {
        Agent agent = new Agent(dir.resolve("a"), "127.0.0.1", 1, "host", Clock.systemUTC());
        assertFalse(agent.enrolled());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))));
        Agent.Outcome o = agent.replicate();
        assertFalse(o.ok());
        assertEquals("not enrolled", o.message());
    }

    @Test
    void aMalformedTokenIsRefusedBeforeAnyConnection() throws IOException {
        Agent agent = new Agent(dir.resolve("b"), "127.0.0.1", 1, "host", Clock.systemUTC());
        IOException e = assertThrows(IOException.class, () -> agent.enrol("not-a-token"));
        assertTrue(e.getMessage().contains("malformed enrolment token"), e.getMessage());
        assertFalse(agent.enrolled());
    }

    @Test
    void aTokenPastedWithAnExtraCharacterIsMalformedNotAWrongServer() throws IOException {
        // as copied from a page's HTML with its closing quote: the fingerprint is no longer 64 hex digits
        Agent agent = new Agent(dir.resolve("b2"), "127.0.0.1", 1, "host", Clock.systemUTC());
        String fingerprint = "61dc2a0874ba4fc928c0ad61cccbe78b7d57a26388638cc09e29e7e668aef5b6";
        for (String token : new String[] {"cwt1.b320a10fd4f4.secret." + fingerprint + "&#39;",
                "cwt1.b320a10fd4f4.secret." + fingerprint.substring(1), "cwt1.b320a10fd4f4.secret." + fingerprint + "0"}) {
            IOException e = assertThrows(IOException.class, () -> agent.enrol(token));
            assertTrue(e.getMessage().startsWith("malformed enrolment token"), e.getMessage());
        }
        assertFalse(agent.enrolled());
    }

    @Test
    void anUnreadablePkcs12IsRefusedWithTheFileName() throws IOException {
        Path p12 = Files.write(dir.resolve("broken.p12"), new byte[] {1, 2, 3});
        Agent agent = new Agent(dir.resolve("c"), "127.0.0.1", 1, "host", Clock.systemUTC());
        IOException e = assertThrows(IOException.class, () -> agent.importPkcs12(p12, "pw".toCharArray()));
        assertTrue(e.getMessage().contains("broken.p12"), e.getMessage());
        assertFalse(agent.enrolled());
    }

    @Test
    void keysRoundTripThroughPem() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        String pem = Pem.encodeKey(pair.getPrivate());
        PrivateKey back = Pem.decodeKey(pem, "EC");
        assertArrayEquals(pair.getPrivate().getEncoded(), back.getEncoded());
    }

    @Test
    void filesAreWrittenOwnerOnly() throws IOException {
        Path f = dir.resolve("secret");
        DurableFiles.write(f, new byte[] {42}, true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
