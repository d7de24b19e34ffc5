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
        String title = title(status, request.getAttribute(ErrorHandler.ERROR_MESSAGE));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(Json.problem(status, title, "")), callback);
        return true;
    }

    static String title(int status, Object message) {
        if (status == 414 || status == 431) {
            // the same words for HTTP/1.1 (Jetty's parser) and HTTP/2 (HeaderLimit)
            return (status == 414 ? "request URI too long" : "request headers too large") + ": the request line and"
                    + " headers may take at most " + HeaderLimit.REQUEST_HEADER_SIZE + " bytes";
        }
        if (status >= 500) {
            return "internal error; the server log has the details";
        }
        if (status != 400) {
            return message == null ? "request refused" : message.toString();
        }
        String said = message == null ? "malformed request" : message.toString();
        if (said.startsWith("Illegal header value")) {
            // Jetty quotes the value, which may be an Authorization header's credentials: never echo them
            return "bad request: a header value holds a character HTTP does not allow (a control character)";
        }
        // the hint belongs to Jetty's refusals of a URI, not to a bad header or body
        return "bad request: " + said + (said.contains("URI") || said.contains("path")
                ? " (paths must not contain '..' or encoded separators)" : "");
    }
}
