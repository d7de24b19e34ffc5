package org.certwatch.snmp.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.certwatch.api.store.OpenSslText;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UnsignedInteger32;

/** Encodings of CERTWATCH-MIB's syntaxes. */
final class SnmpValues {
    static final int UTF8_MAX = 255;

    private SnmpValues() {
    }

    /** CwUtf8String: UTF-8, at most {@code max} octets, never cut inside a character. */
    static OctetString utf8(String text, int max) {
        if (text == null) {
            return new OctetString();
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= max) {
            return new OctetString(bytes);
        }
        int end = max;
        // step back over continuation octets (10xxxxxx) to the start of the cut character
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return new OctetString(cut);
    }

    static OctetString utf8(String text) {
        return utf8(text, UTF8_MAX);
    }

    /** DateAndTime, 11-octet UTC form; null = '0000000000000000'H, only where a notification must carry the object. */
    static OctetString dateAndTime(Instant instant) {
        if (instant == null) {
            return new OctetString(new byte[8]);
        }
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        int year = t.getYear();
        return new OctetString(new byte[] {
            (byte) (year >> 8), (byte) year, (byte) t.getMonthValue(), (byte) t.getDayOfMonth(),
            (byte) t.getHour(), (byte) t.getMinute(), (byte) t.getSecond(), (byte) (t.getNano() / 100_000_000),
            (byte) '+', 0, 0});
    }

    /**
     * CwSerialNumber: the serial as {@code openssl x509 -serial} prints it, in US-ASCII, so snmpget shows the same
     * text (net-snmp's hex display hints would drop leading zeros and print lower case).
     */
    static OctetString serial(BigInteger serial) {
        String text = OpenSslText.serial(serial == null ? BigInteger.ZERO : serial);
        return new OctetString(text.length() > UTF8_MAX ? text.substring(0, UTF8_MAX) : text);
    }

    /** CwSha256Fingerprint from the store's lower-case hex: upper-case octets with ':', as openssl prints it. */
    static OctetString fingerprint(String hex) {
        String text = hex != null && hex.length() == 64 && hex.matches("[0-9a-fA-F]+") ? OpenSslText.fingerprint(hex)
                : OpenSslText.fingerprint("00".repeat(32));
        return new OctetString(text);
    }

    /** Integer32 days that saturate instead of wrapping. */
    static Integer32 days(long days) {
        return new Integer32((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, days)));
    }

    static UnsignedInteger32 unsigned(long value) {
        return new UnsignedInteger32(Math.max(0, Math.min(0xFFFFFFFFL, value)));
    }

    static Gauge32 gauge(long value) {
        return new Gauge32(Math.max(0, Math.min(0xFFFFFFFFL, value)));
    }

    /** 'RSA 2048', 'EC P-256', 'Ed25519'. */
    static OctetString keyAlgorithm(String algorithm, int size) {
        String text;
        if (algorithm == null) {
            text = "";
        } else if (algorithm.equals("EC") || algorithm.equals("ECDSA")) {
            text = "EC P-" + size;
        } else if (algorithm.equalsIgnoreCase("Ed25519") || algorithm.equalsIgnoreCase("EdDSA")) {
            text = "Ed25519";
        } else {
            text = algorithm + " " + size;
        }
        return utf8(text, 64);
    }
}
