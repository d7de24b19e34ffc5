package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.RevocationReason;
import org.junit.jupiter.api.Test;

/** The API's JSON keeps its key order and its nulls: records serialise in component order. */
class ApiJsonTest {
    private static final Instant T = Instant.parse("2026-06-15T12:00:00Z");

    private static String json(Object value) {
        return new String(Json.write(value), StandardCharsets.UTF_8);
    }

    @Test
    void timestampsAreMillisecondsWhateverTheClockGave() {
        assertEquals("2026-06-15T12:00:00.123Z", ApiJson.iso(Instant.parse("2026-06-15T12:00:00.123456789Z")));
        assertEquals("2026-06-15T12:00:00Z", ApiJson.iso(T));
        assertEquals(null, ApiJson.iso(null));
    }

    @Test
    void certificateRowKeepsTheKeyOrderAndNullsOfTheApi() {
        CertificateInfo c = new CertificateInfo(3, Role.SERVER, "a.example", List.of("b.example"), List.of(), 1,
                "CN=Root", "CN=a.example", BigInteger.valueOf(255), T, T.plus(Duration.ofDays(10)), "ab", "EC", 256,
                true, "All/x", "d", T, T, RevocationReason.KEY_COMPROMISE, 0, 4);
        assertEquals("{\"id\":3,\"role\":\"SERVER\",\"host\":\"a.example\",\"alternativeNames\":[\"b.example\"],"
                + "\"subjectAltNames\":[],\"caId\":1,\"issuer\":\"CN=Root\",\"subject\":\"CN=a.example\",\"serial\":\"FF\","
                + "\"notBefore\":\"2026-06-15T12:00:00Z\",\"notAfter\":\"2026-06-25T12:00:00Z\",\"fingerprint\":\"ab\","
                + "\"keyAlgorithm\":\"EC\",\"keySize\":256,\"hasKey\":true,\"homeGroup\":\"All/x\",\"description\":\"d\","
                + "\"createdAt\":\"2026-06-15T12:00:00Z\",\"revokedAt\":\"2026-06-15T12:00:00Z\","
                + "\"revocationReason\":\"KEY_COMPROMISE\",\"predecessorId\":0,\"successorId\":4,\"status\":\"REVOKED\","
                + "\"daysLeft\":10,\"retiredAt\":null}", json(ApiJson.of(new Views.Row(c, null, ExpiryStatus.REVOKED, 10))));
    }

    @Test
    void caRowWritesItsMissingTimesAsNull() {
        CaInfo ca = new CaInfo(1, "CN=Root", BigInteger.ONE, T, T.plus(Duration.ofDays(1)), "cd", "RSA", 3072,
                CaStatus.ACTIVE, true, false, "All", "", T, null, null);
        assertEquals("{\"id\":1,\"subject\":\"CN=Root\",\"serial\":\"01\",\"notBefore\":\"2026-06-15T12:00:00Z\","
                + "\"notAfter\":\"2026-06-16T12:00:00Z\",\"fingerprint\":\"cd\",\"keyAlgorithm\":\"RSA\",\"keySize\":3072,"
                + "\"caStatus\":\"ACTIVE\",\"hasKey\":true,\"imported\":false,\"homeGroup\":\"All\",\"description\":\"\","
                + "\"createdAt\":\"2026-06-15T12:00:00Z\",\"deletedAt\":null,\"status\":\"VALID\",\"daysLeft\":1}",
                json(ApiJson.of(new Views.Row(null, ca, ExpiryStatus.VALID, 1))));
    }

    @Test
    void computerWithoutCertificateHasNoDaysLeft() {
        Computer c = new Computer(2, "pc", "All", 0, null, T, null, 0, "1.0", "pc.example");
        assertEquals("{\"id\":2,\"name\":\"pc\",\"group\":\"All\",\"hostName\":\"pc.example\",\"agentVersion\":\"1.0\","
                + "\"certificateId\":0,\"lastCertificateFingerprint\":null,\"firstSeen\":\"2026-06-15T12:00:00Z\","
                + "\"lastReplication\":null,\"replicationsSincePolicy\":0,\"status\":\"OK\",\"statusText\":\"OK\","
                + "\"daysLeft\":null}",
                json(ApiJson.of(new Views.ComputerRow(c, ComputerStatus.OK, "OK", 0, Integer.MAX_VALUE))));
    }

    @Test
    void sessionAndTheStatusTimelineHaveAFixedOrder() {
        UserScope scope = new UserScope("alice", "All", Set.of(Permission.ADMINISTRATION, Permission.CERTIFICATES_READ));
        assertEquals("{\"user\":\"alice\",\"homeGroup\":\"All\",\"permissions\":[\"ADMINISTRATION\",\"CERTIFICATES_READ\"],"
                + "\"csrf\":null}", json(ApiJson.Session.of(scope, null)));
        EnumMap<ExpiryStatus, Integer> none = new EnumMap<>(ExpiryStatus.class);
        EnumMap<ComputerStatus, Integer> computers = new EnumMap<>(ComputerStatus.class);
        int[] timeline = new int[12];
        timeline[0] = 2;
        List<String> months = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "M" + i + " 2026").toList();
        String status = json(ApiJson.Status.of(new Views.Dashboard(none, none, computers, List.of(), timeline, months, T,
                Duration.ofDays(30))));
        assertEquals("{\"evaluatedAt\":\"2026-06-15T12:00:00Z\",\"warningWindowDays\":30,\"certificates\":{},\"cas\":{},"
                + "\"computers\":{},\"nextExpiries\":[],\"timeline\":[{\"month\":\"M0 2026\",\"expiring\":2},",
                status.substring(0, status.indexOf("{\"month\":\"M1")));
    }
}
