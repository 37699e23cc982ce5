package org.workbench.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code pe_indicators} result (see {@link PeIndicatorsWorker}), for notebook code.
 *
 * @param indicators the indicators, in the worker's order
 * @param error      why the file is not a PE or how it is damaged; null when there is no problem
 */
public record PeIndicators(List<Indicator> indicators, String error) {
    /**
     * One indicator.
     *
     * @param category    an API category ({@code ANTI_DEBUG}, {@code NETWORK}, ...) or {@code MALFORMED} /
     *                    {@code PACKER}
     * @param description what was observed
     * @param severity    1 (informational) .. 3 (strongly suspicious)
     * @param attributes  what triggered it (API names, section names, values)
     */
    public record Indicator(String category, String description, int severity, List<String> attributes) {    }

    /**
     * @param category a category name
     * @return the indicators of that category
     */
    public List<Indicator> byCategory(String category) {
        return indicators.stream().filter(i -> i.category().equals(category)).toList();
    }

    /** @return the highest severity, 0 when there is no indicator */
    public int maxSeverity() {
        return indicators.stream().mapToInt(Indicator::severity).max().orElse(0);
    }

    /**
     * @param result a {@code pe_indicators} result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    public static PeIndicators from(Map<String, Object> result) {
        if (!(result.get("indicators") instanceof List<?> list)) {
            throw new InvalidInputException("not a pe_indicators result: 'indicators' is missing or not a list");
        }
        List<Indicator> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new InvalidInputException("not a pe_indicators result: an indicator is not a map");
            }
            if (!(m.get("category") instanceof String c) || !(m.get("description") instanceof String d)
                    || !(m.get("severity") instanceof Number s) || !(m.get("attributes") instanceof List<?> a)) {
                throw new InvalidInputException("not a pe_indicators result: an indicator lacks category, "
                        + "description, severity or attributes");
            }
            out.add(new Indicator(c, d, s.intValue(), a.stream().map(String::valueOf).toList()));
        }
        Object e = result.get("error");
        if (e != null && !(e instanceof String)) {
            throw new InvalidInputException("not a pe_indicators result: 'error' is not a string");
        }
        return new PeIndicators(List.copyOf(out), (String) e);
    }
}
