package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import org.certwatch.api.source.Finding;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationState;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Variable;

/** cwLocationTable: the watched locations; a value that does not exist (yet) has no instance. */
final class LocationTable extends VirtualTable<Location> {
    LocationTable(ViewSource views) {
        super(CwOids.LOCATION_ENTRY, new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, views);
    }

    @Override
    LiveIndex.Snapshot<Location> rows(View view) {
        return view.locations;
    }

    @Override
    Variable cell(View view, Location l, int column) {
        boolean failing = l.state() == LocationState.FAILING && l.failure() != null;
        return switch (column) {
            case 2 -> utf8(l.ref().source());
            case 3 -> new Integer32(l.ref().kind().ordinal() + 1);
            case 4 -> utf8(l.ref().address());
            case 5 -> utf8(l.ref().homeGroup());
            case 6 -> new Integer32(state(l.state()));
            case 7 -> failing ? new Integer32(failure(l.failure())) : null;
            case 8 -> failing ? utf8(l.reason()) : null;
            case 9 -> gauge(l.consecutiveFailures());
            case 10 -> l.certificateId() == 0 ? null : unsigned(l.certificateId());
            case 11 -> l.lastCheck() == null ? null : dateAndTime(l.lastCheck());
            case 12 -> l.lastChange() == null ? null : dateAndTime(l.lastChange());
            case 13 -> checked(l) ? gauge(l.findings().size()) : null;
            case 14 -> checked(l) ? utf8(String.join("; ", l.findings().stream().map(Finding::text).toList())) : null;
            case 15 -> l.probe() == null ? null : utf8(l.probe().protocol());
            case 16 -> l.probe() == null ? null : gauge(l.probe().duration().toMillis());
            default -> null;
        };
    }

    /** Whether a check ever succeeded: before that there are no findings to count, not zero of them. */
    private static boolean checked(Location l) {
        return l.certificateId() != 0 || !l.findings().isEmpty() || l.probe() != null;
    }

    /** CwSourceLocationState. */
    static int state(LocationState state) {
        return switch (state) {
            case OK -> 1;
            case FAILING -> 2;
            case GONE -> 3;
            case NOT_WATCHED -> 4;
        };
    }

    /** CwSourceLocationFailure; a kind this MIB revision does not name is other(1). */
    static int failure(LocationFailure failure) {
        return switch (failure) {
            case MISSING -> 2;
            case UNREADABLE -> 3;
            case CORRUPT -> 4;
            case WRONG_PASSWORD -> 5;
            case TOO_LARGE -> 6;
            case EMPTY -> 7;
            case UNREACHABLE -> 8;
            case HANDSHAKE_FAILED -> 9;
            default -> 1;
        };
    }
}
