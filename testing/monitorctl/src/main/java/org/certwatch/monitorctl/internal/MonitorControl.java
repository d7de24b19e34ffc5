package org.certwatch.monitorctl.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.api.notify.MailSettingsService;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.notify.OutboxEntry;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.IssueRequest;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Test-only loopback control of a running server, one command per connection; the port goes to
 * {@code $CERTWATCH_DATA/probes/org.certwatch.monitorctl.port} (so {@code CertwatchServer.probe}
 * reaches it). Services are looked up per command, so bundles may come and go meanwhile.
 * Commands: {@code mail HOST PORT SECURITY SENDER}, {@code ca}, {@code issue ROLE HOST GROUP NOTAFTER},
 * {@code notify ROLE THRESHOLDS EMAILS|- OWNERGROUP [snmp]}, {@code health ID}, {@code alarm ID}, {@code evaluated}, {@code outbox},
 * {@code lasterror}, {@code sendtest RECIPIENT}, {@code mailservice},
 * {@code computers} ({@code id:certificateId:STATUS:monitoredCertificateId:daysLeft:text} each).
 * Answers: {@code ok …} or {@code error …}.
 */
@Component(service = {})
public final class MonitorControl {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitorctl");
    private final BundleContext context;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;

    @Activate
    public MonitorControl(BundleContext context) throws IOException {
        this.context = context;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::serve, "certwatch-monitorctl");
        acceptor.setDaemon(true);
        acceptor.start();
        Path dir = Files.createDirectories(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("probes"));
        portFile = dir.resolve("org.certwatch.monitorctl.port");
        Files.writeString(portFile, Integer.toString(server.getLocalPort()));
        LOG.info("monitor control listening on " + server.getLocalSocketAddress());
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(portFile);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept();
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
                String line = in.readLine();
                if (line != null) {
                    String answer;
                    try {
                        answer = handle(line.trim().split("\\s+"));
                    } catch (Exception e) {
                        answer = "error " + e;
                    }
                    out.write(answer + "\n");
                    out.flush();
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warning("monitor control connection failed: " + e.getMessage());
                }
            }
        }
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        T s = ref == null ? null : context.getService(ref);
        if (s == null) {
            throw new IllegalStateException("no " + type.getSimpleName() + " service");
        }
        return s;
    }

    private String handle(String[] a) throws Exception {
        switch (a[0]) {
            case "mail" -> {
                service(MailSettingsService.class).set(new MailSettings(a[1], Integer.parseInt(a[2]),
                        MailSecurity.valueOf(a[3]), "", null, false, a[4], "", "https://certwatch.test",
                        a.length > 5 ? Integer.parseInt(a[5]) : 5), "test"); // optional: timeout seconds
                return "ok";
            }
            case "sendtest" -> {
                try {
                    return "ok " + service(MailSettingsService.class).sendTest(a[1]);
                } catch (org.certwatch.api.notify.DeliveryException e) {
                    return "error " + e.getMessage();
                }
            }
            case "lasterror" -> {
                List<OutboxEntry> entries = service(NotificationService.class).outbox(UserScope.system());
                return entries.isEmpty() ? "ok" : "ok " + entries.get(0).lastError();
            }
            case "computers" -> {
                StringBuilder b = new StringBuilder("ok");
                ExpiryMonitor monitor = service(ExpiryMonitor.class);
                for (org.certwatch.api.fleet.Computer c : service(org.certwatch.api.fleet.ComputerRegistry.class)
                        .computers()) {
                    b.append(' ').append(c.id()).append(':').append(c.certificateId());
                    monitor.computer(c.id()).ifPresent(h -> b.append(':').append(h.status()).append(':')
                            .append(h.certificateId()).append(':').append(h.daysLeft()).append(':')
                            .append(h.text().replace(' ', '_')));
                }
                return b.toString();
            }
            case "mailservice" -> {
                return "ok " + (context.getServiceReference(MailSettingsService.class) != null);
            }
            case "ca" -> {
                return "ok " + service(CertificateStore.class).cas().get(0).id();
            }
            case "issue" -> {
                CertificateStore store = service(CertificateStore.class);
                long ca = store.cas().get(0).id();
                IssueRequest r = new IssueRequest(ca, Role.valueOf(a[1]), a[2], List.of(), null, "test", a[3], null,
                        Instant.parse(a[4]));
                CertificateInfo c = store.issue(r, "test");
                return "ok " + c.id() + " " + c.notAfter();
            }
            case "notify" -> {
                List<Integer> thresholds = new ArrayList<>();
                for (String t : a[2].split(",")) {
                    thresholds.add(Integer.parseInt(t));
                }
                NotificationDefinition d = service(NotificationService.class).create(UserScope.system(),
                        new NotificationDefinition(null, "agents in " + a[4], NotificationScope.PEER_CERTIFICATES,
                                Role.valueOf(a[1]), thresholds, a[3].equals("-") ? List.of() : Arrays.asList(a[3].split(",")),
                                a.length > 5 && a[5].equals("snmp"), a[4], true, false));
                return "ok " + d.id();
            }
            case "health" -> {
                CertificateHealth h = service(ExpiryMonitor.class).certificate(Long.parseLong(a[1])).orElseThrow();
                return "ok " + h.status() + " " + h.daysLeft();
            }
            case "alarm" -> {
                // whether the certificate can alarm: critical, or quiet because replaced (renewed, superseded, retired)
                CertificateHealth h = service(ExpiryMonitor.class).certificate(Long.parseLong(a[1])).orElseThrow();
                return "ok critical=" + h.critical() + " replaced=" + h.replaced();
            }
            case "evaluated" -> {
                return "ok " + service(ExpiryMonitor.class).summary(UserScope.system()).evaluatedAt();
            }
            case "notifications" -> {
                StringBuilder b = new StringBuilder("ok");
                service(NotificationService.class).list(UserScope.system()).forEach(d -> b.append(' ').append(d.id()));
                return b.toString();
            }
            case "sendtestnotice" -> {
                return "ok " + service(NotificationService.class).sendTest(UserScope.system(), a[1]);
            }
            case "mailhost" -> {
                return "ok " + service(MailSettingsService.class).get().host() + ":"
                        + service(MailSettingsService.class).get().port();
            }
            case "outbox" -> {
                List<OutboxEntry> entries = service(NotificationService.class).outbox(UserScope.system());
                StringBuilder b = new StringBuilder("ok " + entries.size());
                for (OutboxEntry e : entries) {
                    b.append(' ').append(e.notice().id());
                }
                return b.toString();
            }
            default -> {
                return "error unknown command " + a[0];
            }
        }
    }
}
