package org.certwatch.api.rollover;

import java.time.Duration;

/**
 * How to start a rollover.
 *
 * @param subject the new CA's subject; null derives one from the old CA's
 * @param caValidity the new CA's validity; null: as long as the old CA's
 * @param certificateValidity the new peer certificates' validity; null: the store's default (capped at the
 *     new CA's end). Refused when it would end after the new CA.
 */
public record RolloverOptions(String subject, Duration caValidity, Duration certificateValidity) {
    public static RolloverOptions defaults() {
        return new RolloverOptions(null, null, null);
    }
}
