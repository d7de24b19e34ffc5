package org.certwatch.web.internal;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One step of the request chain ({@link WebHandler} puts them in order): it answers the request itself,
 * refuses it by throwing a {@link Problem}, or passes it on to the next step.
 */
abstract class ExchangeStep extends Handler.Wrapper {
    ExchangeStep(Handler next) {
        super(next);
    }

    @Override
    public final boolean handle(Request request, Response response, Callback callback) throws Exception {
        return handle(Exchange.of(request)) || super.handle(request, response, callback);
    }

    /** @return whether this step answered the request (else the next step gets it) */
    abstract boolean handle(Exchange ex);
}
