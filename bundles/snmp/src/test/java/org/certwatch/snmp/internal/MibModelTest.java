package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

class MibModelTest {
    final Fixtures fx = new Fixtures();
    final MibModel model = new MibModel(fx);

    private void twoCertificates() {
        fx.store.put(Fixtures.ca(1, "CN=Root", Fixtures.T0.minus(Duration.ofDays(10)),
                Fixtures.T0.plus(Duration.ofDays(3650)), "All"));
        fx.store.put(Fixtures.cert(5, 1, "CN=pc-5", Fixtures.T0.minus(Duration.ofDays(1)),
                Fixtures.T0.plus(Duration.ofDays(30)), "All/Berlin"));
        fx.store.put(Fixtures.cert(7, 1, "CN=pc-7", Fixtures.T0.minus(Duration.ofDays(1)),
                Fixtures.T0.plus(Duration.ofDays(300)), "All/Hamburg"));
        model.reloadStore();
    }

    @Test
    void tableNextWalksColumnsThenRows() {
        twoCertificates();
        CertTable table = new CertTable(new ViewSource(model));
        View view = model.view(null);
        OID first = table.next(view, new OID("1.3.6.1.4.1.32473.1.1.3"), true);
        assertEquals(new OID("1.3.6.1.4.1.32473.1.1.3.1.2.5"), first);
        OID second = table.next(view, first, false);
        assertEquals(new OID("1.3.6.1.4.1.32473.1.1.3.1.2.7"), second);
        assertEquals(new OID("1.3.6.1.4.1.32473.1.1.3.1.3.5"), table.next(view, second, false));
        assertEquals("CN=pc-7", table.value(view, second).toString());
        // an OID between rows, and one below an instance (…2.5.1) continue with the next row
        assertEquals(second, table.next(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.2.6"), true));
        assertEquals(second, table.next(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.2.5.1"), true));
        assertNull(table.next(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.17.7"), false));
    }

    @Test
    void silentComputersHaveACountOfTheirOwnBesideTheTotal() {
        twoCertificates();
        OperationScalars silent = new OperationScalars(new ViewSource(model));
        View view = model.view(null);
        OID instance = new OID("1.3.6.1.4.1.32473.1.1.31.0");
        assertEquals(instance, silent.next(view, new OID("1.3.6.1.4.1.32473.1.1.30"), false));
        assertNull(silent.next(view, instance, false));
        assertEquals(0, silent.value(view, instance).toLong());
        SummaryScalars summary = new SummaryScalars(new ViewSource(model));
        assertNotNull(summary.value(view, new OID("1.3.6.1.4.1.32473.1.1.1.9.4.0")), "the total, once");
    }

    @Test
    void aCertificateThatIsNotRevokedHasNoRevocationInstances() {
        twoCertificates();
        CertTable table = new CertTable(new ViewSource(model));
        View view = model.view(null);
        assertNull(table.value(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.16.5")), "no zero DateAndTime");
        assertNull(table.value(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.17.5")));
        assertNotNull(table.value(view, new OID("1.3.6.1.4.1.32473.1.1.3.1.15.5")));
    }

    @Test
    void daysLeftIsFlooredAndStatusesFollowTheClock() {
        twoCertificates();
        fx.at(Fixtures.T0.plus(Duration.ofDays(30)).minusSeconds(1));
        View view = model.view(null);
        assertEquals(0, view.daysLeft(model.certificates.get(5).notAfter()));
        assertEquals(ExpiryStatus.EXPIRING, view.status(model.certificates.get(5)));
        fx.at(Fixtures.T0.plus(Duration.ofDays(30)).plusSeconds(1));
        view = model.view(null);
        assertEquals(-1, view.daysLeft(model.certificates.get(5).notAfter()));
        assertEquals(ExpiryStatus.EXPIRED, view.status(model.certificates.get(5)));
        assertEquals(1, view.summary().certificates().get(ExpiryStatus.EXPIRED));
        assertEquals(5, view.summary().next().id());
    }

    @Test
    void eventsUpdateRowsWithoutReload() {
        twoCertificates();
        LiveIndex.Snapshot<?> before = model.certificates.snapshot();
        assertSame(before, model.certificates.snapshot(), "no change, no rebuild");
        fx.store.put(Fixtures.cert(9, 1, "CN=pc-9", Fixtures.T0, Fixtures.T0.plus(Duration.ofDays(5)), "All"));
        model.handle(Topics.CERTIFICATE_ISSUED, Map.of("certificate.id", 9L));
        assertEquals(3, model.certificates.snapshot().size());
        fx.store.removeCertificate(7L);
        model.handle(Topics.CERTIFICATE_REVOKED, Map.of("certificate.id", 7L));
        assertEquals(2, model.certificates.snapshot().size());
        assertEquals(2, before.size(), "an older snapshot is not changed");
    }

    @Test
    void groupViewsFilterBySubtree() {
        twoCertificates();
        assertEquals(1, model.view("All/Berlin").certificates.size());
        assertEquals(5, model.view("All/Berlin").certificates.id(0));
        assertEquals(2, model.view("All").certificates.size());
        assertEquals(0, model.view("All/Bern").certificates.size());
    }

    @Test
    void utf8IsCutAtACharacterBoundary() {
        String text = "a".repeat(254) + "ü";
        assertEquals(254, SnmpValues.utf8(text).length());
        assertEquals(11, SnmpValues.dateAndTime(Instant.EPOCH).length());
        assertEquals(8, SnmpValues.dateAndTime(null).length());
    }

    @Test
    void aSecondsReplicationsRefreshTheirComputerRowsAtOnce() {
        Instant seen = Fixtures.T0.minus(Duration.ofMinutes(5));
        for (long id = 1; id <= 3; id++) {
            fx.computerRows.put(id, new Computer(id, "pc-" + id, "All", 0, "", seen, seen, 0, "1", "pc-" + id));
        }
        model.reloadComputers();
        for (long id = 1; id <= 2; id++) {
            fx.computerRows.put(id, new Computer(id, "pc-" + id, "All", 0, "", seen, Fixtures.T0, 1, "1", "pc-" + id));
        }
        model.handle(Topics.COMPUTERS_REPLICATED, Map.of("computer.ids", new long[] {1, 2}, "count", 2));
        assertEquals(Fixtures.T0, model.computers.get(1).lastReplication());
        assertEquals(1, model.computers.get(2).replicationsSincePolicy());
        assertEquals(seen, model.computers.get(3).lastReplication(), "a computer that did not replicate keeps its row");
    }
}
