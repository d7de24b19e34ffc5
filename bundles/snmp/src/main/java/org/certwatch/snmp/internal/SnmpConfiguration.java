package org.certwatch.snmp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/org.certwatch.snmp.cfg}. Port and bind address are not here: they come only from the
 * framework properties {@code certwatch.snmp.port} and {@code certwatch.bind}.
 */
@ObjectClassDefinition(name = "certwatch SNMP agent", description = "CERTWATCH-MIB agent, communities, users and notification targets")
public @interface SnmpConfiguration {
    @AttributeDefinition(description = "sysContact.0")
    String sysContact() default "";

    @AttributeDefinition(description = "sysName.0; empty = the host name")
    String sysName() default "";

    @AttributeDefinition(description = "sysLocation.0")
    String sysLocation() default "";

    @AttributeDefinition(description = "Read-only SNMPv1/v2c communities; none = v1/v2c off. "
            + "COMMUNITY or COMMUNITY@CONTEXT (a group's short name)", required = false)
    String[] readCommunities() default {};

    @AttributeDefinition(description = "Further SNMPv3 users (SHA-256 + AES-128, authPriv): "
            + "NAME,AUTHPASSWORD,PRIVPASSWORD[,CONTEXT]; with CONTEXT the user sees only that group's context", required = false)
    String[] users() default {};

    @AttributeDefinition(description = "Notification targets: HOST:PORT,v2c|v3,trap|inform,COMMUNITY|USER", required = false)
    String[] targets() default {};

    @AttributeDefinition(description = "Inform timeout per try, milliseconds", min = "100", max = "10000")
    int informTimeoutMillis() default 1000;

    @AttributeDefinition(description = "Inform retries after the first try", min = "0", max = "5")
    int informRetries() default 2;

    @AttributeDefinition(description = "Worker threads answering requests", min = "1", max = "32")
    int workerThreads() default 4;
}
