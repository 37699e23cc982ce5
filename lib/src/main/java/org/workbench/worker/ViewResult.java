package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code view} or {@code view_deep} result (see {@link ViewWorker}), for notebook code.
 *
 * @param md5     the sample's MD5
 * @param typeTag its type tag
 * @param workers the workers the view ran, in order
 * @param results each worker's result document (or {@code {"error": ...}}), by worker name
 * @param errors  {@code "<worker>: <message>"} per problem; empty when all is well
 */
public record ViewResult(String md5, String typeTag, List<String> workers, Map<String, Map<String, Object>> results,
                         List<String> errors) {

    /** @return whether every worker gave a result without an {@code error} entry */
    public boolean ok() {
        return errors.isEmpty();
    }

    /**
     * @param worker a worker name from {@link #workers()}
     * @return its result document, or null when the view did not run it
     */
    public Map<String, Object> result(String worker) {
        return results.get(worker);
    }

    /**
     * @param view a {@code view} or {@code view_deep} result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    @SuppressWarnings("unchecked")
    public static ViewResult from(Map<String, Object> view) {
        try {
            String md5 = (String) view.get("md5");
            String type = (String) view.get("type_tag");
            List<String> workers = new ArrayList<>((List<String>) view.get("workers"));
            Map<String, Map<String, Object>> results = new LinkedHashMap<>();
            ((Map<String, Object>) view.get("results")).forEach((k, v) -> results.put(k, (Map<String, Object>) v));
            List<String> errors = new ArrayList<>((List<String>) view.get("errors"));
            if (md5 == null || type == null) {
                throw new InvalidInputException("not a view result: 'md5' or 'type_tag' is missing");
            }
            return new ViewResult(md5, type, List.copyOf(workers), Collections.unmodifiableMap(results),
                    List.copyOf(errors));
        } catch (ClassCastException | NullPointerException e) {
            throw new InvalidInputException("not a view result: " + e.getMessage());
        }
    }
}
