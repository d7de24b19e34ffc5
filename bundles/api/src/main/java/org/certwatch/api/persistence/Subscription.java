package org.certwatch.api.persistence;

/** Stops a {@link Journal#follow} or {@link Documents#watch}; closing twice does nothing. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
