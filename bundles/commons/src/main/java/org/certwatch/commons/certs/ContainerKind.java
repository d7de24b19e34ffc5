package org.certwatch.commons.certs;

/** What a file holds, told from its first bytes, never from its name. */
public enum ContainerKind {
    PEM, DER, PKCS12, JKS, JCEKS, UNKNOWN;

    public static ContainerKind of(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xed && (b[2] & 0xff) == 0xfe
                && (b[3] & 0xff) == 0xed) {
            return JKS;
        }
        if (b.length >= 4 && (b[0] & 0xff) == 0xce && (b[1] & 0xff) == 0xce && (b[2] & 0xff) == 0xce
                && (b[3] & 0xff) == 0xce) {
            return JCEKS;
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0x30) {
            // a certificate starts SEQUENCE { SEQUENCE tbs …, a PFX SEQUENCE { INTEGER 3 …
            int inner = innerTag(b);
            return inner == 0x30 ? DER : inner == 0x02 ? PKCS12 : UNKNOWN;
        }
        return PemBlocks.indexOf(b, PemBlocks.BEGIN, 0) >= 0 ? PEM : UNKNOWN;
    }

    /** The tag after the outer SEQUENCE's length (definite, or indefinite as Bouncy Castle writes a PFX), or -1. */
    private static int innerTag(byte[] b) {
        int first = b[1] & 0xff;
        int at = first <= 0x80 ? 2 : 2 + (first & 0x7f);
        return first > 0x84 || at >= b.length ? -1 : b[at] & 0xff;
    }
}
