package org.certwatch.locations.internal;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.certwatch.api.persistence.Subscription;

/**
 * The persistence seam of the locations: only this interface knows where and how they are kept. Every method is
 * durable when it returns. Locations are never deleted, so the highest id read is the last one given.
 */
public interface LocationStorage {
    /**
     * Everything kept, in no particular order. An interrupted load ends early with an
     * {@link java.io.InterruptedIOException} and leaves what is kept as it was.
     */
    List<StoredLocation> load() throws IOException;

    /** Keeps these locations as they are now (one durable write for all). */
    void save(Collection<StoredLocation> locations) throws IOException;

    /** Where it is kept, for messages. */
    String name();

    /**
     * Calls {@code changed} (on the backend's thread) with the locations another server may have saved, as they are
     * kept now; nothing for the file, which one server alone writes.
     */
    default Subscription watch(Consumer<List<StoredLocation>> changed) {
        return () -> { };
    }
}
