package org.workbench.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code vt_query} result (see {@link VtQueryWorker}), for notebook code. Also reads the
 * error document of an {@link UncachedResultException}.
 *
 * @param md5         the sample's MD5
 * @param error       why there is no verdict (no API key, HTTP error, time-out, ...), or null
 * @param notFound    whether VirusTotal does not know the file
 * @param fileType    VirusTotal's file type description, or null
 * @param positives   engines calling it malicious
 * @param suspicious  engines calling it suspicious
 * @param total       engines in the last analysis (sum of all categories)
 * @param scanDate    last analysis time as UTC {@code YYYY-MM-DD HH:MM:SS}, or null
 * @param scanResults detection names with how many engines gave them, most frequent first
 * @param stats       the raw {@code last_analysis_stats} counts by category
 * @param permalink   the file's VirusTotal page, or null
 * @param fetchedAt   when VirusTotal was asked, or null for an error
 */
public record VtResult(String md5, String error, boolean notFound, String fileType, long positives, long suspicious,
                       long total, String scanDate, List<Detection> scanResults, Map<String, Long> stats,
                       String permalink, Instant fetchedAt) {

    /**
     * One detection name.
     *
     * @param name  the engine's result text (e.g. {@code Trojan.Generic})
     * @param count how many engines reported it
     */
    public record Detection(String name, long count) {
    }

    /** @return whether this is a verdict (neither an error nor "not found") */
    public boolean found() {
        return error == null && !notFound;
    }

    /**
     * @param vt a {@code vt_query} result or error document
     * @return its typed view
     * @throws InvalidInputException when it has neither {@code md5} nor the expected types
     */
    public static VtResult from(Map<String, Object> vt) {
        try {
            String md5 = (String) vt.get("md5");
            if (md5 == null) {
                throw new InvalidInputException("not a vt_query result: no 'md5'");
            }
            List<Detection> det = new ArrayList<>();
            if (vt.get("scan_results") instanceof List<?> l) {
                for (Object o : l) {
                    List<?> pair = (List<?>) o;
                    det.add(new Detection((String) pair.get(0), ((Number) pair.get(1)).longValue()));
                }
            }
            Map<String, Long> stats = new LinkedHashMap<>();
            if (vt.get("stats") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> stats.put((String) k, ((Number) v).longValue()));
            }
            String fetched = (String) vt.get("fetched_at");
            return new VtResult(md5, (String) vt.get("error"), Boolean.TRUE.equals(vt.get("not_found")),
                    (String) vt.get("file_type"), num(vt, "positives"), num(vt, "suspicious"), num(vt, "total"),
                    (String) vt.get("scan_date"), List.copyOf(det), java.util.Collections.unmodifiableMap(stats), (String) vt.get("permalink"),
                    fetched == null ? null : Instant.parse(fetched));
        } catch (ClassCastException | IndexOutOfBoundsException | java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("not a vt_query result: " + e.getMessage());
        }
    }

    private static long num(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }
}
