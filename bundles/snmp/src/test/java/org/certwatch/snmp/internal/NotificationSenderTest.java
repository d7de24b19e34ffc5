package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.certwatch.api.Role;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.junit.jupiter.api.Test;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** The channel's sending side against an SNMP4J receiver that acknowledges informs (snmptrapd in SnmpIT). */
class NotificationSenderTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    static Notice notice(String id) {
        return new Notice(id, NoticeKind.CERTIFICATE_EXPIRING, NOW, "certificate expiring", 42, "00A1B2",
                "CN=Müller", "CN=CA", Role.SERVER, "*", "00", NOW.plus(Duration.ofDays(13)), 13, 30, "All", "text",
                "/certificates/42", List.of(), true, 0, 0, "", "");
    }

    /** A v2c receiver that records what it gets and acknowledges informs. */
    static final class Receiver implements AutoCloseable {
        final List<PDU> received = new CopyOnWriteArrayList<>();
        final Snmp snmp;
        final int port;

        Receiver(int port) throws Exception {
            this.port = port;
            MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
            dispatcher.addMessageProcessingModel(new MPv2c());
            snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), port)));
            snmp.addCommandResponder(new CommandResponder() {
                @Override
                public <A extends org.snmp4j.smi.Address> void processPdu(CommandResponderEvent<A> event) {
                    PDU pdu = event.getPDU();
                    received.add(pdu);
                    if (pdu.getType() == PDU.INFORM) {
                        PDU response = new PDU(pdu);
                        response.setType(PDU.RESPONSE);
                        response.setErrorStatus(0);
                        try {
                            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(),
                                    event.getSecurityModel(), event.getSecurityName(), event.getSecurityLevel(), response,
                                    event.getMaxSizeResponsePDU(), event.getStateReference(), new StatusInformation());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            });
            snmp.listen();
        }

        @Override
        public void close() throws Exception {
            snmp.close();
        }
    }

    static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void informWaitsForAReceiverThatWasDownAndIsNotRepeatedToOnesThatAcknowledged() throws Exception {
        int up = freePort();
        int down = freePort();
        AgentSettings settings = new AgentSettings("127.0.0.1", 1161, "", "", "", List.of(),
                List.of(AgentRunnerTest.ADMIN), List.of(new AgentSettings.Target("127.0.0.1", up, false, true, "public"),
                        new AgentSettings.Target("127.0.0.1", down, false, true, "public")), 300, 1, 1);
        NoticeVarbinds.Notification n = NoticeVarbinds.of(notice("n-1"), null);
        try (Receiver first = new Receiver(up); NotificationSender sender = new NotificationSender(settings,
                new OctetString("certwatch-test"), 1)) {
            long t0 = System.nanoTime();
            DeliveryException e = assertThrows(DeliveryException.class, () -> sender.send("n-1", n, new TimeTicks(5)));
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 3000, "bounded by timeout × tries");
            assertTrue(e.getMessage().contains("127.0.0.1/" + down) && e.getMessage().contains("no acknowledgement"),
                    e.getMessage());
            assertFalse(e.permanent());
            assertEquals(1, first.received.size());
            try (Receiver second = new Receiver(down)) {
                sender.send("n-1", n, new TimeTicks(6)); // the outbox's retry
                assertEquals(1, second.received.size());
                assertEquals(1, first.received.size(), "the receiver that acknowledged is not sent it again");
                PDU pdu = second.received.get(0);
                assertEquals(PDU.INFORM, pdu.getType());
                assertEquals(SnmpConstants.sysUpTime, pdu.get(0).getOid());
                assertEquals(CwOids.notification(1), pdu.get(1).getVariable());
                VariableBinding last = pdu.get(pdu.size() - 1);
                assertEquals(CwOids.notifyObject(1), last.getOid());
                assertEquals("n-1", last.getVariable().toString());
            }
        }
    }

    @Test
    void varbindsFollowTheNotificationType() {
        NoticeVarbinds.Notification n = NoticeVarbinds.of(notice("id-7"), null);
        List<String> oids = n.varbinds().stream().map(vb -> vb.getOid().toDottedString()).toList();
        assertEquals(List.of("1.3.6.1.4.1.32473.1.1.3.1.7.42", "1.3.6.1.4.1.32473.1.1.3.1.2.42",
                "1.3.6.1.4.1.32473.1.1.3.1.6.42", "1.3.6.1.4.1.32473.1.1.3.1.3.42", "1.3.6.1.4.1.32473.1.1.3.1.10.42",
                "1.3.6.1.4.1.32473.1.1.3.1.9.42", "1.3.6.1.4.1.32473.1.1.5.1.0"), oids);
        // the serial as openssl prints it (the DER content octets 00 A1 B2 without the zero octet), as text
        assertEquals("A1B2", n.varbinds().get(0).getVariable().toString());
        assertEquals("CN=Müller", new String(((OctetString) n.varbinds().get(1).getVariable()).getValue(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(13, n.varbinds().get(4).getVariable().toInt());
        NoticeVarbinds.Notification ca = NoticeVarbinds.of(new Notice("c", NoticeKind.CA_EXPIRED, NOW, "", 3, "3E9", "CN=CA",
                "CN=CA", null, "", "", NOW, -1, -1, "All", "", "", List.of(), true, 0, 0, "", ""), null);
        assertEquals(CwOids.notification(4), ca.trapOid());
        assertEquals(6, ca.varbinds().size());
        assertEquals("03E9", ca.varbinds().get(0).getVariable().toString(), "a notice from before keeps its serial, spelt anew");
    }

    @Test
    void aTestNoticeIsItsOwnNotificationTypeWithoutCertificateVarbinds() {
        NoticeVarbinds.Notification n = NoticeVarbinds.of(new Notice("test.1", NoticeKind.TEST, NOW, "ops mail", 0, "",
                "", "", null, "", "", null, 0, -1, "All", "certwatch test", "/notifications/n1", List.of(), true, 0, 0,
                "", ""), null);
        assertEquals("1.3.6.1.4.1.32473.1.0.30", n.trapOid().toDottedString(), "cwTestNotification, not cwCertExpiring");
        List<String> oids = n.varbinds().stream().map(vb -> vb.getOid().toDottedString()).toList();
        assertEquals(List.of("1.3.6.1.4.1.32473.1.1.30.0", "1.3.6.1.4.1.32473.1.1.5.1.0"), oids);
        assertEquals("ops mail", n.varbinds().get(0).getVariable().toString());
    }
}
