package org.certwatch.commons.certs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/**
 * Limits on read ASN.1 that would otherwise cost the reader its stack or its CPU: Bouncy Castle's
 * parsers recurse once per nesting level (thousands of levels overflow the stack), and a PKCS#12 names
 * its own key-derivation iteration counts (2^31 of them keep a thread busy for an hour).
 */
final class Asn1Limits {
    /** Certificates nest about 10 levels, PKCS#12 (with encapsulated bags) about 20. */
    static final int MAX_DEPTH = 64;
    /** openssl writes 2,048, Windows 2,000 to 10,000, OWASP asks for 600,000 with PBKDF2-HMAC-SHA256. */
    static final int MAX_ITERATIONS = 1_000_000;

    private Asn1Limits() {
    }

    /**
     * Refuses BER/DER nested deeper than {@link #MAX_DEPTH}. Scans without recursion; malformed input is
     * left to the parser. Primitive elements whose content looks like BER (PKCS#12 bags, a PKCS#8 key,
     * a public key in a BIT STRING, and whatever a mutation turned their tags into) count as levels while
     * that content reads as BER headers, because the parsers open them; content that does not (a salt or
     * ciphertext that merely starts like a SEQUENCE) is skipped as the octets it is. Elements that reach
     * past their parent are cut at the parent's end, so the scan never loses its place and misses what is
     * nested after them, and counts what a lenient parser opens before it notices. A constructed string's
     * segments are also joined and scanned as one, since that is what the parsers read. Encrypted content
     * cannot be scanned; {@link CertificateContainers#read} catches what it hides.
     */
    static void requireShallow(byte[] ber, String what) {
        requireShallow(ber, 0, false, what);
    }

    /** {@code outerDepth}: the levels around {@code ber}; {@code candidate}: whether {@code ber} may be plain octets. */
    private static void requireShallow(byte[] ber, int outerDepth, boolean candidate, String what) {
        Deque<Open> open = new ArrayDeque<>();
        int insideCandidates = 0;
        if (candidate) {
            open.push(new Open(ber.length, false, true));
            insideCandidates++;
            requireDepth(outerDepth + open.size(), what);
        }
        int at = 0;
        while (true) {
            while (!open.isEmpty()) {
                Open top = open.peek();
                if (top.indefinite() && at + 1 < top.end() && ber[at] == 0 && ber[at + 1] == 0) {
                    open.pop();
                    at += 2;
                } else if (at >= top.end() && !(top.indefinite() && insideCandidates > 0)) {
                    open.pop();
                    insideCandidates -= top.candidate() ? 1 : 0;
                } else {
                    break;
                }
            }
            int limit = open.isEmpty() ? ber.length : open.peek().end();
            if (at >= limit) {
                if (open.isEmpty()) {
                    return;
                }
                // an indefinite length inside a candidate ran out without its end-of-contents octets
                at = abandonCandidate(open);
                insideCandidates--;
                continue;
            }
            Header header = Header.read(ber, at, limit);
            at = header.content();
            // A length that reaches past the parent is no reason to stop counting: Bouncy Castle checks it against
            // the parent's whole length, not what is left of it, so it opens the element and recurses into it
            // before it finds the parent's end. Such an element is cut at the parent's end, inside candidates too.
            boolean malformed = header.impossible() || header.indefinite() && !header.constructed();
            if (malformed && insideCandidates > 0) {
                at = abandonCandidate(open);
                insideCandidates--;
                continue;
            }
            if (header.impossible()) {
                // an impossible length: a lenient parser may still read on, so count what follows as inside
                open.push(new Open(limit, true, false));
                requireDepth(outerDepth + open.size(), what);
                continue;
            }
            int end = header.indefinite() ? limit : (int) Math.min(at + header.length(), limit);
            int tag = header.tag();
            if (header.constructed()) {
                open.push(new Open(end, header.indefinite(), false));
                requireDepth(outerDepth + open.size(), what);
                if (mayBeAString(tag)) {
                    byte[] joined = primitiveContents(ber, at, end);
                    if (looksLikeBer(joined, 0x04, 0, joined.length)) {
                        requireShallow(joined, outerDepth + open.size(), true, what);
                    }
                }
            } else if (looksLikeBer(ber, tag, at, end)) {
                open.push(new Open(end, false, true));
                insideCandidates++;
                requireDepth(outerDepth + open.size(), what);
                at += tag == 0x03 ? 1 : 0; // a BIT STRING's unused-bits octet
            } else {
                at = end;
            }
        }
    }

    /**
     * A constructed BIT or OCTET STRING, or an implicitly tagged one: parsers join the contents of its segments
     * and may read the result as BER, so nesting split across segments (100 levels in each of 50) is nesting too.
     */
    private static boolean mayBeAString(int tag) {
        return tag == 0x23 || tag == 0x24 || (tag & 0xc0) != 0;
    }

    /**
     * The contents of every primitive element in {@code [from, end)}, in order, descending into constructed ones:
     * what a lenient parser joins for a constructed string. Stops at the first header it cannot read.
     */
    private static byte[] primitiveContents(byte[] ber, int from, int end) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int at = from;
        while (at < end) {
            Header header = Header.read(ber, at, end);
            if (header.impossible()) {
                break;
            }
            at = header.content();
            if (!header.constructed()) {
                int contentEnd = header.indefinite() ? end : (int) Math.min(at + header.length(), end);
                joined.write(ber, at, contentEnd - at);
                at = contentEnd;
            }
        }
        return joined.toByteArray();
    }

    /**
     * One element's header as read at a position: its tag octet, where its content starts, and its length
     * ({@link #INDEFINITE}, or {@link #IMPOSSIBLE} when the length octets are missing or longer than four).
     */
    private record Header(int tag, int content, long length) {
        static final long INDEFINITE = -1;
        static final long IMPOSSIBLE = -2;

        static Header read(byte[] ber, int at, int limit) {
            int tag = ber[at++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                while (at < limit && (ber[at++] & 0x80) != 0) {
                    // high tag number: skip its octets
                }
            }
            if (at >= limit) {
                return new Header(tag, at, IMPOSSIBLE);
            }
            int lengthByte = ber[at++] & 0xff;
            if (lengthByte < 0x80) {
                return new Header(tag, at, lengthByte);
            }
            if (lengthByte == 0x80) {
                return new Header(tag, at, INDEFINITE);
            }
            int n = lengthByte & 0x7f;
            if (n > 4 || at + n > limit) {
                return new Header(tag, at, IMPOSSIBLE);
            }
            long length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | ber[at++] & 0xff;
            }
            return new Header(tag, at, length);
        }

        boolean constructed() {
            return (tag & 0x20) != 0;
        }

        boolean indefinite() {
            return length == INDEFINITE;
        }

        boolean impossible() {
            return length == IMPOSSIBLE;
        }
    }

    private static boolean looksLikeBer(byte[] ber, int tag, int from, int end) {
        int first = tag == 0x03 ? from + 1 : from;
        return first < end && (tag != 0x03 || ber[from] == 0) && (ber[first] & 0x20) != 0;
    }

    /** Leaves the innermost candidate, whose content turned out not to be BER: the scan goes on after it. */
    private static int abandonCandidate(Deque<Open> open) {
        Open popped;
        do {
            popped = open.pop();
        } while (!popped.candidate());
        return popped.end();
    }

    /**
     * An element the scan is inside: where it ends at the latest (its parent's end for indefinite lengths),
     * and whether it is a primitive whose content is being tried as BER.
     */
    private record Open(int end, boolean indefinite, boolean candidate) {
    }

    private static void requireDepth(int depth, String what) {
        if (depth > MAX_DEPTH) {
            throw new ContainerException(ContainerProblem.TOO_LARGE, what + " is nested deeper than " + MAX_DEPTH
                    + " ASN.1 levels: it is damaged or hostile");
        }
    }

    /** Refuses a PKCS#12 whose MAC or any visible PBE/PBKDF2 parameters ask for more than {@link #MAX_ITERATIONS}. */
    static void requireModestKeyDerivation(byte[] pkcs12, String what) {
        ASN1Primitive root;
        try {
            root = ASN1Primitive.fromByteArray(pkcs12);
        } catch (IOException | RuntimeException e) {
            return; // not readable ASN.1: the PKCS#12 loader says so
        }
        Deque<ASN1Encodable> todo = new ArrayDeque<>();
        todo.push(root);
        int visited = 0;
        while (!todo.isEmpty() && visited++ < 10_000) {
            ASN1Encodable e = todo.pop();
            if (e instanceof ASN1Sequence s) {
                checkParameters(s, what);
                for (ASN1Encodable child : s) {
                    todo.push(child);
                }
            } else if (e instanceof ASN1TaggedObject t) {
                todo.push(t.getBaseObject());
            } else if (e instanceof ASN1OctetString o && o.getOctets().length > 1 && o.getOctets()[0] == 0x30) {
                try {
                    todo.push(ASN1Primitive.fromByteArray(o.getOctets()));
                } catch (IOException | RuntimeException notBer) {
                    // plain octets that happen to start like a SEQUENCE
                }
            }
        }
    }

    private static void checkParameters(ASN1Sequence s, String what) {
        try {
            if (s.size() == 3 && s.getObjectAt(0) instanceof ASN1Sequence && s.getObjectAt(1) instanceof ASN1OctetString
                    && s.getObjectAt(2) instanceof ASN1Integer macIterations) {
                require(macIterations.getValue(), "MAC", what); // PKCS#12 MacData
            }
            if (s.size() == 2 && s.getObjectAt(0) instanceof ASN1ObjectIdentifier oid) {
                if (oid.equals(PKCSObjectIdentifiers.id_PBKDF2)) {
                    require(PBKDF2Params.getInstance(s.getObjectAt(1)).getIterationCount(), "PBKDF2", what);
                } else if (oid.on(PKCSObjectIdentifiers.pkcs_12PbeIds)) {
                    require(PKCS12PBEParams.getInstance(s.getObjectAt(1)).getIterations(), "PBE", what);
                }
            }
        } catch (ContainerException refused) {
            throw refused;
        } catch (RuntimeException malformed) {
            // malformed parameters (Bouncy Castle throws all kinds): the PKCS#12 loader refuses them itself
        }
    }

    private static void require(BigInteger iterations, String use, String what) {
        if (iterations.signum() <= 0 || iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new ContainerException(ContainerProblem.TOO_LARGE, what + " asks for " + iterations + " " + use
                    + " key-derivation iterations; between 1 and " + MAX_ITERATIONS + " are accepted");
        }
    }
}
