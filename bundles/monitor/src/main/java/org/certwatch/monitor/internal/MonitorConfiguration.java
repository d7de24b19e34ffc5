package org.certwatch.monitor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.monitor} ({@code etc/org.certwatch.monitor.cfg}). */
@ObjectClassDefinition(name = "certwatch expiry monitor")
public @interface MonitorConfiguration {
    @AttributeDefinition(description = "warning window in days: a certificate is EXPIRING this close to notAfter",
            min = "1", max = "3650")
    int warning_days() default 90;

    @AttributeDefinition(description = "critical window in days (inside the warning window): escalates",
            min = "1", max = "3650")
    int critical_days() default 14;

    @AttributeDefinition(description = "replication intervals without a replication after which a computer is"
            + " SILENT (its agent stopped); 0: never", min = "0", max = "1000")
    int silent_intervals() default 3;

    @AttributeDefinition(description = "first retry delay of a failed delivery in milliseconds; doubles per failure",
            min = "10", max = "3600000")
    int backoff_initial_ms() default 1000;

    @AttributeDefinition(description = "longest retry delay of a failed delivery in milliseconds",
            min = "10", max = "86400000")
    int backoff_max_ms() default 300_000;

    @AttributeDefinition(description = "on a shared backend (PostgreSQL): the leader compacts the outbox journal once"
            + " this many records (and twice the last snapshot) came since the last compaction", min = "10",
            max = "10000000")
    int shared_compaction_records() default 1000;
}
