package org.certwatch.web.internal;

import org.certwatch.commons.unavailable.Unavailable;

/**
 * A request refused with an HTTP status and an RFC 9457 problem: {@code title} says what to fix.
 * Thrown anywhere in request handling; the handler turns it into {@code application/problem+json}
 * (API) or an error page (HTML) and nothing has changed. A refused state-changing request is audited
 * once, by {@link RefusalAudit}, unless the code that refused it wrote a more precise entry itself and
 * said so with {@link #audited()}.
 */
final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** RFC 9457's default: the status says it all. */
    static final String BLANK = "about:blank";
    /**
     * The type of a write refused because the storage cannot be reached (database down, backend bundle
     * removed): nothing changed, the same request may succeed later. A name, not a page: scripts compare it.
     */
    static final String STORAGE_UNAVAILABLE = "urn:certwatch:problem:storage-unavailable";
    private final int status;
    private final String type;
    private final boolean audited;

    Problem(int status, String title) {
        this(status, BLANK, title, false);
    }

    private Problem(int status, String type, String title, boolean audited) {
        super(title, null, false, false);
        this.status = status;
        this.type = type;
        this.audited = audited;
    }

    int status() {
        return status;
    }

    String title() {
        return getMessage();
    }

    String type() {
        return type;
    }

    /** This refusal, already in the audit log. */
    Problem audited() {
        return new Problem(status, type, title(), true);
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

    /** 503: the storage did not take the write (the caller adds {@code Retry-After}); nothing was changed. */
    static Problem storageUnavailable(String why) {
        return new Problem(503, STORAGE_UNAVAILABLE, Unavailable.said(why), false);
    }

    /**
     * 503 for a service that is gone with its bundle, or with the backend it keeps its state in (the fleet, the
     * monitor, the mail and snmp settings, the locations): the same type and {@code Retry-After} as a write the
     * storage did not take, as it comes back by itself when the bundle or backend returns. Not for an optional
     * feature that is simply not deployed, which no waiting brings.
     */
    static Problem unavailable(String what) {
        return storageUnavailable(what);
    }

    static Problem forbidden(String title) {
        return new Problem(403, title);
    }
}
