package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Pattern;

/** A refusal is read by an admin: it speaks of the input, never of the Java classes that read it. */
final class PlainMessages {
    /** A package-qualified class name such as {@code java.io.IOException} or {@code org.bouncycastle.asn1.X}. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    private PlainMessages() {
    }

    static void assertPlain(String message) {
        assertFalse(!isPlain(message), "the message names Java internals: " + message);
    }

    static boolean isPlain(String message) {
        return !(message.contains("java.") || message.contains("javax.") || message.contains("Exception")
                || message.contains("Error") || CLASS_NAME.matcher(message).find());
    }
}
