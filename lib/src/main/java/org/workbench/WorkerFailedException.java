package org.workbench;

/** A worker threw while working on a sample; the cause is the worker's own exception. Nothing is cached. */
public class WorkerFailedException extends WorkbenchException {
    /**
     * @param worker the worker's name
     * @param md5    the sample's MD5
     * @param detail what failed
     * @param cause  the worker's exception, or null
     */
    public WorkerFailedException(String worker, String md5, String detail, Throwable cause) {
        super("worker '" + worker + "' failed on sample " + md5 + ": " + detail, cause);
    }
}
