package org.certwatch.api.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** RFC 5280 CRLReason codes (value 7 is unused by the RFC). */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    CERTIFICATE_HOLD(6),
    REMOVE_FROM_CRL(8),
    PRIVILEGE_WITHDRAWN(9),
    AA_COMPROMISE(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static RevocationReason ofCode(int code) {
        for (RevocationReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown RFC 5280 reason code " + code + "; use one of " + accepted());
    }

    /** Accepts the code ({@code 4}) or the name ({@code superseded}, {@code keyCompromise}). */
    public static RevocationReason parse(String text) {
        if (text == null || text.isBlank()) {
            return UNSPECIFIED;
        }
        String t = text.trim();
        if (t.chars().allMatch(Character::isDigit)) {
            return ofCode(Integer.parseInt(t));
        }
        String key = t.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
        for (RevocationReason r : values()) {
            if (r.name().replace("_", "").equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason '" + text + "'; use one of " + accepted());
    }

    private static String accepted() {
        return Arrays.stream(values()).map(r -> r.code + "=" + r.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
