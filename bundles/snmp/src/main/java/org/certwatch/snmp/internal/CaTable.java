package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import org.certwatch.api.store.CaInfo;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Variable;

/** cwCaTable. A created CA is a self-signed root here; an imported one's issuer is not known to the store. */
final class CaTable extends VirtualTable<CaInfo> {
    CaTable(ViewSource views) {
        super(CwOids.CA_ENTRY, new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, views);
    }

    @Override
    LiveIndex.Snapshot<CaInfo> rows(View view) {
        return view.cas;
    }

    @Override
    Variable cell(View view, CaInfo ca, int column) {
        return switch (column) {
            case 2 -> utf8(ca.subject());
            case 3 -> unsigned(ca.imported() ? 0 : ca.id());
            case 4 -> utf8(ca.imported() ? "" : ca.subject());
            case 5 -> serial(ca.serial());
            case 6 -> dateAndTime(ca.notBefore());
            case 7 -> dateAndTime(ca.notAfter());
            case 8 -> days(view.daysLeft(ca.notAfter()));
            case 9 -> new Integer32(view.status(ca).ordinal() + 1);
            case 10 -> fingerprint(ca.fingerprint());
            case 11 -> utf8(ca.homeGroup());
            case 12 -> utf8(ca.description());
            case 13 -> keyAlgorithm(ca.keyAlgorithm(), ca.keySize());
            default -> null;
        };
    }
}
