package org.workbench.conformance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Scores pooled per log type, as compare.py pools several logs: the sum of agreeing cells over the sum of cells
 * (the mean of the logs' scores when no log has cells).
 */
public final class ScoreTable {
    /** The order of the well-known logs in the table; others follow alphabetically. */
    public static final List<String> LOG_ORDER = List.of("conn", "dns", "http", "files", "ssl", "x509", "dhcp",
            "weird");

    /**
     * The targets over in-scope cases: 0.99 for dns, http, files and conn; 0.95 for ssl, x509, dhcp and
     * weird.
     */
    public static final Map<String, Double> DEFAULT_THRESHOLDS = Map.of("conn", 0.99, "dns", 0.99, "http", 0.99,
            "files", 0.99, "ssl", 0.95, "x509", 0.95, "dhcp", 0.95, "weird", 0.95);

    /**
     * One pooled row.
     *
     * @param log           the log type
     * @param cases         cases with this log
     * @param logs          expected log files (a case with several runs may have several)
     * @param expectedRows  expected rows
     * @param matchedRows   matched rows
     * @param cells         scored cells
     * @param agreeingCells agreeing cells
     * @param score         pooled score
     */
    public record Row(String log, int cases, int logs, long expectedRows, long matchedRows, long cells,
                      long agreeingCells, double score) {
    }

    private final Map<String, Row> rows;

    private ScoreTable(Map<String, Row> rows) {
        this.rows = rows;
    }

    /** Pools the scores that pass a filter (e.g. {@link LogScore#inScope()}). */
    public static ScoreTable of(Collection<LogScore> scores, Predicate<LogScore> filter) {
        Map<String, List<LogScore>> byLog = new LinkedHashMap<>();
        for (LogScore s : scores) {
            if (filter.test(s)) {
                byLog.computeIfAbsent(s.log(), k -> new ArrayList<>()).add(s);
            }
        }
        List<String> names = new ArrayList<>(byLog.keySet());
        names.sort((a, b) -> {
            int ia = LOG_ORDER.indexOf(a), ib = LOG_ORDER.indexOf(b);
            ia = ia < 0 ? LOG_ORDER.size() : ia;
            ib = ib < 0 ? LOG_ORDER.size() : ib;
            return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
        });
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String log : names) {
            List<LogScore> list = byLog.get(log);
            Set<String> cases = new HashSet<>();
            long exp = 0, matched = 0, cells = 0, agree = 0;
            double sum = 0;
            for (LogScore s : list) {
                cases.add(s.caseName());
                exp += s.expectedRows();
                matched += s.matchedRows();
                cells += s.cells();
                agree += s.agreeingCells();
                sum += s.score();
            }
            double score = cells > 0 ? (double) agree / cells : sum / list.size();
            rows.put(log, new Row(log, cases.size(), list.size(), exp, matched, cells, agree, score));
        }
        return new ScoreTable(rows);
    }

    /** The rows by log type, in table order. */
    public Map<String, Row> rows() {
        return rows;
    }

    /** The pooled score of a log type, or NaN when no case has it. */
    public double score(String log) {
        Row r = rows.get(log);
        return r == null ? Double.NaN : r.score();
    }

    /**
     * The log types whose pooled score is below their threshold (logs without a threshold, or absent from the
     * table, never fail).
     */
    public List<String> failures(Map<String, Double> thresholds) {
        List<String> out = new ArrayList<>();
        for (Row r : rows.values()) {
            Double t = thresholds.get(r.log());
            if (t != null && r.score() < t) {
                out.add(r.log());
            }
        }
        return out;
    }

    /** The table as text, one line per log type under a header line. */
    public String format(String title, Map<String, Double> thresholds) {
        StringBuilder sb = new StringBuilder();
        sb.append(title).append('\n');
        sb.append(String.format(Locale.ROOT, "  %-8s %6s %9s %9s %10s %10s %8s %9s%n", "log", "cases", "exp_rows",
                "matched", "cells", "agreeing", "score", "threshold"));
        for (Row r : rows.values()) {
            Double t = thresholds.get(r.log());
            String mark = t == null ? "" : t + (r.score() < t ? " FAIL" : " ok");
            sb.append(String.format(Locale.ROOT, "  %-8s %6d %9d %9d %10d %10d %8.4f %10s%n", r.log(), r.cases(),
                    r.expectedRows(), r.matchedRows(), r.cells(), r.agreeingCells(), r.score(), mark));
        }
        return sb.toString();
    }
}
