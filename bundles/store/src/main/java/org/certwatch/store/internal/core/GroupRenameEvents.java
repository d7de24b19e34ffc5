package org.certwatch.store.internal.core;

import java.io.IOException;
import java.util.Map;
import org.certwatch.api.Topics;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;

/**
 * A group rename applied to the index, here or from another server sharing the store: each CA and certificate it
 * moved is announced ({@code ca/CHANGED}, {@code certificate/CHANGED}), so what keeps copies of them (the monitor's
 * schedule, the MIB's tables, metrics) takes the new group.
 */
final class GroupRenameEvents {
    private GroupRenameEvents() {
    }

    static void applyAndAnnounce(StoreContext store, EntryCodec.Decoded decoded) throws IOException {
        StoreIndex.Moved moved = decoded.entry() instanceof Entry.GroupRenamed r ? store.index.movedBy(r)
                : new StoreIndex.Moved(java.util.List.of(), java.util.List.of());
        store.index.apply(decoded);
        for (long ca : moved.caIds()) {
            store.events.post(Topics.CA_CHANGED, Map.of("ca.id", ca));
        }
        for (long id : moved.certificateIds()) {
            store.index.certificate(id).ifPresent(c -> store.events.post(Topics.CERTIFICATE_CHANGED,
                    StoreContext.eventProperties(c)));
        }
    }
}
