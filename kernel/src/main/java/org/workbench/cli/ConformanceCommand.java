package org.workbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.workbench.conformance.ConformanceRunner;
import org.workbench.conformance.LogScore;
import org.workbench.conformance.ScopeList;
import org.workbench.conformance.ScoreTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench conformance CORPUS --out OUT [--case GLOB]... [--threshold LOG=X]... [--scope FILE]}: runs our
 * analysis over a Zeek conformance corpus (the layout of {@code zeek-conformance}: {@code cases/<case>/manifest.json},
 * {@code compare.py}) with each run's configuration, scores every expected log with the corpus's
 * {@code compare.py} ({@code --json}, run by {@code /usr/bin/python3} unless {@code --python}), and prints pooled
 * per-log scores twice: over all cases and over in-scope cases (cases not listed in the scope file,
 * {@code conformance/out-of-scope.tsv}, found from the working directory or the installation upwards unless
 * {@code --scope}). Writes the per-case scores to {@code OUT/scores.tsv}.
 *
 * <p>Exit status 0 when every log type reaches its threshold over the in-scope cases
 * ({@link ScoreTable#DEFAULT_THRESHOLDS}, changed with {@code --threshold}), 1 otherwise (or on failure).
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Score our Zeek logs against a Zeek conformance corpus with its compare.py.")
final class ConformanceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CORPUS", description = "The corpus folder (cases/, compare.py).")
    Path corpus;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "Folder for our logs.")
    Path out;

    @Option(names = "--case", paramLabel = "GLOB", description = "Only cases whose name matches (repeatable).")
    List<String> cases = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "LOG=X",
            description = "Minimum pooled in-scope score of a log (repeatable; defaults: conn/dns/http/files 0.99, "
                    + "ssl/x509/dhcp/weird 0.95).")
    Map<String, Double> thresholds = new LinkedHashMap<>();

    @Option(names = "--scope", paramLabel = "FILE", description = "Out-of-scope list (default: "
            + ScopeList.PROJECT_PATH + " of the project).")
    Path scopeFile;

    @Option(names = "--python", paramLabel = "PYTHON", description = "Python for compare.py (default: /usr/bin/python3).")
    String python = "/usr/bin/python3";

    @Option(names = "--threads", paramLabel = "N", description = "Cases analysed at once (default: 2).")
    int threads = 2;

    @Option(names = {"-v", "--verbose"}, description = "Print each case's scores as it finishes.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(corpus.resolve("cases"))) {
            throw new CliException(corpus + ": not a conformance corpus (no cases/ folder)");
        }
        ScopeList scope = loadScope();
        PrintStream outStream = System.out;
        ConformanceRunner.Builder b = ConformanceRunner.builder(corpus, out).scope(scope).python(python)
                .threads(threads);
        cases.forEach(b::caseGlob);
        if (verbose) {
            b.progress(r -> {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format(Locale.ROOT, "%-70s %s %5.1fs", r.caseName(), r.inScope() ? "in " : "out",
                        r.seconds()));
                for (LogScore s : r.logs()) {
                    sb.append(String.format(Locale.ROOT, " %s=%.3f", s.log(), s.score()));
                }
                if (r.error() != null) {
                    sb.append("  ERROR ").append(r.error());
                }
                System.err.println(sb);
            });
        }
        ConformanceRunner runner = b.build();
        if (runner.selectedCases().isEmpty()) {
            throw new CliException("no case matches " + cases);
        }
        List<ConformanceRunner.CaseResult> results = runner.run();
        List<LogScore> scores = new ArrayList<>();
        int errors = 0;
        for (ConformanceRunner.CaseResult r : results) {
            scores.addAll(r.logs());
            if (r.error() != null) {
                errors++;
                System.err.println("workbench: " + r.caseName() + ": " + r.error());
            }
        }
        writeScores(results);
        Map<String, Double> limits = new LinkedHashMap<>(ScoreTable.DEFAULT_THRESHOLDS);
        limits.putAll(thresholds);
        long inScopeCases = results.stream().filter(ConformanceRunner.CaseResult::inScope).count();
        ScoreTable all = ScoreTable.of(scores, s -> true);
        ScoreTable inScope = ScoreTable.of(scores, LogScore::inScope);
        outStream.print(all.format("All cases (" + results.size() + "):", Map.of()));
        outStream.println();
        outStream.print(inScope.format("In-scope cases (" + inScopeCases + "):", limits));
        List<String> failed = inScope.failures(limits);
        if (errors > 0) {
            outStream.println(errors + " case(s) had errors (see above)");
        }
        if (!failed.isEmpty()) {
            outStream.println("Below threshold: " + String.join(", ", failed));
            return 1;
        }
        return 0;
    }

    private ScopeList loadScope() throws IOException {
        Path f = scopeFile;
        if (f == null) {
            f = ScopeList.find(Path.of(""));
        }
        if (f == null) {
            try {
                Path code = Path.of(ConformanceCommand.class.getProtectionDomain().getCodeSource().getLocation()
                        .toURI());
                f = ScopeList.find(code);
            } catch (Exception e) {
                f = null;
            }
        }
        if (f == null) {
            System.err.println("workbench: no " + ScopeList.PROJECT_PATH + " found: every case counts as in scope");
            return ScopeList.allInScope();
        }
        if (!Files.isRegularFile(f)) {
            throw new CliException(f + ": no such scope file");
        }
        return ScopeList.read(f);
    }

    private void writeScores(List<ConformanceRunner.CaseResult> results) throws IOException {
        StringBuilder sb = new StringBuilder(
                "case\tin_scope\trun\tlog\texpected_rows\tactual_rows\tmatched_rows\tcells\tagreeing_cells\tscore\terror\n");
        for (ConformanceRunner.CaseResult r : results) {
            for (LogScore s : r.logs()) {
                sb.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%.6f\t%s%n", s.caseName(),
                        s.inScope() ? "T" : "F", s.run(), s.log(), s.expectedRows(), s.actualRows(), s.matchedRows(),
                        s.cells(), s.agreeingCells(), s.score(), s.error() == null ? "-" : s.error()));
            }
        }
        Files.writeString(out.resolve("scores.tsv"), sb, StandardCharsets.UTF_8);
    }
}
