package org.certwatch.commons.persistence;

import java.nio.file.Path;
import org.certwatch.api.persistence.Persistence;

/**
 * Opens a shared backend from the configuration folder outside a running server, for {@code certwatch migrate}:
 * the backend bundle provides it through {@link java.util.ServiceLoader}, as {@link StateCopy} parts are found.
 */
public interface SharedBackendConnector {
    /** The backend's name, as in {@code certwatch.backend}. */
    String backend();

    /**
     * Connects to the database {@code etc} configures (the server's own configuration file), checks and migrates its
     * schema; starts no lease and no listener.
     */
    Connection open(Path etc) throws Exception;

    /** An open backend; {@link #close} releases it. */
    interface Connection extends AutoCloseable {
        Persistence persistence();

        /** Where it is, for messages (never a password). */
        String where();

        /** True when it holds no journal record and no document. */
        boolean empty();

        /** The server id of a server holding an unexpired lease (one is running on it), or null. */
        String runningServer();

        /** Removes everything stored (the schema stays). */
        void wipe();

        @Override
        void close();
    }
}
