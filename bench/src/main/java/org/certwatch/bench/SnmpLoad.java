package org.certwatch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** The one in-process load generator (SNMP4J) used against certwatch and snmpd alike. */
final class SnmpLoad implements AutoCloseable {
    private final Snmp snmp;

    SnmpLoad(String user, String auth, String priv) throws IOException {
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addPrivacyProtocol(new PrivAES128());
        CounterSupport counters = new CounterSupport();
        USM usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0, counters);
        usm.addUser(new OctetString(user), new UsmUser(new OctetString(user), AuthHMAC192SHA256.ID, new OctetString(auth),
                PrivAES128.ID, new OctetString(priv)));
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(usm.getLocalEngineID().getValue(), null, protocols, models, counters));
        snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping());
        snmp.listen();
    }

    static Target<UdpAddress> v2c(int port, String community) throws IOException {
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(new UdpAddress(InetAddress.getLoopbackAddress(), port),
                new OctetString(community));
        t.setVersion(SnmpConstants.version2c);
        t.setTimeout(2000);
        t.setRetries(1);
        return t;
    }

    static Target<UdpAddress> v3(int port, String user) throws IOException {
        UserTarget<UdpAddress> t = new UserTarget<>(new UdpAddress(InetAddress.getLoopbackAddress(), port),
                new OctetString(user), new byte[0], SecurityLevel.AUTH_PRIV);
        t.setTimeout(2000);
        t.setRetries(1);
        return t;
    }

    private static PDU pdu(Target<?> target, int type) {
        PDU pdu = target.getVersion() == SnmpConstants.version3 ? new ScopedPDU() : new PDU();
        pdu.setType(type);
        return pdu;
    }

    /** GET sysUpTime.0 with {@code outstanding} requests in flight for {@code seconds}; answers per second. */
    double getThroughput(Target<UdpAddress> target, int outstanding, double seconds) throws Exception {
        // one synchronous request first: engine discovery and key localization are not measured
        PDU first = pdu(target, PDU.GET);
        first.add(new VariableBinding(SnmpConstants.sysUpTime));
        ResponseEvent<UdpAddress> warm = snmp.send(first, target);
        if (warm == null || warm.getResponse() == null) {
            throw new IOException("no answer from " + target.getAddress());
        }
        AtomicLong answers = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(outstanding);
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
                ((Snmp) event.getSource()).cancel(event.getRequest(), this);
                if (event.getResponse() != null && event.getResponse().getErrorStatus() == 0) {
                    answers.incrementAndGet();
                } else {
                    failures.incrementAndGet();
                }
                if (running.get()) {
                    sendGet(target, this, done);
                } else {
                    done.countDown();
                }
            }
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < outstanding; i++) {
            sendGet(target, listener, done);
        }
        Thread.sleep((long) (seconds * 1000));
        long counted = answers.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        running.set(false);
        done.await(10, TimeUnit.SECONDS);
        if (failures.get() > counted / 100) {
            System.out.println("  (" + failures.get() + " requests without an answer)");
        }
        return counted / elapsed;
    }

    private void sendGet(Target<UdpAddress> target, ResponseListener listener, CountDownLatch done) {
        PDU pdu = pdu(target, PDU.GET);
        pdu.add(new VariableBinding(SnmpConstants.sysUpTime));
        try {
            snmp.send(pdu, target, null, listener);
        } catch (IOException e) {
            done.countDown();
        }
    }

    /**
     * Walks {@code root} with GETBULK (max-repetitions {@code reps}) again and again for {@code seconds}
     * (a walk still running at the end is cut there); varbinds per second. {@code lastWalk[0]} gets the
     * size of the last walk.
     */
    double walkThroughput(Target<UdpAddress> target, OID root, int reps, double seconds, long[] lastWalk) throws IOException {
        long varbinds = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long walk = 0;
            OID at = root;
            boolean more = true;
            while (more && System.nanoTime() < end) {
                PDU pdu = pdu(target, PDU.GETBULK);
                pdu.setMaxRepetitions(reps);
                pdu.setNonRepeaters(0);
                pdu.add(new VariableBinding(at, Null.instance));
                ResponseEvent<UdpAddress> e = snmp.send(pdu, target);
                if (e == null || e.getResponse() == null) {
                    throw new IOException("GETBULK " + at + " not answered by " + target.getAddress());
                }
                PDU r = e.getResponse();
                if (r.getErrorStatus() != 0 || r.size() == 0) {
                    break;
                }
                for (VariableBinding vb : r.getVariableBindings()) {
                    if (vb.isException() || !vb.getOid().startsWith(root)) {
                        more = false;
                        break;
                    }
                    walk++;
                    at = vb.getOid();
                }
            }
            varbinds += walk;
            lastWalk[0] = walk;
        }
        return varbinds / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * One request (GET, or GETBULK with {@code reps} repetitions) answered synchronously; the response,
     * or null when none came within the target's timeout and retries.
     */
    PDU request(Target<UdpAddress> target, int type, int reps, OID... oids) throws IOException {
        PDU pdu = pdu(target, type);
        if (type == PDU.GETBULK) {
            pdu.setMaxRepetitions(reps);
            pdu.setNonRepeaters(0);
        }
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid, Null.instance));
        }
        ResponseEvent<UdpAddress> e = snmp.send(pdu, target);
        return e == null ? null : e.getResponse();
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
