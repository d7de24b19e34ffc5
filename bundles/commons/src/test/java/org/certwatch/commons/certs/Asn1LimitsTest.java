package org.certwatch.commons.certs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class Asn1LimitsTest {

    @Test
    void nestingWithinTheLimitPasses() {
        assertDoesNotThrow(() -> Asn1Limits.requireShallow(nested(new byte[] {0x05, 0x00}, Asn1Limits.MAX_DEPTH), "x"));
    }

    @Test
    void nestingBeyondTheLimitIsRefused() {
        ContainerException e = assertThrows(ContainerException.class,
                () -> Asn1Limits.requireShallow(nested(new byte[] {0x05, 0x00}, 5000), "the upload"));
        assertTrue(e.getMessage().startsWith("the upload is nested deeper than 64"), e.getMessage());
    }

    /**
     * Found by the import fuzzer in an openssl PKCS#12: a salt whose random bytes start like a SEQUENCE
     * holding a huge element made the scan skip to the end, so the deep nesting after it went unseen and
     * overflowed Bouncy Castle's parser.
     */
    @Test
    void octetsThatOnlyLookLikeBerDoNotHideNestingAfterThem() {
        byte[] salt = {0x04, 0x08, 0x30, 0x06, 0x02, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] hostile = tlv(0x30, concat(salt, nested(new byte[] {0x05, 0x00}, 5000)));
        assertThrows(ContainerException.class, () -> Asn1Limits.requireShallow(hostile, "x"));
    }

    @Test
    void octetsThatOnlyLookLikeBerDoNotCountAsNesting() {
        byte[] salt = {0x04, 0x08, 0x30, 0x06, 0x02, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] fine = tlv(0x30, concat(salt, nested(new byte[] {0x05, 0x00}, Asn1Limits.MAX_DEPTH - 1)));
        assertDoesNotThrow(() -> Asn1Limits.requireShallow(fine, "x"));
    }

    /** Found by the import fuzzer: a PKCS#8 key whose OCTET STRING tag became [0] still had its content parsed. */
    @Test
    void berInsideAnyPrimitiveCounts() {
        byte[] hostile = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00},
                tlv(0x80, nested(new byte[] {0x05, 0x00}, 5000))));
        assertThrows(ContainerException.class, () -> Asn1Limits.requireShallow(hostile, "x"));
    }

    /**
     * Found by the import fuzzer in a PKCS#12 bag: a SEQUENCE claiming two bytes more than its parent holds, with
     * 4,000 levels inside. Bouncy Castle checks a length against the parent's whole length, not what is left of it,
     * so it recursed into the nesting (and overflowed) before it noticed; the scan had skipped the bag as octets.
     */
    @Test
    void nestingInsideAnElementThatReachesPastItsParentCounts() {
        byte[] deep = nested(new byte[] {0x05, 0x00}, 5000);
        byte[] overlong = concat(new byte[] {0x30, (byte) 0x84, 0, 0, 0, 0}, deep);
        int claimed = deep.length + 2;
        overlong[2] = (byte) (claimed >>> 24);
        overlong[3] = (byte) (claimed >>> 16);
        overlong[4] = (byte) (claimed >>> 8);
        overlong[5] = (byte) claimed;
        byte[] hostile = tlv(0x30, concat(new byte[] {0x02, 0x01, 0x03}, tlv(0x04, overlong)));
        ContainerException e = assertThrows(ContainerException.class,
                () -> Asn1Limits.requireShallow(hostile, "the upload"));
        assertTrue(e.getMessage().startsWith("the upload is nested deeper than 64"), e.getMessage());
    }

    /**
     * Found while fixing the case above: Bouncy Castle joins the segments of a constructed OCTET STRING (BER, as
     * Windows and Java write PKCS#12) and parses the result, so 50 segments of 100 levels each are 5,000 levels.
     * Definite and indefinite lengths, and an implicitly tagged string.
     */
    @Test
    void nestingSplitAcrossTheSegmentsOfAConstructedStringCounts() {
        byte[] definite = nested(new byte[] {0x05, 0x00}, 5000);
        byte[] indefinite = new byte[5000 * 4 + 2];
        for (int i = 0; i < 5000; i++) {
            indefinite[2 * i] = 0x30;
            indefinite[2 * i + 1] = (byte) 0x80;
        }
        indefinite[10000] = 0x05;
        for (byte[] inner : new byte[][] {definite, indefinite}) {
            for (int stringTag : new int[] {0x24, 0xa0}) {
                byte[] hostile = tlv(0x30, tlv(stringTag, segments(inner, 100)));
                ContainerException e = assertThrows(ContainerException.class,
                        () -> Asn1Limits.requireShallow(hostile, "the upload"));
                assertTrue(e.getMessage().startsWith("the upload is nested deeper than 64"), e.getMessage());
            }
        }
    }

    @Test
    void aConstructedStringOfPlainOctetsIsNotNesting() {
        java.util.Random random = new java.util.Random(7);
        byte[] octets = new byte[20_000];
        random.nextBytes(octets);
        octets[0] = 0x30;
        assertDoesNotThrow(() -> Asn1Limits.requireShallow(
                nested(tlv(0x24, segments(octets, 1000)), Asn1Limits.MAX_DEPTH / 2), "x"));
    }

    /**
     * Ciphertext is random: when it starts like a SEQUENCE, the scan must not read nesting into it. (It tries a few
     * levels before the random lengths stop fitting; real PKCS#12 files keep their ciphertext about 10 levels deep.)
     */
    @Test
    void ciphertextThatStartsLikeASequenceIsNotNesting() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] ciphertext = new byte[1 + random.nextInt(4096)];
            random.nextBytes(ciphertext);
            ciphertext[0] = 0x30;
            byte[] file = nested(tlv(0x04, ciphertext), Asn1Limits.MAX_DEPTH / 2);
            int n = i;
            assertDoesNotThrow(() -> Asn1Limits.requireShallow(file, "case " + n));
        }
    }

    private static byte[] nested(byte[] inner, int depth) {
        byte[] out = inner;
        for (int i = 0; i < depth; i++) {
            out = tlv(0x30, out);
        }
        return out;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            out.write(0x84);
            out.write(n >>> 24);
            out.write(n >>> 16);
            out.write(n >>> 8);
            out.write(n);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] segments(byte[] content, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < content.length; at += size) {
            out.writeBytes(tlv(0x04, java.util.Arrays.copyOfRange(content, at, Math.min(at + size, content.length))));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
