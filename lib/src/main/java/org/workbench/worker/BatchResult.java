package org.workbench.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Typed view of one document of a batch stream ({@link WorkEngine#batch}, {@code Workbench.batchWorkStream}):
 * the sample, the worker, and either the worker's result or the error that stopped it for this sample.
 *
 * @param md5       the sample's MD5, as requested (may be malformed when that is the error)
 * @param worker    the worker's name (aliases resolved)
 * @param result    the worker's result document, or null on error
 * @param error     one-line description of the failure, or null on success
 * @param errorType the failure's exception class simple name (e.g. {@code UnknownSampleException}), or null
 */
public record BatchResult(String md5, String worker, Map<String, Object> result, String error, String errorType) {
    /** @return whether the worker produced a result for this sample */
    public boolean ok() {
        return error == null;
    }

    /**
     * @param doc a batch document: {@code {md5, worker, result}} or {@code {md5, worker, error, error_type}}
     * @return its typed view
     * @throws NullPointerException when {@code doc} is null
     * @throws ClassCastException   when a key has the wrong type
     */
    @SuppressWarnings("unchecked")
    public static BatchResult from(Map<String, Object> doc) {
        Objects.requireNonNull(doc, "doc");
        return new BatchResult((String) doc.get("md5"), (String) doc.get("worker"),
                (Map<String, Object>) doc.get("result"), (String) doc.get("error"), (String) doc.get("error_type"));
    }

    /** @return the JSON-like document this view was made from */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("md5", md5);
        m.put("worker", worker);
        if (error == null) {
            m.put("result", result);
        } else {
            m.put("error", error);
            m.put("error_type", errorType);
        }
        return m;
    }
}
