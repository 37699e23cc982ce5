/**
 * Scoring our Zeek logs against a Zeek conformance corpus (Zeek test traces with their expected logs and the
 * corpus's {@code compare.py}): {@link org.workbench.conformance.ConformanceCase} reads a case's manifest,
 * {@link org.workbench.conformance.ConformanceRunner} analyses every run in-process with the configuration the
 * manifest describes ({@link org.workbench.analysis.AnalysisConfig}) and scores the logs with {@code compare.py},
 * {@link org.workbench.conformance.ScoreTable} pools the scores per log, and
 * {@link org.workbench.conformance.ScopeList} reads the project's list of out-of-scope cases
 * ({@code conformance/out-of-scope.tsv}). The CLI front end is {@code workbench conformance}.
 */
package org.workbench.conformance;
