package org.certwatch.fleet.internal.computers;

/**
 * The text form of an enrolment token: {@code cwt1.<id>.<secret>.<sha256 of the server's CA>}. The CA
 * fingerprint lets the agent trust the server on first contact (it checks that the server's chain
 * contains that CA), so no separate CA file has to be copied to a new computer.
 */
public final class TokenText {
    static final String PREFIX = "cwt1";

    public record Parsed(String id, String secret, String caFingerprint) {
    }

    private TokenText() {
    }

    static String format(String id, String secret, String caFingerprint) {
        return PREFIX + "." + id + "." + secret + "." + caFingerprint;
    }

    public static Parsed parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\.");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || parts[1].isEmpty() || parts[2].isEmpty()
                || !parts[3].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("malformed enrolment token (expected cwt1.<id>.<secret>.<CA fingerprint>)");
        }
        return new Parsed(parts[1], parts[2], parts[3]);
    }
}
