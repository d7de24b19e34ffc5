package org.certwatch.api.snmp;

/**
 * A trap/inform receiver.
 *
 * @param version {@code v2c} or {@code v3}
 * @param inform true: informs (acknowledged, retried); false: plain traps
 * @param credential the v2c community or the SNMPv3 user name (the main user or one of the configured
 *     {@code users}). A community is a secret: answers carry null; on
 *     {@link SnmpSettingsService#setTargets} null keeps the community stored for the same host and port
 * @param managed true: kept by {@link SnmpSettingsService} in the data folder; false: from
 *     {@code etc/org.certwatch.snmp.cfg} (read only here)
 */
public record SnmpTarget(String host, int port, String version, boolean inform, String credential, boolean managed) {
}
