package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.certwatch.api.source.EndpointProtocol;

/** A dialect as one exchange over a {@link Conversation} on the given clock. */
record ConversationDialect(EndpointProtocol protocol, Exchange exchange, Clock clock) implements StartTlsDialect {
    @Override
    public void upgrade(Socket plain, String host, Instant deadline) throws IOException {
        exchange.run(new Conversation(plain, protocol.name().toLowerCase(Locale.ROOT), host, deadline, clock));
    }
}
