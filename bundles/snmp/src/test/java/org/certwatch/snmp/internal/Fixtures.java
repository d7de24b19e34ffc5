package org.certwatch.snmp.internal;

import org.certwatch.testing.MemoryCertificateStore;
import org.certwatch.testing.MemoryLocationRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;

/** Small in-memory sources for unit tests: a settable clock and lists of rows. */
final class Fixtures implements Sources {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final MemoryCertificateStore store = new MemoryCertificateStore(Clock.fixed(T0, ZoneOffset.UTC));
    ExpiryMonitor monitor;
    final Map<Long, Computer> computerRows = new TreeMap<>();
    final List<Group> groupRows = new ArrayList<>();
    boolean fleet = true;
    MemoryLocationRegistry locations;

    void at(Instant now) {
        clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    @Override
    public MemoryCertificateStore store() {
        return store;
    }

    @Override
    public ExpiryMonitor monitor() {
        return monitor;
    }

    @Override
    public ComputerRegistry computers() {
        if (!fleet) {
            return null;
        }
        return new ComputerRegistry() {
            @Override
            public List<Computer> computers() {
                return List.copyOf(computerRows.values());
            }

            @Override
            public Optional<Computer> computer(long id) {
                return Optional.ofNullable(computerRows.get(id));
            }

            @Override
            public Optional<Computer> computerByName(String name) {
                return computerRows.values().stream().filter(c -> c.name().equals(name)).findFirst();
            }
        };
    }

    @Override
    public GroupDirectory groups() {
        if (!fleet) {
            return null;
        }
        return new GroupDirectory() {
            @Override
            public List<Group> groups() {
                return List.copyOf(groupRows);
            }

            @Override
            public Optional<Group> group(String path) {
                return groupRows.stream().filter(g -> g.path().equals(path)).findFirst();
            }

            @Override
            public Optional<Group> groupByShortName(String shortName) {
                return groupRows.stream().filter(g -> g.shortName().equals(shortName)).findFirst();
            }
        };
    }

    @Override
    public MemoryLocationRegistry locations() {
        return locations;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    static CaInfo ca(long id, String subject, Instant notBefore, Instant notAfter, String group) {
        return new CaInfo(id, subject, BigInteger.valueOf(1000 + id), notBefore, notAfter, fingerprint(id), "EC", 256,
                CaStatus.ACTIVE, true, false, group, "CA " + id, notBefore, null, null);
    }

    static CertificateInfo cert(long id, long caId, String subject, Instant notBefore, Instant notAfter, String group) {
        return new CertificateInfo(id, Role.AGENT, "host" + id, List.of(), caId, "CN=Issuer " + caId, subject,
                new BigInteger("00a1b2", 16).add(BigInteger.valueOf(id)), notBefore, notAfter, fingerprint(id), "RSA",
                2048, true, group, "", notBefore, null, null, 0, 0);
    }

    static String fingerprint(long id) {
        return String.format("%064x", id);
    }

    static Computer computer(long id, String name, String group, long certId) {
        return new Computer(id, name, group, certId, "", T0, certId == 0 ? null : T0.plus(Duration.ofHours(1)), 2,
                "1.0", name);
    }
}
