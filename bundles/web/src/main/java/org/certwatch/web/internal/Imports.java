package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;

/**
 * Uploads of certificates to monitor (PEM, DER, PKCS#12, as the store reads them; the kind recognised from
 * the content), from the API's raw body and the page's form alike: into a group the caller may write,
 * optionally as the successor of a monitored certificate it can see.
 */
final class Imports {
    /** Where an upload's password travels: a header, so it never lands in a URL, a log line or a history. */
    static final String PASSWORD_HEADER = "X-Certwatch-Password";

    /** What an upload stored, and what of it the store had. */
    record Imported(List<Views.Row> imported, List<ApiJson.AlreadyPresent> alreadyPresent) {
        ApiJson.ImportAnswer json() {
            return new ApiJson.ImportAnswer(imported.stream().map(ApiJson::certificate).toList(), alreadyPresent);
        }
    }

    /** What one upload gave. */
    record Upload(byte[] data, char[] password, String group, String replaces) {
    }

    private final Services services;
    private final Views views;
    private final Actions actions;

    Imports(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    /** The API's upload: the body, the password header, {@code ?group=} and {@code ?replaces=}. */
    static Upload of(Exchange ex) {
        if (ex.query.containsKey("password")) {
            throw Problem.badRequest("a password never goes in the URL: send it in the " + PASSWORD_HEADER
                    + " header (and change it if it was a real one)");
        }
        String password = ex.request.getHeaders().get(PASSWORD_HEADER);
        return new Upload(ex.fileBody(), password == null ? null : password.toCharArray(), ex.param("group"),
                ex.param("replaces"));
    }

    Imported run(UserScope scope, Upload upload, String from) {
        actions.requireWrite(scope, from, "certificate.import");
        String group = actions.groups.orHome(scope, upload.group(), "group");
        Long replaces = replaces(scope, upload.replaces());
        if (upload.data() == null || upload.data().length == 0) {
            throw Problem.badRequest("the upload is empty: send a PEM, DER or PKCS#12 file");
        }
        ImportResult result;
        try {
            result = services.store().importCertificates(upload.data(), upload.password(),
                    new ImportOptions(null, null, group, replaces), scope.user());
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw new Problem(422, "nothing imported: " + e.getMessage());
        }
        views.invalidate();
        actions.audit(scope, "web.certificate.import", "group:" + group, "ok: " + result.imported().size()
                + " imported, " + result.alreadyPresent().size() + " already present"
                + (replaces == null ? "" : ", replaces certificate " + replaces), from);
        return new Imported(result.imported().stream().map(c -> views.row(c, views.now())).toList(),
                visible(scope, result.alreadyPresent()));
    }

    /** The monitored certificate an upload replaces: one the caller sees; an issued one cannot be. */
    private Long replaces(UserScope scope, String text) {
        if (text == null) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Problem.badRequest("replaces must be a certificate id (a whole number), not '" + text + "'");
        }
        Views.Row old = views.certificate(scope, id);
        if (old.certificate().role() != Role.MONITORED) {
            throw new Problem(409, "certificate " + id + " was issued by certwatch: renew it instead; an upload"
                    + " can replace only a monitored certificate");
        }
        return id;
    }

    /** Ids the caller cannot see are left out: an upload must not reveal what other groups hold. */
    private List<ApiJson.AlreadyPresent> visible(UserScope scope, List<ImportResult.AlreadyPresent> present) {
        return present.stream().map(p -> new ApiJson.AlreadyPresent(p.subject(), p.fingerprint(),
                p.certificateId() != 0 && services.store().certificate(p.certificateId())
                        .filter(c -> scope.seesCertificatesOf(c.homeGroup())).isPresent() ? p.certificateId() : 0,
                p.caId() != 0 && services.store().ca(p.caId())
                        .filter(c -> scope.seesCertificatesOf(c.homeGroup())).isPresent() ? p.caId() : 0))
                .toList();
    }
}
