package org.certwatch.launcher;

/** A start-up problem the user must fix; its message is printed without a stack trace. */
final class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LauncherException(String message) {
        super(message);
    }

    LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
