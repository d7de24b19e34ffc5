package org.certwatch.crypto.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.crypto} ({@code etc/org.certwatch.crypto.cfg}). */
@ObjectClassDefinition(name = "certwatch crypto")
public @interface CryptoConfiguration {
    @AttributeDefinition(description = "TLS handshake crypto (ECDSA signatures, EC and X25519 key shares) by Bouncy Castle instead of the JDK's "
            + "SunEC (same keys and certificates, several times less CPU per handshake); false leaves the JDK's providers alone")
    boolean bouncycastle() default true;
}
