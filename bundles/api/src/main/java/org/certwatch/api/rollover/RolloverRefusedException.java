package org.certwatch.api.rollover;

import java.util.List;

/** A step (or request) refused; {@link #blockers()} name the computers or certificates in the way. */
public class RolloverRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> blockers;

    public RolloverRefusedException(String message, List<String> blockers) {
        super(blockers.isEmpty() ? message : message + ": " + String.join("; ", blockers));
        this.blockers = List.copyOf(blockers);
    }

    public List<String> blockers() {
        return blockers;
    }
}
