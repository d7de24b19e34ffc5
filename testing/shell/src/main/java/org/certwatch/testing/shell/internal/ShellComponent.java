package org.certwatch.testing.shell.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Test-only: runs one Gogo command line per loopback connection and answers what it printed and
 * returned (or {@code error: <message>}). The port is written to
 * {@code $CERTWATCH_DATA/probes/org.certwatch.testing.shell.port}, where {@code CertwatchServer.probe}
 * finds it. Never part of the distribution.
 */
@Component(service = {})
public final class ShellComponent {
    private final CommandProcessor processor;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;

    @Activate
    public ShellComponent(BundleContext context, @Reference CommandProcessor processor) throws IOException {
        this.processor = processor;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::serve, "test-shell");
        acceptor.setDaemon(true);
        acceptor.start();
        Path folder = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("probes");
        Files.createDirectories(folder);
        portFile = folder.resolve(context.getBundle().getSymbolicName() + ".port");
        Path temp = folder.resolve("." + portFile.getFileName() + ".tmp");
        Files.writeString(temp, Integer.toString(server.getLocalPort()));
        Files.move(temp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(portFile);
    }

    private String execute(String line) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            Object result = session.execute(line);
            out.flush();
            String text = printed.toString(StandardCharsets.UTF_8);
            return result == null ? text : text + session.format(result, 0);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
                socket.setSoTimeout(120_000);
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line = String.valueOf(in.readLine()).trim();
                out.write((execute(line).stripTrailing() + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // closed while answering: the next accept ends the loop
            }
        }
    }
}
