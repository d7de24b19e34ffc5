package org.certwatch.web.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals (an ambiguous or traversing URI, a bad header, a request too large) as
 * problem+json too, never Jetty's HTML page with a stack trace.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() <= 0 ? 500 : response.getStatus();
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        String title = status == 400 ? "bad request: " + (message == null ? "malformed request" : message)
                + " (paths must not contain '..' or encoded separators)"
                : message == null ? "request refused" : message.toString();
        if (status == 414 || status == 431) {
            // the same words for HTTP/1.1 (Jetty's parser) and HTTP/2 (HeaderLimit)
            title = (status == 414 ? "request URI too long" : "request headers too large") + ": the request line and"
                    + " headers may take at most " + HeaderLimit.REQUEST_HEADER_SIZE + " bytes";
        }
        if (status >= 500) {
            title = "internal error; the server log has the details";
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(Json.problem(status, title, "")), callback);
        return true;
    }
}
