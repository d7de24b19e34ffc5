package org.certwatch.web.internal;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.commons.unavailable.Unavailable;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first step: makes the request's {@link Exchange} and maps every refusal of the steps after it to
 * problem+json (API, metrics, CRLs) or an error page (HTML), audited once ({@link RefusalAudit}) —
 * never a stack trace.
 */
final class ErrorAnswers extends Handler.Wrapper {
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");
    /**
     * The challenge of a 401 under /api/v1/ and /metrics. Not "Basic": a browser shown a Basic challenge
     * asks for a password and then sends it with every request to this server, also those a page
     * elsewhere makes it send. Scripts send Basic credentials without being asked (curl -u, Prometheus'
     * basic_auth), and an unknown scheme makes a browser show the problem instead of a dialog.
     */
    static final String CHALLENGE = "Basic-Preemptive realm=\"certwatch\", charset=\"UTF-8\"";

    private final Actions actions;
    private final RefusalAudit refusals;
    private final Metrics metrics;

    ErrorAnswers(Actions actions, Metrics metrics, Handler next) {
        super(next);
        this.actions = actions;
        this.refusals = new RefusalAudit(actions);
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex;
        try {
            ex = new Exchange(request, response, callback);
        } catch (RuntimeException e) {
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            response.write(true, ByteBuffer.wrap(Json.problem(400, "malformed request URI", "")), callback);
            return true;
        }
        ex.attach();
        metrics.requests.incrementAndGet();
        try {
            if (!super.handle(request, response, callback)) {
                throw Problem.notFound("page " + ex.path); // not reached: the last step answers every request
            }
        } catch (Problem p) {
            if (Problem.STORAGE_UNAVAILABLE.equals(p.type())) {
                LOG.warning("request " + ex.method + " " + ex.path + " refused: " + p.title());
            }
            fail(ex, p);
        } catch (Exception e) {
            Optional<String> unavailable = Unavailable.why(e);
            if (unavailable.isPresent()) {
                // one line, no stack: while the database is down every write says so
                LOG.warning("request " + ex.method + " " + ex.path + " refused: storage unavailable: " + unavailable.get());
                fail(ex, Problem.storageUnavailable(unavailable.get()));
            } else if (e instanceof CertificateStoreException) {
                fail(ex, Problem.badRequest(e.getMessage()));
            } else {
                LOG.log(Level.WARNING, "request " + ex.method + " " + ex.path + " failed", e);
                fail(ex, new Problem(500, "internal error; the server log has the details"));
            }
        }
        return true;
    }

    private void fail(Exchange ex, Problem p) {
        if (Problem.STORAGE_UNAVAILABLE.equals(p.type())) {
            ex.response.getHeaders().put(HttpHeader.RETRY_AFTER, Unavailable.RETRY_AFTER_SECONDS);
        }
        boolean apiPath = ex.path.startsWith(Api.PREFIX) || ex.path.equals("/metrics") || ex.path.startsWith("/crl/");
        if (p.status() != 413) {
            ex.discardUnreadBody();
        }
        if (p.status() != 415) {
            refusals.record(ex, p);
        }
        if (p.status() == 401 && ex.path.startsWith(Api.PREFIX) || p.status() == 401 && ex.path.equals("/metrics")) {
            ex.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        }
        if (p.status() == 415) {
            // refused before anything was parsed (here or when an endpoint read its body): one entry, named for it
            actions.audit(ex.scope, "content-type", ex.path, "refused: " + p.title(), ex.remote());
        }
        if (apiPath) {
            ex.problem(p);
        } else {
            ex.html(p.status(), Pages.errorPage(ex.scope, ex.session == null ? null : ex.session.csrf(), p));
        }
    }
}
