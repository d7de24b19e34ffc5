package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Topics;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

class LocationTableTest {
    static final OID ENTRY = new OID("1.3.6.1.4.1.32473.1.1.10.1");
    final Fixtures fx = new Fixtures();
    final MibModel model = new MibModel(fx);
    final LocationTable table = new LocationTable(new ViewSource(model));

    static OID cell(int column, long index) {
        return CwOids.column(ENTRY, column, index);
    }

    private void twoLocations() {
        fx.locations = new MemoryLocationRegistry(fx.clock);
        Instant checked = Instant.parse("2026-01-01T10:20:30Z");
        fx.locations.put(new Location(0, new LocationRef("files", LocationKind.FILE, "/etc/ssl/a.pem", "All/Berlin"),
                LocationState.OK, 12, List.of(), null, "", 0, checked, checked, checked));
        fx.locations.put(new Location(0, new LocationRef("files", LocationKind.FILE, "/srv/b.p12#web", "All/Hamburg"),
                LocationState.FAILING, 0, List.of(), LocationFailure.WRONG_PASSWORD, "/srv/b.p12: wrong password", 4,
                checked, null, null));
        model.reloadLocations();
    }

    @Test
    void withoutARegistryTheTableIsEmpty() {
        model.reloadLocations();
        assertNull(table.next(model.view(null), ENTRY, true));
    }

    @Test
    void columnsShowTheLocationAndAbsentValuesHaveNoInstance() {
        twoLocations();
        View view = model.view(null);
        assertEquals("files", table.value(view, cell(2, 1)).toString());
        assertEquals(1, table.value(view, cell(3, 1)).toInt());
        assertEquals("/srv/b.p12#web", table.value(view, cell(4, 2)).toString());
        assertEquals("All/Hamburg", table.value(view, cell(5, 2)).toString());
        assertEquals(1, table.value(view, cell(6, 1)).toInt());
        assertEquals(2, table.value(view, cell(6, 2)).toInt());
        assertEquals(5, table.value(view, cell(7, 2)).toInt(), "wrongPassword(5)");
        assertEquals("/srv/b.p12: wrong password", table.value(view, cell(8, 2)).toString());
        assertEquals(4, table.value(view, cell(9, 2)).toInt());
        assertEquals(12, table.value(view, cell(10, 1)).toInt());
        assertEquals(SnmpValues.dateAndTime(Instant.parse("2026-01-01T10:20:30Z")), table.value(view, cell(11, 1)));
        // not failing: no failure; no certificate yet, never checked: no instance, never a zero date
        assertNull(table.value(view, cell(7, 1)));
        assertNull(table.value(view, cell(8, 1)));
        assertNull(table.value(view, cell(10, 2)));
        assertNull(table.value(view, cell(11, 2)));
        assertNull(table.value(view, cell(12, 2)));
    }

    @Test
    void findingsAndTheHandshakeOfAnEndpointHaveTheirColumnsAndFilesNoProbeInstances() {
        twoLocations();
        Instant checked = Instant.parse("2026-01-01T10:20:30Z");
        fx.locations.put(new Location(0, new LocationRef("tls", LocationKind.ENDPOINT, "smtp://mail.example.org:587",
                "All/Berlin"), LocationState.OK, 14, List.of(15L), null, "", 0, checked, checked, checked, List.of(
                        new Finding(FindingKind.SELF_SIGNED, 0, "CN=mail.example.org is self-signed"),
                        new Finding(FindingKind.OLD_PROTOCOL, -1, "TLSv1.1 is offered")),
                new EndpointProbe("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", Duration.ofMillis(1234),
                        "192.0.2.7:587", false)));
        model.reloadLocations();
        View view = model.view(null);
        assertEquals(2, table.value(view, cell(3, 3)).toInt(), "endpoint(2)");
        assertEquals(2, table.value(view, cell(13, 3)).toInt());
        assertEquals("CN=mail.example.org is self-signed; TLSv1.1 is offered", table.value(view, cell(14, 3)).toString());
        assertEquals("TLSv1.2", table.value(view, cell(15, 3)).toString());
        assertEquals(1234, table.value(view, cell(16, 3)).toLong());
        // a file read without findings: zero of them and no handshake; never read: no instance
        assertEquals(0, table.value(view, cell(13, 1)).toInt());
        assertEquals("", table.value(view, cell(14, 1)).toString());
        assertNull(table.value(view, cell(15, 1)));
        assertNull(table.value(view, cell(16, 1)));
        assertNull(table.value(view, cell(13, 2)));
        assertNull(table.value(view, cell(14, 2)));
    }

    @Test
    void groupContextsSeeTheirSubtreeAndEventsRefreshRows() {
        twoLocations();
        assertEquals(1, model.view("All/Berlin").locations.size());
        assertEquals(0, model.view("All/Bern").locations.size());
        Location b = fx.locations.location(2).orElseThrow();
        fx.locations.put(new Location(2, b.ref(), LocationState.OK, 13, List.of(), null, "", 0, b.firstSeen(),
                Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z")));
        model.handle(Topics.LOCATION_RECOVERED, Map.of("location.id", 2L));
        View view = model.view(null);
        assertEquals(1, table.value(view, cell(6, 2)).toInt());
        assertEquals(13, table.value(view, cell(10, 2)).toInt());
    }

    @Test
    void aMonitoredCertificateRowFollowsChangedAndDeleted() {
        fx.store.put(Fixtures.cert(9, 1, "CN=www", Fixtures.T0, Fixtures.T0.plusSeconds(86_400 * 30), "All"));
        model.reloadStore();
        fx.store.put(Fixtures.cert(9, 1, "CN=www renamed", Fixtures.T0, Fixtures.T0.plusSeconds(86_400 * 30), "All"));
        model.handle(Topics.CERTIFICATE_CHANGED, Map.of("certificate.id", 9L));
        assertEquals("CN=www renamed", model.certificates.get(9).subject());
        fx.store.removeCertificate(9L);
        model.handle(Topics.CERTIFICATE_DELETED, Map.of("certificate.id", 9L));
        assertNull(model.certificates.get(9));
    }

    @Test
    void failingAndRecoveredNotificationsCarryTheLocationColumns() {
        twoLocations();
        Notice failing = new Notice("n1.loc2.failing1", NoticeKind.LOCATION_FAILING, Fixtures.T0, "files", 2, "", "",
                "", null, "/srv/b.p12#web", "", null, 0, -1, "All/Hamburg", "location …", "/locations/2", List.of(),
                true, 0, 0, "", "/srv/b.p12: wrong password");
        NoticeVarbinds.Notification n = NoticeVarbinds.of(failing, model.view(null));
        assertEquals(new OID("1.3.6.1.4.1.32473.1.0.20"), n.trapOid());
        assertEquals(List.of(cell(2, 2), cell(4, 2), cell(5, 2), cell(6, 2), cell(8, 2),
                new OID("1.3.6.1.4.1.32473.1.1.5.1.0")), n.varbinds().stream().map(VariableBinding::getOid).toList());
        assertEquals("files", n.varbinds().get(0).getVariable().toString());
        assertEquals("/srv/b.p12: wrong password", n.varbinds().get(4).getVariable().toString());
        assertEquals("n1.loc2.failing1", n.varbinds().get(5).getVariable().toString());

        Notice recovered = new Notice("n1.loc2.recovered1", NoticeKind.LOCATION_RECOVERED, Fixtures.T0, "files", 2,
                "", "", "", null, "/srv/b.p12#web", "", null, 0, -1, "All/Hamburg", "location …", "/locations/2",
                List.of(), true, 0, 0, "", "");
        NoticeVarbinds.Notification r = NoticeVarbinds.of(recovered, model.view(null));
        assertEquals(new OID("1.3.6.1.4.1.32473.1.0.21"), r.trapOid());
        assertEquals(1, r.varbinds().get(3).getVariable().toInt(), "ok(1)");
        assertEquals(5, r.varbinds().size());
    }

    @Test
    void aFindingsNoticeCarriesTheFindingsItAnnounced() {
        twoLocations();
        Notice findings = new Notice("n1.loc1.findings1", NoticeKind.LOCATION_FINDINGS, Fixtures.T0, "files", 1, "",
                "", "", null, "/etc/ssl/a.pem", "", null, 0, -1, "All/Berlin", "location …", "/locations/1", List.of(),
                true, 0, 0, "", "intermediate CN=R3 expires in 9 days");
        NoticeVarbinds.Notification n = NoticeVarbinds.of(findings, model.view(null));
        assertEquals(new OID("1.3.6.1.4.1.32473.1.0.22"), n.trapOid());
        assertEquals(List.of(cell(2, 1), cell(4, 1), cell(5, 1), cell(14, 1), new OID("1.3.6.1.4.1.32473.1.1.5.1.0")),
                n.varbinds().stream().map(VariableBinding::getOid).toList());
        assertEquals("intermediate CN=R3 expires in 9 days", n.varbinds().get(3).getVariable().toString());
        assertEquals("n1.loc1.findings1", n.varbinds().get(4).getVariable().toString());
    }
}
