package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

class AgentRunnerTest {
    static final AgentSettings.User ADMIN = new AgentSettings.User("admin", "authpass123", "privpass123", null);
    static final AgentSettings.User BERLIN = new AgentSettings.User("berlin", "authpass456", "privpass456", "berlin");

    @TempDir
    Path dir;
    final Fixtures fx = new Fixtures();
    MibModel model;
    AgentRunner runner;
    TestManager manager;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        fx.store.put(Fixtures.ca(1, "CN=Root", Fixtures.T0.minus(Duration.ofDays(10)),
                Fixtures.T0.plus(Duration.ofDays(3650)), "All"));
        fx.store.put(Fixtures.cert(5, 1, "CN=pc-5", Fixtures.T0.minus(Duration.ofDays(1)),
                Fixtures.T0.plus(Duration.ofDays(30)), "All/Berlin"));
        fx.store.put(Fixtures.cert(7, 1, "CN=pc-7", Fixtures.T0.minus(Duration.ofDays(1)),
                Fixtures.T0.plus(Duration.ofDays(300)), "All/Hamburg"));
        fx.groupRows.add(new Group("All", "all", ""));
        fx.groupRows.add(new Group("All/Berlin", "berlin", ""));
        fx.groupRows.add(new Group("All/Hamburg", "hamburg", ""));
        model = new MibModel(fx);
        model.reloadStore();
        model.reloadComputers();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        manager = new TestManager(port);
        manager.addUser(ADMIN);
        manager.addUser(BERLIN);
    }

    @AfterEach
    void tearDown() throws Exception {
        manager.close();
        if (runner != null) {
            runner.stop();
        }
    }

    private void start(List<AgentSettings.Community> communities) throws Exception {
        AgentSettings s = new AgentSettings("127.0.0.1", port, "ops@example.org", "cw-test", "rack 1", communities,
                List.of(ADMIN, BERLIN), List.of(), 1000, 1, 2);
        runner = AgentRunner.start(s, dir, model, fx.groups().groups(), "certwatch test", new java.util.concurrent.atomic.AtomicLong());
    }

    @Test
    void servesSystemGroupAndCertwatchMibOverV3() throws Exception {
        start(List.of());
        PDU r = manager.get(manager.v3("admin"), null, new OID("1.3.6.1.2.1.1.2.0"), new OID("1.3.6.1.2.1.1.4.0"),
                new OID("1.3.6.1.4.1.32473.1.1.3.1.2.5"), new OID("1.3.6.1.4.1.32473.1.1.3.1.10.5"));
        assertNotNull(r, "no answer");
        assertEquals(PDU.noError, r.getErrorStatus());
        assertEquals(CwOids.SERVER_PRODUCT, r.get(0).getVariable());
        assertEquals("ops@example.org", r.get(1).getVariable().toString());
        assertEquals("CN=pc-5", r.get(2).getVariable().toString());
        assertEquals(30, r.get(3).getVariable().toInt());
    }

    @Test
    void walksTablesInOrder() throws Exception {
        start(List.of());
        List<VariableBinding> subjects = manager.walk(manager.v3("admin"), null, new OID("1.3.6.1.4.1.32473.1.1.3.1.2"));
        assertEquals(List.of("CN=pc-5", "CN=pc-7"), subjects.stream().map(vb -> vb.getVariable().toString()).toList());
        List<VariableBinding> all = manager.walk(manager.v3("admin"), null, CwOids.CERTWATCH_MIB);
        // two unrevoked certificates: their revocation columns have no instance; the silent count is a scalar
        assertEquals(23 + 12 + 2 * 14 + 1, all.size(),
                "summary scalars + CA row + 2 certificate rows + cwComputerSilentCount: " + all);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).getOid().compareTo(all.get(i).getOid()) < 0, "ascending at " + all.get(i));
        }
    }

    @Test
    void groupContextShowsOnlyItsSubtreeAndRestrictedUserOnlyItsContext() throws Exception {
        start(List.of());
        OID subjects = new OID("1.3.6.1.4.1.32473.1.1.3.1.2");
        assertEquals(List.of("CN=pc-5"), manager.walk(manager.v3("berlin"), "berlin", subjects).stream()
                .map(vb -> vb.getVariable().toString()).toList());
        assertEquals(List.of("CN=pc-7"), manager.walk(manager.v3("admin"), "hamburg", subjects).stream()
                .map(vb -> vb.getVariable().toString()).toList());
        // the Berlin user is not allowed in the default context
        PDU denied = manager.get(manager.v3("berlin"), null, new OID("1.3.6.1.4.1.32473.1.1.3.1.2.5"));
        assertNotNull(denied);
        assertNotEquals("CN=pc-5", denied.get(0).getVariable().toString(), denied.toString());
    }

    @Test
    void v2cIsOffUnlessConfigured() throws Exception {
        start(List.of());
        assertNull(manager.get(manager.community("public", SnmpConstants.version2c), null, new OID("1.3.6.1.2.1.1.1.0")));
        runner.stop();
        runner = null;
        start(List.of(new AgentSettings.Community("public", "")));
        PDU r = manager.get(manager.community("public", SnmpConstants.version2c), null, new OID("1.3.6.1.4.1.32473.1.1.3.1.2.7"));
        assertNotNull(r);
        assertEquals("CN=pc-7", r.get(0).getVariable().toString());
        PDU set = manager.request(manager.community("public", SnmpConstants.version2c), PDU.SET, null,
                new OID("1.3.6.1.2.1.1.4.0"));
        assertNotNull(set);
        assertNotEquals(PDU.noError, set.getErrorStatus(), "SET must be refused");
    }

    /**
     * Found by the soak: a worker answering a request right after the port was closed made SNMP4J bind
     * a new socket to it, so the next start failed with "Address already in use". Restarts under a
     * flood of requests must each find the port free and answer again.
     */
    @Test
    void restartsUnderLoadFindThePortFree() throws Exception {
        List<AgentSettings.Community> v2c = List.of(new AgentSettings.Community("public", ""));
        start(v2c);
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (org.snmp4j.Snmp flood = new org.snmp4j.Snmp(new org.snmp4j.transport.DefaultUdpTransportMapping())) {
            flood.listen();
            org.snmp4j.Target<org.snmp4j.smi.UdpAddress> target = manager.community("public", SnmpConstants.version2c);
            target.setTimeout(100);
            org.snmp4j.event.ResponseListener ignore = new org.snmp4j.event.ResponseListener() {
                @Override
                public <A extends org.snmp4j.smi.Address> void onResponse(org.snmp4j.event.ResponseEvent<A> event) {
                    ((org.snmp4j.Snmp) event.getSource()).cancel(event.getRequest(), this);
                }
            };
            Thread flooder = new Thread(() -> {
                while (flooding.get()) {
                    PDU pdu = new PDU();
                    pdu.setType(PDU.GETBULK);
                    pdu.setMaxRepetitions(20);
                    pdu.add(new VariableBinding(new OID("1.3.6.1.2.1.1")));
                    try {
                        flood.send(pdu, target, null, ignore);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "flooder");
            flooder.start();
            try {
                for (int i = 0; i < 20; i++) {
                    runner.stop();
                    runner = null;
                    start(v2c);
                }
            } finally {
                flooding.set(false);
                flooder.join(5000);
            }
        }
        // the flood's backlog may still be queued at the last agent: it answers within a few tries
        PDU r = null;
        for (int i = 0; i < 20 && r == null; i++) {
            r = manager.get(manager.community("public", SnmpConstants.version2c), null, new OID("1.3.6.1.4.1.32473.1.1.3.1.2.7"));
        }
        assertNotNull(r, "answers after the restarts");
        assertEquals("CN=pc-7", r.get(0).getVariable().toString());
    }

    @Test
    void badPacketsAreCountedOnceAndTheAgentKeepsAnswering() throws Exception {
        start(List.of(new AgentSettings.Community("public", "")));
        OID parseErrs = new OID("1.3.6.1.2.1.11.6.0");
        OID badCommunities = new OID("1.3.6.1.2.1.11.4.0");
        PDU before = manager.get(manager.v3("admin"), null, parseErrs, badCommunities);
        // a valid v2c GET of sysUpTime.0, cut short at every length: malformed BER
        byte[] valid = {0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', (byte) 0xa0, 0x19, 0x02,
            0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02,
            0x01, 0x01, 0x03, 0x00, 0x05, 0x00};
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            for (int cut = 2; cut < valid.length; cut++) {
                socket.send(new java.net.DatagramPacket(valid, cut, InetAddress.getLoopbackAddress(), port));
                sent++;
            }
        }
        assertNull(manager.get(manager.community("wrong", SnmpConstants.version2c), null, new OID("1.3.6.1.2.1.1.3.0")));
        PDU after = manager.get(manager.v3("admin"), null, parseErrs, badCommunities);
        long parseErrors = after.get(0).getVariable().toLong() - before.get(0).getVariable().toLong();
        assertTrue(parseErrors >= 1 && parseErrors <= sent, "snmpInASNParseErrs counted once at most per packet: " + parseErrors);
        assertEquals(before.get(1).getVariable().toLong() + 1, after.get(1).getVariable().toLong(), "snmpInBadCommunityNames");
    }

    @Test
    void walksTheLocationTableInEveryContextItsGroupReaches() throws Exception {
        fx.locations = new MemoryLocationRegistry(fx.clock);
        for (String[] l : new String[][] {{"/etc/ssl/berlin.pem", "All/Berlin"}, {"/srv/hamburg.p12#web", "All/Hamburg"}}) {
            fx.locations.put(new Location(0, new LocationRef("files", LocationKind.FILE, l[0], l[1]), LocationState.OK,
                    5, List.of(), null, "", 0, Fixtures.T0, Fixtures.T0, Fixtures.T0));
        }
        model.reloadLocations();
        start(List.of());
        OID addresses = new OID("1.3.6.1.4.1.32473.1.1.10.1.4");
        assertEquals(List.of("/etc/ssl/berlin.pem", "/srv/hamburg.p12#web"), manager.walk(manager.v3("admin"), null,
                addresses).stream().map(vb -> vb.getVariable().toString()).toList());
        assertEquals(List.of("/etc/ssl/berlin.pem"), manager.walk(manager.v3("berlin"), "berlin", addresses).stream()
                .map(vb -> vb.getVariable().toString()).toList());
        // a walk of the whole MIB passes through the location table (registered, inside the read view)
        assertTrue(manager.walk(manager.v3("admin"), null, CwOids.CERTWATCH_MIB).stream()
                .anyMatch(vb -> vb.getOid().equals(new OID("1.3.6.1.4.1.32473.1.1.10.1.6.2"))));
    }

    /** GroupContexts: a deleted group's context is refused at once, a created one answers with its rows. */
    @Test
    void groupContextsFollowGroupChangesAndAreLoggedWhenTheyChange() throws Exception {
        start(List.of());
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.certwatch.snmp");
        log.addHandler(capture);
        try {
            GroupContexts contexts = new GroupContexts(() -> fx.groups().groups());
            OID subjects = new OID("1.3.6.1.4.1.32473.1.1.3.1.2");
            fx.groupRows.removeIf(g -> g.path().equals("All/Hamburg"));
            contexts.sync(runner);
            PDU refused = manager.get(manager.v3("admin"), "hamburg", new OID(subjects).append(7));
            assertNotNull(refused, "no answer");
            assertEquals(PDU.REPORT, refused.getType(), refused.toString());
            assertTrue(refused.get(0).getOid().startsWith(SnmpConstants.snmpUnknownContexts), refused.toString());
            assertEquals(List.of("SNMP group contexts now [all, berlin] (added [], removed [hamburg])"), logged);

            fx.groupRows.add(new Group("All/Hamburg", "hamburg", ""));
            contexts.sync(runner);
            assertEquals(List.of("CN=pc-7"), manager.walk(manager.v3("admin"), "hamburg", subjects).stream()
                    .map(vb -> vb.getVariable().toString()).toList());
            contexts.sync(runner);
            assertEquals(List.of("SNMP group contexts now [all, berlin] (added [], removed [hamburg])",
                    "SNMP group contexts now [all, berlin, hamburg] (added [hamburg], removed [])"), logged,
                    "an unchanged set is not logged again");
        } finally {
            log.removeHandler(capture);
        }
    }
}
