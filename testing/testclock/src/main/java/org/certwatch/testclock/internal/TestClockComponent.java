package org.certwatch.testclock.internal;

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
import java.time.Clock;
import java.util.Hashtable;
import java.util.Map;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Registers the highest-ranked {@link Clock} and serves {@link ClockControl} on a loopback port,
 * written to {@code $CERTWATCH_DATA/testclock.port}. Test-only: the distribution never contains it.
 */
@Component(service = {})
public final class TestClockComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.testclock");
    static final String PORT_FILE = "testclock.port";
    /** Optional: an ISO-8601 duration the clock starts with (so a restart can happen "later"). */
    static final String INITIAL_OFFSET_FILE = "testclock.initial-offset";

    private final OffsetClock clock = new OffsetClock(Clock.systemUTC());
    private final ServiceRegistration<Clock> registration;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Path portFile;
    private volatile EventAdmin eventAdmin;

    @Activate
    public TestClockComponent(BundleContext context) throws IOException {
        // opt-in: a test that restarts the server "later" writes the offset to start with
        Path initial = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve(INITIAL_OFFSET_FILE);
        if (Files.exists(initial)) {
            clock.setOffset(java.time.Duration.parse(Files.readString(initial).trim()));
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        properties.put("certwatch.clock", "test");
        registration = context.registerService(Clock.class, clock, properties);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ClockControl control = new ClockControl(clock, this::announceChange);
        acceptor = new Thread(() -> serve(control), "certwatch-testclock");
        acceptor.setDaemon(true);
        acceptor.start();
        portFile = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve(PORT_FILE);
        Files.writeString(portFile, Integer.toString(server.getLocalPort()));
        LOG.info("test clock listening on " + server.getLocalSocketAddress());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void unbindEventAdmin(EventAdmin eventAdmin) {
        if (this.eventAdmin == eventAdmin) {
            this.eventAdmin = null;
        }
    }

    @Deactivate
    void stop() throws IOException, InterruptedException {
        registration.unregister();
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(portFile);
    }

    private void announceChange() {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.sendEvent(new Event(Topics.CLOCK_CHANGED, Map.of("offset", clock.offset().toString())));
        }
    }

    private void serve(ClockControl control) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept();
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(control.handle(line) + "\n");
                    out.flush();
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warning("test clock connection failed: " + e.getMessage());
                }
            }
        }
    }
}
