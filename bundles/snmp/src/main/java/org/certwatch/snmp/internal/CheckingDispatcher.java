package org.certwatch.snmp.internal;

import java.nio.ByteBuffer;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.event.CounterListener;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.util.MultiThreadedMessageDispatcher;
import org.snmp4j.util.WorkerPool;

/**
 * Hands incoming messages to the worker pool, after one cheap check of the outermost BER: a
 * datagram that is not exactly one SEQUENCE starting with an INTEGER version is counted in
 * {@code snmpInASNParseErrs} and dropped here. SNMP4J would log a stack trace for it and count
 * nothing; deeper errors it counts itself.
 */
final class CheckingDispatcher extends MultiThreadedMessageDispatcher {
    private volatile CounterListener counters;
    private final java.util.concurrent.atomic.AtomicLong received;

    CheckingDispatcher(WorkerPool pool, MessageDispatcher inner, java.util.concurrent.atomic.AtomicLong received) {
        super(pool, inner);
        this.received = received;
    }

    void countTo(CounterListener listener) {
        this.counters = listener;
    }

    @Override
    public <A extends Address> void processMessage(TransportMapping<? super A> transport, A address, ByteBuffer message,
            TransportStateReference state) {
        if (!wellFramed(message)) {
            CounterListener listener = counters;
            if (listener != null) {
                listener.incrementCounter(new CounterEvent(this, SnmpConstants.snmpInASNParseErrs));
            }
            return;
        }
        received.incrementAndGet();
        super.processMessage(transport, address, message, state);
    }

    /** SEQUENCE whose length covers the datagram exactly, then INTEGER (1..4 octets). */
    static boolean wellFramed(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        int total = b.remaining();
        if (total < 2 || (b.get() & 0xff) != 0x30) {
            return false;
        }
        long length = length(b);
        if (length < 0 || length != b.remaining() || b.remaining() < 3) {
            return false;
        }
        if ((b.get() & 0xff) != 0x02) {
            return false;
        }
        long versionLength = length(b);
        return versionLength >= 1 && versionLength <= 4 && versionLength <= b.remaining();
    }

    private static long length(ByteBuffer b) {
        if (!b.hasRemaining()) {
            return -1;
        }
        int first = b.get() & 0xff;
        if (first < 0x80) {
            return first;
        }
        int octets = first & 0x7f;
        if (octets == 0 || octets > 4 || b.remaining() < octets) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < octets; i++) {
            value = (value << 8) | (b.get() & 0xff);
        }
        return value;
    }
}
