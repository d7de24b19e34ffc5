package org.certwatch.store.internal.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;

/** Runs store operations and appends each outcome, ok or refused, to the audit log. */
final class Audited {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final AuditLog audit;
    private final Clock clock;

    Audited(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
    }

    /** Millisecond precision: the journal keeps milliseconds, so memory must not hold more than it. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    <T> T run(String actor, String action, Supplier<String> target, Lifecycle.Work<T, Exception> work,
            Function<T, String> outcome) {
        T result;
        try {
            result = work.run();
        } catch (CertificateStoreException e) {
            record(actor, action, target.get(), "refused: " + e.getMessage());
            throw e;
        } catch (StorageUnavailableException e) {
            // as it is: callers answer it as "try again" (503), not as a refusal
            record(actor, action, target.get(), "failed: " + e.getMessage());
            throw e;
        } catch (Exception e) {
            record(actor, action, target.get(), "failed: " + e);
            throw new CertificateStoreException(action + " failed: " + e.getMessage(), e);
        }
        String what = target.get();
        if (result instanceof CaInfo c) {
            what = "ca:" + c.id();
        } else if (result instanceof CertificateInfo c) {
            what = "certificate:" + c.id();
        }
        record(actor, action, what, outcome.apply(result));
        return result;
    }

    void record(String actor, String action, String target, String outcome) {
        try {
            audit.append(new AuditEntry(now(), actor == null ? "" : actor, action, target, outcome, ""));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot append to the audit log: " + action + " " + target + " " + outcome, e);
        }
    }

    /** Records many at once; the changes are durable already, so a failure is logged, not thrown. */
    void recordAll(List<AuditEntry> entries, String what) {
        try {
            audit.appendAll(entries);
        } catch (RuntimeException e) {
            // the changes are durable already; failing the call now would misreport them as not done
            LOG.log(Level.SEVERE, "cannot append " + entries.size() + " " + what + " to the audit log", e);
        }
    }
}
