package org.certwatch.console.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.felix.service.command.CommandProcessor;
import org.certwatch.commons.console.ConsoleWire;
import org.certwatch.commons.io.ChannelStreams;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The console for a server that runs without a terminal: a UNIX-domain socket {@code console.sock} in the
 * data folder (the folder is the service user's only; the socket is 0600 too), one {@link LineConsole}
 * per connection. {@code certwatch console} attaches to it. Whoever can open the socket is the service
 * user (or root), who could read the data folder anyway.
 */
@Component(service = {})
public final class ConsoleSocket {
    static final String FILE = "console.sock";
    private static final Logger LOG = Logger.getLogger("org.certwatch.console");

    private final CommandProcessor processor;
    private final CommandHelp help;
    private final Path path;
    private final ServerSocketChannel server;
    /** Owns the accepting thread and one thread per attached console; stopped with the component. */
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "certwatch-console-socket");
        t.setDaemon(true);
        return t;
    });
    private final Set<SocketChannel> attached = ConcurrentHashMap.newKeySet();

    @Activate
    public ConsoleSocket(BundleContext context, @Reference CommandProcessor processor) {
        this.processor = processor;
        this.help = new CommandHelp(context);
        // RuntimeProperties.DATA; a system bundle, the console does not wait for the api bundle
        this.path = Path.of(context.getProperty("certwatch.data"), FILE);
        this.server = open(path);
        if (server != null) {
            threads.execute(this::accept);
            LOG.info("console: attach with 'certwatch console' (socket " + path + ")");
        }
    }

    /** The listening socket, 0600; null (and a warning) when it cannot be made: the server runs without it. */
    private static ServerSocketChannel open(Path path) {
        try {
            Files.deleteIfExists(path); // left by a crash: nobody listens on it
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(path));
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            // e.g. a data folder path longer than a UNIX socket address may be (107 bytes)
            LOG.warning("console: no console socket at " + path + " (" + e.getMessage() + "): 'certwatch console'"
                    + " cannot attach; the console on the server's terminal still works");
            return null;
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                attached.add(client);
                threads.execute(() -> serve(client));
            } catch (AsynchronousCloseException stopping) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "console: accepting on " + path + " failed: " + e.getMessage());
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        OutputStream wire = ChannelStreams.out(client);
        try (client; PrintStream out = new PrintStream(ConsoleWire.text(wire), true, StandardCharsets.UTF_8)) {
            new LineConsole(processor, help::answer, ChannelStreams.in(client), out, LineConsole.Terminal.SOCKET, wire)
                    .run();
        } catch (IOException e) {
            LOG.fine("console: an attached console ended: " + e.getMessage());
        } finally {
            attached.remove(client);
        }
    }

    @Deactivate
    void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                LOG.fine("console: closing " + path + ": " + e.getMessage());
            }
        }
        for (SocketChannel c : attached) {
            try {
                c.close();
            } catch (IOException ignored) {
                // it is going anyway
            }
        }
        threads.shutdownNow();
        if (server != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.fine("console: " + path + " stays: " + e.getMessage());
            }
        }
    }
}
