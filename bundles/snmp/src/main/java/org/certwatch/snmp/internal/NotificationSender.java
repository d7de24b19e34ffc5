package org.certwatch.snmp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.certwatch.api.notify.DeliveryException;
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
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * Sends notifications to the configured targets from its own SNMP session (own UDP port, own
 * threads), never from the agent's request workers. An inform counts once the target acknowledged
 * it; a target that already acknowledged a notice is not sent it again when the outbox retries it
 * for another target. Every try is bounded: timeout × (retries + 1) per target.
 */
final class NotificationSender implements AutoCloseable {
    private final Snmp snmp;
    private final AgentSettings settings;
    private final OctetString engineId;
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();

    NotificationSender(AgentSettings settings, OctetString engineId, int engineBoots) throws IOException {
        this.settings = settings;
        this.engineId = engineId;
        SecurityProtocols protocols = AgentRunner.securityProtocols();
        CounterSupport counters = new CounterSupport();
        USM usm = new USM(protocols, engineId, engineBoots, counters);
        SecurityModels models = new SecurityModels();
        models.addSecurityModel(usm);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new MPv3(engineId.getValue(), null, protocols, models, counters));
        DefaultUdpTransportMapping transport = new DefaultUdpTransportMapping(
                new UdpAddress(InetAddress.getByName("0.0.0.0"), 0), false);
        transport.setThreadName("certwatch-snmp-notify");
        snmp = new Snmp(dispatcher, transport);
        for (AgentSettings.User user : settings.users()) {
            // without engine ID: localized for each inform receiver after discovery; with ours: for traps
            usm.addUser(new OctetString(user.name()), AgentRunner.usmUser(user));
            usm.addUser(new OctetString(user.name()), engineId, AgentRunner.usmUser(user));
        }
        snmp.listen();
    }

    boolean hasTargets() {
        return !settings.targets().isEmpty();
    }

    /** Sends to every target that has not acknowledged this notice yet; throws naming those that failed. */
    void send(String noticeId, NoticeVarbinds.Notification notification, TimeTicks upTime) throws DeliveryException {
        List<String> failures = new ArrayList<>();
        Set<String> done = acknowledged.computeIfAbsent(noticeId, k -> ConcurrentHashMap.newKeySet());
        for (AgentSettings.Target target : settings.targets()) {
            String key = target.toString();
            if (done.contains(key)) {
                continue;
            }
            PDU pdu = target.v3() ? new ScopedPDU() : new PDU();
            pdu.setType(target.inform() ? PDU.INFORM : PDU.TRAP);
            pdu.add(new VariableBinding(SnmpConstants.sysUpTime, upTime));
            pdu.add(new VariableBinding(SnmpConstants.snmpTrapOID, notification.trapOid()));
            notification.varbinds().forEach(pdu::add);
            try {
                ResponseEvent<UdpAddress> event = snmp.send(pdu, target(target));
                if (!target.inform()) {
                    done.add(key); // best effort: UDP traps are not acknowledged
                } else if (event == null || event.getResponse() == null) {
                    failures.add(target.address() + ": no acknowledgement within "
                            + settings.informTimeoutMillis() * (settings.informRetries() + 1L) + " ms"
                            + (event != null && event.getError() != null ? " (" + event.getError().getMessage() + ")" : ""));
                } else if (event.getResponse().getErrorStatus() != PDU.noError) {
                    failures.add(target.address() + ": answered " + event.getResponse().getErrorStatusText());
                } else {
                    done.add(key);
                }
            } catch (IOException | RuntimeException e) {
                failures.add(target.address() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new DeliveryException("SNMP notice " + noticeId + " not delivered to " + String.join("; ", failures), false);
        }
        acknowledged.remove(noticeId);
        if (acknowledged.size() > 10_000) {
            acknowledged.clear(); // bounded memory; at worst a target gets a notice twice (it carries cwNoticeId)
        }
    }

    private Target<UdpAddress> target(AgentSettings.Target t) throws IOException {
        UdpAddress address = new UdpAddress(InetAddress.getByName(t.host()), t.port());
        Target<UdpAddress> target;
        if (t.v3()) {
            // we are authoritative for traps; for informs the receiver is, and is discovered
            byte[] authoritative = t.inform() ? new byte[0] : engineId.getValue();
            target = new UserTarget<>(address, new OctetString(t.credential()), authoritative, SecurityLevel.AUTH_PRIV);
        } else {
            CommunityTarget<UdpAddress> community = new CommunityTarget<>(address, new OctetString(t.credential()));
            community.setVersion(SnmpConstants.version2c);
            target = community;
        }
        target.setTimeout(settings.informTimeoutMillis());
        target.setRetries(settings.informRetries());
        return target;
    }

    @Override
    public void close() {
        try {
            snmp.close();
        } catch (IOException ignored) {
            // closing a UDP socket
        }
    }
}
