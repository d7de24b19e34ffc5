package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.junit.jupiter.api.Test;

class LocationLineTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aLocationReadsBackAsWritten() throws IOException {
        StoredLocation s = new StoredLocation(new Location(7, new LocationRef("files", LocationKind.FILE,
                "/etc/ssl/a \"b\".p12#web", "All/Web"), LocationState.FAILING, 12, List.of(13L, 14L),
                LocationFailure.WRONG_PASSWORD, "/etc/ssl/a.p12: wrong password", 3, T, T.plusSeconds(60), null),
                List.of(new LocationHistoryEntry(12, "ab01", T, null), new LocationHistoryEntry(9, "cd02",
                        T.minusSeconds(60), T)), false, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocationLine.write(s, out);
        String line = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count());
        assertEquals(s, LocationLine.read(line.strip()));
    }

    @Test
    void aLineOfTheEarlierTreeEncoderReads() throws IOException {
        String line = "{\"id\":3,\"source\":\"files\",\"kind\":\"FILE\",\"address\":\"/a.pem\",\"group\":\"All\","
                + "\"state\":\"OK\",\"certificate\":5,\"chain\":[],\"reason\":\"\",\"failures\":0,"
                + "\"firstSeen\":\"2026-03-01T10:00:00Z\",\"lastCheck\":\"2026-03-01T10:00:00Z\","
                + "\"lastChange\":\"2026-03-01T10:00:00Z\",\"stopped\":false,\"announced\":false,"
                + "\"history\":[{\"certificate\":5,\"fingerprint\":\"ab\",\"from\":\"2026-03-01T10:00:00Z\"}]}";
        StoredLocation s = LocationLine.read(line);
        assertEquals(new Location(3, new LocationRef("files", LocationKind.FILE, "/a.pem", "All"), LocationState.OK,
                5, List.of(), null, "", 0, T, T, T), s.location());
        assertEquals(List.of(new LocationHistoryEntry(5, "ab", T, null)), s.history());
    }

    @Test
    void findingsAndTheProbeReadBackAndAKindOfANewerServerIsLeftOut() throws IOException {
        List<Finding> findings = List.of(new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRING, 1,
                "intermediate CN=R3 expires in 9 days (2027-01-01)"), new Finding(FindingKind.OLD_PROTOCOL, -1,
                "offers TLSv1.1"));
        EndpointProbe probe = new EndpointProbe("TLSv1.3", "TLS_AES_128_GCM_SHA256", Duration.ofNanos(12_345_678),
                "[2001:db8::7]:443", true);
        StoredLocation s = new StoredLocation(new Location(8, new LocationRef("tls", LocationKind.ENDPOINT,
                "mail.example.org:587", "All"), LocationState.OK, 12, List.of(13L), null, "", 0, T, T, T, findings,
                probe), List.of(new LocationHistoryEntry(12, "ab01", T, null)), false, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocationLine.write(s, out);
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertEquals(s, LocationLine.read(line));

        String newer = line.replace("\"OLD_PROTOCOL\"", "\"QUANTUM_WEAK\"");
        assertEquals(List.of(findings.get(0)), LocationLine.read(newer).location().findings());
    }

    @Test
    void aTornOrIncompleteLineThrows() {
        assertThrows(IOException.class, () -> LocationLine.read("{\"id\":7,\"sou"));
        assertThrows(IOException.class, () -> LocationLine.read("{\"id\":7}"));
    }
}
