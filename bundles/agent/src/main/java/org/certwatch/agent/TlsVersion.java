package org.certwatch.agent;

import java.util.Locale;

/**
 * The TLS version an agent speaks with the server (either within certwatch's TLS policy). They differ in
 * what a resumed session costs: the JDK resumes TLS 1.3 only with {@code psk_dhe_ke}, a fresh X25519
 * exchange on both sides per handshake, while a resumed TLS 1.2 session is an abbreviated handshake (no key
 * exchange, no signature). See hardening.md for the trade-off.
 */
public enum TlsVersion {
    /**
     * Offers x25519 alone: Java 17's TLS 1.3 client computes a key share for each group it offers (x25519 and
     * P-256 by default), and the server uses one, so the other would be a key generation per handshake for nothing.
     */
    TLS13("TLSv1.3", "x25519"),
    /**
     * ECDHE with AEAD suites only (the policy's), extended master secret, sessions kept for an hour. Offers P-256
     * beside x25519 (no key share is sent in TLS 1.2): a TLS 1.2 server takes an ECDSA certificate only on a curve
     * the client named (RFC 4492), and the server certificate is on P-256.
     */
    TLS12("TLSv1.2", "x25519,secp256r1");

    /**
     * The agent's default: its resumed sessions cost the server a third less CPU per replication and it made
     * 60 % more replications a second (benchmarks.md); the trade-off is in hardening.md.
     */
    public static final TlsVersion DEFAULT = TLS12;

    private final String protocol;
    private final String namedGroups;

    TlsVersion(String protocol, String namedGroups) {
        this.protocol = protocol;
        this.namedGroups = namedGroups;
    }

    /** The key-exchange groups to offer ({@code jdk.tls.namedGroups}, one setting for the whole JVM). */
    public String namedGroups() {
        return namedGroups;
    }

    /** The JSSE protocol name. */
    public String protocol() {
        return protocol;
    }

    /** {@code 1.2} or {@code 1.3}, as {@code --tls} takes it. */
    public static TlsVersion parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "1.2", "tls1.2", "tlsv1.2" -> TLS12;
            case "1.3", "tls1.3", "tlsv1.3" -> TLS13;
            default -> throw new IllegalArgumentException("--tls takes 1.2 or 1.3, not " + text);
        };
    }
}
