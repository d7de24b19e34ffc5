package org.certwatch.probe.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Test-only: serves one command per connection on a loopback port whose number it writes to
 * {@code $CERTWATCH_DATA/probes/<symbolic name>.port}:
 * {@code answer} → {@code <symbolic name> <version> <probe-answer.txt> <greeting × repeat>};
 * {@code clock} → the registry clock's instant; {@code bundles} → one line per bundle
 * {@code <id> <symbolic name> <version> <state>}.
 */
@Component(service = {}, configurationPid = "org.certwatch.probe", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProbeConfiguration.class)
public final class ProbeComponent {
    private final Bundle bundle;
    private final String answer;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;
    private final Clock clock;
    private volatile ProbeConfiguration configuration;

    @Activate
    public ProbeComponent(BundleContext context, ProbeConfiguration configuration,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) Clock clock) throws IOException {
        this.bundle = context.getBundle();
        this.clock = clock;
        this.configuration = configuration;
        try (InputStream in = bundle.getResource("probe-answer.txt").openStream()) {
            this.answer = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::serve, "probe-" + bundle.getSymbolicName());
        acceptor.setDaemon(true);
        acceptor.start();
        Path folder = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("probes");
        Files.createDirectories(folder);
        portFile = folder.resolve(bundle.getSymbolicName() + ".port");
        Files.writeString(portFile, Integer.toString(server.getLocalPort()));
    }

    @Modified
    void modified(ProbeConfiguration configuration) {
        this.configuration = configuration;
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(portFile);
    }

    private String respond(String command) {
        switch (command) {
            case "clock":
                return clock.instant().toString();
            case "bundles":
                StringBuilder lines = new StringBuilder();
                for (Bundle each : bundle.getBundleContext().getBundles()) {
                    lines.append(each.getBundleId()).append(' ').append(each.getSymbolicName()).append(' ')
                            .append(each.getVersion()).append(' ').append(stateName(each.getState())).append('\n');
                }
                return lines.toString().stripTrailing();
            default:
                ProbeConfiguration current = configuration;
                return bundle.getSymbolicName() + " " + bundle.getVersion() + " " + answer + " "
                        + (current.greeting() + " ").repeat(current.repeat()).trim();
        }
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                socket.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String command = String.valueOf(in.readLine()).trim();
                out.write((respond(command) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed while answering: the next accept ends the loop
            }
        }
    }
}
