package org.certwatch.storedriver.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Test-only, never in the distribution. One command per connection on a loopback port written to
 * {@code $CERTWATCH_DATA/probes/org.certwatch.storedriver.port}:
 * <ul>
 * <li>{@code issue N DAYS GROUP} issues N agent certificates from the first CA, valid DAYS days from
 *     the registry clock's now, home group GROUP; answers {@code ok FIRSTID LASTID}</li>
 * <li>{@code revoke ID}</li>
 * <li>{@code certs} / {@code cas}: one tab-separated line per row (id, subject, serial hex, notAfter,
 *     group, role, fingerprint, issuer/caId)</li>
 * <li>{@code notice KIND ID NOTICEID}: hands a notice about certificate/CA ID to the {@code snmp}
 *     channel; answers {@code ok} or {@code error MESSAGE}</li>
 * </ul>
 */
@Component(service = {})
public final class StoreDriver {
    private final BundleContext context;
    private final CertificateStore store;
    private final Clock clock;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;

    @Activate
    public StoreDriver(BundleContext context, @Reference CertificateStore store,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Clock clock) throws IOException {
        this.context = context;
        this.store = store;
        this.clock = clock;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::serve, "storedriver");
        acceptor.setDaemon(true);
        acceptor.start();
        Path folder = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("probes");
        Files.createDirectories(folder);
        portFile = folder.resolve(context.getBundle().getSymbolicName() + ".port");
        Files.writeString(portFile, Integer.toString(server.getLocalPort()));
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(portFile);
    }

    private String respond(String line) {
        String[] args = line.trim().split("\\s+");
        try {
            switch (args[0]) {
                case "issue":
                    return issue(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
                case "revoke":
                    store.revoke(Long.parseLong(args[1]), RevocationReason.SUPERSEDED, "test");
                    return "ok";
                case "certs":
                    return certs();
                case "cas":
                    return cas();
                case "notice":
                    return notice(NoticeKind.valueOf(args[1]), Long.parseLong(args[2]), args[3]);
                default:
                    return "error unknown command " + args[0];
            }
        } catch (RuntimeException e) {
            return "error " + e;
        }
    }

    private String issue(int count, int days, String group) {
        CaInfo ca = store.cas().get(0);
        Instant notAfter = clock.instant().plus(Duration.ofDays(days));
        long first = -1;
        long last = -1;
        for (int done = 0; done < count; done += 1000) {
            List<IssueRequest> batch = new ArrayList<>();
            for (int i = done; i < Math.min(count, done + 1000); i++) {
                batch.add(new IssueRequest(ca.id(), Role.AGENT, "pc-" + System.nanoTime() + "-" + i + ".example.org",
                        List.of(), null, "snmp test " + i, group, null, notAfter));
            }
            List<CertificateInfo> issued = store.issueAll(batch, "test");
            if (first < 0) {
                first = issued.get(0).id();
            }
            last = issued.get(issued.size() - 1).id();
        }
        return "ok " + first + " " + last;
    }

    private String certs() {
        StringBuilder out = new StringBuilder();
        for (CertificateInfo c : store.certificates(CertificateQuery.all())) {
            out.append(c.id()).append('\t').append(c.subject()).append('\t').append(HexFormat.of().formatHex(c.serial().toByteArray()))
                    .append('\t').append(c.notAfter()).append('\t').append(c.homeGroup()).append('\t').append(c.role())
                    .append('\t').append(c.fingerprint()).append('\t').append(c.caId()).append('\t').append(c.issuer())
                    .append('\n');
        }
        return out.toString().stripTrailing();
    }

    private String cas() {
        StringBuilder out = new StringBuilder();
        for (CaInfo c : store.cas()) {
            out.append(c.id()).append('\t').append(c.subject()).append('\t').append(HexFormat.of().formatHex(c.serial().toByteArray()))
                    .append('\t').append(c.notAfter()).append('\t').append(c.homeGroup()).append('\t').append("CA")
                    .append('\t').append(c.fingerprint()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private String notice(NoticeKind kind, long id, String noticeId) {
        Notice notice;
        Instant now = clock.instant();
        if (kind == NoticeKind.CA_EXPIRING || kind == NoticeKind.CA_EXPIRED) {
            CaInfo ca = store.ca(id).orElseThrow();
            long days = Math.floorDiv(Duration.between(now, ca.notAfter()).getSeconds(), 86_400L);
            notice = new Notice(noticeId, kind, now, "CA expiring", id, org.certwatch.api.store.OpenSslText.serial(ca.serial()),
                    ca.subject(), ca.subject(), null, "", ca.fingerprint(), ca.notAfter(), days, 30, ca.homeGroup(),
                    "CA " + ca.subject() + " expires in " + days + " days", "/cas/" + id, List.of(), true, 0, 0, "", "");
        } else {
            CertificateInfo c = store.certificate(id).orElseThrow();
            long days = Math.floorDiv(Duration.between(now, c.notAfter()).getSeconds(), 86_400L);
            notice = new Notice(noticeId, kind, now, "certificate expiring", id, org.certwatch.api.store.OpenSslText.serial(c.serial()),
                    c.subject(), c.issuer(), c.role(), c.host(), c.fingerprint(), c.notAfter(), days, 30, c.homeGroup(),
                    c.role() + " certificate " + c.subject() + " expires in " + days + " days", "/certificates/" + id,
                    List.of(), true, 0, 0, "", "");
        }
        Collection<ServiceReference<NotificationChannel>> refs;
        try {
            refs = context.getServiceReferences(NotificationChannel.class,
                    "(" + NotificationChannel.NAME_PROPERTY + "=" + NotificationChannel.SNMP + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (refs.isEmpty()) {
            return "error no snmp channel";
        }
        ServiceReference<NotificationChannel> ref = refs.iterator().next();
        NotificationChannel channel = context.getService(ref);
        try {
            if (!channel.wants(notice)) {
                return "error channel does not want it";
            }
            channel.deliver(notice);
            return "ok";
        } catch (DeliveryException e) {
            return "error " + e.getMessage();
        } finally {
            context.ungetService(ref);
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                socket.setSoTimeout(600_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String command = String.valueOf(in.readLine()).trim();
                out.write((respond(command) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed while answering: the next accept ends the loop
            }
        }
    }
}
