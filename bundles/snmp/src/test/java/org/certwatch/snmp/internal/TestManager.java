package org.certwatch.snmp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.UserTarget;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** A real SNMP manager (SNMP4J) for unit tests against an in-process agent. */
final class TestManager implements AutoCloseable {
    final Snmp snmp;
    final USM usm;
    final UdpAddress agent;

    TestManager(int port) throws IOException {
        agent = new UdpAddress(InetAddress.getLoopbackAddress(), port);
        SecurityProtocols protocols = AgentRunner.securityProtocols();
        CounterSupport counters = new CounterSupport();
        usm = new USM(protocols, new OctetString(MPv3.createLocalEngineID()), 0, counters);
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(usm.getLocalEngineID().getValue(), null, protocols, models, counters));
        snmp = new Snmp(dispatcher, new DefaultUdpTransportMapping());
        snmp.listen();
    }

    void addUser(AgentSettings.User user) {
        usm.addUser(new OctetString(user.name()), AgentRunner.usmUser(user));
    }

    Target<UdpAddress> v3(String user) {
        UserTarget<UdpAddress> t = new UserTarget<>(agent, new OctetString(user), new byte[0], SecurityLevel.AUTH_PRIV);
        t.setTimeout(1500);
        t.setRetries(1);
        return t;
    }

    Target<UdpAddress> community(String community, int version) {
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(agent, new OctetString(community));
        t.setVersion(version);
        t.setTimeout(700);
        t.setRetries(0);
        return t;
    }

    PDU request(Target<UdpAddress> target, int type, String context, OID... oids) throws IOException {
        PDU pdu = target.getVersion() == SnmpConstants.version3 ? new ScopedPDU() : new PDU();
        if (pdu instanceof ScopedPDU scoped && context != null) {
            scoped.setContextName(new OctetString(context));
        }
        pdu.setType(type);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid));
        }
        ResponseEvent<UdpAddress> e = snmp.send(pdu, target);
        return e == null ? null : e.getResponse();
    }

    PDU get(Target<UdpAddress> target, String context, OID... oids) throws IOException {
        return request(target, PDU.GET, context, oids);
    }

    PDU next(Target<UdpAddress> target, String context, OID... oids) throws IOException {
        return request(target, PDU.GETNEXT, context, oids);
    }

    /** Walks a subtree with GETNEXT; the varbinds in order. */
    List<VariableBinding> walk(Target<UdpAddress> target, String context, OID root) throws IOException {
        List<VariableBinding> out = new java.util.ArrayList<>();
        OID at = root;
        while (true) {
            PDU r = next(target, context, at);
            if (r == null) {
                throw new IOException("no answer to GETNEXT " + at);
            }
            VariableBinding vb = r.get(0);
            if (vb.isException() || !vb.getOid().startsWith(root)) {
                return out;
            }
            out.add(vb);
            at = vb.getOid();
        }
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}
