package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 15: a group created or deleted while the server runs is an SNMPv3 context at once, or no
 * longer one, without an agent restart; net-snmp's snmpbulkwalk is the manager.
 */
class SnmpGroupContextIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String USER = "ctx";
    private static final String AUTH = "ctx-auth-" + Long.toHexString(System.nanoTime());
    private static final String PRIV = "ctx-priv-" + Long.toHexString(System.nanoTime());
    private static final String DRIVER = "org.certwatch.storedriver";

    @Test
    void groupsCreatedAndDeletedAtRunTimeChangeTheContextsAtOnce() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("snmp-contexts").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
            server.startAndAwaitReady();
            String startLine = server.awaitLog(l -> l.contains("SNMP agent listening"), WAIT);
            // the start line names the contexts the agent started with (the groups that always exist), or,
            // when the snmp feature started before the fleet, says so; the contexts follow with the fleet
            if (startLine.endsWith("group contexts none until the fleet's groups are there")) {
                server.awaitLog(l -> l.endsWith("SNMP group contexts now [all, lost-and-found] (added [all, lost-and-found],"
                        + " removed [])"), WAIT);
            } else {
                assertTrue(startLine.endsWith("group contexts [all, lost-and-found]"), startLine);
            }
            String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
            CertwatchServer.placeAtomically(TestBundles.storeDriver(), server.deploy().resolve("storedriver.jar"));
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            CertwatchServer.await("store driver", WAIT,
                    () -> server.probe(DRIVER, "cas").map(a -> a.contains("CA")).orElse(false));
            assertTrue(server.probe(DRIVER, "issue 2 20 All/Berlin", WAIT).startsWith("ok"));
            assertTrue(server.probe(DRIVER, "issue 1 400 All/Hamburg", WAIT).startsWith("ok"));
            long starts = server.output().stream().filter(l -> l.contains("SNMP agent listening")).count();
            assertContextRefused(walk(agent, "berlin"));

            assertTrue(server.awaitGogo("certwatch:group-add All/Berlin", WAIT).contains("(berlin)"));
            String added = server.awaitLog(l -> l.contains("added [berlin]"), WAIT);
            assertTrue(added.endsWith("SNMP group contexts now [all, berlin, lost-and-found] (added [berlin], removed [])"),
                    added);
            CertwatchServer.await("the agent sees both Berlin certificates", WAIT, () -> {
                try {
                    return walk(agent, "berlin").output().lines().count() == 2;
                } catch (Exception e) {
                    return false;
                }
            });
            NetSnmp.Result berlin = walk(agent, "berlin");
            assertEquals(0, berlin.exit(), berlin.output());
            assertTrue(berlin.output().lines().allMatch(l -> l.endsWith("STRING: All/Berlin")), berlin.output());

            assertEquals("deleted group All/Berlin", server.gogo("certwatch:group-delete All/Berlin"));
            String removed = server.awaitLog(l -> l.contains("removed [berlin]"), WAIT);
            assertTrue(removed.endsWith("SNMP group contexts now [all, lost-and-found] (added [], removed [berlin])"),
                    removed);
            assertContextRefused(walk(agent, "berlin"));
            assertEquals(starts, server.output().stream().filter(l -> l.contains("SNMP agent listening")).count(),
                    "the agent was not restarted");
        }
    }

    private static NetSnmp.Result walk(String agent, String context) throws Exception {
        return NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-n", context, "CERTWATCH-MIB::cwCertGroup");
    }

    private static void assertContextRefused(NetSnmp.Result walk) {
        assertNotEquals(0, walk.exit(), walk.output());
        assertTrue(walk.output().toLowerCase(Locale.ROOT).contains("context"), walk.output());
    }
}
