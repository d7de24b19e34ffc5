package org.certwatch.web.internal;

import java.util.logging.Logger;
import org.certwatch.commons.tls.TlsPolicy;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty with one HTTPS connector: HTTP/2 and HTTP/1.1 negotiated by ALPN (the JDK's, found through
 * the ServiceLoader mediator), HTTP/1.1 alone when no ALPN processor is available; the same limit on
 * request headers for both ({@link HeaderLimit}); key material swapped live by {@link #reload}.
 */
final class WebServer {
    private final Server server;
    private final SslContextFactory.Server ssl;
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");
    private final ServerConnector connector;
    private final boolean http2;

    WebServer(String host, int port, TlsMaterial tls, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("certwatch-web");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(HeaderLimit.REQUEST_HEADER_SIZE);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // the server certificate may name host "*" (no SAN a client could match): no SNI host check
        secure.setSniHostCheck(false);
        secure.setStsMaxAge(365L * 24 * 3600);
        http.addCustomizer(secure);
        ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        ssl.setSniRequired(false);
        ssl.setIncludeProtocols(TlsPolicy.protocols());
        ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites());
        // HTTP/2 (RFC 9113 §9.2) forbids the ciphers it blacklists: prefer the allowed ones
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector c;
        boolean h2;
        try {
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(h1.getProtocol());
            // HTTP/2 decodes larger header lists than HTTP/1.1 takes, and HeaderLimit refuses them per
            // request like HTTP/1.1, instead of HPACK ending the connection
            HttpConfiguration http2 = new HttpConfiguration(http);
            http2.setRequestHeaderSize(HeaderLimit.HTTP2_DECODE_SIZE);
            c = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn,
                    new HTTP2ServerConnectionFactory(http2), h1);
            h2 = true;
        } catch (RuntimeException | LinkageError e) {
            LOG.warning("web: no ALPN processor (" + e + "), serving HTTP/1.1 only");
            c = new ServerConnector(server, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
            h2 = false;
        }
        connector = c;
        http2 = h2;
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new HeaderLimit(handler));
        server.setErrorHandler(new ProblemErrorHandler());
        server.setStopTimeout(3000);
    }

    void start() throws Exception {
        server.start();
    }

    /** The protocols the connector offers, for the start log line. */
    String protocols() {
        return http2 ? "HTTP/2, HTTP/1.1" : "HTTP/1.1";
    }

    int port() {
        return connector.getLocalPort();
    }

    void reload(TlsMaterial tls) throws Exception {
        ssl.reload(f -> {
            f.setKeyStore(tls.keyStore());
            f.setKeyStorePassword(tls.password());
        });
    }

    void stop() throws Exception {
        server.stop();
    }
}
