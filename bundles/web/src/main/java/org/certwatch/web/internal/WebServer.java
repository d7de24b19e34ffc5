package org.certwatch.web.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty with one HTTPS connector (HTTP/1.1); key material swapped live by {@link #reload}. */
final class WebServer {
    private final Server server;
    private final SslContextFactory.Server ssl;
    private final ServerConnector connector;

    WebServer(String host, int port, TlsMaterial tls, Handler handler) {
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("certwatch-web");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // the server certificate may name host "*" (no SAN a client could match): no SNI host check
        secure.setSniHostCheck(false);
        secure.setStsMaxAge(365L * 24 * 3600);
        http.addCustomizer(secure);
        ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.password());
        ssl.setSniRequired(false);
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(new ProblemErrorHandler());
        server.setStopTimeout(3000);
    }

    void start() throws Exception {
        server.start();
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
