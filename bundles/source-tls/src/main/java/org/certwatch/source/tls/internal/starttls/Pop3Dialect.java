package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import org.certwatch.api.source.EndpointProtocol;

/** POP3's STLS (RFC 2595 4): greeting {@code +OK}, {@code STLS}, {@code +OK}. */
final class Pop3Dialect implements StartTlsDialect {
    private final Clock clock;

    Pop3Dialect(Clock clock) {
        this.clock = clock;
    }

    @Override
    public EndpointProtocol protocol() {
        return EndpointProtocol.POP3;
    }

    @Override
    public void upgrade(Socket plain, String host, Instant deadline) throws IOException {
        Conversation c = new Conversation(plain, "pop3", host, deadline, clock);
        String greeting = c.readLine("waiting for the greeting");
        if (!greeting.startsWith("+OK")) {
            throw c.failure("server refused the session (" + Conversation.quote(greeting) + ")");
        }
        c.writeLine("STLS");
        String answer = c.readLine("waiting for the STLS answer");
        if (!answer.startsWith("+OK")) {
            throw c.failure("server refused STLS (" + Conversation.quote(answer) + ")");
        }
        c.finish("STLS");
    }
}
