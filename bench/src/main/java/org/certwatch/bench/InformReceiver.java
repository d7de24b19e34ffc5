package org.certwatch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The test inform receiver (SNMP4J, v2c, loopback, ephemeral port): acknowledges every inform and
 * records the {@code cwNoticeId.0} it carried, with the request id, so a UDP retransmission of the same
 * inform is told apart from a second delivery.
 */
final class InformReceiver implements AutoCloseable {
    static final OID NOTICE_ID = new OID("1.3.6.1.4.1.32473.1.1.5.1.0");

    /** One inform as received: notice id, SNMP request id, when. */
    record Receipt(String noticeId, int requestId, Instant at) {
    }

    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final List<Receipt> receipts = new CopyOnWriteArrayList<>();

    InformReceiver() throws IOException {
        transport = new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), 0));
        snmp = new Snmp(transport);
        snmp.addCommandResponder(new CommandResponder() {
            @Override
            public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
                receive(event);
            }
        });
        snmp.listen();
    }

    int port() {
        return transport.getListenAddress().getPort();
    }

    List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    private <A extends Address> void receive(CommandResponderEvent<A> event) {
        PDU pdu = event.getPDU();
        if (pdu == null || pdu.getType() != PDU.INFORM) {
            return;
        }
        String id = "";
        for (VariableBinding vb : pdu.getVariableBindings()) {
            if (vb.getOid().equals(NOTICE_ID)) {
                id = vb.getVariable().toString();
            }
        }
        receipts.add(new Receipt(id, pdu.getRequestID().toInt(), Instant.now()));
        PDU response = (PDU) pdu.clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(PDU.noError);
        response.setErrorIndex(0);
        try {
            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
                    event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(),
                    event.getStateReference(), new StatusInformation());
        } catch (Exception e) {
            // no acknowledgement: the server retries the inform, which the check counts as a retransmission
            System.err.println("soak: inform not acknowledged: " + e);
        }
        event.setProcessed(true);
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
