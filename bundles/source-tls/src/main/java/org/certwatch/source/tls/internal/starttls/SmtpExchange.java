package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/** SMTP's STARTTLS (RFC 3207): greeting 220, EHLO, the STARTTLS keyword among the 250 lines, STARTTLS, 220. */
final class SmtpExchange implements Exchange {
    @Override
    public void run(Conversation c) throws IOException {
        NumericReply greeting = NumericReply.read(c, "waiting for the greeting");
        if (greeting.code() != 220) {
            throw c.failure("server refused the session (" + greeting.summary() + ")");
        }
        c.writeLine("EHLO " + addressLiteral(c.localAddress()));
        NumericReply ehlo = NumericReply.read(c, "waiting for the EHLO answer");
        if (ehlo.code() != 250) {
            throw c.failure("server refused EHLO (" + ehlo.summary() + ")");
        }
        // the first line is the server's name, each further one an extension keyword with its parameters
        if (ehlo.texts().stream().skip(1).noneMatch(SmtpExchange::isStartTls)) {
            throw c.failure("server does not offer STARTTLS (250 lines: "
                    + Conversation.quote(String.join(", ", ehlo.texts())) + ")");
        }
        c.writeLine("STARTTLS");
        NumericReply answer = NumericReply.read(c, "waiting for the STARTTLS answer");
        if (answer.code() != 220) {
            throw c.failure("server refused STARTTLS (" + answer.summary() + ")");
        }
        c.finish("STARTTLS");
    }

    private static boolean isStartTls(String extension) {
        return extension.strip().toUpperCase(Locale.ROOT).equals("STARTTLS");
    }

    /**
     * The client names itself by its own address (RFC 5321 4.1.3): it has no name of its own to vouch for, and
     * greeting with the server's name is what spam software does.
     */
    private static String addressLiteral(InetAddress local) {
        return local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress().replaceFirst("%.*$", "") + "]"
                : "[" + local.getHostAddress() + "]";
    }
}
