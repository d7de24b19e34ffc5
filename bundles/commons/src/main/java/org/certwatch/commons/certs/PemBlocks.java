package org.certwatch.commons.certs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The blocks of a PEM text, found and decoded in one pass over its bytes (no regular expression, no character
 * decoding): bundles of thousands of files are read this way. Text around the blocks (comments, openssl's
 * "subject=" lines) is ignored.
 */
final class PemBlocks {
    static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

    /**
     * One block.
     *
     * @param label what its BEGIN line names, e.g. "CERTIFICATE"
     * @param encrypted whether it has RFC 1421 headers (Proc-Type, DEK-Info: a legacy encrypted key)
     * @param der its decoded body, null when the base64 text is invalid
     * @param start where its BEGIN line starts in the data
     * @param end where its END line ends
     */
    record Block(String label, boolean encrypted, byte[] der, int start, int end) {
        /** The block as written, for a parser of what it holds (keys). */
        String text(byte[] data) {
            return new String(data, start, end - start, StandardCharsets.ISO_8859_1);
        }
    }

    private PemBlocks() {
    }

    /** @throws ContainerException when a block is cut short or ends with another label's END line */
    static List<Block> read(byte[] data, String what) {
        int begins = count(data, BEGIN);
        int ends = count(data, END);
        if (begins != ends) {
            throw new ContainerException(ContainerProblem.CORRUPT, what + " is truncated PEM: " + begins
                    + " BEGIN line(s) but " + ends + " END line(s)");
        }
        List<Block> blocks = new ArrayList<>();
        for (int at = indexOf(data, BEGIN, 0); at >= 0; ) {
            int labelEnd = indexOf(data, DASHES, at + BEGIN.length);
            String label = labelEnd < 0 ? null : ascii(data, at + BEGIN.length, labelEnd);
            int end = labelEnd < 0 ? -1 : indexOf(data, END, labelEnd);
            int endLabelEnd = end < 0 ? -1 : indexOf(data, DASHES, end + END.length);
            if (label == null || endLabelEnd < 0 || label.indexOf('\n') >= 0) {
                throw new ContainerException(ContainerProblem.CORRUPT, what + " is truncated PEM: a BEGIN line"
                        + " without its END line");
            }
            String endLabel = ascii(data, end + END.length, endLabelEnd);
            if (!label.equals(endLabel)) {
                throw new ContainerException(ContainerProblem.CORRUPT, what + ": the PEM block " + label
                        + " ends with an END line for " + endLabel + ": the file is damaged");
            }
            int bodyStart = labelEnd + DASHES.length;
            int blockEnd = endLabelEnd + DASHES.length;
            blocks.add(block(data, label, bodyStart, end, at, blockEnd));
            at = indexOf(data, BEGIN, blockEnd);
        }
        return blocks;
    }

    private static Block block(byte[] data, String label, int from, int to, int blockStart, int blockEnd) {
        byte[] base64 = new byte[to - from];
        int n = 0;
        boolean headers = false;
        int lineStart = n;
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b == '\n' || b == '\r') {
                lineStart = n;
            } else if (b == ':') {
                headers = true; // an RFC 1421 header line: dropped up to here, the rest of the line skipped
                n = lineStart;
                while (i + 1 < to && data[i + 1] != '\n' && data[i + 1] != '\r') {
                    i++;
                }
            } else if (b != ' ' && b != '\t') {
                base64[n++] = b;
            }
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(n == base64.length ? base64 : java.util.Arrays.copyOf(base64, n));
        } catch (IllegalArgumentException e) {
            der = null;
        }
        return new Block(label, headers, der, blockStart, blockEnd);
    }

    private static String ascii(byte[] data, int from, int to) {
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static int count(byte[] data, byte[] token) {
        int n = 0;
        for (int i = indexOf(data, token, 0); i >= 0; i = indexOf(data, token, i + token.length)) {
            n++;
        }
        return n;
    }

    /** The first index of {@code token} in {@code data} from {@code from}, or -1. */
    static int indexOf(byte[] data, byte[] token, int from) {
        byte first = token[0];
        int last = data.length - token.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < token.length; j++) {
                if (data[i + j] != token[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
