package org.workbench.worker;

import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code strings} result (see {@link StringsWorker}), for notebook code.
 *
 * @param ascii        printable ASCII runs, file order
 * @param utf16le      printable UTF-16LE runs, file order
 * @param asciiCount   ASCII runs found (listed or not)
 * @param utf16leCount UTF-16LE runs found (listed or not)
 * @param truncated    whether a list was capped by {@code max_strings}
 * @param bytesScanned sample size, bytes
 */
public record StringsResult(List<String> ascii, List<String> utf16le, long asciiCount, long utf16leCount,
                            boolean truncated, long bytesScanned) {

    /**
     * @param r a {@code strings} result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    public static StringsResult from(Map<String, Object> r) {
        return new StringsResult(strings(r, "ascii"), strings(r, "utf16le"), num(r, "ascii_count"),
                num(r, "utf16le_count"), Boolean.TRUE.equals(r.get("truncated")), num(r, "bytes_scanned"));
    }

    static List<String> strings(Map<String, Object> r, String k) {
        if (!(r.get(k) instanceof List<?> l)) {
            throw new InvalidInputException("'" + k + "' is missing or not a list");
        }
        return l.stream().map(String::valueOf).toList();
    }

    private static long num(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw new InvalidInputException("not a strings result: '" + k + "' is missing or not a number");
        }
        return n.longValue();
    }
}
