package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpirySummary;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** cwSummary: the scalars, each instance {@code .0}, computed from the request's view. */
final class SummaryScalars extends VirtualObject {
    private record Scalar(OID oid, Function<View, Variable> value) {
    }

    private final List<Scalar> scalars = new ArrayList<>();

    SummaryScalars(ViewSource views) {
        super(CwOids.SUMMARY, views);
        add("1", v -> unsigned(v.summary().warningWindow().toDays()));
        add("2", v -> unsigned(v.summary().criticalWindow().toDays()));
        // no evaluation yet, nothing that expires: no instance (noSuchInstance), never a zero date
        add("3", v -> v.summary().evaluatedAt() == null ? null : dateAndTime(v.summary().evaluatedAt()));
        add("4", v -> next(v) == null ? null : dateAndTime(next(v).notAfter()));
        add("5", v -> next(v) == null ? new Integer32(Integer.MAX_VALUE) : days(v.daysLeft(next(v).notAfter())));
        add("6", v -> new Integer32(1)); // true: served read-only
        for (ExpiryStatus s : ExpiryStatus.values()) {
            add("7." + (s.ordinal() + 1), v -> gauge(count(v.summary().cas(), s)));
            add("8." + (s.ordinal() + 1), v -> gauge(count(v.summary().certificates(), s)));
        }
        add("7.6", v -> gauge(total(v.summary().cas())));
        add("8.6", v -> gauge(total(v.summary().certificates())));
        // arc 4 is the total: silent(4) is counted by cwComputerSilentCount (OperationScalars)
        for (ComputerStatus s : List.of(ComputerStatus.OK, ComputerStatus.WARNING, ComputerStatus.ERROR)) {
            add("9." + (s.ordinal() + 1), v -> gauge(count(v.summary().computers(), s)));
        }
        add("9.4", v -> gauge(total(v.summary().computers())));
        add("10", v -> {
            ExpirySummary.NextExpiry next = next(v);
            if (next == null) {
                return new OID("0.0");
            }
            return CwOids.column(next.ca() ? CwOids.CA_ENTRY : CwOids.CERT_ENTRY,
                    next.ca() ? CwOids.CA_SUBJECT : CwOids.CERT_SUBJECT, next.id());
        });
        Collections.sort(scalars, (a, b) -> a.oid().compareTo(b.oid()));
    }

    private void add(String suffix, Function<View, Variable> value) {
        OID oid = new OID(CwOids.SUMMARY);
        oid.append(new OID(suffix));
        oid.append(0);
        scalars.add(new Scalar(oid, value));
    }

    private static ExpirySummary.NextExpiry next(View v) {
        return v.summary().next();
    }

    private static <K> long count(Map<K, Integer> counts, K key) {
        Integer n = counts.get(key);
        return n == null ? 0 : n;
    }

    private static <K> long total(Map<K, Integer> counts) {
        return counts.values().stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    OID next(View view, OID from, boolean inclusive) {
        for (Scalar s : scalars) {
            int c = s.oid().compareTo(from);
            if (c > 0 || (c == 0 && inclusive)) {
                return s.oid();
            }
        }
        return null;
    }

    @Override
    Variable value(View view, OID instance) {
        for (Scalar s : scalars) {
            if (s.oid().equals(instance)) {
                return s.value().apply(view);
            }
        }
        return null;
    }
}
