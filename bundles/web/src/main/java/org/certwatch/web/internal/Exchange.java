package org.certwatch.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.certwatch.api.fleet.UserScope;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** One request and its response: parsed parameters, the bounded body, and the ways to answer. */
final class Exchange {
    static final int MAX_BODY = 1 << 20;
    /** How much of an oversized body is read and dropped so the client sees the 413 (see tooLarge). */
    static final long DRAIN_LIMIT = 8L * MAX_BODY;
    static final String SESSION_COOKIE = "CW_SESSION";
    private static final String ATTRIBUTE = Exchange.class.getName();

    final Request request;
    final Response response;
    final Callback callback;
    final String method;
    final String path;
    final Map<String, String> query;
    /** Set once the request is authenticated. */
    UserScope scope;
    Sessions.Session session;
    /** What the request changes, named by its route for the audit entry of a refusal ({@link RefusalAudit}). */
    String auditAction;
    String auditTarget;
    private byte[] body;
    private Multipart.Form multipart;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.method = request.getMethod();
        String p = request.getHttpURI().getDecodedPath();
        this.path = p == null || p.isEmpty() ? "/" : p;
        this.query = parse(request.getHttpURI().getQuery());
    }

    /** The exchange {@link ErrorAnswers} made for this request, for the steps after it. */
    static Exchange of(Request request) {
        return (Exchange) request.getAttribute(ATTRIBUTE);
    }

    void attach() {
        request.setAttribute(ATTRIBUTE, this);
    }

    /** Names what this request changes before anything can refuse it, so its refusal is audited under that name. */
    void auditAs(String action, String target) {
        auditAction = action;
        auditTarget = target;
    }

    String remote() {
        return Request.getRemoteAddr(request);
    }

    String header(HttpHeader name) {
        return request.getHeaders().get(name);
    }

    String cookie(String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    String param(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    boolean isGet() {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    /**
     * The request body, at most 1 MiB; larger bodies are refused with 413 before anything is parsed.
     * Every API endpoint that reads a body reads JSON, except uploads ({@link #fileBody}): under
     * {@code /api/v1/} a body in another type or without one is refused with 415 (CrossSiteCheck has
     * refused the types browsers send cross-site already).
     */
    byte[] body() {
        byte[] read = rawBody();
        String type = header(HttpHeader.CONTENT_TYPE);
        if (read.length > 0 && path.startsWith(Api.PREFIX) && !ApiBodyTypes.JSON.equals(ApiBodyTypes.mediaType(type))) {
            throw ApiBodyTypes.unsupported(type);
        }
        return read;
    }

    /** An uploaded file as the body (at most 1 MiB), in one of {@link ApiBodyTypes#FILES}; 415 otherwise. */
    byte[] fileBody() {
        String type = header(HttpHeader.CONTENT_TYPE);
        if (!ApiBodyTypes.FILES.contains(ApiBodyTypes.mediaType(type))) {
            throw ApiBodyTypes.unsupportedFile(type);
        }
        return rawBody();
    }

    /** A page's multipart/form-data post (an upload form), parsed once from the bounded body. */
    Multipart.Form multipart() {
        if (multipart == null) {
            multipart = Multipart.parse(rawBody(), header(HttpHeader.CONTENT_TYPE));
        }
        return multipart;
    }

    private byte[] rawBody() {
        if (body != null) {
            return body;
        }
        long declared = request.getLength();
        try (InputStream in = Request.asInputStream(request)) {
            if (declared > MAX_BODY) {
                throw tooLarge(declared <= DRAIN_LIMIT ? in : InputStream.nullInputStream());
            }
            byte[] read = in.readNBytes(MAX_BODY + 1);
            if (read.length > MAX_BODY) {
                throw tooLarge(in);
            }
            body = read;
            return body;
        } catch (IOException e) {
            throw Problem.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    /**
     * Reads and drops a body no one read, before a refusal is answered: a body left unread makes the
     * connection unusable, and a client that reuses it (the JDK's HttpClient) would fail its next request.
     */
    void discardUnreadBody() {
        long declared = request.getLength();
        if (body != null || declared <= 0 || declared > MAX_BODY) {
            return;
        }
        try (InputStream in = Request.asInputStream(request)) {
            in.skipNBytes(declared);
        } catch (IOException | RuntimeException e) {
            // the connection goes down with it; the answer is still sent
        }
    }

    /**
     * Drops up to {@link #DRAIN_LIMIT} of an oversized body before answering: a client that sends its
     * whole body before it reads (the JDK's HttpClient does) then gets the 413 instead of a connection
     * reset. Anything larger is cut off and Jetty closes the connection.
     */
    private static Problem tooLarge(InputStream in) throws IOException {
        byte[] sink = new byte[16 * 1024];
        long left = DRAIN_LIMIT;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0;) {
            left -= n;
        }
        return new Problem(413, "request body too large: at most " + MAX_BODY + " bytes (1 MiB)");
    }

    /** The url-encoded form fields of a POST. */
    Map<String, String> form() {
        String type = header(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            throw new Problem(415, "send the form as application/x-www-form-urlencoded");
        }
        return parse(new String(body(), StandardCharsets.UTF_8));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                throw Problem.badRequest("malformed URL encoding in '" + pair + "'");
            }
        }
        return fields;
    }

    void send(int status, String contentType, byte[] content) {
        byte[] gzip = acceptsGzip() && content.length >= 8192 ? Body.gzip(content, Deflater.BEST_SPEED) : null;
        send(status, contentType, new Body(content, gzip));
    }

    /**
     * Sends the body, its gzip form when it has one and the client accepts gzip. Bodies made per
     * request are compressed only when large (API pages, metrics, long lists) and at the fastest
     * level; cached ones ({@link Body#of}) were compressed once.
     */
    void send(int status, String contentType, Body body) {
        byte[] content = body.plain();
        if (body.gzip() != null) {
            response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
            if (acceptsGzip()) {
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                content = body.gzip();
            }
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
        if ("HEAD".equals(method)) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(content), callback);
        }
    }

    /** An answer produced into a stream as it goes (see {@link #stream}); it buffers what it writes itself. */
    interface Producer {
        void write(java.io.OutputStream out) throws IOException;
    }

    /**
     * A 200 written while it is produced (chunked), gzip-compressed when the client accepts it, so a very
     * large answer costs a buffer's worth of memory instead of its size several times over. Once the first
     * bytes are out a failure can only abort the response.
     */
    void stream(String contentType, Producer body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        boolean gzip = acceptsGzip();
        if (gzip) {
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
            response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        }
        if ("HEAD".equals(method)) {
            response.write(true, null, callback);
            return;
        }
        try (java.io.OutputStream raw = org.eclipse.jetty.io.Content.Sink.asOutputStream(response);
                java.io.OutputStream out = gzip ? fastGzip(raw, 1 << 16) : raw) {
            body.write(out);
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private boolean acceptsGzip() {
        String accept = header(HttpHeader.ACCEPT_ENCODING);
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    }

    private static java.util.zip.GZIPOutputStream fastGzip(java.io.OutputStream out, int buffer) throws IOException {
        return new java.util.zip.GZIPOutputStream(out, buffer) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    void html(int status, String html) {
        pageHeaders();
        send(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    /** A page rendered earlier (see {@link RenderCache}). */
    void html(int status, Body page) {
        pageHeaders();
        send(status, "text/html; charset=utf-8", page);
    }

    private void pageHeaders() {
        response.getHeaders().put("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'");
        response.getHeaders().put("X-Frame-Options", "DENY");
    }

    void json(int status, Object value) {
        send(status, "application/json", Json.write(value));
    }

    void problem(Problem p) {
        send(p.status(), "application/problem+json", Json.problem(p.type(), p.status(), p.title(), path));
    }

    void download(String contentType, String fileName, byte[] content) {
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
        send(200, contentType, content);
    }

    void redirect(String location) {
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, location);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, null, callback);
    }

    void setCookie(String value, boolean clear) {
        // Secure, HttpOnly, SameSite=Strict: never over plain HTTP, never to scripts, never cross-site
        response.getHeaders().add(HttpHeader.SET_COOKIE, SESSION_COOKIE + "=" + (clear ? "" : value)
                + "; Path=/; Secure; HttpOnly; SameSite=Strict" + (clear ? "; Max-Age=0" : ""));
    }
}
