package org.certwatch.itests;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.TransportStateReference;
import org.snmp4j.UserTarget;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
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
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Valid SNMP messages to mutate, as SNMP4J encodes them: GET, GETNEXT, GETBULK, SET, traps and
 * informs over v1, v2c and v3 (authPriv, with the engine discovery it does first). They are sent to
 * the real agent, so the v3 ones carry its engine ID, boots and time; the bytes are recorded on the way.
 */
final class SnmpSeeds {
    private SnmpSeeds() {
    }

    /** A UDP transport that keeps a copy of every message it sends. */
    private static final class Recording extends DefaultUdpTransportMapping {
        final List<byte[]> sent = new ArrayList<>();

        Recording() throws IOException {
            super();
        }

        @Override
        public void sendMessage(UdpAddress target, byte[] message, TransportStateReference state, long timeout,
                int retries) throws IOException {
            synchronized (sent) {
                sent.add(message.clone());
            }
            super.sendMessage(target, message, state, timeout, retries);
        }
    }

    static List<byte[]> record(int port, String community, String user, String auth, String priv) throws IOException {
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
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(usm.getLocalEngineID().getValue(), null, protocols, models, counters));
        Recording transport = new Recording();
        Snmp snmp = new Snmp(dispatcher, transport);
        try {
            snmp.listen();
            UdpAddress agent = new UdpAddress(InetAddress.getLoopbackAddress(), port);
            List<Target<UdpAddress>> targets = new ArrayList<>();
            for (int version : new int[] {SnmpConstants.version1, SnmpConstants.version2c}) {
                CommunityTarget<UdpAddress> t = new CommunityTarget<>(agent, new OctetString(community));
                t.setVersion(version);
                targets.add(t);
            }
            targets.add(new UserTarget<>(agent, new OctetString(user), new byte[0], SecurityLevel.AUTH_PRIV));
            for (Target<UdpAddress> target : targets) {
                target.setTimeout(1000);
                target.setRetries(0);
                boolean v1 = target.getVersion() == SnmpConstants.version1;
                int[] types = v1 ? new int[] {PDU.GET, PDU.GETNEXT, PDU.SET, PDU.V1TRAP}
                        : new int[] {PDU.GET, PDU.GETNEXT, PDU.GETBULK, PDU.SET, PDU.TRAP, PDU.INFORM};
                for (int type : types) {
                    snmp.send(pdu(target, type), target);
                }
            }
        } finally {
            snmp.close();
        }
        List<byte[]> unique = new ArrayList<>();
        for (byte[] m : transport.sent) {
            if (unique.stream().noneMatch(u -> Arrays.equals(u, m))) {
                unique.add(m);
            }
        }
        return unique;
    }

    private static PDU pdu(Target<UdpAddress> target, int type) {
        PDU pdu = target.getVersion() == SnmpConstants.version3 ? new ScopedPDU()
                : target.getVersion() == SnmpConstants.version1 ? new PDUv1() : new PDU();
        pdu.setType(type);
        OID cwCertTotalCount = new OID("1.3.6.1.4.1.32473.1.1.1.1.0");
        switch (type) {
            case PDU.SET -> pdu.add(new VariableBinding(SnmpConstants.sysContact, new OctetString("fuzz-seed")));
            case PDU.GETBULK -> {
                pdu.setNonRepeaters(1);
                pdu.setMaxRepetitions(10);
                pdu.add(new VariableBinding(SnmpConstants.sysUpTime));
                pdu.add(new VariableBinding(new OID("1.3.6.1.4.1.32473")));
            }
            case PDU.V1TRAP -> {
                PDUv1 trap = (PDUv1) pdu;
                trap.setEnterprise(new OID("1.3.6.1.4.1.32473"));
                trap.setAgentAddress(new IpAddress("127.0.0.1"));
                trap.setGenericTrap(PDUv1.ENTERPRISE_SPECIFIC);
                trap.setSpecificTrap(3);
                trap.setTimestamp(4242);
                pdu.add(new VariableBinding(cwCertTotalCount, new Integer32(-7)));
            }
            case PDU.TRAP, PDU.INFORM -> {
                pdu.add(new VariableBinding(SnmpConstants.sysUpTime, new TimeTicks(4242)));
                pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, new OID("1.3.6.1.4.1.32473.1.0.1")));
                pdu.add(new VariableBinding(cwCertTotalCount, new Integer32(-7)));
            }
            default -> {
                pdu.add(new VariableBinding(SnmpConstants.sysUpTime));
                pdu.add(new VariableBinding(cwCertTotalCount));
            }
        }
        return pdu;
    }
}
