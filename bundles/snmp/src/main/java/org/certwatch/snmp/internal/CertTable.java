package org.certwatch.snmp.internal;

import static org.certwatch.snmp.internal.SnmpValues.*;

import org.certwatch.api.store.CertificateInfo;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Variable;

/** cwCertTable. */
final class CertTable extends VirtualTable<CertificateInfo> {
    CertTable(ViewSource views) {
        super(CwOids.CERT_ENTRY, new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}, views);
    }

    @Override
    LiveIndex.Snapshot<CertificateInfo> rows(View view) {
        return view.certificates;
    }

    @Override
    Variable cell(View view, CertificateInfo c, int column) {
        return switch (column) {
            case 2 -> utf8(c.subject());
            case 3 -> new Integer32(c.role().ordinal() + 1);
            case 4 -> utf8(c.host() == null ? "" : c.host());
            case 5 -> unsigned(c.caId());
            case 6 -> utf8(c.issuer());
            case 7 -> serial(c.serial());
            case 8 -> dateAndTime(c.notBefore());
            case 9 -> dateAndTime(c.notAfter());
            case 10 -> days(view.daysLeft(c.notAfter()));
            case 11 -> new Integer32(view.status(c).ordinal() + 1);
            case 12 -> fingerprint(c.fingerprint());
            case 13 -> utf8(c.homeGroup());
            case 14 -> utf8(c.description());
            case 15 -> keyAlgorithm(c.keyAlgorithm(), c.keySize());
            // absent while not revoked: a value that does not exist has no instance, not a zero date
            case 16 -> c.revokedAt() == null ? null : dateAndTime(c.revokedAt());
            case 17 -> c.revokedAt() == null ? null : utf8(c.revocationReason() == null ? "" : reason(c));
            default -> null;
        };
    }

    private static String reason(CertificateInfo c) {
        String name = c.revocationReason().name().toLowerCase(java.util.Locale.ROOT);
        // UPPER_SNAKE enum names to the RFC 5280 lowerCamel spelling (KEY_COMPROMISE -> keyCompromise)
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char ch : name.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
