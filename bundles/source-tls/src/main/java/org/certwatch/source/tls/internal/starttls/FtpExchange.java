package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;

/** FTP's AUTH TLS (RFC 4217 4): greeting 220 (after a 120 "ready in n minutes"), {@code AUTH TLS}, 234. */
final class FtpExchange implements Exchange {
    @Override
    public void run(Conversation c) throws IOException {
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
