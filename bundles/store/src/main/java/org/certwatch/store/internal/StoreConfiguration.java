package org.certwatch.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.store} ({@code etc/org.certwatch.store.cfg}). */
@ObjectClassDefinition(name = "certwatch certificate store")
public @interface StoreConfiguration {
    @AttributeDefinition(description = "notBefore of new certificates lies this many seconds in the past,"
            + " so clients with a slow clock accept them (the reference product: one day)")
    long clock_skew_seconds() default 86_400;

    @AttributeDefinition(description = "CRL distribution point base URL written into issued certificates;"
            + " a CA's CRL is served at <base>/<caId>.crl")
    String crl_base_url() default "https://localhost:8443/crl";

    @AttributeDefinition(description = "days from a CRL's thisUpdate to its nextUpdate")
    int crl_validity_days() default 7;

    @AttributeDefinition(description = "default validity of peer certificates in days (capped at the CA's end)")
    int certificate_validity_days() default 730;

    @AttributeDefinition(description = "default validity of new CAs in days")
    int ca_validity_days() default 3652;

    @AttributeDefinition(description = "PBKDF2-HMAC-SHA256 iterations for the key encryption of a new store")
    int key_iterations() default 600_000;

    @AttributeDefinition(description = "minutes between checks whether a CRL needs re-issuing before nextUpdate")
    int crl_check_minutes() default 10;
}
