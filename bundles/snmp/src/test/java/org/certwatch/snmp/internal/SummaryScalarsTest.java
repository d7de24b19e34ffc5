package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.monitor.ExpirySummary;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

class SummaryScalarsTest {
    static final OID LAST_EVALUATION = new OID("1.3.6.1.4.1.32473.1.1.1.3.0");
    static final OID NEXT_EXPIRY = new OID("1.3.6.1.4.1.32473.1.1.1.4.0");
    static final OID NEXT_EXPIRY_DAYS = new OID("1.3.6.1.4.1.32473.1.1.1.5.0");
    final Fixtures fx = new Fixtures();
    final MibModel model = new MibModel(fx);
    final SummaryScalars scalars = new SummaryScalars(new ViewSource(model));

    @Test
    void withNothingThatExpiresTheNextExpiryHasNoInstance() {
        model.reloadStore();
        View view = model.view(null);
        assertNull(scalars.value(view, NEXT_EXPIRY), "no zero DateAndTime");
        assertEquals(Integer.MAX_VALUE, scalars.value(view, NEXT_EXPIRY_DAYS).toInt());
        assertEquals(SnmpValues.dateAndTime(Fixtures.T0), scalars.value(view, LAST_EVALUATION));
    }

    @Test
    void aMonitorThatHasNotEvaluatedYetGivesNoLastEvaluation() {
        fx.monitor = monitorWith(new ExpirySummary(null, Duration.ofDays(30), Duration.ofDays(7), Map.of(), Map.of(),
                Map.of(), new ExpirySummary.NextExpiry(false, 5, Instant.parse("2026-02-01T00:00:00Z"), 31)));
        model.reloadStore();
        View view = model.view(null);
        assertNull(scalars.value(view, LAST_EVALUATION), "no zero DateAndTime");
        assertEquals(SnmpValues.dateAndTime(Instant.parse("2026-02-01T00:00:00Z")), scalars.value(view, NEXT_EXPIRY));
    }

    private static ExpiryMonitor monitorWith(ExpirySummary summary) {
        return new ExpiryMonitor() {
            @Override
            public ExpirySummary summary(UserScope scope) {
                return summary;
            }

            @Override
            public Optional<CertificateHealth> certificate(long certificateId) {
                return Optional.empty();
            }

            @Override
            public Optional<CertificateHealth> ca(long caId) {
                return Optional.empty();
            }

            @Override
            public Optional<ComputerHealth> computer(long computerId) {
                return Optional.empty();
            }
        };
    }
}
