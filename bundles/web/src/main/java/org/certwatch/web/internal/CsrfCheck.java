package org.certwatch.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;

/**
 * What a state change must carry once authenticated: an API body of a type the API reads, and, when
 * made with the session cookie, the session's CSRF token.
 */
final class CsrfCheck extends ExchangeStep {
    static final String CSRF_HEADER = "X-CSRF-Token";

    private final Actions actions;

    CsrfCheck(Actions actions, Handler next) {
        super(next);
        this.actions = actions;
    }

    @Override
    boolean handle(Exchange ex) {
        if (ex.path.startsWith(Api.PREFIX) && !ex.isGet()) {
            String type = ex.header(HttpHeader.CONTENT_TYPE);
            if (type != null && !ApiBodyTypes.accepted(ApiBodyTypes.mediaType(type))) {
                throw ApiBodyTypes.unsupported(type);
            }
        }
        if (ex.session != null && !ex.isGet()) {
            verify(ex, actions);
        }
        return false;
    }

    /**
     * The session's token, in the X-CSRF-Token header or a form's csrf field (a page's upload form posts
     * multipart); 403 (audited) without it.
     */
    static void verify(Exchange ex, Actions actions) {
        String sent = ex.request.getHeaders().get(CSRF_HEADER);
        if (sent == null) {
            String type = ex.header(HttpHeader.CONTENT_TYPE);
            if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                sent = ex.form().get("csrf");
            } else if (type != null && type.toLowerCase().startsWith("multipart/form-data") && !ex.path.startsWith(Api.PREFIX)) {
                sent = ex.multipart().fields().get("csrf");
            }
        }
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                ex.session.csrf().getBytes(StandardCharsets.UTF_8))) {
            actions.audit(ex.scope, "csrf", ex.path, "refused: " + (sent == null ? "missing" : "wrong") + " CSRF token",
                    ex.remote());
            throw Problem.forbidden((sent == null ? "missing" : "wrong")
                    + " CSRF token: send the session's token in the X-CSRF-Token header or the form's csrf field").audited();
        }
    }
}
