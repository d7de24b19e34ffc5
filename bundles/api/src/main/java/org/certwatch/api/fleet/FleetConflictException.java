package org.certwatch.api.fleet;

/**
 * A refused fleet change whose request was valid but collides with what exists: a policy a running
 * rollover still needs, a group name already taken. Callers answer it as a conflict (HTTP 409), not as
 * bad input; like every refusal it changes nothing.
 */
public class FleetConflictException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public FleetConflictException(String message) {
        super(message);
    }
}
