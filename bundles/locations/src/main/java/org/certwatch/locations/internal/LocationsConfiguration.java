package org.certwatch.locations.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.certwatch.locations.cfg}. */
@ObjectClassDefinition(name = "certwatch locations", description = "Locations that sources watch")
public @interface LocationsConfiguration {
    @AttributeDefinition(name = "Failures before notice", min = "1",
            description = "Consecutive failed checks after which a location is announced as failing (once per spell)")
    int failures_before_notice() default 3;
}
