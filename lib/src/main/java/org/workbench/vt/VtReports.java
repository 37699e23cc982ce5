package org.workbench.vt;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a VirusTotal API v3 file object into the workbench's {@code vt_query} result (the shape of the original
 * Python workbench's v2-era summary).
 *
 * <p>Keys: {@code file_type} ({@code attributes.type_description}), {@code positives}
 * ({@code last_analysis_stats.malicious}), {@code suspicious} ({@code last_analysis_stats.suspicious}),
 * {@code total} (sum of all {@code last_analysis_stats} counts), {@code scan_date}
 * ({@code last_analysis_date}, a Unix time, as UTC text {@code YYYY-MM-DD HH:MM:SS}; null when absent),
 * {@code scan_results} (the engines' non-empty {@code result} names of {@code last_analysis_results} as
 * {@code [name, count]} pairs, most frequent first, ties by name; at most {@code maxScanResults}, 0 = all),
 * {@code stats} ({@code last_analysis_stats} as given), {@code sha256}, {@code permalink} (the GUI page).
 * Missing fields give null (or 0 for counts, an empty list/map), never an exception.
 */
public final class VtReports {
    private static final DateTimeFormatter SCAN_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private VtReports() {
    }

    /**
     * @param data           the {@code data} object of a file report
     * @param baseUrl        the API's base URL, for the permalink
     * @param maxScanResults how many {@code scan_results} pairs to keep; 0 = all
     * @return the summary (JSON-like, insertion-ordered)
     */
    public static Map<String, Object> summarize(JsonNode data, String baseUrl, int maxScanResults) {
        JsonNode a = data.path("attributes");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file_type", text(a.get("type_description")));
        JsonNode statsNode = a.path("last_analysis_stats");
        Map<String, Object> stats = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, JsonNode> e : statsNode.properties()) {
            if (e.getValue().isIntegralNumber()) {
                stats.put(e.getKey(), e.getValue().asLong());
                total += e.getValue().asLong();
            }
        }
        out.put("positives", statsNode.path("malicious").asLong(0));
        out.put("suspicious", statsNode.path("suspicious").asLong(0));
        out.put("total", total);
        JsonNode date = a.get("last_analysis_date");
        out.put("scan_date", date != null && date.canConvertToLong() && date.isNumber()
                ? SCAN_DATE.format(Instant.ofEpochSecond(date.asLong())) : null);
        out.put("scan_results", scanResults(a.path("last_analysis_results"), maxScanResults));
        out.put("stats", stats);
        String sha256 = text(a.get("sha256"));
        String id = sha256 != null ? sha256 : text(data.get("id"));
        out.put("sha256", sha256);
        out.put("permalink", id == null ? null : baseUrl + "/gui/file/" + id);
        return out;
    }

    private static List<Object> scanResults(JsonNode results, int max) {
        Map<String, Long> counts = new TreeMap<>();
        for (JsonNode engine : results) {
            JsonNode r = engine.get("result");
            if (r != null && r.isTextual() && !r.asText().isBlank()) {
                counts.merge(r.asText(), 1L, Long::sum);
            }
        }
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : sorted) {
            if (max > 0 && out.size() == max) {
                break;
            }
            out.add(List.of(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
