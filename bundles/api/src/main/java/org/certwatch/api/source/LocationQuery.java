package org.certwatch.api.source;

import java.util.List;

/**
 * Which locations to list.
 *
 * @param groups the caller's visible home groups (each with everything below it); empty: every group
 * @param source only this source's locations; null: every source
 * @param state only this state; null: every state
 * @param certificateId only locations holding this certificate now; 0: any
 * @param limit at most this many, in id order; 0: no limit
 */
public record LocationQuery(List<String> groups, String source, LocationState state, long certificateId,
        int offset, int limit) {
    public LocationQuery {
        groups = List.copyOf(groups);
    }

    public static LocationQuery all() {
        return new LocationQuery(List.of(), null, null, 0, 0, 0);
    }
}
