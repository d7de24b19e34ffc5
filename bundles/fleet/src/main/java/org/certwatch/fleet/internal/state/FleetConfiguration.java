package org.certwatch.fleet.internal.state;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "certwatch fleet", description = "Agent replication: intervals, capacity, clock skew.")
public @interface FleetConfiguration {
    @AttributeDefinition(description = "Seconds between an agent's replications (the policy default), 1 to 86400.", min = "1", max = "86400")
    int replication_interval_seconds() default 60;

    @AttributeDefinition(description = "Seconds until an agent comes back after an admin asked for an early replication.", min = "1", max = "3600")
    int early_interval_seconds() default 1;

    @AttributeDefinition(description = "Replications per second the server plans for; a fleet larger than interval × this gets a longer interval, so it never overruns the server.", min = "1", max = "100000")
    int capacity_per_second() default 150;

    @AttributeDefinition(description = "How far an agent's clock may be off before its replication is refused, in seconds.", min = "1", max = "86400")
    int max_clock_skew_seconds() default 300;

    @AttributeDefinition(description = "Worker threads of the agent endpoint.", min = "4", max = "256")
    int threads() default 24;

    @AttributeDefinition(description = "Hours after its policies until a rollover's step 4 no longer waits for computers that have not replicated twice.", min = "0", max = "8760")
    int rollover_wait_hours() default 24;

    @AttributeDefinition(description = "PBKDF2 iterations of new password hashes.", min = "10000", max = "10000000")
    int password_iterations() default 210000;
}
