package org.certwatch.persistence.postgresql.internal;

import java.time.Duration;

/** The backend's settings, checked: from {@link PostgresConfiguration} in the server, made directly in tests. */
record BackendSettings(String url, String user, String password, int poolSize, Duration connectTimeout,
        Duration socketTimeout, Duration statementTimeout, Duration lockTimeout, Duration lease, Duration renewal,
        Duration poll) {

    BackendSettings {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:postgresql: URL, not " + url);
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("socket.timeout.seconds (" + socketTimeout.toSeconds()
                    + ") must exceed statement.timeout.ms (" + statementTimeout.toMillis() + ")");
        }
        if (renewal.multipliedBy(2).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("lease.ms (" + lease.toMillis() + ") must be more than twice"
                    + " lease.renewal.ms (" + renewal.toMillis() + ")");
        }
    }

    static BackendSettings of(PostgresConfiguration config, String password) {
        return new BackendSettings(config.url().strip(), config.user(), password, config.pool_size(),
                Duration.ofSeconds(config.connect_timeout_seconds()), Duration.ofSeconds(config.socket_timeout_seconds()),
                Duration.ofMillis(config.statement_timeout_ms()), Duration.ofSeconds(config.lock_timeout_seconds()),
                Duration.ofMillis(config.lease_ms()), Duration.ofMillis(config.lease_renewal_ms()),
                Duration.ofMillis(config.poll_ms()));
    }

    /** The URL without its parameters, for messages (a parameter could carry a secret). */
    String where() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return "BackendSettings[" + where() + ", user " + user + "]"; // never the password
    }
}
