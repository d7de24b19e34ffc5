package org.certwatch.snmp.internal;

/**
 * The running SNMP component, published inside the bundle: the bundle's public services are small
 * components that reference it, so DS publishes them (and the manifest declares them).
 */
interface SnmpRuntime {
    MibModel model();

    SnmpSettings settings();

    SnmpMetrics metrics();

    /** The running agent's notification channel, null while the agent is stopped. */
    SnmpChannel channel();

    /** A group was added or deleted: the agent's contexts follow (see {@link GroupContexts}). */
    void groupsChanged();
}
