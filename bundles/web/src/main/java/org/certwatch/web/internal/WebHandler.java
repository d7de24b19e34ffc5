package org.certwatch.web.internal;

import java.time.Duration;
import org.eclipse.jetty.server.Handler;

/**
 * The request chain, in one place and in its order: refusals to answers, the cross-site check on every
 * state-changing request, the public files (stylesheet, CRLs), login and logout, authentication, the
 * API's body types and the CSRF token, then the metrics, API and page routes.
 */
final class WebHandler extends Handler.Wrapper {
    private final Views views;
    private final Metrics metrics;
    private final SessionChecks sessionChecks;

    WebHandler(Services services, Sessions sessions, VerifiedCredentials credentials, CrossSiteGuard crossSite,
            Duration fallbackWarning, boolean publicMetrics) {
        this.views = new Views(services, fallbackWarning);
        Actions actions = new Actions(services, views);
        Notifications notifications = new Notifications(services, actions);
        Settings settings = new Settings(services, views, actions);
        SourceActions sources = SourceActions.of(services, views, actions);
        this.metrics = new Metrics(views, services);
        Logins logins = new Logins(services, sessions, credentials, actions, metrics);
        this.sessionChecks = new SessionChecks(services, sessions, credentials, actions);
        UserAdmin userAdmin = new UserAdmin(services, actions, logins, sessionChecks);
        Enrolments enrolments = new Enrolments(services, actions);
        Renewals renewals = new Renewals(services, views, actions);
        CaAdmin cas = new CaAdmin(services, views, actions);
        PolicyAdmin policies = new PolicyAdmin(services, actions);
        Api api = new Api(services, views, actions, notifications, settings, new SourcesApi(views, sources),
                new AdminApi(services, userAdmin, enrolments, renewals, cas, policies));
        Pages pages = new Pages(views, actions, api, new NotificationPages(notifications), new SettingsPages(settings),
                new SourcePages(views, sources), new AdminPages(services, userAdmin, enrolments, renewals, cas, policies, views));
        Handler routes = new Dispatch(metrics, api, pages);
        Handler checked = new CsrfCheck(actions, routes);
        Handler authenticated = new Authentication(sessions, sessionChecks, logins, publicMetrics, checked);
        Handler login = new LoginPage(logins, sessions, sessionChecks, actions, metrics, authenticated);
        Handler files = new PublicFiles(services, login);
        Handler sameSite = new CrossSiteCheck(crossSite, logins, actions, files);
        setHandler(new ErrorAnswers(actions, metrics, sameSite));
    }

    Metrics metrics() {
        return metrics;
    }

    /**
     * The fleet changed a user (here, on the console or on another server): their sessions that may no
     * longer act end now, their verified Basic credentials are checked again.
     */
    void userChanged(String user) {
        sessionChecks.recheck(user);
    }

    /** A store, fleet or clock change: cached lists and dashboards are recomputed. */
    void invalidate() {
        views.invalidate();
    }
}
