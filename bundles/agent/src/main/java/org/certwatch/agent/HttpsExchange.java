package org.certwatch.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.certwatch.commons.tls.TlsPolicy;

/**
 * One HTTPS request on its own connection ({@code Connection: close}): a handshake (full, or resumed
 * when the context still holds a session for the server), a POST of a JSON body, the response read
 * whole. Small on purpose: an agent sends a few requests a minute, a simulator thousands.
 */
final class HttpsExchange {
    record Response(int status, byte[] body) {
    }

    private HttpsExchange() {
    }

    /**
     * {@code keepSession} false invalidates the TLS session afterwards, so the next exchange makes a full
     * handshake; {@code version} is the one TLS version spoken.
     */
    /** A context with the policy's cipher suites it supports, worked out once (not per connection). */
    record Client(SSLContext context, String[] cipherSuites) {
        Client(SSLContext context) {
            this(context, TlsPolicy.cipherSuites(context));
        }
    }

    static Response post(Client client, String host, int port, String path, byte[] body, int timeoutMillis,
            boolean keepSession, TlsVersion version) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.context().getSocketFactory().createSocket()) {
            socket.setEnabledProtocols(new String[] {version.protocol()});
            socket.setEnabledCipherSuites(client.cipherSuites());
            // the request leaves at once: with Nagle's algorithm a small write behind unacknowledged data (the
            // handshake's last flight) waits for the server's delayed ACK, about 40 ms per replication
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            InputStream in = socket.getInputStream();
            try {
                socket.startHandshake();
            } catch (IOException e) {
                // the server refused the certificate while this side was still writing its last flight
                throw judged(in, e, "during");
            }
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            // head and body in one write: one TLS record and one segment, not two
            byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // TLS 1.3: the server judges the client certificate after the client's handshake ended;
                // its alert is waiting in the input, and it says more than "broken pipe"
                throw judged(in, e, "right after");
            }
            String status;
            try {
                status = line(in);
            } catch (IOException e) {
                // the same refusal when the server's reset overtook its alert: no byte of a response had come
                throw judged(in, e, "right after");
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: " + status);
            }
            int code = Integer.parseInt(parts[1]);
            int length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] content;
            if (chunked) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    all.write(in.readNBytes(size));
                    line(in);
                }
                content = all.toByteArray();
            } else {
                content = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
            }
            if (!keepSession) {
                socket.getSession().invalidate();
            }
            return new Response(code, content);
        }
    }

    /** The refusal when the server hung up or sent an alert about the certificate; else the failure as it is. */
    private static IOException judged(InputStream in, IOException e, String when) {
        return hungUp(e) || certificateAlert(e) != null ? refusal(in, e, when) : e;
    }

    /**
     * A server that refused the client certificate, said in words. TLS 1.3 has the server judge it after the
     * client's handshake ended, so the refusal arrives as the server's alert, or, when the connection went down
     * first, as "Broken pipe" or "Connection reset" wrapped by the JDK: all of them are this one exception, with
     * no cause attached, because the agent reports an exception by its deepest cause.
     */
    private static IOException refusal(InputStream in, IOException original, String when) {
        String alert = certificateAlert(original);
        if (alert == null) {
            try {
                in.read();
            } catch (IOException next) {
                alert = certificateAlert(next);
                if (alert == null && !hungUp(next) && next instanceof javax.net.ssl.SSLException) {
                    return next;
                }
            }
        }
        String detail = alert != null ? alert : "it hung up " + when + " the TLS handshake: " + deepestMessage(original);
        return new javax.net.ssl.SSLHandshakeException("the server refused this agent's certificate (" + detail + ")");
    }

    /** The server's alert about the client certificate ("Received fatal alert: certificate_revoked"), if any. */
    private static String certificateAlert(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.contains("Received fatal alert: ") && (m.contains("bad_certificate")
                    || m.contains("certificate_unknown") || m.contains("certificate_required")
                    || m.contains("certificate_revoked") || m.contains("certificate_expired"))) {
                return m.substring(m.indexOf("Received fatal alert: "));
            }
        }
        return null;
    }

    /** The deepest message: the JDK wraps what went wrong ("PKIX path building failed: …") in generic layers. */
    static String deepestMessage(Throwable e) {
        String m = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                m = t.getMessage();
            }
        }
        return m;
    }

    private static boolean hungUp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed the connection mid-response");
            }
            if (c != '\r') {
                s.append((char) c);
            }
        }
        return s.toString();
    }
}
