package org.certwatch.source.tls.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.source.Endpoint;

/**
 * The {@code Endpoints} rules: a host name or address literal, a port, an interval not below the minimum, an extra
 * CA that parses, a group path, one endpoint per address. Every change is durable, audited, and then handed to the
 * scheduler.
 */
final class EndpointAdministration {
    /** What the scheduler is told after a change. */
    interface Listener {
        void changed(Endpoint endpoint);

        void removed(Endpoint endpoint);
    }

    private static final int MAX_TEXT = 1000;
    private static final int MAX_HOST = 253;
    private static final int MAX_EXTRA_CA = 64 * 1024;

    private final EndpointBook book;
    private final Clock clock;
    private final Consumer<AuditEntry> audit;
    private final Listener listener;
    private final Supplier<Schedule> schedule;

    EndpointAdministration(EndpointBook book, Clock clock, Consumer<AuditEntry> audit, Listener listener,
            Supplier<Schedule> schedule) {
        this.book = book;
        this.clock = clock;
        this.audit = audit;
        this.listener = listener;
        this.schedule = schedule;
    }

    List<Endpoint> endpoints() {
        return book.all();
    }

    Optional<Endpoint> endpoint(String id) {
        return book.get(id);
    }

    /** Alone among the servers sharing the book: the duplicate check sees every server's endpoints. */
    Endpoint create(Endpoint e, String actor) {
        return book.exclusively(() -> createAlone(e, actor));
    }

    private Endpoint createAlone(Endpoint e, String actor) {
        Endpoint clean = checked(e, null, actor, "tls.endpoint.create", "endpoint:new");
        Endpoint stored = book.add(clean);
        audited(actor, "tls.endpoint.create", stored.id(), "ok: " + stored.address());
        listener.changed(stored);
        return stored;
    }

    Endpoint update(Endpoint e, String actor) {
        return book.exclusively(() -> updateAlone(e, actor));
    }

    private Endpoint updateAlone(Endpoint e, String actor) {
        Endpoint old = book.get(e.id()).orElseThrow(() -> new IllegalArgumentException("no endpoint " + e.id()));
        Endpoint clean = checked(e, old.id(), actor, "tls.endpoint.update", "endpoint:" + old.id());
        Endpoint stored = new Endpoint(old.id(), clean.host(), clean.port(), clean.sniName(), clean.protocol(),
                clean.homeGroup(), clean.interval(), clean.extraCaPem(), clean.checkCrl(), clean.description(),
                old.createdAt());
        book.replace(stored);
        audited(actor, "tls.endpoint.update", stored.id(), "ok: " + stored.address());
        if (!old.address().equals(stored.address()) || !old.homeGroup().equals(stored.homeGroup())) {
            listener.removed(old);
        }
        listener.changed(stored);
        return stored;
    }

    void delete(String id, String actor) {
        Endpoint old = book.remove(id).orElseThrow(() -> {
            audited(actor, "tls.endpoint.delete", id, "refused: no such endpoint");
            return new IllegalArgumentException("no endpoint " + id);
        });
        audited(actor, "tls.endpoint.delete", id, "ok: " + old.address());
        listener.removed(old);
    }

    /** The endpoint as it is kept (host and SNI trimmed and lower-cased), or a refusal (audited) saying why. */
    private Endpoint checked(Endpoint e, String id, String actor, String action, String target) {
        Endpoint clean = new Endpoint(id, e.host().trim().toLowerCase(java.util.Locale.ROOT), e.port(),
                e.sniName().trim().toLowerCase(java.util.Locale.ROOT), e.protocol(), e.homeGroup(), e.interval(),
                e.extraCaPem().trim(), e.checkCrl(), e.description(),
                e.createdAt() == null || id == null ? clock.instant() : e.createdAt());
        String why = problem(clean, id);
        if (why != null) {
            audited(actor, action, target, "refused: " + why);
            throw new IllegalArgumentException(why);
        }
        return clean;
    }

    private String problem(Endpoint e, String id) {
        if (!HostNames.isHost(e.host()) || e.host().length() > MAX_HOST) {
            return "'" + e.host() + "' is not a host name or an IP address";
        }
        if (!e.sniName().isEmpty() && (!HostNames.isDnsName(e.sniName()) || e.sniName().length() > MAX_HOST)) {
            return "'" + e.sniName() + "' is not a DNS name (an SNI name is never an address)";
        }
        if (e.port() < 1 || e.port() > 65535) {
            return "port " + e.port() + " is not between 1 and 65535";
        }
        Duration minimum = schedule.get().minimumInterval();
        if (e.interval() != null && e.interval().compareTo(minimum) < 0) {
            return "interval " + e.interval() + " is below the minimum " + minimum;
        }
        if (!GroupPaths.isWellFormed(e.homeGroup())) {
            return "'" + e.homeGroup() + "' is not a group path (All or All/…)";
        }
        if (e.description().length() > MAX_TEXT) {
            return "the description is longer than " + MAX_TEXT + " characters";
        }
        if (!e.extraCaPem().isEmpty()) {
            if (e.extraCaPem().length() > MAX_EXTRA_CA) {
                return "the extra CA is longer than " + MAX_EXTRA_CA + " characters";
            }
            try {
                PemCertificates.parse(e.extraCaPem());
            } catch (IllegalArgumentException bad) {
                return bad.getMessage();
            }
        }
        String address = e.address();
        Optional<Endpoint> same = book.all().stream()
                .filter(o -> o.address().equals(address) && !o.id().equals(id)).findFirst();
        return same.map(o -> "endpoint " + o.id() + " already checks " + address).orElse(null);
    }

    private void audited(String actor, String action, String id, String outcome) {
        audit.accept(new AuditEntry(clock.instant(), actor, action,
                id.startsWith("endpoint:") ? id : "endpoint:" + id, outcome, ""));
    }
}
