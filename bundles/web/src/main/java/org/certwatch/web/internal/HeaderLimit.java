package org.certwatch.web.internal;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One limit on a request's line and headers for HTTP/1.1 and HTTP/2, with the same answers: 414 when
 * the request line alone is too long, 431 when it and the headers are (problem+json, by
 * {@link ProblemErrorHandler}).
 *
 * <p>Jetty's HTTP/1.1 parser counts the bytes as they arrive and answers 414/431 itself. HTTP/2 counts
 * differently (HPACK adds 32 octets per field, and the pseudo-headers) and a header list past its limit
 * ends the whole connection with GOAWAY(PROTOCOL_ERROR). So HTTP/2 decodes up to
 * {@link #HTTP2_DECODE_SIZE}, more than any header list HTTP/1.1 would accept can take there, and this
 * handler measures each HTTP/2 request as HTTP/1.1 would have sent it.
 */
final class HeaderLimit extends Handler.Wrapper {
    /** Request line and headers, in bytes as HTTP/1.1 sends them: an 8 KiB header fits beside the usual ones. */
    static final int REQUEST_HEADER_SIZE = 16 * 1024;
    /**
     * HTTP/2's own limit (its SETTINGS_MAX_HEADER_LIST_SIZE): the smallest HTTP/1.1 field ("a: b", 6 bytes)
     * counts 34 in HPACK's terms, so a list HTTP/1.1 accepts needs up to about 6 times its size. Past this
     * an HTTP/2 client gets GOAWAY, as the protocol has it.
     */
    static final int HTTP2_DECODE_SIZE = 8 * REQUEST_HEADER_SIZE;

    HeaderLimit(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2) {
            int status = status(request);
            if (status != 0) {
                Response.writeError(request, response, callback, status);
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    /** 414, 431 or 0 (within the limit) for this request's line and headers counted as HTTP/1.1 bytes. */
    static int status(Request request) {
        String target = request.getHttpURI().getPathQuery();
        long line = request.getMethod().length() + 1L + (target == null ? 1 : target.length());
        if (line > REQUEST_HEADER_SIZE) {
            return 414;
        }
        long size = line + " HTTP/1.1\r\n".length() + 2; // and the empty line that ends the headers
        boolean host = false;
        for (HttpField field : request.getHeaders()) {
            size += field.getName().length() + 2 + (field.getValue() == null ? 0 : field.getValue().length()) + 2;
            host |= field.getHeader() == HttpHeader.HOST;
        }
        if (!host && request.getHttpURI().getAuthority() != null) {
            size += "Host: \r\n".length() + request.getHttpURI().getAuthority().length();
        }
        return size > REQUEST_HEADER_SIZE ? 431 : 0;
    }
}
