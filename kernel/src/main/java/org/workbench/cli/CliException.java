package org.workbench.cli;

/**
 * A failure of a command the user can act on; {@link Main} prints its message as one line and
 * exits with status 1 (no stack trace unless {@code --debug}).
 */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the one-line message shown to the user
     */
    public CliException(String message) {
        super(message);
    }
}
