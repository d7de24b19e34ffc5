package org.certwatch.commons.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * How many things of one kind a side holds and a fingerprint of them: SHA-256 over the sorted SHA-256 of each
 * thing's stored bytes, so the order they were read in does not matter and one changed byte does. Keys are counted
 * by the fingerprint of their encrypted bytes, never decrypted.
 */
public record Tally(String kind, long count, String fingerprint) {
    /** The fingerprint of nothing. */
    public static final String NONE = "-";

    public static Tally of(String kind, Collection<byte[]> items) {
        if (items.isEmpty()) {
            return new Tally(kind, 0, NONE);
        }
        List<String> hashes = new ArrayList<>(items.size());
        for (byte[] item : items) {
            hashes.add(sha256(item));
        }
        hashes.sort(null);
        return new Tally(kind, items.size(), sha256(String.join("\n", hashes).getBytes(StandardCharsets.US_ASCII)));
    }

    /** A count whose things are the one document {@code bytes} (absent: nothing). */
    public static Tally ofDocument(String kind, long count, byte[] bytes) {
        return bytes == null ? new Tally(kind, 0, NONE) : new Tally(kind, count, sha256(bytes));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
