package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateStoreException;

/**
 * CA import (a certificate with its key as PEM, or a PKCS#12 with its password) and CA deletion
 * outside a rollover, on the store, whose guard applies: deletion is refused while the CA has
 * unexpired unrevoked certificates, a computer last authenticated with one of its certificates or a
 * rollover needs it; a server administrator (ADMINISTRATION, home group All) may force it with a
 * reason, which the store records. Both need {@code CERTIFICATES_WRITE}; the store audits them.
 */
final class CaAdmin {
    record ImportBody(String certificatePem, String keyPem, String pkcs12Base64, String password, String description,
            String homeGroup) {
    }

    record DeleteBody(String forceReason) {
    }

    private final Services services;
    private final Views views;
    private final Actions actions;

    CaAdmin(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    void apiRoutes(Router r) {
        r.on("POST", "cas/import", (ex, p) -> {
            ex.auditAs("ca.import", "ca:new");
            CaInfo ca = importCa(ex.scope, Json.read(ex.body(), ImportBody.class), ex.remote());
            ex.response.getHeaders().put("Location", Api.PREFIX + "cas/" + ca.id());
            ex.json(201, ApiJson.of(views.row(ca, views.now())));
        }).on("DELETE", "cas/*", (ex, p) -> {
            long id = Api.id(p[1], "CA");
            ex.auditAs("ca.delete", "ca:" + id);
            byte[] body = ex.body();
            CaInfo ca = delete(ex.scope, id, body.length == 0 ? new DeleteBody(null) : Json.read(body, DeleteBody.class), ex.remote());
            ex.json(200, ApiJson.of(views.row(ca, views.now())));
        });
    }

    void pageRoutes(Router r) {
        r.on("POST", "cas/import", (ex, p) -> {
            ex.auditAs("ca.import", "ca:new");
            Multipart.Form f = ex.multipart();
            String p12 = f.file() == null || f.file().length == 0 ? null : Base64.getEncoder().encodeToString(f.file());
            CaInfo ca = importCa(ex.scope, new ImportBody(f.fields().get("certificatePem"), f.fields().get("keyPem"), p12,
                    f.fields().get("password"), f.fields().get("description"), f.fields().get("homeGroup")), ex.remote());
            ex.redirect("/cas/" + ca.id());
        }).on("POST", "cas/*/delete", (ex, p) -> {
            long id = Api.id(p[1], "CA");
            ex.auditAs("ca.delete", "ca:" + id);
            String reason = ex.form().get("forceReason");
            delete(ex.scope, id, new DeleteBody(reason == null || reason.isBlank() ? null : reason), ex.remote());
            ex.redirect("/cas/" + id);
        });
    }

    CaInfo importCa(UserScope scope, ImportBody body, String from) {
        actions.requireWrite(scope, from, "ca.import");
        String group = actions.groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        byte[] certificate;
        byte[] key = null;
        if (body.pkcs12Base64() != null && !body.pkcs12Base64().isBlank()) {
            try {
                certificate = Base64.getMimeDecoder().decode(body.pkcs12Base64());
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("field 'pkcs12Base64' is not base64: " + e.getMessage());
            }
        } else if (body.certificatePem() != null && !body.certificatePem().isBlank()
                && body.keyPem() != null && !body.keyPem().isBlank()) {
            certificate = body.certificatePem().getBytes(StandardCharsets.US_ASCII);
            key = body.keyPem().getBytes(StandardCharsets.US_ASCII);
        } else {
            throw Problem.badRequest("send 'certificatePem' with 'keyPem', or 'pkcs12Base64' (with 'password')");
        }
        char[] password = body.password() == null || body.password().isEmpty() ? null : body.password().toCharArray();
        try {
            CaInfo ca = services.store().importCa(certificate, key, password,
                    body.description() == null ? "" : body.description().trim(), group, scope.user());
            views.invalidate();
            return ca;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw new Problem(422, "CA not imported: " + e.getMessage());
        }
    }

    CaInfo delete(UserScope scope, long id, DeleteBody body, String from) {
        views.ca(scope, id);
        actions.requireWrite(scope, from, "ca.delete");
        boolean forced = body.forceReason() != null && !body.forceReason().isBlank();
        if (forced && !serverAdministrator(scope)) {
            actions.audit(scope, "ca.delete", "ca:" + id, "refused: only a server administrator forces a CA deletion", from);
            throw Problem.forbidden("forcing a CA deletion needs ADMINISTRATION and the home group " + Group.ROOT).audited();
        }
        // not even forced: the server would go on presenting a certificate of a CA it no longer has (no key, no
        // CRL, not trusted on its own agent port, whose agents usually hold certificates of it too and are
        // refused at their next replication); a rollover's step 6 comes after its step 5 switched it
        services.store().serverCertificate().filter(server -> server.caId() == id).ifPresent(server -> {
            throw new Problem(409, "CA " + id + " not deleted: it issued the server certificate in use (certificate "
                    + server.id() + "); switch the server certificate to one of another CA first (/settings), or replace"
                    + " the CA with a rollover");
        });
        List<String> blockers = services.store().caDeletionBlockers(id);
        if (!forced && !blockers.isEmpty()) {
            throw new Problem(409, "CA " + id + " not deleted: " + String.join("; ", blockers)
                    + (serverAdministrator(scope) ? " (a reason forces it)" : ""));
        }
        try {
            CaInfo ca = services.store().deleteCa(id, forced ? body.forceReason().trim() : null, scope.user());
            views.invalidate();
            return ca;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw new Problem(409, "CA " + id + " not deleted: " + e.getMessage());
        }
    }

    private static boolean serverAdministrator(UserScope scope) {
        return scope.has(Permission.ADMINISTRATION) && Group.ROOT.equals(scope.homeGroup());
    }

    /** The import form for the new-CA page. */
    static String importForm(String csrf) {
        return "<h2>Import a CA</h2><form class=\"box\" method=\"post\" action=\"/cas/import\" enctype=\"multipart/form-data\">"
                + Html.csrfField(csrf)
                + "<label>Certificate (PEM)<textarea name=\"certificatePem\" rows=\"4\"></textarea></label>"
                + "<label>Private key (PEM, plain or encrypted)<textarea name=\"keyPem\" rows=\"4\"></textarea></label>"
                + "<label>or a PKCS#12 file<input type=\"file\" name=\"file\"></label>"
                + "<label>Password (of the key or the PKCS#12)<input type=\"password\" name=\"password\" autocomplete=\"off\"></label>"
                + "<label>Home group (empty: yours)<input name=\"homeGroup\"></label>"
                + "<label>Description<input name=\"description\"></label><button>Import CA</button></form>";
    }

    /** The CA page's deletion form, where it can work. */
    String deleteForm(UserScope scope, String csrf, Views.Row r) {
        CaInfo ca = r.ca();
        if (!Html.canWrite(scope) || ca.deletedAt() != null) {
            return "";
        }
        List<String> blockers = services.store().caDeletionBlockers(ca.id());
        StringBuilder b = new StringBuilder("<h2>Delete</h2><form class=\"box\" method=\"post\" action=\"/cas/")
                .append(ca.id()).append("/delete\">").append(Html.csrfField(csrf));
        if (!blockers.isEmpty()) {
            b.append("<p>Refused now: ").append(esc(String.join("; ", blockers))).append("</p>");
            if (!serverAdministrator(scope)) {
                return b.append("</form>").toString();
            }
            b.append("<label>Reason to force it (recorded)<input name=\"forceReason\" required></label>");
        }
        return b.append("<button class=\"danger\">Delete CA</button></form>").toString();
    }
}
