package org.certwatch.source.tls.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Whether a server still accepts TLS 1.1 or 1.0. The JDK disables both for every socket of the JVM
 * ({@code jdk.tls.disabledAlgorithms}, not settable per socket) and a second TLS library is more than this needs:
 * the check writes one ClientHello offering at most TLS 1.1 with suites those versions know, and reads the version
 * of the ServerHello. A server that answers with an alert, or a higher version, does not offer them.
 */
final class LegacyHello {
    private static final int HANDSHAKE = 0x16;
    private static final int SERVER_HELLO = 2;
    private static final int TLS_1_1 = 0x0302;
    /** ECDHE and plain RSA with AES-CBC and 3DES, the suites TLS 1.0/1.1 servers offer. */
    private static final int[] SUITES = {0xc013, 0xc014, 0xc009, 0xc00a, 0x0033, 0x0039, 0x002f, 0x0035, 0x000a,
        0x0005};
    private static final int[] GROUPS = {0x001d, 0x0017, 0x0018, 0x0019};

    private LegacyHello() {
    }

    /** The protocol the server chose ({@code TLSv1.1}, {@code TLSv1}), empty when it refused both. */
    static Optional<String> offered(InputStream in, OutputStream out, String sniName, SecureRandom random)
            throws IOException {
        out.write(record(clientHello(sniName, random)));
        out.flush();
        DataInputStream data = new DataInputStream(in);
        int type = data.readUnsignedByte();
        data.readUnsignedShort();
        data.readUnsignedShort();
        if (type != HANDSHAKE) {
            return Optional.empty();
        }
        int message = data.readUnsignedByte();
        data.readUnsignedByte();
        data.readUnsignedShort();
        int version = data.readUnsignedShort();
        if (message != SERVER_HELLO || version > TLS_1_1) {
            return Optional.empty();
        }
        return Optional.of(version == TLS_1_1 ? "TLSv1.1" : version == 0x0301 ? "TLSv1" : "SSLv3");
    }

    private static byte[] clientHello(String sniName, SecureRandom random) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        short16(body, TLS_1_1);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        body.writeBytes(nonce);
        body.write(0);
        short16(body, SUITES.length * 2);
        for (int s : SUITES) {
            short16(body, s);
        }
        body.write(1);
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        if (!sniName.isEmpty()) {
            byte[] name = sniName.getBytes(StandardCharsets.US_ASCII);
            short16(ext, 0x0000);
            short16(ext, name.length + 5);
            short16(ext, name.length + 3);
            ext.write(0);
            short16(ext, name.length);
            ext.writeBytes(name);
        }
        short16(ext, 0x000a);
        short16(ext, GROUPS.length * 2 + 2);
        short16(ext, GROUPS.length * 2);
        for (int g : GROUPS) {
            short16(ext, g);
        }
        short16(ext, 0x000b);
        short16(ext, 2);
        ext.write(1);
        ext.write(0);
        short16(ext, 0xff01);
        short16(ext, 1);
        ext.write(0);
        short16(body, ext.size());
        body.writeBytes(ext.toByteArray());
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(1);
        message.write(body.size() >>> 16);
        short16(message, body.size() & 0xffff);
        message.writeBytes(body.toByteArray());
        return message.toByteArray();
    }

    private static byte[] record(byte[] handshake) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(HANDSHAKE);
        short16(out, 0x0301);
        short16(out, handshake.length);
        out.writeBytes(handshake);
        return out.toByteArray();
    }

    private static void short16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v & 0xff);
    }
}
