package org.certwatch.snmp.internal;

import java.time.Clock;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;

/** The services the MIB reads, each possibly absent right now (null); the clock is always there. */
interface Sources {
    CertificateStore store();

    ExpiryMonitor monitor();

    ComputerRegistry computers();

    GroupDirectory groups();

    LocationRegistry locations();

    Clock clock();
}
