package org.certwatch.testing.gogo.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.logging.Logger;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Test-only: one Gogo command per connection on a loopback port (written to
 * {@code $CERTWATCH_DATA/gogo.port}); the answer is {@code ok} or {@code error <message>} on the first
 * line, then what the command printed and its result.
 */
@Component(service = {})
public final class GogoBridge {
    private static final Logger LOG = Logger.getLogger("org.certwatch.testing.gogo");

    private final CommandProcessor processor;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;

    @Activate
    public GogoBridge(BundleContext context, @Reference CommandProcessor processor) throws IOException {
        this.processor = processor;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(this::serve, "certwatch-gogo-bridge");
        acceptor.setDaemon(true);
        acceptor.start();
        portFile = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("gogo.port");
        Files.writeString(portFile, Integer.toString(server.getLocalPort()));
        LOG.info("test Gogo bridge listening on " + server.getLocalSocketAddress());
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
                String command = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                out.write(execute(command == null ? "" : command).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // connection dropped; next
            }
        }
    }

    private String execute(String command) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), console, console)) {
            Object result = session.execute(command);
            console.flush();
            String text = printed.toString(StandardCharsets.UTF_8);
            if (result != null) {
                text += session.format(result, 0).toString();
            }
            return "ok\n" + text.strip() + "\n";
        } catch (Exception e) {
            return "error " + e.getMessage() + "\n" + printed.toString(StandardCharsets.UTF_8);
        }
    }
}
