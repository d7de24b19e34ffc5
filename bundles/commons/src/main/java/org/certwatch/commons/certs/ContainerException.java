package org.certwatch.commons.certs;

/** A container refused: its message names the input (the {@code what} it was read as) and says what is wrong. */
public final class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ContainerProblem problem;

    public ContainerException(ContainerProblem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public ContainerException(ContainerProblem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public ContainerProblem problem() {
        return problem;
    }
}
