package org.certwatch.api.source;

import java.util.Objects;

/**
 * Where a source looks: one location, named by its source and an address unique within that source.
 *
 * @param source the reporting source's {@link CertificateSource#name()}
 * @param kind a file (with alias) or an endpoint
 * @param address unique within the source; for files the absolute path, with {@code #alias} for a keystore
 *     entry (e.g. {@code /etc/ssl/site.p12#web}); for endpoints {@code host:port} plus what the source needs
 * @param homeGroup the group the location and its certificates belong to (who may see them)
 */
public record LocationRef(String source, LocationKind kind, String address, String homeGroup) {
    public LocationRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(homeGroup, "homeGroup");
    }
}
