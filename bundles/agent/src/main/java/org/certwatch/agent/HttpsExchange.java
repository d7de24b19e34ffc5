package org.certwatch.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

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

    /** {@code keepSession} false invalidates the TLS session afterwards, so the next exchange makes a full handshake. */
    static Response post(SSLContext context, String host, int port, String path, byte[] body, int timeoutMillis,
            boolean keepSession) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            InputStream in = socket.getInputStream();
            try {
                socket.startHandshake();
            } catch (javax.net.ssl.SSLException e) {
                throw e;
            } catch (IOException e) {
                // the server refused the certificate while this side was still writing its last flight
                throw alertOr(in, e, "during");
            }
            OutputStream out = socket.getOutputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            try {
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // TLS 1.3: the server judges the client certificate after the client's handshake ended;
                // its alert is waiting in the input, and it says more than "broken pipe"
                throw alertOr(in, e, "right after");
            }
            String status;
            try {
                status = line(in);
            } catch (javax.net.ssl.SSLException e) {
                throw e;
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

    private static IOException alertOr(InputStream in, IOException original, String when) {
        try {
            in.read();
        } catch (javax.net.ssl.SSLException alert) {
            return alert;
        } catch (IOException ignored) {
            // the connection was reset before the alert could be read
        }
        // a server that hangs up on a client in the middle of, or right after, its handshake has judged the
        // client certificate (TLS 1.3 does that last) and refused it; say so rather than "broken pipe"
        return new javax.net.ssl.SSLException("the server closed the connection " + when + " the TLS handshake:"
                + " it most likely refused this agent's certificate (" + original.getMessage() + ")", original);
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
