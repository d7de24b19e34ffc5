package org.certwatch.bench;

import java.lang.annotation.Annotation;
import java.time.Duration;
import org.certwatch.source.tls.internal.TlsProbeConfiguration;

/**
 * The TLS source's configuration in the probe benchmark: a given interval, jitter and TLS 1.0/1.1 check, and a
 * concurrency (and per-host limit) of {@link ProbeEndpoints#CONCURRENCY}, the anchors'.
 */
final class ProbeSettings {
    private ProbeSettings() {
    }

    static TlsProbeConfiguration of(Duration interval, boolean oldProtocols, double jitter) {
        return new TlsProbeConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TlsProbeConfiguration.class;
            }

            @Override
            public String default_interval() {
                return interval.toString();
            }

            @Override
            public String minimum_interval() {
                return "PT10S";
            }

            @Override
            public String jitter() {
                return Double.toString(jitter);
            }

            @Override
            public int concurrency() {
                return ProbeEndpoints.CONCURRENCY;
            }

            @Override
            public int per_host_limit() {
                return ProbeEndpoints.CONCURRENCY;
            }

            @Override
            public int connect_timeout_ms() {
                return 5_000;
            }

            @Override
            public int handshake_timeout_ms() {
                return 10_000;
            }

            @Override
            public int read_timeout_ms() {
                return 5_000;
            }

            @Override
            public int max_certificates() {
                return 10;
            }

            @Override
            public int max_handshake_bytes() {
                return 256 * 1024;
            }

            @Override
            public boolean check_old_protocols() {
                return oldProtocols;
            }

            @Override
            public int chain_warning_days() {
                return 30;
            }

            @Override
            public int crl_timeout_ms() {
                return 5_000;
            }

            @Override
            public int max_crl_bytes() {
                return 16 * 1024 * 1024;
            }
        };
    }
}
