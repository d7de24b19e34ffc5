package org.certwatch.api.rollover;

import java.util.List;
import java.util.Optional;

/**
 * Walks CA rollovers step by step. Every call is durable when it returns, audited (who, when, what) and
 * announced on {@code org/certwatch/rollover/*}; a refused step throws {@link RolloverRefusedException}
 * naming what blocks it and changes nothing. {@code actor} names who asks.
 */
public interface RolloverService {
    List<Rollover> rollovers();

    Optional<Rollover> rollover(long id);

    /** Starts a rollover of {@code oldCaId} and performs step 1 (creates the new CA). */
    Rollover start(long oldCaId, RolloverOptions options, String actor);

    /** Performs the next step if its gate holds. */
    Rollover advance(long id, String actor);

    /**
     * Performs the next step only if the rollover is still where the caller saw it: {@code from} steps
     * done ({@link Rollover#completed()}), so two admins pressing "advance" at once advance it one step;
     * otherwise refused, naming the step it is at now. {@code from} outside 0..6 is an
     * {@link IllegalArgumentException}.
     *
     * @since 1.1
     */
    Rollover advance(long id, int from, String actor);

    /** Performs step 6 over its gate; {@code reason} is required and recorded with {@code actor}. */
    Rollover force(long id, String reason, String actor);

    /** Asks the targeted computers that are not ready yet to replicate early; returns how many. */
    int requestEarlyReplication(long id, String actor);
}
