package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateInfo;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;

/** The NOTIFICATION-TYPE and varbinds (after sysUpTime.0 and snmpTrapOID.0) for one notice. */
final class NoticeVarbinds {
    record Notification(OID trapOid, List<VariableBinding> varbinds) {
    }

    private NoticeVarbinds() {
    }

    static Notification of(Notice n, View view) {
        List<VariableBinding> vbs = new ArrayList<>();
        OID trap;
        switch (n.kind()) {
            case TEST -> {
                // its own type: an NMS that alarms on cwCertExpiring must not alarm on a test
                trap = CwOids.notification(30);
                vbs.add(new VariableBinding(CwOids.objectInstance(30), utf8(n.notification())));
            }
            case CERTIFICATE_EXPIRING, CERTIFICATE_EXPIRED -> {
                trap = CwOids.notification(n.kind() == org.certwatch.api.notify.NoticeKind.CERTIFICATE_EXPIRED ? 2 : 1);
                CertificateInfo c = view == null ? null : view.certificate(n.objectId());
                certificateVarbinds(vbs, n.objectId(), n, c, true);
            }
            case CA_EXPIRING, CA_EXPIRED, ROLLOVER_SUGGESTED -> {
                trap = CwOids.notification(switch (n.kind()) {
                    case CA_EXPIRED -> 4;
                    case ROLLOVER_SUGGESTED -> 8;
                    default -> 3;
                });
                long id = n.objectId();
                vbs.add(vb(CwOids.CA_ENTRY, 5, id, serial(serialOf(n.serial(), null))));
                vbs.add(vb(CwOids.CA_ENTRY, 2, id, utf8(n.subject())));
                vbs.add(vb(CwOids.CA_ENTRY, 4, id, utf8(n.issuer())));
                vbs.add(vb(CwOids.CA_ENTRY, 8, id, days(n.daysLeft())));
                vbs.add(vb(CwOids.CA_ENTRY, 7, id, dateAndTime(n.notAfter())));
            }
            case COMPUTER_STATUS_CHANGED -> {
                trap = CwOids.notification(5);
                long id = n.objectId();
                Computer computer = view == null ? null : view.computers.byId(id);
                ComputerHealth health = computer == null ? null : view.health(computer);
                vbs.add(vb(CwOids.COMPUTER_ENTRY, 2, id, utf8(computer != null ? computer.name() : n.host())));
                vbs.add(vb(CwOids.COMPUTER_ENTRY, 6, id, new Integer32(health == null ? 1 : health.status().ordinal() + 1)));
                vbs.add(vb(CwOids.COMPUTER_ENTRY, 7, id, utf8(health == null ? n.text() : health.text())));
                vbs.add(vb(CwOids.COMPUTER_ENTRY, 8, id, days(health == null ? n.daysLeft() : health.daysLeft())));
                long certId = computer == null ? 0 : computer.certificateId();
                CertificateInfo c = certId == 0 ? null : view.certificate(certId);
                certificateVarbinds(vbs, certId, n, c, false);
            }
            case ROLLOVER_STEP_COMPLETED, ROLLOVER_STEP_BLOCKED -> {
                trap = CwOids.notification(n.kind() == org.certwatch.api.notify.NoticeKind.ROLLOVER_STEP_BLOCKED ? 7 : 6);
                vbs.add(new VariableBinding(CwOids.notifyObject(2), unsigned(n.rolloverId())));
                vbs.add(new VariableBinding(CwOids.notifyObject(3), unsigned(n.rolloverStep())));
                vbs.add(new VariableBinding(CwOids.notifyObject(4), utf8(n.rolloverStepName())));
                vbs.add(new VariableBinding(CwOids.notifyObject(5), utf8(n.reason())));
            }
            case LOCATION_FAILING, LOCATION_RECOVERED -> {
                boolean failing = n.kind() == org.certwatch.api.notify.NoticeKind.LOCATION_FAILING;
                trap = CwOids.notification(failing ? 20 : 21);
                long id = n.objectId();
                Location l = view == null ? null : view.locations.byId(id);
                vbs.add(vb(CwOids.LOCATION_ENTRY, 2, id, utf8(l == null ? "" : l.ref().source())));
                vbs.add(vb(CwOids.LOCATION_ENTRY, 4, id, utf8(n.host())));
                vbs.add(vb(CwOids.LOCATION_ENTRY, 5, id, utf8(n.group())));
                // the state the notice announces, not the one at delivery (it may have changed since)
                vbs.add(vb(CwOids.LOCATION_ENTRY, 6, id, new Integer32(LocationTable.state(failing
                        ? LocationState.FAILING : LocationState.OK))));
                if (failing) {
                    vbs.add(vb(CwOids.LOCATION_ENTRY, 8, id, utf8(n.reason())));
                }
            }
            case LOCATION_FINDINGS -> {
                trap = CwOids.notification(22);
                long id = n.objectId();
                Location l = view == null ? null : view.locations.byId(id);
                vbs.add(vb(CwOids.LOCATION_ENTRY, 2, id, utf8(l == null ? "" : l.ref().source())));
                vbs.add(vb(CwOids.LOCATION_ENTRY, 4, id, utf8(n.host())));
                vbs.add(vb(CwOids.LOCATION_ENTRY, 5, id, utf8(n.group())));
                // the findings the notice announces, not those at delivery (they may have changed since)
                vbs.add(vb(CwOids.LOCATION_ENTRY, 14, id, utf8(n.reason())));
            }
            default -> throw new IllegalArgumentException("no SNMP notification for " + n.kind());
        }
        vbs.add(new VariableBinding(CwOids.notifyObject(1), noticeId(n.id())));
        return new Notification(trap, vbs);
    }

    private static void certificateVarbinds(List<VariableBinding> vbs, long id, Notice n, CertificateInfo c,
            boolean withDays) {
        boolean own = c == null || c.id() == n.objectId();
        vbs.add(vb(CwOids.CERT_ENTRY, 7, id, serial(own ? serialOf(n.serial(), c) : c.serial())));
        vbs.add(vb(CwOids.CERT_ENTRY, 2, id, utf8(own && !blank(n.subject()) ? n.subject() : c == null ? "" : c.subject())));
        vbs.add(vb(CwOids.CERT_ENTRY, 6, id, utf8(own && !blank(n.issuer()) ? n.issuer() : c == null ? "" : c.issuer())));
        int role = n.role() != null && own ? n.role().ordinal() + 1 : c != null ? c.role().ordinal() + 1 : 5;
        vbs.add(vb(CwOids.CERT_ENTRY, 3, id, new Integer32(role)));
        if (withDays) {
            vbs.add(vb(CwOids.CERT_ENTRY, 10, id, days(n.daysLeft())));
        }
        vbs.add(vb(CwOids.CERT_ENTRY, 9, id, dateAndTime(own && n.notAfter() != null ? n.notAfter()
                : c == null ? null : c.notAfter())));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static BigInteger serialOf(String hex, CertificateInfo c) {
        if (!blank(hex)) {
            try {
                return new BigInteger(hex.replace(":", ""), 16);
            } catch (NumberFormatException ignored) {
                // fall back to the store's value
            }
        }
        return c == null ? BigInteger.ZERO : c.serial();
    }

    private static OctetString noticeId(String id) {
        String value = blank(id) ? "unknown" : id;
        byte[] ascii = value.replaceAll("[^\\x20-\\x7e]", "?").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new OctetString(ascii.length > 64 ? java.util.Arrays.copyOf(ascii, 64) : ascii);
    }

    private static VariableBinding vb(OID entry, int column, long index, org.snmp4j.smi.Variable value) {
        return new VariableBinding(CwOids.column(entry, column, index), value);
    }
}
