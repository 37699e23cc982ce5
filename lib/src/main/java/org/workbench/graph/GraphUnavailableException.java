package org.workbench.graph;

import org.workbench.WorkbenchException;

/**
 * The graph store cannot be used: the configured server is unreachable, refuses the credentials, or the
 * embedded database cannot start (e.g. its directory is locked by another process). The message names the URI
 * (or directory) and the cause.
 */
public class GraphUnavailableException extends WorkbenchException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the URI or directory and the cause
     * @param cause the driver's or database's exception
     */
    public GraphUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
