package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import org.certwatch.api.source.EndpointProtocol;

/** FTP's AUTH TLS (RFC 4217 4): greeting 220 (after a 120 "ready in n minutes"), {@code AUTH TLS}, 234. */
final class FtpDialect implements StartTlsDialect {
    private final Clock clock;

    FtpDialect(Clock clock) {
        this.clock = clock;
    }

    @Override
    public EndpointProtocol protocol() {
        return EndpointProtocol.FTP;
    }

    @Override
    public void upgrade(Socket plain, String host, Instant deadline) throws IOException {
        Conversation c = new Conversation(plain, "ftp", host, deadline, clock);
        NumericReply greeting = NumericReply.read(c, "waiting for the greeting");
        if (greeting.code() == 120) {
            greeting = NumericReply.read(c, "waiting for the greeting after " + greeting.summary());
        }
        if (greeting.code() != 220) {
            throw c.failure("server refused the session (" + greeting.summary() + ")");
        }
        c.writeLine("AUTH TLS");
        NumericReply answer = NumericReply.read(c, "waiting for the AUTH TLS answer");
        if (answer.code() != 234) {
            throw c.failure("server refused AUTH TLS (" + answer.summary() + ")");
        }
        c.finish("AUTH TLS");
    }
}
