package org.certwatch.web.internal;

import java.util.function.Supplier;

/** A change the fleet makes: its refusal (audited by the fleet) becomes a 400 with its words, not audited again. */
final class FleetChanges {
    private FleetChanges() {
    }

    static <T> T refusedAs400(Supplier<T> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage()).audited();
        }
    }
}
