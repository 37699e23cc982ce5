package org.workbench.conformance;

/**
 * compare.py's verdict on one expected log of one case run.
 *
 * @param caseName      the case
 * @param inScope       whether the case is in scope
 * @param run           the run index
 * @param log           the log type
 * @param expectedRows  rows in the expected log
 * @param actualRows    rows in our log
 * @param matchedRows   expected rows paired with one of ours
 * @param cells         scored cells (expected rows x scored fields)
 * @param agreeingCells cells that agree
 * @param score         compare.py's score of this log
 * @param error         compare.py's error (e.g. {@code actual log missing}), or null
 */
public record LogScore(String caseName, boolean inScope, int run, String log, long expectedRows, long actualRows,
                       long matchedRows, long cells, long agreeingCells, double score, String error) {
}
