package org.certwatch.web.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The last step: the metrics, the API or a page, each with its own route table. A blocking handler (the
 * default of {@link Handler.Abstract}), so the chain in front of it is one too: the routes read bodies
 * and call the store on the request's thread.
 */
final class Dispatch extends Handler.Abstract {
    private final Metrics metrics;
    private final Api api;
    private final Pages pages;

    Dispatch(Metrics metrics, Api api, Pages pages) {
        this.metrics = metrics;
        this.api = api;
        this.pages = pages;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = Exchange.of(request);
        if (ex.path.equals("/metrics")) {
            if (!ex.isGet()) {
                throw new Problem(405, "use GET for /metrics");
            }
            ex.stream(Metrics.CONTENT_TYPE, metrics.render(ex.scope));
        } else if (ex.path.startsWith(Api.PREFIX)) {
            api.handle(ex);
        } else {
            pages.handle(ex);
        }
        return true;
    }
}
