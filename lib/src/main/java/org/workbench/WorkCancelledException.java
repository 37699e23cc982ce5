package org.workbench;

/**
 * A work request was cancelled (its thread was interrupted or its cancellation check turned true) before it
 * finished. Nothing is cached for the cancelled worker.
 */
public class WorkCancelledException extends WorkbenchException {
    /** @param message which worker and sample were cancelled */
    public WorkCancelledException(String message) {
        super(message);
    }
}
