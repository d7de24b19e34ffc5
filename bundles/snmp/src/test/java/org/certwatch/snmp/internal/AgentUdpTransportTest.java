package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.TransportListener;

class AgentUdpTransportTest {
    /** The listener reuses its receive buffer: what it handed on must not change when the next datagram comes. */
    @Test
    void eachDatagramKeepsItsOwnBytesAtItsOwnSize() throws Exception {
        BlockingQueue<ByteBuffer> received = new LinkedBlockingQueue<>();
        AgentUdpTransport udp = new AgentUdpTransport(new UdpAddress(InetAddress.getLoopbackAddress(), 0));
        udp.addTransportListener(new TransportListener() {
            @Override
            public <A extends Address> void processMessage(TransportMapping<? super A> transport, A address,
                    ByteBuffer message, TransportStateReference state) {
                received.add(message);
            }
        });
        udp.listen();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] first = {1, 2, 3, 4, 5, 6, 7, 8};
            byte[] second = {9, 9, 9};
            socket.send(new DatagramPacket(first, first.length, InetAddress.getLoopbackAddress(), udp.getListenAddress().getPort()));
            ByteBuffer a = received.poll(10, TimeUnit.SECONDS);
            socket.send(new DatagramPacket(second, second.length, InetAddress.getLoopbackAddress(), udp.getListenAddress().getPort()));
            ByteBuffer b = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(a);
            assertNotNull(b);
            assertEquals(ByteBuffer.wrap(first), a);
            assertEquals(ByteBuffer.wrap(second), b);
            assertEquals(first.length, a.array().length, "copied at its own size, not the 64 KB receive buffer");
        } finally {
            udp.close();
        }
    }
}
