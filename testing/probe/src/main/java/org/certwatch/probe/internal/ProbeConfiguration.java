package org.certwatch.probe.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "certwatch probe", description = "Test-only probe bundle")
public @interface ProbeConfiguration {
    @AttributeDefinition(description = "Word the probe answers with")
    String greeting() default "hello";

    @AttributeDefinition(description = "How often the greeting is repeated", min = "1", max = "10")
    int repeat() default 1;
}
