package org.workbench.kernel;

import java.util.List;

/**
 * A failed cell in the shape of a Jupyter error: the fields of an {@code error} output and of an
 * {@code execute_reply} with status {@code error} (Jupyter messaging protocol, "Execution errors").
 *
 * @param ename error name: {@code CompileError}, {@code Interrupted}, {@code UnresolvedReference}
 *              or the Java class name of the exception thrown by the cell
 * @param evalue one-line message
 * @param traceback lines to show the user: the message, the failing cell line(s) and for
 *                  exceptions the stack frames of notebook code; plain text, no newlines inside
 */
public record CellError(String ename, String evalue, List<String> traceback) {
    /** Error name of cells rejected by the compiler. */
    public static final String COMPILE_ERROR = "CompileError";
    /** Error name of cells stopped by an interrupt or a timeout. */
    public static final String INTERRUPTED = "Interrupted";
    /** Error name of calls to code whose dependencies are not declared yet. */
    public static final String UNRESOLVED = "UnresolvedReference";

    /**
     * Copies the traceback.
     *
     * @param ename error name
     * @param evalue one-line message
     * @param traceback lines shown to the user
     */
    public CellError {
        traceback = List.copyOf(traceback);
    }
}
