package org.certwatch.persistence.postgresql.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.certwatch.persistence.postgresql}
 * ({@code etc/org.certwatch.persistence.postgresql.cfg}). A non-empty {@code url} there makes the launcher choose
 * the PostgreSQL backend at start.
 */
@ObjectClassDefinition(name = "certwatch PostgreSQL backend",
        description = "The database several certwatch servers share. Setting url selects this backend at the next"
                + " start; without it the server keeps its state in files in the data folder.")
public @interface PostgresConfiguration {
    @AttributeDefinition(description = "JDBC URL of the database, e.g. jdbc:postgresql://db.example:5432/certwatch"
            + "?sslmode=verify-full (empty: the file backend)")
    String url() default "";

    @AttributeDefinition(description = "database user")
    String user() default "certwatch";

    @AttributeDefinition(description = "file holding the user's password (never the password itself here);"
            + " relative to the etc folder")
    String password_file() default "postgresql-password";

    @AttributeDefinition(description = "connections in the pool", min = "2", max = "200")
    int pool_size() default 10;

    @AttributeDefinition(description = "seconds to open a connection", min = "1", max = "120")
    int connect_timeout_seconds() default 5;

    @AttributeDefinition(description = "seconds without an answer after which a connection counts as cut off;"
            + " more than the statement timeout", min = "2", max = "600")
    int socket_timeout_seconds() default 10;

    @AttributeDefinition(description = "milliseconds a statement may run", min = "100", max = "300000")
    int statement_timeout_ms() default 5_000;

    @AttributeDefinition(description = "seconds to wait for a cross-server lock", min = "1", max = "600")
    int lock_timeout_seconds() default 30;

    @AttributeDefinition(description = "milliseconds the leader lease lasts in the database; more than twice the"
            + " renewal", min = "1000", max = "600000")
    int lease_ms() default 10_000;

    @AttributeDefinition(description = "milliseconds between renewals of the leader lease", min = "100",
            max = "300000")
    int lease_renewal_ms() default 3_000;

    @AttributeDefinition(description = "milliseconds between re-reads of what other servers changed, besides the"
            + " database's notifications", min = "100", max = "60000")
    int poll_ms() default 1_000;
}
