package org.certwatch.store.internal.core;

import java.io.IOException;

/**
 * The key password as this server has it now. Read at the open, and again when a rekey on another server sharing
 * the store changed it (the admin sets the new one on every server).
 */
@FunctionalInterface
public interface KeyPassword {
    char[] read() throws IOException;

    /** Where it comes from, for messages. */
    default String origin() {
        return "the key password";
    }
}
