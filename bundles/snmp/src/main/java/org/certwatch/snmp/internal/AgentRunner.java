package org.certwatch.snmp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.certwatch.api.fleet.Group;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.SNMP4JSettings;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.DuplicateRegistrationException;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.SysUpTime;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.cfg.EngineBootsCounterFile;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;

/**
 * One run of the SNMP agent, built on {@link AgentConfigManager}: UDP transport on the configured
 * address, USM (SHA-2 auth, AES priv) with the configured users, VACM with a read-only view, v1/v2c
 * communities only when configured, CERTWATCH-MIB in the default context and in one context per
 * static group. Nothing is persisted except the engine ID and boots (in {@code snmp/engine-boots}).
 *
 * <p>Notifications do not go through the agent's notification originator: no targets are put into
 * SNMP-TARGET-MIB and authentication-failure traps are off, so nothing a request does can make a
 * worker wait for a trap receiver (see DESIGN.md, "snmp4j-agent pitfalls").
 */
final class AgentRunner {
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");
    static final OID SYSTEM = new OID("1.3.6.1.2.1.1");
    static final OID SNMP_GROUP = new OID("1.3.6.1.2.1.11");
    static final OID SNMP_ENGINE = new OID("1.3.6.1.6.3.10.2.1");
    static final OID MPD_STATS = new OID("1.3.6.1.6.3.11.2.1");
    static final OID USM_STATS = new OID("1.3.6.1.6.3.15.1.1");
    private static final OctetString READ_VIEW = new OctetString("cwRead");
    private static final OctetString NOTIFY_VIEW = new OctetString("cwNotify");
    private static final OctetString NO_VIEW = new OctetString();
    /**
     * Received messages waiting for a worker: room for a few managers' outstanding requests, and at most
     * 8 MB even if every one were a 64 KB datagram; beyond it the kernel's receive buffer waits.
     */
    private static final int QUEUED_MESSAGES = 128;

    private final CwAgentConfigManager agent;
    private final AgentWorkers pool;
    private final DefaultMOServer server;
    private final MibModel model;
    private final OctetString engineId;
    private final int engineBoots;
    private final Map<String, String> contexts = new TreeMap<>();
    private final ViewSource views;
    private final UdpAddress listenAddress;
    private final AgentUdpTransport udp;

    /** Exposes the protected set-up points we need to change before the MIBs are created. */
    private static final class CwAgentConfigManager extends AgentConfigManager {
        CwAgentConfigManager(OctetString engineId, MessageDispatcher dispatcher, MOServer[] servers,
                EngineBootsCounterFile boots, String sysDescr) {
            // no worker pool here: requests are processed to the end on the dispatcher's worker thread
            super(engineId, dispatcher, null, servers, null, null, null, boots, null);
            this.sysDescr = new OctetString(sysDescr);
            this.sysOID = new OID(CwOids.SERVER_PRODUCT);
        }
    }

    private AgentRunner(CwAgentConfigManager agent, AgentWorkers pool, DefaultMOServer server, MibModel model,
            OctetString engineId, int engineBoots, UdpAddress listenAddress, AgentUdpTransport udp) {
        this.agent = agent;
        this.udp = udp;
        this.pool = pool;
        this.server = server;
        this.model = model;
        this.engineId = engineId;
        this.engineBoots = engineBoots;
        this.listenAddress = listenAddress;
        this.views = new ViewSource(model);
    }

    static SecurityProtocols securityProtocols() {
        // SHA-2 authentication and AES privacy only: no MD5, SHA-1 or DES
        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.none);
        protocols.addAuthenticationProtocol(new AuthHMAC128SHA224());
        protocols.addAuthenticationProtocol(new AuthHMAC192SHA256());
        protocols.addAuthenticationProtocol(new AuthHMAC256SHA384());
        protocols.addAuthenticationProtocol(new AuthHMAC384SHA512());
        protocols.addPrivacyProtocol(new PrivAES128());
        protocols.addPrivacyProtocol(new PrivAES192());
        protocols.addPrivacyProtocol(new PrivAES256());
        return protocols;
    }

    static UsmUser usmUser(AgentSettings.User user) {
        return new UsmUser(new OctetString(user.name()), AuthHMAC192SHA256.ID, new OctetString(user.authPassword()),
                PrivAES128.ID, new OctetString(user.privPassword()));
    }

    static AgentRunner start(AgentSettings settings, Path folder, MibModel model, Collection<Group> groups,
            String sysDescr, java.util.concurrent.atomic.AtomicLong received) throws IOException {
        SNMP4JSettings.setEnterpriseID(CwOids.ENTERPRISE);
        // RFC 3414 reports (unknown user, wrong digest, not in time window) at noAuthNoPriv when the
        // request's level cannot be used for them, as net-snmp does; otherwise managers just time out
        SNMP4JSettings.setReportSecurityLevelStrategy(SNMP4JSettings.ReportSecurityLevelStrategy.noAuthNoPrivIfNeeded);
        Files.createDirectories(folder);
        EngineBootsCounterFile boots = new EngineBootsCounterFile(folder.resolve("engine-boots").toFile());
        OctetString engineId = boots.getEngineId(new OctetString(MPv3.createLocalEngineID()));
        MessageDispatcherImpl inner = new MessageDispatcherImpl();
        AgentWorkers pool = new AgentWorkers("certwatch-snmp", settings.workerThreads(), QUEUED_MESSAGES);
        // decoding, USM (HMAC, AES) and the request itself run on the workers, not on the UDP thread;
        // nothing a worker does waits for another peer (notifications have their own session)
        CheckingDispatcher dispatcher = new CheckingDispatcher(pool, inner, received);
        UdpAddress address = new UdpAddress(InetAddress.getByName(settings.bind()), settings.port());
        AgentUdpTransport udp = new AgentUdpTransport(address);
        udp.setThreadName("certwatch-snmp-udp");
        dispatcher.addTransportMapping(udp);
        DefaultMOServer server = new DefaultMOServer();
        CwAgentConfigManager agent = new CwAgentConfigManager(engineId, dispatcher, new MOServer[] {server}, boots,
                sysDescr);
        agent.setContext(new SecurityModels(), securityProtocols(), new CounterSupport());
        AgentRunner runner = new AgentRunner(agent, pool, server, model, engineId, 0, address, udp);
        try {
            agent.initialize();
            dispatcher.countTo(agent.getSNMPv2MIB());
            runner.configure(settings);
            runner.syncContexts(groups);
            agent.run();
        } catch (RuntimeException e) {
            runner.stop();
            throw new IOException("SNMP agent did not start on " + address + ": " + e.getMessage(), e);
        }
        if (udp.getListenAddress() == null || !udp.isListening()) {
            runner.stop();
            throw new IOException("SNMP agent cannot listen on UDP " + address);
        }
        return runner;
    }

    private void configure(AgentSettings s) {
        agent.getSNMPv2MIB().getSnmpEnableAuthenTraps().setValue(new Integer32(2)); // disabled(2)
        agent.getSNMPv2MIB().setContact(new OctetString(s.sysContact()));
        agent.getSNMPv2MIB().setLocation(new OctetString(s.sysLocation()));
        agent.getSNMPv2MIB().setName(new OctetString(s.sysName().isEmpty() ? hostName() : s.sysName()));

        AgentVacm vacm = new AgentVacm(agent.getVacmMIB());
        for (OID subtree : new OID[] {SYSTEM, SNMP_GROUP, SNMP_ENGINE, MPD_STATS, USM_STATS, CwOids.CERTWATCH_MIB}) {
            vacm.addViewTreeFamily(READ_VIEW, subtree, new OctetString(), VacmMIB.vacmViewIncluded, StorageType.volatile_);
        }
        vacm.addViewTreeFamily(NOTIFY_VIEW, CwOids.CERTWATCH_MIB, new OctetString(), VacmMIB.vacmViewIncluded,
                StorageType.volatile_);

        USM usm = agent.getUsm();
        for (AgentSettings.User user : s.users()) {
            usm.addUser(new OctetString(user.name()), usm.getLocalEngineID(), usmUser(user));
            OctetString group = new OctetString(user.context() == null ? "cwUsers" : "cwUsers@" + user.context());
            vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString(user.name()), group, StorageType.volatile_);
        }
        // every context for unrestricted users (prefix "" matches all), exactly one for restricted ones
        vacm.addAccess(new OctetString("cwUsers"), new OctetString(), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, VacmMIB.vacmPrefixMatch, READ_VIEW, NO_VIEW, NOTIFY_VIEW, StorageType.volatile_);
        s.users().stream().filter(u -> u.context() != null).map(AgentSettings.User::context).distinct().forEach(ctx ->
                vacm.addAccess(new OctetString("cwUsers@" + ctx), new OctetString(ctx), SecurityModel.SECURITY_MODEL_USM,
                        SecurityLevel.AUTH_PRIV, VacmMIB.vacmExactMatch, READ_VIEW, NO_VIEW, NOTIFY_VIEW,
                        StorageType.volatile_));

        int i = 0;
        for (AgentSettings.Community c : s.communities()) {
            OctetString securityName = new OctetString("community" + (++i));
            OctetString group = new OctetString("cwCommunity@" + c.context());
            agent.getSnmpCommunityMIB().addSnmpCommunityEntry(new OctetString("cw" + i), new OctetString(c.community()),
                    securityName, engineId, new OctetString(c.context()), new OctetString(), StorageType.volatile_);
            vacm.addGroup(SecurityModel.SECURITY_MODEL_SNMPv1, securityName, group, StorageType.volatile_);
            vacm.addGroup(SecurityModel.SECURITY_MODEL_SNMPv2c, securityName, group, StorageType.volatile_);
        }
        s.communities().stream().map(AgentSettings.Community::context).distinct().forEach(ctx -> {
            for (int model : new int[] {SecurityModel.SECURITY_MODEL_SNMPv1, SecurityModel.SECURITY_MODEL_SNMPv2c}) {
                vacm.addAccess(new OctetString("cwCommunity@" + ctx), new OctetString(ctx), model,
                        SecurityLevel.NOAUTH_NOPRIV, VacmMIB.vacmExactMatch, READ_VIEW, NO_VIEW, NO_VIEW,
                        StorageType.volatile_);
            }
        });
        agent.getCommandProcessor().setVacm(vacm);
        register();
    }

    /** Registers CERTWATCH-MIB once, for every context; the request's context selects the rows. */
    private void register() {
        for (VirtualObject mo : List.of(new SummaryScalars(views), new CaTable(views), new CertTable(views),
                new ComputerTable(views), new LocationTable(views), new OperationScalars(views))) {
            try {
                server.register(mo, null);
            } catch (DuplicateRegistrationException e) {
                throw new IllegalStateException("duplicate registration of " + mo, e);
            }
        }
    }

    /** One context per static group (its short name); contexts of groups that are gone are removed. */
    synchronized void syncContexts(Collection<Group> groups) {
        Map<String, String> wanted = new TreeMap<>();
        for (Group g : groups) {
            if (g.shortName() != null && !g.shortName().isEmpty()) {
                wanted.put(g.shortName(), g.path());
            }
        }
        for (String name : contexts.keySet()) {
            if (!wanted.containsKey(name)) {
                server.removeContext(new OctetString(name));
            }
        }
        for (String name : wanted.keySet()) {
            if (!contexts.containsKey(name)) {
                server.addContext(new OctetString(name));
            }
        }
        contexts.clear();
        contexts.putAll(wanted);
        views.contexts(wanted);
    }

    synchronized List<String> contextNames() {
        return List.copyOf(contexts.keySet());
    }

    OctetString engineId() {
        return engineId;
    }

    UdpAddress listenAddress() {
        return listenAddress;
    }

    SysUpTime sysUpTime() {
        return agent.getSysUpTime();
    }

    /**
     * Shuts the agent down (closes the port), lets the workers finish (they are not daemons), then closes
     * the port again: a worker answering a request after the first close makes SNMP4J's transport bind
     * a new socket to the same port ({@code ensureSocket} in {@code sendMessage}), which kept the port
     * taken, so the next start (a redeploy, a configuration change) failed with "Address already in use"
     * and the agent stayed down (found by the soak).
     */
    void stop() {
        try {
            agent.shutdown();
        } catch (RuntimeException e) {
            LOG.warning("SNMP agent shutdown: " + e);
        } finally {
            pool.stop();
            try {
                udp.close();
            } catch (IOException e) {
                LOG.warning("SNMP agent port close: " + e);
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "certwatch";
        }
    }
}
