package org.certwatch.web.internal;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place a refused state-changing request reaches the audit log: every problem answered to a
 * signed-in caller's POST, PUT, PATCH or DELETE — malformed JSON, a wrong type, an unknown field or
 * group, a body over 1 MiB, a store's refusal — with the actor, what the request's route named
 * ({@link Exchange#auditAs}, else the method and path), the remote address and the problem's title.
 * A refusal its own code audited with more detail ({@link Problem#audited()}) is not written again.
 * Requests without valid credentials are not written: anyone could fill the disk with them at no cost
 * (failed logins are audited by the login check, which costs a password hash each).
 */
final class RefusalAudit {
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Titles repeat what the client sent (a field name, a group): the log keeps a bounded part. */
    static final int MAX_TEXT = 300;

    private final Actions actions;

    RefusalAudit(Actions actions) {
        this.actions = actions;
    }

    void record(Exchange ex, Problem p) {
        if (p.isAudited() || ex.scope == null || !CHANGING.contains(ex.method)) {
            return;
        }
        String action = ex.auditAction != null ? ex.auditAction : "web.request";
        String target = ex.auditTarget != null ? ex.auditTarget : ex.method + " " + ex.path;
        String outcome = (p.status() >= 500 ? "failed: " : "refused: ") + p.title();
        try {
            actions.audit(ex.scope, bounded(action), bounded(target), bounded(outcome), ex.remote());
        } catch (RuntimeException e) {
            // the client still gets its answer; the log says which refusal the audit log missed
            LOG.log(Level.WARNING, "audit log refused the entry for " + ex.method + " " + bounded(ex.path) + " ("
                    + bounded(outcome) + "): " + e.getMessage());
        }
    }

    private static String bounded(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, cut) + "…";
    }
}
