package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.net.Socket;
import java.time.Instant;
import org.certwatch.api.source.EndpointProtocol;

/**
 * Brings a freshly connected plain socket to the point where the client's TLS handshake starts.
 * Implementations read bounded lines only and give up at the deadline, however slowly the server trickles.
 */
public interface StartTlsDialect {
    EndpointProtocol protocol();

    /**
     * @param plain connected, nothing read or written yet; its read timeout, if set, still bounds each read
     * @param host the host the endpoint is reached by, for the messages
     * @param deadline the whole exchange must be over by then (on the dialect's clock, see {@link StartTlsDialects});
     *     on success the socket has its read timeout back and nothing of the server's is left unread
     * @throws IOException naming what the server answered when it refuses, does not offer STARTTLS or times out
     */
    void upgrade(Socket plain, String host, Instant deadline) throws IOException;
}
