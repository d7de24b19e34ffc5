package org.certwatch.api.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Key types the store generates. */
public enum KeyType {
    EC_P256("EC", 256),
    EC_P384("EC", 384),
    RSA_2048("RSA", 2048),
    RSA_3072("RSA", 3072),
    RSA_4096("RSA", 4096),
    ED25519("Ed25519", 255);

    private final String algorithm;
    private final int size;

    KeyType(String algorithm, int size) {
        this.algorithm = algorithm;
        this.size = size;
    }

    public String algorithm() {
        return algorithm;
    }

    public int size() {
        return size;
    }

    /**
     * Parses user input leniently ({@code ec-p256}, {@code P-256}, {@code rsa3072}, {@code ed25519}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeyType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no key type given; use one of " + accepted());
        }
        String t = text.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        switch (t) {
            case "ECP256": case "P256": case "EC": case "ECDSA": case "PRIME256V1": case "SECP256R1":
                return EC_P256;
            case "ECP384": case "P384": case "SECP384R1":
                return EC_P384;
            case "RSA2048": case "RSA":
                return RSA_2048;
            case "RSA3072":
                return RSA_3072;
            case "RSA4096":
                return RSA_4096;
            case "ED25519":
                return ED25519;
            default:
                throw new IllegalArgumentException("unknown key type '" + text + "'; use one of " + accepted());
        }
    }

    private static String accepted() {
        return Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
