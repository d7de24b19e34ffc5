package org.certwatch.api.store;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Serials and fingerprints spelled as {@code openssl x509 -serial} and {@code -fingerprint -sha256} print
 * them, so an admin can compare what certwatch shows (pages, API, mail, traps, MIB) with openssl's output.
 */
public final class OpenSslText {
    private OpenSslText() {
    }

    /**
     * The DER INTEGER's content octets without the leading zero octet a positive value with its high bit set
     * carries, in upper-case hex: 1001 is {@code 03E9}, 128 is {@code 80}, 0 is {@code 00}. A negative serial
     * (which RFC 5280 forbids, but certificates carry) is {@code -} and its magnitude, as openssl writes it.
     * Null (no serial known) is the empty text.
     */
    public static String serial(BigInteger serial) {
        if (serial == null) {
            return "";
        }
        String hex = serial.abs().toString(16).toUpperCase(Locale.ROOT);
        if (hex.length() % 2 != 0) {
            hex = "0" + hex;
        }
        return serial.signum() < 0 ? "-" + hex : hex;
    }

    /**
     * A serial given as hex text (any case, with or without leading zeros, ':' between octets or a '-') spelled
     * as {@link #serial(BigInteger)} does: for serials that travel as text, such as a notice's. Text that is not
     * hex comes back unchanged.
     */
    public static String serial(String hex) {
        if (hex == null || hex.isBlank()) {
            return "";
        }
        try {
            return serial(new BigInteger(hex.strip().replace(":", ""), 16));
        } catch (NumberFormatException e) {
            return hex;
        }
    }

    /**
     * A fingerprint given as hex (the store's lower-case form without separators) as upper-case octets with
     * ':' between them, leading zeros kept: {@code 00:C1:83:…}. Text that is not hex comes back unchanged.
     */
    public static String fingerprint(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9A-Fa-f]+")) {
            return hex == null ? "" : hex;
        }
        StringBuilder b = new StringBuilder(hex.length() * 3 / 2);
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        return b.toString().toUpperCase(Locale.ROOT);
    }
}
