package org.certwatch.web.internal;

/**
 * A request refused with an HTTP status and an RFC 9457 problem: {@code title} says what to fix.
 * Thrown anywhere in request handling; the handler turns it into {@code application/problem+json}
 * (API) or an error page (HTML) and nothing has changed. A refused state-changing request is audited
 * once, by {@link RefusalAudit}, unless the code that refused it wrote a more precise entry itself and
 * said so with {@link #audited()}.
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean audited;

    Problem(int status, String title) {
        this(status, title, false);
    }

    private Problem(int status, String title, boolean audited) {
        super(title, null, false, false);
        this.status = status;
        this.audited = audited;
    }

    int status() {
        return status;
    }

    String title() {
        return getMessage();
    }

    /** This refusal, already in the audit log. */
    Problem audited() {
        return new Problem(status, title(), true);
    }

    boolean isAudited() {
        return audited;
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
