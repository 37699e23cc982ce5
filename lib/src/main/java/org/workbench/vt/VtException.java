package org.workbench.vt;

/**
 * A VirusTotal request that gave no usable answer: bad or missing API key (HTTP 401/403), quota exhausted
 * after all retries (HTTP 429), another HTTP error, a time-out, a network failure, or a body that is not the
 * documented JSON. The message names the problem and never contains the API key.
 */
public class VtException extends Exception {
    /** Serialization version. */
    private static final long serialVersionUID = 1L;
    /** The HTTP status, or -1. */
    private final int status;

    /**
     * @param message what went wrong
     * @param status  the HTTP status, or -1 when there was no answer
     * @param cause   the underlying failure, or null
     */
    public VtException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the HTTP status, or -1 when no answer came (time-out, network failure) */
    public int status() {
        return status;
    }
}
