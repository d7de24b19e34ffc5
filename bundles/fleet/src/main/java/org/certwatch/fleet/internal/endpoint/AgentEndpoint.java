package org.certwatch.fleet.internal.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.certwatch.commons.unavailable.Unavailable;
import org.certwatch.commons.tls.TlsPolicy;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The agents' HTTPS endpoint (Jetty core, no servlets). Client certificates are asked for at every
 * handshake and verified by {@link AgentTrustManager}; a presented certificate that fails is refused
 * at the handshake. Only enrolment (which carries a one-time token instead) works without one.
 * {@link #reload} swaps the key material for new handshakes without a restart.
 */
public final class AgentEndpoint {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final int MAX_BODY = 64 * 1024;

    private final Server server;
    private final SslContextFactory.Server ssl;
    private final ServerConnector connector;

    /** What answers the agents' requests; all three from the same fleet state and store. */
    public record Handlers(AgentMessages messages, Enrolment enrolment, Replication replication) {
    }

    public AgentEndpoint(String bind, int port, int threads, SSLContext context, AgentMessages messages,
            Enrolment enrolment, Replication replication) {
        this(bind, port, threads, context, () -> new Handlers(messages, enrolment, replication));
    }

    /**
     * @param handlers what answers now; null while the fleet's state or the store is gone (their bundle, or the
     *        backend they keep their state in, removed): every request is then answered 503 and the port stays open
     */
    public AgentEndpoint(String bind, int port, int threads, SSLContext context, Supplier<Handlers> handlers) {
        QueuedThreadPool pool = new QueuedThreadPool(threads, Math.min(4, threads));
        pool.setName("certwatch-agent-endpoint");
        pool.setDaemon(true);
        server = new Server(pool);
        ssl = new SslContextFactory.Server();
        ssl.setSslContext(context);
        ssl.setWantClientAuth(true);
        ssl.setSniRequired(false);
        ssl.setIncludeProtocols(TlsPolicy.protocols());
        ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites());
        // agents authenticate the server by its chain to a CA they trust, not by a host name
        ssl.setEndpointIdentificationAlgorithm(null);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        connector = new ServerConnector(server, new AgentSslConnectionFactory(ssl), new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new AgentHandler(handlers));
    }

    public void start() throws Exception {
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void reload(SSLContext context) throws Exception {
        ssl.reload(f -> f.setSslContext(context));
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping the agent endpoint failed", e);
        }
    }

    private static final class AgentHandler extends Handler.Abstract {
        /** Writes the answers, also those given while no {@link Handlers} are there. */
        private final ObjectMapper json = new ObjectMapper();
        private final Supplier<Handlers> handlers;

        AgentHandler(Supplier<Handlers> handlers) {
            this.handlers = handlers;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Handlers now = handlers.get();
            ObjectNode answer;
            int status;
            if (now == null) {
                // the state is not there to answer from: the same 503 as a database that is down
                status = 503;
                answer = error(unavailable(response, Unavailable.notRunning("the fleet's state or the certificate store")));
            } else {
                AgentMessages.Answer a = answer(now, request, response);
                status = a.status();
                answer = a.body();
            }
            byte[] bytes;
            try {
                bytes = json.writeValueAsBytes(answer);
            } catch (Exception e) {
                bytes = "{\"error\":\"internal error\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }

        private AgentMessages.Answer answer(Handlers h, Request request, Response response) {
            try {
                String path = Request.getPathInContext(request);
                if (!HttpMethod.POST.is(request.getMethod())) {
                    return h.messages().error(405, "only POST is served here");
                } else if (path.equals("/agent/v1/replicate") || path.equals("/agent/v1/enrol")) {
                    byte[] body = read(request);
                    if (body == null) {
                        return h.messages().error(413, "the request body is larger than " + MAX_BODY + " bytes");
                    } else if (path.equals("/agent/v1/enrol")) {
                        return h.enrolment().enrol(body, Request.getRemoteAddr(request));
                    } else {
                        return h.replication().replicate(body, peer(request));
                    }
                } else {
                    return h.messages().error(404, "no such resource: " + path);
                }
            } catch (Exception e) {
                return Unavailable.why(e).map(down -> h.messages().error(503, unavailable(response, down)))
                        .orElseGet(() -> {
                            LOG.log(Level.WARNING, "agent request failed", e);
                            return h.messages().error(500, "internal error; the server log has the details");
                        });
            }
        }

        /** The agent tries again after its short retry period; nothing of the request was kept. */
        private static String unavailable(Response response, String why) {
            LOG.warning("agent request refused: storage unavailable: " + why);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Unavailable.RETRY_AFTER_SECONDS);
            return Unavailable.said(why);
        }

        private ObjectNode error(String reason) {
            ObjectNode body = json.createObjectNode();
            body.put("error", reason);
            return body;
        }

        private static byte[] read(Request request) throws java.io.IOException {
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] body = in.readNBytes(MAX_BODY + 1);
                return body.length > MAX_BODY ? null : body;
            }
        }

        private static X509Certificate peer(Request request) {
            Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
            if (data instanceof EndPoint.SslSessionData ssl) {
                X509Certificate[] chain = ssl.peerCertificates();
                return chain == null || chain.length == 0 ? null : chain[0];
            }
            return null;
        }
    }
}
