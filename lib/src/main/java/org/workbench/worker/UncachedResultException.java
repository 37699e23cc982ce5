package org.workbench.worker;

import java.util.Map;
import org.workbench.WorkbenchException;

/**
 * Thrown by a worker whose answer must be shown but not cached: a missing API key, a network failure, a
 * service's rate limit, or a summary with a transient part. The engine caches nothing for it and passes it on
 * unchanged (it is a {@link WorkbenchException}); a caller that wants "result documents, never exceptions" (the
 * facade's {@code workRequest}, a batch) returns {@link #result()} instead, e.g.
 * {@code try { return engine.run(w, md5, cfg); } catch (UncachedResultException e) { return e.result(); }}.
 *
 * <p>The result is a JSON-like document, normally with an {@code error} entry (the message of this exception).
 */
public class UncachedResultException extends WorkbenchException {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, Object> result;

    /**
     * @param message what went wrong (also the usual {@code error} entry of the result)
     * @param result  the document to hand back instead of a cached result
     */
    public UncachedResultException(String message, Map<String, Object> result) {
        super(message);
        JsonDocuments.check(result, "an uncached result");
        this.result = JsonDocuments.roundTrip(result);
    }

    /** @return a fresh, mutable copy of the result document */
    public Map<String, Object> result() {
        return JsonDocuments.roundTrip(result);
    }
}
