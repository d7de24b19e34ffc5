package org.certwatch.monitor.internal;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.RevocationReason;

/** Small in-memory stand-ins for the store, the fleet and a channel (units only; ITs use the real ones). */
final class Fixtures {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private Fixtures() {
    }

    /** The instant {@code days} after {@link #T0}, for {@code clock.set(day(...))}. */
    static Instant day(double days) {
        return T0.plusSeconds((long) (days * 86_400));
    }

    static final class MemoryInventory implements Inventory {
        final Map<Long, CaInfo> cas = new LinkedHashMap<>();
        final Map<Long, CertificateInfo> certs = new LinkedHashMap<>();
        long server;

        @Override
        public List<CaInfo> cas() {
            return new ArrayList<>(cas.values());
        }

        @Override
        public Optional<CaInfo> ca(long id) {
            return Optional.ofNullable(cas.get(id));
        }

        @Override
        public List<CertificateInfo> certificates() {
            return new ArrayList<>(certs.values());
        }

        @Override
        public Optional<CertificateInfo> certificate(long id) {
            return Optional.ofNullable(certs.get(id));
        }

        @Override
        public long serverCertificateId() {
            return server;
        }

        CertificateInfo add(long id, Role role, String host, String group, Instant notBefore, Instant notAfter) {
            CertificateInfo c = new CertificateInfo(id, role, host, List.of(), 1, "CN=Test CA", "CN=" + host,
                    BigInteger.valueOf(0xabc0 + id), notBefore, notAfter, "00ff" + id, "EC", 256, true, group, "",
                    notBefore, null, null, 0, 0);
            certs.put(id, c);
            return c;
        }

        CaInfo addCa(long id, String group, Instant notBefore, Instant notAfter) {
            CaInfo c = new CaInfo(id, "CN=CA " + id, BigInteger.valueOf(id), notBefore, notAfter, "ca" + id, "EC", 256,
                    CaStatus.ACTIVE, true, false, group, "", notBefore, null, null);
            cas.put(id, c);
            return c;
        }

        void revoke(long id, Instant at) {
            CertificateInfo c = certs.get(id);
            certs.put(id, new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), c.caId(), c.issuer(),
                    c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                    c.keySize(), c.hasKey(), c.homeGroup(), c.description(), c.createdAt(), at,
                    RevocationReason.SUPERSEDED, c.predecessorId(), c.successorId()));
        }
    }

    static final class MemoryRegistry implements ComputerRegistry {
        final Map<Long, Computer> computers = new LinkedHashMap<>();

        @Override
        public List<Computer> computers() {
            return new ArrayList<>(computers.values());
        }

        @Override
        public Optional<Computer> computer(long id) {
            return Optional.ofNullable(computers.get(id));
        }

        @Override
        public Optional<Computer> computerByName(String name) {
            return computers.values().stream().filter(c -> c.name().equals(name)).findFirst();
        }

        void put(long id, String name, String group, long certificateId) {
            computers.put(id, new Computer(id, name, group, certificateId, "", T0, T0, 0, "1", name));
        }
    }

    static final class RecordingChannel implements NotificationChannel {
        final String name;
        final List<Notice> delivered = new CopyOnWriteArrayList<>();
        volatile DeliveryException failure;

        RecordingChannel(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean wants(Notice notice) {
            return name.equals(MAIL) ? !notice.emailRecipients().isEmpty() : notice.snmp();
        }

        @Override
        public void deliver(Notice notice) throws DeliveryException {
            DeliveryException f = failure;
            if (f != null) {
                throw f;
            }
            delivered.add(notice);
        }
    }

    static Duration days(long d) {
        return Duration.ofDays(d);
    }
}
