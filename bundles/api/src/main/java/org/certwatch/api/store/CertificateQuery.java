package org.certwatch.api.store;

import java.time.Instant;
import org.certwatch.api.Role;

/**
 * A filter over the store's certificates; null fields match everything.
 *
 * @param caId issued by this CA
 * @param group home group exactly this path, or below it when {@code includeSubgroups}
 * @param notAfterFrom expiring at or after this instant
 * @param notAfterBefore expiring before this instant (with {@code notAfterFrom}: a status window)
 * @param revoked true: only revoked ones, false: only unrevoked ones
 */
public record CertificateQuery(Long caId, Role role, String group, boolean includeSubgroups, Instant notAfterFrom,
        Instant notAfterBefore, Boolean revoked) {

    public static CertificateQuery all() {
        return new CertificateQuery(null, null, null, false, null, null, null);
    }

    public CertificateQuery withCa(long id) {
        return new CertificateQuery(id, role, group, includeSubgroups, notAfterFrom, notAfterBefore, revoked);
    }

    public CertificateQuery withRole(Role value) {
        return new CertificateQuery(caId, value, group, includeSubgroups, notAfterFrom, notAfterBefore, revoked);
    }

    public CertificateQuery withGroup(String path, boolean subgroups) {
        return new CertificateQuery(caId, role, path, subgroups, notAfterFrom, notAfterBefore, revoked);
    }

    public CertificateQuery expiringBetween(Instant from, Instant before) {
        return new CertificateQuery(caId, role, group, includeSubgroups, from, before, revoked);
    }

    public CertificateQuery withRevoked(Boolean value) {
        return new CertificateQuery(caId, role, group, includeSubgroups, notAfterFrom, notAfterBefore, value);
    }

    public boolean matches(CertificateInfo c) {
        return (caId == null || c.caId() == caId)
                && (role == null || c.role() == role)
                && (group == null || c.homeGroup().equals(group)
                        || (includeSubgroups && c.homeGroup().startsWith(group + "/")))
                && (notAfterFrom == null || !c.notAfter().isBefore(notAfterFrom))
                && (notAfterBefore == null || c.notAfter().isBefore(notAfterBefore))
                && (revoked == null || c.revoked() == revoked);
    }
}
