package org.certwatch.web.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.RenewRequest;

/**
 * Renewal, as the console's {@code renew} does it: a successor with a new key from the same CA, same
 * role, host, subject and group, which the store links to its predecessor ({@code successorId}) so
 * the old one stops alarming. Only for certificates certwatch issued and not yet renewed; needs
 * {@code CERTIFICATES_WRITE}. The store audits it.
 */
final class Renewals {
    record Body(String notAfter) {
    }

    private final Services services;
    private final Views views;
    private final Actions actions;

    Renewals(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    void apiRoutes(Router r) {
        r.on("POST", "certificates/*/renew", (ex, p) -> {
            long id = Api.id(p[1], "certificate");
            ex.auditAs("certificate.renew", "certificate:" + id);
            byte[] body = ex.body();
            CertificateInfo next = renew(ex.scope, id, body.length == 0 ? new Body(null) : Json.read(body, Body.class), ex.remote());
            ex.response.getHeaders().put("Location", Api.PREFIX + "certificates/" + next.id());
            ex.json(201, ApiJson.of(views.row(next, views.now())));
        });
    }

    void pageRoutes(Router r) {
        r.on("POST", "certificates/*/renew", (ex, p) -> {
            long id = Api.id(p[1], "certificate");
            ex.auditAs("certificate.renew", "certificate:" + id);
            CertificateInfo next = renew(ex.scope, id, new Body(ex.form().get("notAfter")), ex.remote());
            ex.redirect("/certificates/" + next.id());
        });
    }

    CertificateInfo renew(UserScope scope, long id, Body body, String from) {
        CertificateInfo c = views.certificate(scope, id).certificate();
        actions.requireWrite(scope, from, "certificate.renew");
        if (!renewable(c)) {
            throw new Problem(409, c.successorId() != 0 ? "certificate " + id + " was renewed already, by certificate " + c.successorId()
                    : "certificate " + id + " was not issued by certwatch: upload its successor with replaces=" + id + " instead");
        }
        Instant notAfter = null;
        if (body.notAfter() != null && !body.notAfter().isBlank()) {
            try {
                notAfter = Instant.parse(body.notAfter().trim());
            } catch (DateTimeParseException e) {
                throw Problem.badRequest("field 'notAfter' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
        try {
            CertificateInfo next = services.store().renew(id, new RenewRequest(null, notAfter, true), scope.user());
            views.invalidate();
            return next;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw new Problem(409, "certificate " + id + " not renewed: " + e.getMessage());
        }
    }

    /** Issued here (a CA of ours signed it), not monitored only, and without a successor yet. */
    static boolean renewable(CertificateInfo c) {
        return c.caId() != 0 && c.role() != Role.MONITORED && c.successorId() == 0;
    }

    /** The certificate page's renewal form, where it can work. */
    String form(UserScope scope, String csrf, Views.Row r) {
        CertificateInfo c = r.certificate();
        if (!Html.canWrite(scope) || !renewable(c)) {
            return c.successorId() != 0 ? "<p>Renewed by <a href=\"/certificates/" + c.successorId() + "\">certificate "
                    + c.successorId() + "</a>.</p>" : "";
        }
        return "<h2>Renew</h2><form class=\"box\" method=\"post\" action=\"/certificates/" + c.id() + "/renew\">"
                + Html.csrfField(csrf) + "<p>A successor with a new key from the same CA; this certificate stops alarming.</p>"
                + "<label>Valid until (ISO-8601, empty: the default validity)<input name=\"notAfter\" placeholder=\""
                + "2027-01-31T00:00:00Z\"></label><button>Renew</button></form>";
    }
}
