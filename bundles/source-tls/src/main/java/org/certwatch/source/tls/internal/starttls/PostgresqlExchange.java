package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.nio.ByteBuffer;

/** PostgreSQL's SSLRequest (protocol 3, 53.2.10): eight bytes, one byte back, {@code S} to go on, {@code N} for no. */
final class PostgresqlExchange implements Exchange {
    private static final int SSL_REQUEST_CODE = 80877103;

    @Override
    public void run(Conversation c) throws IOException {
        c.write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array());
        byte answer = c.readBytes(1, "waiting for the SSLRequest answer")[0];
        switch (answer) {
            case 'S' -> c.finish("SSLRequest");
            case 'N' -> throw c.failure("server does not offer SSL (answered N to the SSLRequest: ssl is off)");
            case 'E' -> throw c.failure("server refused the SSLRequest (" + errorMessage(c) + ")");
            default -> throw c.failure(String.format("server answered 0x%02x to the SSLRequest, not S or N", answer));
        }
    }

    /**
     * The text of the error a server sends instead of S or N (one that predates SSL, or could not fork a backend):
     * protocol 2's ErrorResponse, a string ended by a zero byte, after which the server hangs up.
     */
    private static String errorMessage(Conversation c) {
        StringBuilder text = new StringBuilder();
        try {
            for (byte b = c.readBytes(1, "reading the error")[0]; b != 0 && text.length() < 200;
                    b = c.readBytes(1, "reading the error")[0]) {
                text.append((char) (b & 0xff));
            }
        } catch (IOException e) {
            // the server hung up without the zero byte: what came is the message
        }
        return Conversation.quote(text.toString().strip());
    }
}
