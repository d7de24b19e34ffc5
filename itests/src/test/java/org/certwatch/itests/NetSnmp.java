package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** net-snmp's command-line tools and hand-made BER datagrams against a running agent. */
final class NetSnmp {
    static final Path MIBS = Path.of(System.getProperty("certwatch.root", "..")).resolve("mibs");

    record Result(int exit, String output) {
    }

    private NetSnmp() {
    }

    static String mibPath() {
        return MibIT.baseMibs() + ":" + MIBS;
    }

    /** -v3 authPriv SHA-256/AES arguments. */
    static List<String> v3(String user, String auth, String priv) {
        return List.of("-v3", "-l", "authPriv", "-u", user, "-a", "SHA-256", "-A", auth, "-x", "AES", "-X", priv);
    }

    /** A walk: {@code args} are options, then the root OID last. */
    static Result run(String tool, List<String> security, String target, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(security);
        command.addAll(List.of("-M", mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB", "-t", "2", "-r", "1"));
        command.addAll(List.of(args).subList(0, args.length - 1));
        command.add(target);
        command.add(args[args.length - 1]);
        return exec(command);
    }

    /** snmpget/snmpset: leading "-x value" options, then the agent address, then the OIDs (and values). */
    static Result get(String tool, List<String> security, String target, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(security);
        command.addAll(List.of("-M", mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB", "-t", "2", "-r", "1"));
        int i = 0;
        while (i + 1 < args.length && args[i].startsWith("-")) {
            command.add(args[i++]);
            command.add(args[i++]);
        }
        command.add(target);
        command.addAll(List.of(args).subList(i, args.length));
        return exec(command);
    }

    static Result exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), command + " hangs");
        return new Result(process.exitValue(), output);
    }

    // --- BER, just enough for v1/v2c requests ---

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        byte[] c = content.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (c.length < 128) {
            out.write(c.length);
        } else if (c.length < 256) {
            out.write(0x81);
            out.write(c.length);
        } else {
            out.write(0x82);
            out.write(c.length >> 8);
            out.write(c.length);
        }
        out.writeBytes(c);
        return out.toByteArray();
    }

    static byte[] integer(long value) {
        byte[] b = java.math.BigInteger.valueOf(value).toByteArray();
        return tlv(0x02, b);
    }

    static byte[] octets(String s) {
        return tlv(0x04, s.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(String dotted) {
        String[] p = dotted.replaceFirst("^\\.", "").split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
        for (int i = 2; i < p.length; i++) {
            long v = Long.parseLong(p[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7f);
                v >>= 7;
            } while (v > 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    /** A GetRequest (pduTag 0xA0) or GetBulk (0xA5: nonRepeaters/maxRepetitions in the error fields). */
    static byte[] request(int version, String community, int pduTag, int requestId, long field1, long field2, String oid) {
        byte[] varbind = tlv(0x30, oid(oid), new byte[] {0x05, 0x00});
        byte[] pdu = tlv(pduTag, integer(requestId), integer(field1), integer(field2), tlv(0x30, varbind));
        return tlv(0x30, integer(version), octets(community), pdu);
    }

    static byte[] get(int version, String community, int requestId, String oid) {
        return request(version, community, 0xA0, requestId, 0, 0, oid);
    }

    /** Sends a datagram and waits for one answer; null on timeout. */
    static byte[] exchange(DatagramSocket socket, int port, byte[] message, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
        byte[] buffer = new byte[65535];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(answer);
            return java.util.Arrays.copyOf(buffer, answer.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    static void send(DatagramSocket socket, int port, byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), port));
    }

    /**
     * A serial, given as the DER INTEGER's content octets, as {@code openssl x509 -serial} prints it: without the
     * zero octet a high bit needs, upper-case hex. (net-snmp showed the octets, with a "1x:" hint, as "3:e9".)
     */
    static String opensslSerial(byte[] der) {
        int from = der.length > 1 && der[0] == 0 ? 1 : 0;
        return java.util.HexFormat.of().withUpperCase().formatHex(der, from, der.length);
    }

    /** A SHA-256 given as hex as {@code openssl x509 -fingerprint -sha256} prints it: "00:C1:…". */
    static String opensslFingerprint(byte[] octets) {
        return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(octets);
    }
}
