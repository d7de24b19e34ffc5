package org.certwatch.api.snmp;

import java.util.List;

/** The SNMP bundle's notification targets, changed at run time; applied to the agent at once. */
public interface SnmpSettingsService {
    /** Every target: those of the configuration file (read only) and the managed ones; v2c communities blanked. */
    List<SnmpTarget> targets();

    /**
     * Replaces the managed targets, stores them durably (0600) and restarts the agent with them.
     *
     * @throws IllegalArgumentException naming the bad entry; nothing changed
     */
    void setTargets(List<SnmpTarget> managed, String actor);
}
