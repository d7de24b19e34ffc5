package org.certwatch.probe.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Test-only: answers every connection on a loopback port with one line
 * {@code <symbolic name> <version> <probe-answer.txt> <greeting × repeat>}; the port is written to
 * {@code $CERTWATCH_DATA/probes/<symbolic name>.port}.
 */
@Component(service = {}, configurationPid = "org.certwatch.probe", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ProbeConfiguration.class)
public final class ProbeComponent {
    private final Bundle bundle;
    private final String answer;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;
    private volatile ProbeConfiguration configuration;

    @Activate
    public ProbeComponent(BundleContext context, ProbeConfiguration configuration) throws IOException {
        this.bundle = context.getBundle();
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

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                ProbeConfiguration current = configuration;
                String line = bundle.getSymbolicName() + " " + bundle.getVersion() + " " + answer + " "
                        + (current.greeting() + " ").repeat(current.repeat()).trim() + "\n";
                out.write(line.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed while answering: the next accept ends the loop
            }
        }
    }
}
