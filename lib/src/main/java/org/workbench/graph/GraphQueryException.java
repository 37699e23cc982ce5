package org.workbench.graph;

import org.workbench.WorkbenchException;

/**
 * A Cypher statement was rejected or failed: a syntax error, an unknown function, a missing parameter, a
 * constraint violation. The message names the statement (shortened) and the database's explanation;
 * {@link #code()} is the Neo4j status code (e.g. {@code Neo.ClientError.Statement.SyntaxError}).
 */
public class GraphQueryException extends WorkbenchException {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param message the statement and the database's explanation
     * @param code the Neo4j status code, or null
     * @param cause the driver's exception
     */
    public GraphQueryException(String message, String code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return the Neo4j status code, e.g. {@code Neo.ClientError.Statement.SyntaxError}; may be null */
    public String code() {
        return code;
    }
}
