package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * IMAP's STARTTLS (RFC 2595, RFC 9051 6.2.1): greeting {@code * OK}, the capabilities (from the greeting's
 * {@code [CAPABILITY …]} code when it has one, else asked for), {@code a STARTTLS}, {@code a OK}.
 */
final class ImapExchange implements Exchange {
    @Override
    public void run(Conversation c) throws IOException {
        String greeting = c.readLine("waiting for the greeting");
        if (startsWithIgnoreCase(greeting, "* PREAUTH")) {
            throw c.failure("server greets the client as authenticated already, where STARTTLS is not allowed ("
                    + Conversation.quote(greeting) + ")");
        }
        if (!startsWithIgnoreCase(greeting, "* OK")) {
            throw c.failure("server refused the session (" + Conversation.quote(greeting) + ")");
        }
        String capabilities = capabilityCode(greeting);
        if (capabilities == null) {
            c.writeLine("c CAPABILITY");
            capabilities = askCapabilities(c);
        }
        if (Arrays.stream(capabilities.split(" ")).noneMatch("STARTTLS"::equalsIgnoreCase)) {
            throw c.failure("server does not offer STARTTLS (capabilities: " + Conversation.quote(capabilities) + ")");
        }
        c.writeLine("a STARTTLS");
        String answer = tagged(c, "a ", "waiting for the STARTTLS answer", null);
        if (!startsWithIgnoreCase(answer, "a OK")) {
            throw c.failure("server refused STARTTLS (" + Conversation.quote(answer) + ")");
        }
        c.finish("STARTTLS");
    }

    private static String askCapabilities(Conversation c) throws IOException {
        StringBuilder capabilities = new StringBuilder();
        String answer = tagged(c, "c ", "waiting for the CAPABILITY answer", capabilities);
        if (!startsWithIgnoreCase(answer, "c OK")) {
            throw c.failure("server refused CAPABILITY (" + Conversation.quote(answer) + ")");
        }
        return capabilities.toString().strip();
    }

    /** Reads up to the tagged line, collecting the untagged CAPABILITY lines' words when asked to. */
    private static String tagged(Conversation c, String tag, String awaiting, StringBuilder capabilities)
            throws IOException {
        for (int lines = 0; lines < Conversation.MAX_LINES; lines++) {
            String line = c.readLine(awaiting);
            if (startsWithIgnoreCase(line, tag)) {
                return line;
            }
            if (capabilities != null && startsWithIgnoreCase(line, "* CAPABILITY ")) {
                capabilities.append(' ').append(line.substring("* CAPABILITY ".length()));
            }
        }
        throw c.failure("server sent more than " + Conversation.MAX_LINES + " lines while " + awaiting);
    }

    /** The words of a greeting's response code {@code [CAPABILITY IMAP4rev1 STARTTLS …]}, or null. */
    private static String capabilityCode(String greeting) {
        int open = greeting.toUpperCase(Locale.ROOT).indexOf("[CAPABILITY ");
        int close = open < 0 ? -1 : greeting.indexOf(']', open);
        return close < 0 ? null : greeting.substring(open + "[CAPABILITY ".length(), close).strip();
    }

    private static boolean startsWithIgnoreCase(String line, String prefix) {
        return line.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
