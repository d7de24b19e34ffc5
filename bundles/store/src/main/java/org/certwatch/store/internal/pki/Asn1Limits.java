package org.certwatch.store.internal.pki;

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
import org.certwatch.api.store.CertificateStoreException;

/**
 * Limits on imported ASN.1 that would otherwise cost the store its stack or its CPU: Bouncy Castle's
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
     * Refuses BER/DER nested deeper than {@link #MAX_DEPTH}, counting octet strings that hold BER
     * (PKCS#12 bags) as levels too. Scans without recursion; malformed input is left to the parser.
     */
    static void requireShallow(byte[] ber, String what) {
        Deque<Integer> ends = new ArrayDeque<>(); // end offset of each open element, -1 for indefinite length
        int at = 0;
        while (at < ber.length) {
            while (!ends.isEmpty() && ends.peek() >= 0 && at >= ends.peek()) {
                ends.pop();
            }
            if (!ends.isEmpty() && ends.peek() < 0 && at + 1 < ber.length && ber[at] == 0 && ber[at + 1] == 0) {
                ends.pop();
                at += 2;
                continue;
            }
            int tag = ber[at++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                while (at < ber.length && (ber[at++] & 0x80) != 0) {
                    // high tag number: skip its octets
                }
            }
            if (at >= ber.length) {
                return;
            }
            int lengthByte = ber[at++] & 0xff;
            long length = lengthByte;
            boolean indefinite = lengthByte == 0x80;
            if (lengthByte > 0x80) {
                int n = lengthByte & 0x7f;
                if (n > 4 || at + n > ber.length) {
                    // an impossible length: a lenient parser may still read on, so count what follows as inside
                    at = Math.min(at + n, ber.length);
                    ends.push(-1);
                    requireDepth(ends.size(), what);
                    continue;
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = length << 8 | ber[at++] & 0xff;
                }
            }
            boolean holdsBer = tag == 0x04 && !indefinite && at < ber.length && ber[at] == 0x30;
            if ((tag & 0x20) != 0 || holdsBer || indefinite) {
                ends.push(indefinite ? -1 : (int) Math.min(at + length, ber.length));
                requireDepth(ends.size(), what);
            } else {
                at = (int) Math.min(at + length, ber.length);
            }
        }
    }

    private static void requireDepth(int depth, String what) {
        if (depth > MAX_DEPTH) {
            throw new CertificateStoreException(what + " is nested deeper than " + MAX_DEPTH
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
        } catch (CertificateStoreException refused) {
            throw refused;
        } catch (RuntimeException malformed) {
            // malformed parameters (Bouncy Castle throws all kinds): the PKCS#12 loader refuses them itself
        }
    }

    private static void require(BigInteger iterations, String use, String what) {
        if (iterations.signum() <= 0 || iterations.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new CertificateStoreException(what + " asks for " + iterations + " " + use
                    + " key-derivation iterations; between 1 and " + MAX_ITERATIONS + " are accepted");
        }
    }
}
