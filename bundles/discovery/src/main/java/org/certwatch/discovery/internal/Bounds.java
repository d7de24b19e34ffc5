package org.certwatch.discovery.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The configured limits of discovery, and the checks of a range against them. */
record Bounds(int maxAddresses, int maxPorts, int rate, int threads, Duration connectTimeout,
        Duration handshakeTimeout, Duration minimumEvery) {
    static Bounds of(DiscoveryConfiguration c) {
        Duration minimum;
        try {
            minimum = Duration.parse(c.minimum_every().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("minimum.every '" + c.minimum_every() + "' is not an ISO-8601 duration");
        }
        return new Bounds(c.max_addresses(), c.max_ports(), c.rate(), c.threads(),
                Duration.ofMillis(c.connect_timeout_ms()), Duration.ofMillis(c.handshake_timeout_ms()), minimum);
    }

    /** The range's addresses, parsed and within the size bound; the exception names what is wrong. */
    AddressRange addresses(String text) {
        AddressRange range = AddressRange.parse(text);
        if (range.size().compareTo(BigInteger.valueOf(maxAddresses)) > 0) {
            throw new IllegalArgumentException("range " + text.trim() + " holds " + range.size()
                    + " addresses; at most " + maxAddresses + " are scanned (max.addresses)");
        }
        return range;
    }

    void check(List<Integer> ports, Duration every) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("no ports: list the TCP ports to try, e.g. 443");
        }
        if (ports.size() > maxPorts) {
            throw new IllegalArgumentException(ports.size() + " ports; at most " + maxPorts + " (max.ports)");
        }
        for (int p : ports) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is not 1-65535");
            }
        }
        if (every != null && every.compareTo(minimumEvery) < 0) {
            throw new IllegalArgumentException("every " + every + " is shorter than the minimum " + minimumEvery
                    + " (minimum.every)");
        }
    }
}
