package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.gauge;

import org.certwatch.api.monitor.ComputerStatus;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** cwComputerSilentCount.0 (cwObjects 31, the operation range): the computers whose agents stopped replicating. */
final class OperationScalars extends VirtualObject {
    static final OID SILENT_COUNT = new OID("1.3.6.1.4.1.32473.1.1.31");
    private static final OID INSTANCE = new OID(SILENT_COUNT).append(0);

    OperationScalars(ViewSource views) {
        super(SILENT_COUNT, views);
    }

    @Override
    OID next(View view, OID from, boolean inclusive) {
        int c = INSTANCE.compareTo(from);
        return c > 0 || (c == 0 && inclusive) ? INSTANCE : null;
    }

    @Override
    Variable value(View view, OID instance) {
        if (!INSTANCE.equals(instance)) {
            return null;
        }
        Integer silent = view.summary().computers().get(ComputerStatus.SILENT);
        return gauge(silent == null ? 0 : silent);
    }
}
