package org.certwatch.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutates BER/DER messages (SNMP packets, certificates, PKCS#12) knowing where each TLV is, so the
 * damage lands on lengths, tags, integer sizes, OIDs, nesting depth and truncation rather than on
 * random bytes only. Unless a mutation is about lengths, the enclosing lengths are re-encoded to fit,
 * so the damage reaches the inner decoders instead of being caught by the outermost length check.
 *
 * <p>Deterministic for a given {@link Random}: a fuzzer prints its seed and can replay it.
 */
public final class BerMutator {
    /** A mutated message and the list of mutations applied, for the failure message of a case. */
    public record Mutant(byte[] bytes, String what) {
    }

    private static final int[] INTERESTING_LENGTHS = {0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x7fffffff, -1};
    private static final int[] INTERESTING_TAGS = {0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0c, 0x1f, 0x30, 0x31, 0x40,
            0x41, 0x42, 0x43, 0x44, 0x46, 0x47, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
            0xa8, 0xa9, 0xbf, 0xff};
    private static final int[] DEPTHS = {2, 8, 64, 255, 1000, 4000};

    private final Random random;
    private final int maxLength;

    /** {@code maxLength}: the largest message to produce (a UDP datagram, say). */
    public BerMutator(Random random, int maxLength) {
        this.random = random;
        this.maxLength = maxLength;
    }

    /** One to three mutations of {@code seed}; the result is never longer than {@code maxLength}. */
    public Mutant mutate(byte[] seed) {
        Node root = Node.parse(seed);
        List<String> what = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            List<Node> nodes = root.flatten(new ArrayList<>());
            Node target = nodes.get(random.nextInt(nodes.size()));
            switch (random.nextInt(11)) {
                case 0 -> what.add(length(target));
                case 1 -> what.add(tag(target));
                case 2 -> what.add(integer(pick(nodes, 0x02, target)));
                case 3 -> what.add(oid(pick(nodes, 0x06, target)));
                case 4 -> what.add(nest(target));
                case 5 -> what.add(repeat(target));
                case 6 -> what.add(drop(target));
                case 7 -> what.add(content(target));
                case 8 -> what.add(split(pick(nodes, 0x04, target)));
                default -> {
                    byte[] flipped = root.encode();
                    what.add(flip(flipped));
                    root = Node.parse(flipped);
                }
            }
        }
        byte[] bytes = root.encode();
        if (random.nextInt(6) == 0 && bytes.length > 1) {
            int cut = 1 + random.nextInt(bytes.length - 1);
            what.add("truncated to " + cut);
            bytes = java.util.Arrays.copyOf(bytes, cut);
        }
        if (bytes.length > maxLength) {
            what.add("cut to the limit " + maxLength);
            bytes = java.util.Arrays.copyOf(bytes, maxLength);
        }
        return new Mutant(bytes, String.join("; ", what));
    }

    /** An INTEGER (or an application type holding one) when there is one, else the given node. */
    private Node pick(List<Node> nodes, int universal, Node fallback) {
        List<Node> matching = nodes.stream().filter(n -> n.tag == universal
                || universal == 0x02 && n.tag >= 0x41 && n.tag <= 0x47).toList();
        return matching.isEmpty() ? fallback : matching.get(random.nextInt(matching.size()));
    }

    private String length(Node n) {
        int choice = INTERESTING_LENGTHS[random.nextInt(INTERESTING_LENGTHS.length)];
        n.lengthOverride = switch (random.nextInt(4)) {
            case 0 -> new byte[] {(byte) 0x80}; // indefinite length, DER forbids it
            case 1 -> new byte[] {(byte) 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9}; // longer than any int
            case 2 -> encodeLength(n.contentLength() + random.nextInt(5) - 2);
            default -> encodeLength(choice);
        };
        return "length of tag " + hex(n.tag) + " set to " + hex(n.lengthOverride);
    }

    private String tag(Node n) {
        int old = n.tag;
        n.tag = random.nextBoolean() ? INTERESTING_TAGS[random.nextInt(INTERESTING_TAGS.length)] : random.nextInt(256);
        if ((n.tag & 0x1f) == 0x1f) {
            n.tagTail = random.nextBoolean() ? new byte[] {(byte) 0x81, (byte) 0x80, 0x01}
                    : new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // high tag number
        }
        return "tag " + hex(old) + " became " + hex(n.tag);
    }

    private String integer(Node n) {
        byte[] value = switch (random.nextInt(7)) {
            case 0 -> new byte[0];
            case 1 -> new byte[] {(byte) 0x80, 0, 0, 0}; // most negative int
            case 2 -> new byte[] {0x7f, -1, -1, -1}; // largest int
            case 3 -> fill(9, (byte) 0xff); // -1 in nine bytes, larger than a long
            case 4 -> fill(1 + random.nextInt(200), (byte) random.nextInt(256));
            case 5 -> new byte[] {0, 0, 0, 0, 0, 1}; // needless leading zeros
            default -> new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}; // -1
        };
        n.content = value;
        n.children = null;
        return "integer " + hex(n.tag) + " set to " + value.length + " byte(s)";
    }

    private String oid(Node n) {
        byte[] value = switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> new byte[] {0x2b, 6, 1, (byte) 0x81}; // a sub-identifier that never ends
            case 2 -> new byte[] {0x2b, (byte) 0x8f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}; // > 2^32
            case 3 -> fill(1 + random.nextInt(600), (byte) 0x01); // up to 600 arcs (SNMP allows 128)
            case 4 -> new byte[] {(byte) 0xff, (byte) 0x80, (byte) 0x80, 0x00}; // non-minimal encoding
            default -> fill(1 + random.nextInt(40), (byte) (0x80 | random.nextInt(128)));
        };
        n.content = value;
        n.children = null;
        return "oid " + hex(n.tag) + " set to " + value.length + " byte(s)";
    }

    /**
     * Wraps the node in {@code depth} SEQUENCEs. The result is kept as opaque content (not a tree), so
     * later mutations and the encoder never recurse that deep themselves.
     */
    private String nest(Node n) {
        int depth = DEPTHS[random.nextInt(DEPTHS.length)];
        byte[] inner = n.encode();
        // the node itself is the outermost SEQUENCE; headers[i] opens the (i+1)-th one inside it
        byte[][] headers = new byte[depth - 1][];
        int length = inner.length;
        for (int i = depth - 2; i >= 0; i--) {
            headers[i] = concat(new byte[] {0x30}, encodeLength(length));
            length += headers[i].length;
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream(length);
        for (byte[] header : headers) {
            content.writeBytes(header);
        }
        content.writeBytes(inner);
        String old = hex(n.tag);
        n.tag = 0x30;
        n.tagTail = new byte[0];
        n.lengthOverride = null;
        n.children = null;
        n.content = content.toByteArray();
        return "tag " + old + " nested " + depth + " deep";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Re-encodes the node as a constructed string: its tag gets the constructed bit and its content is cut into
     * OCTET STRING segments (BER, as Windows and Java write PKCS#12), which parsers join before they read them.
     */
    private String split(Node n) {
        if (n.tag < 0) {
            return content(n);
        }
        byte[] content = n.encodeContent();
        int size = 1 + random.nextInt(Math.max(1, content.length));
        List<Node> segments = new ArrayList<>();
        for (int at = 0; at < content.length; at += size) {
            Node segment = new Node();
            segment.tag = 0x04;
            segment.content = java.util.Arrays.copyOfRange(content, at, Math.min(at + size, content.length));
            segment.parent = n;
            segments.add(segment);
        }
        int old = n.tag;
        n.tag |= 0x20;
        n.lengthOverride = null;
        n.content = null;
        n.children = segments;
        return "tag " + hex(old) + " split into " + segments.size() + " segment(s)";
    }

    private String repeat(Node n) {
        if (n.parent == null) {
            return content(n);
        }
        // enough copies to overflow a datagram or a varbind list, not so many that encoding takes long
        int times = Math.min(1 + random.nextInt(random.nextBoolean() ? 3 : 500), 1 + maxLength / Math.max(1, n.encode().length));
        int at = n.parent.children.indexOf(n);
        for (int i = 0; i < times; i++) {
            Node copy = n.copy();
            copy.parent = n.parent;
            n.parent.children.add(at, copy);
        }
        return "tag " + hex(n.tag) + " repeated " + times + " times";
    }

    private String drop(Node n) {
        if (n.parent == null) {
            return length(n);
        }
        n.parent.children.remove(n);
        return "tag " + hex(n.tag) + " removed";
    }

    private String content(Node n) {
        byte[] value = new byte[random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(16)];
        random.nextBytes(value);
        n.content = value;
        n.children = null;
        return "content of tag " + hex(n.tag) + " replaced by " + value.length + " random byte(s)";
    }

    private String flip(byte[] bytes) {
        if (bytes.length == 0) {
            return "nothing left to flip";
        }
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return flips + " bit(s) flipped";
    }

    private static byte[] fill(int length, byte value) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, value);
        return b;
    }

    static byte[] encodeLength(int length) {
        if (length < 0) {
            return new byte[] {(byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        }
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }

    private static String hex(int b) {
        return String.format("0x%02x", b);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xff));
        }
        return s.toString();
    }

    /** A TLV: primitive ({@code content}) or constructed ({@code children}); trailing bytes kept as-is. */
    private static final class Node {
        int tag;
        byte[] tagTail = new byte[0];
        byte[] lengthOverride;
        byte[] content;
        List<Node> children;
        Node parent;
        /** Bytes after the last TLV of a parse (a datagram with junk behind the message). */
        byte[] trailer = new byte[0];

        /** Parses as much as is well-formed; what is not stays raw bytes. */
        static Node parse(byte[] bytes) {
            Node root = new Node();
            List<Node> items = parseAll(bytes, 0, bytes.length, 0);
            if (items != null && items.size() == 1) {
                return items.get(0);
            }
            root.tag = -1; // not a single TLV: raw bytes
            root.content = bytes;
            return root;
        }

        /** Every TLV between from and to, or null when they are not exactly a sequence of TLVs. */
        private static List<Node> parseAll(byte[] b, int from, int to, int depth) {
            List<Node> items = new ArrayList<>();
            int at = from;
            while (at < to) {
                if (depth > 64 || at + 2 > to || (b[at] & 0x1f) == 0x1f) {
                    return null;
                }
                int tag = b[at] & 0xff;
                int lenByte = b[at + 1] & 0xff;
                int header = 2;
                int length;
                if (lenByte == 0x80 && (tag & 0x20) != 0) {
                    // indefinite length (BER, as PKCS#12 writers use): children up to the end-of-contents octets
                    int end = endOfContents(b, at + 2, to, depth + 1);
                    if (end < 0) {
                        return null;
                    }
                    Node node = new Node();
                    node.tag = tag;
                    node.children = parseAll(b, at + 2, end, depth + 1);
                    if (node.children == null) {
                        return null;
                    }
                    node.children.forEach(c -> c.parent = node);
                    items.add(node);
                    at = end + 2;
                    continue;
                }
                if (lenByte < 0x80) {
                    length = lenByte;
                } else {
                    int n = lenByte & 0x7f;
                    if (n == 0 || n > 3 || at + 2 + n > to) {
                        return null;
                    }
                    length = 0;
                    for (int i = 0; i < n; i++) {
                        length = length << 8 | b[at + 2 + i] & 0xff;
                    }
                    header += n;
                }
                if (at + header + length > to) {
                    return null;
                }
                Node node = new Node();
                node.tag = tag;
                int start = at + header;
                int end = start + length;
                // constructed types, and octet strings that hold BER (SNMPv3 security parameters, PKCS#12 bags)
                boolean tryChildren = (tag & 0x20) != 0 || tag == 0x04 && length > 1 && b[start] == 0x30;
                List<Node> children = tryChildren && length > 0 ? parseAll(b, start, end, depth + 1) : null;
                if (children != null) {
                    node.children = children;
                    children.forEach(c -> c.parent = node);
                } else {
                    node.content = java.util.Arrays.copyOfRange(b, start, end);
                }
                items.add(node);
                at = end;
            }
            return items;
        }

        /** Where the 00 00 closing an indefinite-length element that starts at from is, or -1. */
        private static int endOfContents(byte[] b, int from, int to, int depth) {
            int at = from;
            while (at + 2 <= to) {
                if (b[at] == 0 && b[at + 1] == 0) {
                    return at;
                }
                int lenByte = b[at + 1] & 0xff;
                if (lenByte == 0x80) {
                    int inner = endOfContents(b, at + 2, to, depth + 1);
                    if (inner < 0 || depth > 64) {
                        return -1;
                    }
                    at = inner + 2;
                    continue;
                }
                int header = 2;
                int length = lenByte;
                if (lenByte > 0x80) {
                    int n = lenByte & 0x7f;
                    if (n > 3 || at + 2 + n > to) {
                        return -1;
                    }
                    length = 0;
                    for (int i = 0; i < n; i++) {
                        length = length << 8 | b[at + 2 + i] & 0xff;
                    }
                    header += n;
                }
                at += header + length;
            }
            return -1;
        }

        List<Node> flatten(List<Node> into) {
            if (tag >= 0) {
                into.add(this);
            }
            if (children != null) {
                children.forEach(c -> c.flatten(into));
            }
            if (into.isEmpty()) {
                into.add(this);
            }
            return into;
        }

        int contentLength() {
            return encodeContent().length;
        }

        private byte[] encodeContent() {
            if (children == null) {
                return content;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            children.forEach(c -> out.writeBytes(c.encode()));
            return out.toByteArray();
        }

        byte[] encode() {
            byte[] c = encodeContent();
            if (tag < 0) {
                return c;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(c.length + 8);
            out.write(tag);
            out.writeBytes(tagTail);
            out.writeBytes(lengthOverride != null ? lengthOverride : encodeLength(c.length));
            out.writeBytes(c);
            out.writeBytes(trailer);
            return out.toByteArray();
        }

        Node copy() {
            Node n = new Node();
            n.tag = tag;
            n.tagTail = tagTail;
            n.lengthOverride = lengthOverride;
            n.content = content;
            n.trailer = trailer;
            if (children != null) {
                n.children = new ArrayList<>();
                for (Node c : children) {
                    Node cc = c.copy();
                    cc.parent = n;
                    n.children.add(cc);
                }
            }
            return n;
        }

        /** Takes over another node's place-independent state (this node keeps its parent). */
        void become(Node other) {
            tag = other.tag;
            tagTail = other.tagTail;
            lengthOverride = other.lengthOverride;
            content = other.content;
            children = other.children;
            trailer = other.trailer;
            if (children != null) {
                children.forEach(c -> c.parent = this);
            }
        }
    }
}
