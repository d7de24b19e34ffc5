package org.certwatch.api.source;

import java.time.Instant;

/**
 * A path the files source watches.
 *
 * @param id assigned on create (ignored then), stable afterwards
 * @param pattern an absolute path or glob ({@code /etc/ssl/**}{@code /*.pem}, {@code /srv/*}{@code /tls.p12}); it must
 *     lie under one of the configured allowed roots
 * @param recursive whether a directory (or a glob's directories) is watched with everything below it
 * @param homeGroup the group of its locations and certificates
 * @param hasPassword whether a keystore password is stored (encrypted) for it; the password itself is never
 *     returned
 * @param description free text for the page
 */
public record FileWatch(String id, String pattern, boolean recursive, String homeGroup, boolean hasPassword,
        String description, Instant createdAt) {
}
