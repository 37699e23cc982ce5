package org.workbench;

/**
 * A request was malformed before anything was done: a null or blank filename, a type tag or worker name with
 * forbidden characters, a string that is not an MD5 (32 hex digits), an unknown worker setting. Nothing stored
 * is changed when this is thrown.
 */
public class InvalidInputException extends WorkbenchException {
    /** @param message which input was wrong and what was expected */
    public InvalidInputException(String message) {
        super(message);
    }
}
