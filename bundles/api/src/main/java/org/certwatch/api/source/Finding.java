package org.certwatch.api.source;

import java.util.Objects;

/**
 * One finding about what a location holds or presents.
 *
 * @param kind what is wrong
 * @param certificateIndex which certificate of the observed chain it is about (0 the leaf), -1 for the location as
 *     a whole (a protocol, an incomplete chain)
 * @param text one line a person reads, naming the certificate or protocol, e.g. "intermediate CN=R3 expires in 9
 *     days (2027-01-01)"
 */
public record Finding(FindingKind kind, int certificateIndex, String text) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (certificateIndex < -1) {
            throw new IllegalArgumentException("certificateIndex " + certificateIndex);
        }
    }
}
