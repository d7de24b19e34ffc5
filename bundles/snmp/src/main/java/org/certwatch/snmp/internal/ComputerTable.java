package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import org.certwatch.api.fleet.Computer;
import org.certwatch.api.monitor.ComputerHealth;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Variable;

/** cwComputerTable. */
final class ComputerTable extends VirtualTable<Computer> {
    ComputerTable(ViewSource views) {
        super(CwOids.COMPUTER_ENTRY, new int[] {2, 3, 4, 5, 6, 7, 8, 9}, views);
    }

    @Override
    LiveIndex.Snapshot<Computer> rows(View view) {
        return view.computers;
    }

    @Override
    Variable cell(View view, Computer c, int column) {
        return switch (column) {
            case 2 -> utf8(c.name());
            case 3 -> utf8(c.group());
            case 4 -> unsigned(c.certificateId());
            case 5 -> c.lastReplication() == null ? null : dateAndTime(c.lastReplication());
            case 6 -> new Integer32(health(view, c).status().ordinal() + 1);
            case 7 -> utf8(health(view, c).text());
            case 8 -> {
                ComputerHealth h = health(view, c);
                yield h.certificateId() == 0 || h.daysLeft() == Integer.MAX_VALUE ? new Integer32(Integer.MAX_VALUE)
                        : days(h.daysLeft());
            }
            case 9 -> gauge(c.replicationsSincePolicy());
            default -> null;
        };
    }

    private static ComputerHealth health(View view, Computer c) {
        return view.health(c);
    }
}
