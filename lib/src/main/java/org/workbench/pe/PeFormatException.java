package org.workbench.pe;

/**
 * The bytes are not a PE image this package can read: too short, wrong DOS or PE magic, an unknown optional
 * header magic, or headers that lie past the end of the file. The message names the problem and, where it
 * helps, the offending offset or value.
 */
public final class PeFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the bytes */
    public PeFormatException(String message) {
        super(message);
    }
}
