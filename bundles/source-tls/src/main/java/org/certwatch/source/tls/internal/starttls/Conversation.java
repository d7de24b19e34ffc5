package org.certwatch.source.tls.internal.starttls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The plain-text part of one STARTTLS exchange: bounded lines and bounded binary reads, all of them over by one
 * deadline however slowly the server trickles, and every failure an {@link IOException} whose text starts with the
 * endpoint ("smtp mail.example.org:587: …").
 */
final class Conversation {
    /** Longer than any reply line the six protocols send (SMTP allows 512, IMAP capability lines run to a few hundred). */
    static final int MAX_LINE = 4096;
    /** The most lines of one multi-line reply (an EHLO answer has about a dozen). */
    static final int MAX_LINES = 100;
    private static final int QUOTE = 200;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String label;
    private final Instant deadline;
    private final Clock clock;
    private final int readTimeout;
    private final byte[] buffer = new byte[MAX_LINE + 1];
    private int start;
    private int end;

    Conversation(Socket socket, String protocol, String host, Instant deadline, Clock clock) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        this.label = protocol + " " + h + ":" + socket.getPort();
        this.deadline = deadline;
        this.clock = clock;
        this.readTimeout = socket.getSoTimeout();
    }

    /** One line without its CR LF (a bare LF ends a line too), as ISO-8859-1 so no byte is lost or rejected. */
    String readLine(String awaiting) throws IOException {
        int scanned = 0; // bytes after start looked at already; filling moves start
        while (true) {
            for (; start + scanned < end; scanned++) {
                if (buffer[start + scanned] == '\n') {
                    int stop = scanned > 0 && buffer[start + scanned - 1] == '\r' ? scanned - 1 : scanned;
                    String line = new String(buffer, start, stop, StandardCharsets.ISO_8859_1);
                    start += scanned + 1;
                    return line;
                }
            }
            if (end - start >= MAX_LINE) {
                throw failure("server sent a line longer than " + MAX_LINE + " bytes while " + awaiting + " ("
                        + quote(new String(buffer, start, QUOTE, StandardCharsets.ISO_8859_1)) + ")");
            }
            fill(awaiting);
        }
    }

    /** Exactly {@code count} bytes (at most {@link #MAX_LINE}). */
    byte[] readBytes(int count, String awaiting) throws IOException {
        if (count > MAX_LINE) {
            throw failure("server announced " + count + " bytes while " + awaiting + ", more than the "
                    + MAX_LINE + " allowed");
        }
        while (end - start < count) {
            fill(awaiting);
        }
        byte[] bytes = Arrays.copyOfRange(buffer, start, start + count);
        start += count;
        return bytes;
    }

    /** The address this side of the connection has (SMTP's EHLO names it). */
    InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    void writeLine(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw failure("could not send (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The server agreed to the upgrade: nothing it sent may be left unread, or it would be taken for TLS (the
     * plain-text injection of CVE-2011-0411). The socket gets its read timeout back for the handshake.
     */
    void finish(String answer) throws IOException {
        if (end > start) {
            throw failure("server sent " + (end - start) + " bytes after its " + answer + " answer ("
                    + quote(new String(buffer, start, Math.min(QUOTE, end - start), StandardCharsets.ISO_8859_1))
                    + ")");
        }
        socket.setSoTimeout(readTimeout);
    }

    IOException failure(String what) {
        return new IOException(label + ": " + what);
    }

    IOException failure(String what, Throwable cause) {
        return new IOException(label + ": " + what, cause);
    }

    /** Printable ASCII on one line (CR and LF spelled out), at most a few hundred characters: safe for a log line or a page. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), QUOTE + 1));
        for (int i = 0; i < text.length() && b.length() < QUOTE; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                b.append(c == '\r' ? "\\r" : "\\n");
            } else {
                b.append(c >= 0x20 && c < 0x7f ? c : '?');
            }
        }
        return text.length() > QUOTE ? b + "…" : b.toString();
    }

    private void fill(String awaiting) throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        long left = Duration.between(clock.instant(), deadline).toMillis();
        if (left <= 0) {
            throw timeout(awaiting);
        }
        int read;
        try {
            // the caller's read timeout still bounds each read; the deadline bounds them all
            socket.setSoTimeout((int) Math.min(readTimeout > 0 ? readTimeout : Integer.MAX_VALUE, left));
            read = in.read(buffer, end, buffer.length - end);
        } catch (SocketTimeoutException e) {
            throw timeout(awaiting);
        } catch (IOException e) {
            throw failure("connection failed while " + awaiting + " (" + e.getMessage() + ")", e);
        }
        if (read < 0) {
            throw failure("server closed the connection while " + awaiting + received());
        }
        end += read;
    }

    private IOException timeout(String awaiting) {
        return failure("no answer in time while " + awaiting + received());
    }

    private String received() {
        return end > start
                ? " (received so far: " + quote(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1)) + ")"
                : "";
    }
}
