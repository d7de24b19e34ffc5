package org.certwatch.store.internal.pki;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** PEM text and SHA-256 fingerprints, the two encodings every admin-facing file uses. */
public final class Pem {
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    public static byte[] encode(String type, byte[] der) {
        String text = "-----BEGIN " + type + "-----\n" + BASE64.encodeToString(der) + "\n-----END " + type + "-----\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The size {@link #encode} produces, without encoding (for cheap checks of projected files). */
    public static long encodedSize(String type, int derLength) {
        int base64 = 4 * ((derLength + 2) / 3);
        int newlines = base64 == 0 ? 0 : (base64 - 1) / 64;
        return ("-----BEGIN " + type + "-----\n").length() + base64 + newlines + 1
                + ("-----END " + type + "-----\n").length();
    }

    public static String sha256(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Accepts hex with or without colons/spaces, any case. */
    public static String normalizeFingerprint(String text) {
        return text == null ? "" : text.replace(":", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
