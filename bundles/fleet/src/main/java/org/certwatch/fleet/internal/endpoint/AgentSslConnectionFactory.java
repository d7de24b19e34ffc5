package org.certwatch.fleet.internal.endpoint;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS connections for the agent endpoint, whose request data ({@link EndPoint.SslSessionData}) takes
 * the client certificate the handshake already parsed. Jetty's own re-encodes every peer certificate and
 * parses it again for every connection; with an agent resuming its session from a ticket (a new session
 * object each time) that was a second X.509 parse per replication, 6 % of the endpoint's CPU in the profile.
 */
final class AgentSslConnectionFactory extends SslConnectionFactory {
    AgentSslConnectionFactory(SslContextFactory.Server ssl) {
        super(ssl, HttpVersion.HTTP_1_1.asString());
    }

    @Override
    protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getSslContextFactory(), endPoint,
                engine, isDirectBuffersForEncryption(), isDirectBuffersForDecryption()) {
            @Override
            protected SslEndPoint newSslEndPoint() {
                return new SslEndPoint() {
                    private EndPoint.SslSessionData data;

                    @Override
                    public EndPoint.SslSessionData getSslSessionData() {
                        if (data == null) {
                            data = sessionData(getSSLEngine().getSession());
                        }
                        return data;
                    }
                };
            }
        };
    }

    static EndPoint.SslSessionData sessionData(SSLSession session) {
        return EndPoint.SslSessionData.from(session, HexFormat.of().formatHex(session.getId()), session.getCipherSuite(),
                peerCertificates(session));
    }

    /** The JDK's own X.509 objects; null without a client certificate (an enrolment). */
    static X509Certificate[] peerCertificates(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate c)) {
                return null;
            }
            x509[i] = c;
        }
        return x509;
    }
}
