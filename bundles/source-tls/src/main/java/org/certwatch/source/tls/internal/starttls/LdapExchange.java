package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * LDAP's StartTLS extended operation (RFC 4511 4.14): an ExtendedRequest naming 1.3.6.1.4.1.1466.20037, then the
 * ExtendedResponse's resultCode, 0 to go on.
 */
final class LdapExchange implements Exchange {
    /** LDAPMessage { messageID 1, [APPLICATION 23] ExtendedRequest { [0] "1.3.6.1.4.1.1466.20037" } } in BER. */
    private static final byte[] START_TLS = request();
    private static final int EXTENDED_RESPONSE = 0x78;
    private static final int MESSAGE_ID = 1;
    private static final Map<Integer, String> RESULT_NAMES = Map.of(1, "operationsError", 2, "protocolError",
            8, "strongerAuthRequired", 12, "unavailableCriticalExtension", 51, "busy", 52, "unavailable",
            53, "unwillingToPerform", 80, "other");

    @Override
    public void run(Conversation c) throws IOException {
        c.write(START_TLS);
        BerReader message = new BerReader(readMessage(c));
        try {
            int messageId = (int) message.integer(0x02);
            BerReader response = message.nested(EXTENDED_RESPONSE);
            int resultCode = (int) response.integer(0x0a);
            response.bytes(0x04); // matchedDN
            String diagnostic = new String(response.bytes(0x04), StandardCharsets.UTF_8);
            if (messageId == 0) {
                // a Notice of Disconnection (RFC 4511 4.4.1) rather than our answer
                throw c.failure("server disconnected (" + result(resultCode, diagnostic) + ")");
            }
            if (messageId != MESSAGE_ID) {
                throw c.failure("server answered message " + messageId + ", not our StartTLS (" + MESSAGE_ID + ")");
            }
            if (resultCode != 0) {
                throw c.failure("server refused StartTLS (" + result(resultCode, diagnostic) + ")");
            }
        } catch (IllegalArgumentException e) {
            throw c.failure("server's answer to StartTLS is not an ExtendedResponse (" + e.getMessage() + ")");
        }
        c.finish("StartTLS");
    }

    /** One whole LDAPMessage's content: SEQUENCE tag, definite length (at most {@link Conversation#MAX_LINE}). */
    private static byte[] readMessage(Conversation c) throws IOException {
        String awaiting = "waiting for the StartTLS answer";
        int tag = c.readBytes(1, awaiting)[0] & 0xff;
        if (tag != 0x30) {
            throw c.failure(String.format("server answered 0x%02x, not an LDAP message", tag));
        }
        int first = c.readBytes(1, awaiting)[0] & 0xff;
        int length = first;
        if (first >= 0x80) {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 3) {
                throw c.failure("server's LDAP message has an unsupported length form (0x"
                        + Integer.toHexString(first) + ")");
            }
            length = 0;
            for (byte b : c.readBytes(octets, awaiting)) {
                length = length << 8 | b & 0xff;
            }
        }
        return c.readBytes(length, awaiting);
    }

    private static String result(int code, String diagnostic) {
        String name = RESULT_NAMES.getOrDefault(code, "");
        return "resultCode " + code + (name.isEmpty() ? "" : " " + name)
                + (diagnostic.isBlank() ? "" : ": " + Conversation.quote(diagnostic));
    }

    private static byte[] request() {
        byte[] oid = "1.3.6.1.4.1.1466.20037".getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[9 + oid.length];
        byte[] head = {0x30, (byte) (7 + oid.length), 0x02, 0x01, MESSAGE_ID, 0x77, (byte) (2 + oid.length),
            (byte) 0x80, (byte) oid.length};
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(oid, 0, message, head.length, oid.length);
        return message;
    }

    /** Definite-length BER elements read in order out of one buffer; anything malformed is an IllegalArgumentException. */
    private static final class BerReader {
        private final byte[] data;
        private int position;
        private final int end;

        BerReader(byte[] data) {
            this(data, 0, data.length);
        }

        private BerReader(byte[] data, int position, int end) {
            this.data = data;
            this.position = position;
            this.end = end;
        }

        long integer(int tag) {
            byte[] value = bytes(tag);
            if (value.length == 0 || value.length > 4) {
                throw new IllegalArgumentException("an integer of " + value.length + " bytes");
            }
            long result = value[0]; // sign-extended
            for (int i = 1; i < value.length; i++) {
                result = result << 8 | value[i] & 0xff;
            }
            return result;
        }

        BerReader nested(int tag) {
            int length = header(tag);
            BerReader inner = new BerReader(data, position, position + length);
            position += length;
            return inner;
        }

        byte[] bytes(int tag) {
            int length = header(tag);
            byte[] value = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return value;
        }

        private int header(int tag) {
            int actual = next();
            if (actual != tag) {
                throw new IllegalArgumentException(String.format("tag 0x%02x where 0x%02x belongs", actual, tag));
            }
            int first = next();
            int length = first;
            if (first >= 0x80) {
                int octets = first & 0x7f;
                if (octets == 0 || octets > 3) {
                    throw new IllegalArgumentException("length form 0x" + Integer.toHexString(first));
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = length << 8 | next();
                }
            }
            if (length > end - position) {
                throw new IllegalArgumentException("an element of " + length + " bytes in " + (end - position));
            }
            return length;
        }

        private int next() {
            if (position >= end) {
                throw new IllegalArgumentException("it ends early");
            }
            return data[position++] & 0xff;
        }
    }
}
