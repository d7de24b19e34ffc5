package org.certwatch.snmp.internal;

import org.snmp4j.smi.OID;

/** CERTWATCH-MIB's OIDs (mibs/README.md lists each). */
final class CwOids {
    static final OID CERTWATCH_MIB = new OID("1.3.6.1.4.1.32473.1");
    static final OID NOTIFICATIONS = new OID("1.3.6.1.4.1.32473.1.0");
    static final OID OBJECTS = new OID("1.3.6.1.4.1.32473.1.1");
    static final OID SUMMARY = new OID("1.3.6.1.4.1.32473.1.1.1");
    static final OID CA_ENTRY = new OID("1.3.6.1.4.1.32473.1.1.2.1");
    static final OID CERT_ENTRY = new OID("1.3.6.1.4.1.32473.1.1.3.1");
    static final OID COMPUTER_ENTRY = new OID("1.3.6.1.4.1.32473.1.1.4.1");
    static final OID LOCATION_ENTRY = new OID("1.3.6.1.4.1.32473.1.1.10.1");
    static final OID NOTIFY_OBJECTS = new OID("1.3.6.1.4.1.32473.1.1.5");
    static final OID SERVER_PRODUCT = new OID("1.3.6.1.4.1.32473.1.3.1");
    static final int ENTERPRISE = 32473;

    static final int CA_SUBJECT = 2;
    static final int CERT_SUBJECT = 2;

    private CwOids() {
    }

    static OID column(OID entry, int column, long index) {
        OID oid = new OID(entry);
        oid.append(column);
        oid.append((int) index);
        return oid;
    }

    static OID notification(int number) {
        OID oid = new OID(NOTIFICATIONS);
        oid.append(number);
        return oid;
    }

    /** The instance 0 of an accessible-for-notify object directly under cwObjects (cwNoticeNotification: 30). */
    static OID objectInstance(int number) {
        OID oid = new OID(OBJECTS);
        oid.append(number);
        oid.append(0);
        return oid;
    }

    static OID notifyObject(int number) {
        OID oid = new OID(NOTIFY_OBJECTS);
        oid.append(number);
        oid.append(0);
        return oid;
    }
}
