package org.certwatch.snmp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.snmp4j.TransportStateReference;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The agent's UDP port. SNMP4J's listener, when messages are processed asynchronously, allocates a
 * fresh receive buffer of the maximum message size (64 KB) for every datagram, so that the worker
 * can keep it: at 20,000 requests/s that is over 1 GB/s of garbage and a young collection every few
 * milliseconds. Here the listener keeps one receive buffer, and each datagram is copied out at its
 * own size before it is handed to a worker.
 */
final class AgentUdpTransport extends DefaultUdpTransportMapping {
    AgentUdpTransport(UdpAddress address) throws IOException {
        super(address, false);
        // "not asynchronous" only tells the listener it may reuse its buffer; prepareInPacket copies
        setAsyncMsgProcessingSupported(false);
    }

    @Override
    protected ByteBuffer prepareInPacket(DatagramPacket packet, byte[] buf, TransportStateReference state) {
        int from = packet.getOffset();
        return ByteBuffer.wrap(Arrays.copyOfRange(packet.getData(), from, from + packet.getLength()));
    }
}
