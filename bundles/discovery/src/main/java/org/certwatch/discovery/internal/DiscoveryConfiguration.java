package org.certwatch.discovery.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.discovery} ({@code etc/org.certwatch.discovery.cfg}). */
@ObjectClassDefinition(name = "certwatch discovery")
public @interface DiscoveryConfiguration {
    @AttributeDefinition(description = "most addresses one range may hold; a larger range is refused", min = "1",
            max = "1048576")
    int max_addresses() default 4096;

    @AttributeDefinition(description = "most ports one range may list", min = "1", max = "1024")
    int max_ports() default 32;

    @AttributeDefinition(description = "connection attempts per second of one scan", min = "1", max = "10000")
    int rate() default 50;

    @AttributeDefinition(description = "connection attempts of one scan at the same time", min = "1", max = "256")
    int threads() default 16;

    @AttributeDefinition(description = "connect timeout per address and port, in milliseconds", min = "50",
            max = "60000")
    int connect_timeout_ms() default 2000;

    @AttributeDefinition(description = "TLS handshake timeout per address and port, in milliseconds", min = "50",
            max = "60000")
    int handshake_timeout_ms() default 3000;

    @AttributeDefinition(description = "shortest time between scheduled scans of a range (ISO-8601 duration)")
    String minimum_every() default "PT1H";
}
