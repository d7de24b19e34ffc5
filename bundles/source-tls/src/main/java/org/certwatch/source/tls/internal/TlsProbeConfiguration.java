package org.certwatch.source.tls.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.certwatch.source.tls} ({@code etc/org.certwatch.source.tls.cfg}). */
@ObjectClassDefinition(name = "certwatch TLS probe source")
public @interface TlsProbeConfiguration {
    @AttributeDefinition(description = "how often an endpoint without its own interval is checked (ISO-8601"
            + " duration, at least the minimum interval)")
    String default_interval() default "PT1H";

    @AttributeDefinition(description = "the shortest interval an endpoint may have (ISO-8601 duration, at least"
            + " PT1S)")
    String minimum_interval() default "PT10S";

    @AttributeDefinition(description = "each next check is put off by up to this share of its interval, so"
            + " endpoints added together spread out (0 to 0.5)")
    String jitter() default "0.1";

    @AttributeDefinition(description = "checks running at once", min = "1", max = "1024")
    int concurrency() default 16;

    @AttributeDefinition(description = "checks of one host running at once", min = "1", max = "1024")
    int per_host_limit() default 4;

    @AttributeDefinition(description = "connect timeout, in milliseconds", min = "100", max = "120000")
    int connect_timeout_ms() default 5_000;

    @AttributeDefinition(description = "the whole check (connect, STARTTLS, handshake) must end within this many"
            + " milliseconds, however slowly the peer answers", min = "100", max = "300000")
    int handshake_timeout_ms() default 10_000;

    @AttributeDefinition(description = "longest wait for one read from the peer, in milliseconds", min = "100",
            max = "120000")
    int read_timeout_ms() default 5_000;

    @AttributeDefinition(description = "most certificates in a presented chain; more is TOO_LARGE (the JDK's own"
            + " bound, jdk.tls.maxCertificateChainLength, is 10 unless raised)", min = "1", max = "1000")
    int max_certificates() default 10;

    @AttributeDefinition(description = "most bytes read from the peer during one check; more is TOO_LARGE",
            min = "4096", max = "16777216")
    int max_handshake_bytes() default 256 * 1024;

    @AttributeDefinition(description = "a second handshake limited to TLS 1.0/1.1 tells whether the endpoint still"
            + " offers them (finding OLD_PROTOCOL)")
    boolean check_old_protocols() default true;

    @AttributeDefinition(description = "days before a chain certificate's notAfter it is a CHAIN_CERTIFICATE_EXPIRING"
            + " finding, when the monitor is not deployed (otherwise its warning window)", min = "0", max = "3650")
    int chain_warning_days() default 30;
}
