package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An SMTP or FTP reply: a three-digit code, one line or several ({@code 250-…} continued, {@code 250 …} last).
 * FTP lets continuation lines go without the code (RFC 959), so only the last line must carry it.
 *
 * @param code e.g. 220
 * @param texts each line's text after the code and its separator
 */
record NumericReply(int code, List<String> texts) {
    static NumericReply read(Conversation conversation, String awaiting) throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = conversation.readLine(awaiting);
            int lineCode = codeOf(line);
            if (code < 0) {
                if (lineCode < 0) {
                    throw conversation.failure("server answered something else than a reply while " + awaiting
                            + " (" + Conversation.quote(line) + ")");
                }
                code = lineCode;
            }
            boolean last = lineCode == code && (line.length() == 3 || line.charAt(3) == ' ');
            texts.add(lineCode == code && line.length() > 3 ? line.substring(4) : line);
            if (last) {
                return new NumericReply(code, List.copyOf(texts));
            }
            if (texts.size() >= Conversation.MAX_LINES) {
                throw conversation.failure("server's reply runs longer than " + Conversation.MAX_LINES
                        + " lines while " + awaiting);
            }
        }
    }

    /** The first line's text, then the others joined by ", ", shortened for a message. */
    String summary() {
        return code + " " + Conversation.quote(String.join(", ", texts));
    }

    private static int codeOf(String line) {
        if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(line.substring(0, 3));
    }
}
