package org.certwatch.web.internal;

/**
 * A request refused with an HTTP status and an RFC 9457 problem: {@code title} says what to fix.
 * Thrown anywhere in request handling; the handler turns it into {@code application/problem+json}
 * (API) or an error page (HTML) and nothing has changed.
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Problem(int status, String title) {
        super(title, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    String title() {
        return getMessage();
    }

    static Problem badRequest(String title) {
        return new Problem(400, title);
    }

    static Problem notFound(String what) {
        return new Problem(404, what + " not found");
    }

    static Problem forbidden(String title) {
        return new Problem(403, title);
    }
}
