package org.certwatch.snmp.internal;

import java.util.Arrays;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * A conceptual table with one Unsigned32 index (the store's id), walked column by column in
 * lexicographic OID order: {@code entry.column.index}.
 */
abstract class VirtualTable<T> extends VirtualObject {
    private final OID entry;
    private final int[] columns;

    VirtualTable(OID entry, int[] columns, ViewSource views) {
        super(entry, views);
        this.entry = entry;
        this.columns = columns.clone();
        Arrays.sort(this.columns);
    }

    abstract LiveIndex.Snapshot<T> rows(View view);

    abstract Variable cell(View view, T row, int column);

    @Override
    Variable value(View view, OID oid) {
        if (oid.size() != entry.size() + 2 || !oid.startsWith(entry)) {
            return null;
        }
        int column = oid.get(entry.size());
        if (Arrays.binarySearch(columns, column) < 0) {
            return null;
        }
        T row = rows(view).byId(oid.getUnsigned(entry.size() + 1));
        return row == null ? null : cell(view, row, column);
    }

    @Override
    OID next(View view, OID from, boolean inclusive) {
        LiveIndex.Snapshot<T> rows = rows(view);
        if (rows.size() == 0) {
            return null;
        }
        int n = entry.size();
        if (!from.startsWith(entry) || from.size() == n) {
            // before the first column (from is the table or the entry itself)
            return from.compareTo(entry) <= 0 ? cellOid(columns[0], rows.id(0)) : null;
        }
        long column = from.getUnsigned(n);
        int c = firstColumnAtLeast(column);
        if (c < columns.length && columns[c] == column) {
            int position;
            if (from.size() == n + 1) {
                position = 0; // the column OID itself: its first row follows it
            } else {
                long index = from.getUnsigned(n + 1);
                boolean exact = from.size() == n + 2;
                position = rows.ceiling(index, inclusive && exact);
            }
            if (position < rows.size()) {
                return cellOid(columns[c], rows.id(position));
            }
            c++;
        }
        return c < columns.length ? cellOid(columns[c], rows.id(0)) : null;
    }

    private int firstColumnAtLeast(long column) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] >= column) {
                return i;
            }
        }
        return columns.length;
    }

    private OID cellOid(int column, long index) {
        return CwOids.column(entry, column, index);
    }
}
