package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;

/** POP3's STLS (RFC 2595 4): greeting {@code +OK}, {@code STLS}, {@code +OK}. */
final class Pop3Exchange implements Exchange {
    @Override
    public void run(Conversation c) throws IOException {
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
