package org.certwatch.web.internal;

import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;

/**
 * Stopping and resuming the monitoring of a certificate certwatch did not issue, and deleting its record:
 * for MONITORED certificates the caller sees and may write; an issued one is refused with 409 (revoke it).
 */
final class MonitoredCertificates {
    private final Services services;
    private final Views views;
    private final Actions actions;

    MonitoredCertificates(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    /** Retired: it keeps its expiry status and never alarms; {@code retired} false takes it back. */
    CertificateInfo setRetired(UserScope scope, long id, boolean retired, String from) {
        String action = retired ? "certificate.retire" : "certificate.unretire";
        monitored(scope, id, from, action);
        try {
            CertificateInfo c = services.store().setRetired(id, retired, scope.user());
            views.invalidate();
            return c;
        } catch (CertificateStoreException e) {
            throw new Problem(409, "certificate " + id + ": " + e.getMessage());
        }
    }

    void delete(UserScope scope, long id, String from) {
        monitored(scope, id, from, "certificate.delete");
        try {
            services.store().deleteMonitored(id, scope.user());
            views.invalidate(); // the store audits the deletion
        } catch (CertificateStoreException e) {
            throw new Problem(409, "certificate " + id + " not deleted: " + e.getMessage());
        }
    }

    private void monitored(UserScope scope, long id, String from, String action) {
        CertificateInfo c = views.certificate(scope, id).certificate();
        actions.requireWrite(scope, from, action);
        if (c.role() != Role.MONITORED) {
            throw new Problem(409, "certificate " + id + " was issued by certwatch (" + c.role() + "): only monitored"
                    + " certificates can be retired or deleted; revoke an issued one");
        }
    }
}
