package org.workbench;

/**
 * The one unchecked error type of the workbench API. Every failure a caller can meet through
 * {@link Workbench}, the sample store or the worker framework is a {@code WorkbenchException} or one of its
 * subclasses, each with a message that names what went wrong (worker, MD5, path, type tag) so a notebook user
 * can act on it without a stack trace.
 */
public class WorkbenchException extends RuntimeException {
    /** @param message what went wrong, naming the sample/worker/path involved */
    public WorkbenchException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the sample/worker/path involved
     * @param cause   the underlying failure (often an {@link java.io.IOException})
     */
    public WorkbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
