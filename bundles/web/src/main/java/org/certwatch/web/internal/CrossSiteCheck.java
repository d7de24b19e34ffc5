package org.certwatch.web.internal;

import java.util.Set;
import org.certwatch.api.fleet.UserScope;
import org.eclipse.jetty.server.Handler;

/**
 * A state-changing request a browser sent for a page of another site is refused whatever its
 * credentials, before any password is checked (see {@link CrossSiteGuard}).
 */
final class CrossSiteCheck extends ExchangeStep {
    private final CrossSiteGuard guard;
    private final Logins logins;
    private final Actions actions;

    CrossSiteCheck(CrossSiteGuard guard, Logins logins, Actions actions, Handler next) {
        super(next);
        this.guard = guard;
        this.logins = logins;
        this.actions = actions;
    }

    @Override
    boolean handle(Exchange ex) {
        if (ex.isGet()) {
            return false;
        }
        String refusal = guard.refusal(ex.request);
        if (refusal == null) {
            return false;
        }
        actions.audit(new UserScope(logins.claimedUser(ex), "", Set.of()), "csrf", ex.path, "refused: " + refusal,
                ex.remote());
        throw Problem.forbidden(refusal + ": state changes are accepted only from this server's own pages"
                + " (or an origin in allowed.origins) and from scripts").audited();
    }
}
