package org.workbench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.workbench.analysis.AnalysisConfig;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogSink;
import org.workbench.zeeklog.LogWriterOptions;

/**
 * Runs our analysis over a Zeek conformance corpus and scores it with the corpus's own {@code compare.py}.
 *
 * <p>For every case (optionally only those matching glob patterns) and every run of it, the trace is analysed
 * in-process with the configuration the manifest describes ({@link ConformanceCase.Run#config()}); logs go to
 * {@code OUT/<case>/<log>.log}, or {@code OUT/<case>/run<N>/<log>.log} for cases with several runs, which is where
 * {@code compare.py --case} looks. Then {@code python3 compare.py --json --case CASE --actual OUT/<case>} scores
 * every expected log. Cases run in parallel ({@link Builder#threads}).
 */
public final class ConformanceRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path corpus;
    private final Path out;
    private final List<String> caseGlobs;
    private final ScopeList scope;
    private final String python;
    private final int threads;
    private final double caseTimeoutSeconds;
    private final Consumer<CaseResult> progress;

    /**
     * The result of one case.
     *
     * @param caseName the case
     * @param inScope  whether it is in scope
     * @param logs     compare.py's scores of its expected logs
     * @param error    what went wrong while analysing or comparing (null when nothing did); a failed analysis
     *                 still has its logs scored (missing logs score 0)
     * @param seconds  time spent on the case
     */
    public record CaseResult(String caseName, boolean inScope, List<LogScore> logs, String error, double seconds) {
    }

    private ConformanceRunner(Builder b) {
        this.corpus = b.corpus;
        this.out = b.out;
        this.caseGlobs = List.copyOf(b.caseGlobs);
        this.scope = b.scope;
        this.python = b.python;
        this.threads = b.threads;
        this.caseTimeoutSeconds = b.caseTimeoutSeconds;
        this.progress = b.progress;
    }

    /**
     * @param corpus the corpus folder (with {@code compare.py} and {@code cases/})
     * @param out    where logs are written
     */
    public static Builder builder(Path corpus, Path out) {
        return new Builder(corpus, out);
    }

    /** The case folders selected by the glob patterns (all without patterns). */
    public List<Path> selectedCases() throws IOException {
        List<Path> all = ConformanceCase.caseDirectories(corpus);
        if (caseGlobs.isEmpty()) {
            return all;
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String g : caseGlobs) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        List<Path> out = new ArrayList<>();
        for (Path p : all) {
            for (PathMatcher m : matchers) {
                if (m.matches(p.getFileName())) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Runs and scores the selected cases.
     *
     * @return one result per case, in case-name order
     * @throws IOException when the corpus or output folder cannot be used, or compare.py is missing
     */
    public List<CaseResult> run() throws IOException, InterruptedException {
        Path compare = corpus.resolve("compare.py");
        if (!Files.isRegularFile(compare)) {
            throw new IOException(corpus + ": no compare.py");
        }
        List<Path> cases = selectedCases();
        Files.createDirectories(out);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "conformance");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaseResult>> futures = new ArrayList<>();
            for (Path c : cases) {
                futures.add(pool.submit(() -> {
                    CaseResult r = runCase(c);
                    if (progress != null) {
                        synchronized (progress) {
                            progress.accept(r);
                        }
                    }
                    return r;
                }));
            }
            List<CaseResult> results = new ArrayList<>();
            for (Future<CaseResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IOException("conformance run failed: " + e.getCause(), e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Analyses and scores one case folder. */
    CaseResult runCase(Path caseDir) {
        long start = System.nanoTime();
        String name = caseDir.getFileName().toString();
        boolean inScope = scope.inScope(name);
        List<String> errors = new ArrayList<>();
        Path caseOut = out.resolve(name);
        try {
            ConformanceCase c = ConformanceCase.read(caseDir);
            deleteRecursively(caseOut);
            Files.createDirectories(caseOut);
            for (ConformanceCase.Run run : c.runs()) {
                try {
                    analyse(c, run, c.runDirectory(caseOut, run), start);
                } catch (Exception | StackOverflowError e) {
                    errors.add("run " + run.index() + ": " + e);
                }
            }
            List<LogScore> scores = compare(caseDir, caseOut, name, inScope);
            return new CaseResult(name, inScope, scores, errors.isEmpty() ? null : String.join("; ", errors),
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException | RuntimeException e) {
            errors.add(e.toString());
            return new CaseResult(name, inScope, List.of(), String.join("; ", errors),
                    (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted");
            return new CaseResult(name, inScope, List.of(), String.join("; ", errors),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private void analyse(ConformanceCase c, ConformanceCase.Run run, Path dir, long startNanos) throws IOException {
        Files.createDirectories(dir);
        AnalysisConfig config = run.config();
        long deadline = startNanos + (long) (caseTimeoutSeconds * 1e9);
        ZeekAnalysis analysis = ZeekAnalysis.builder().config(config).uidSeed(1)
                .cancelled(() -> System.nanoTime() > deadline).build();
        LogWriterOptions options = config.jsonLogs() ? LogWriterOptions.json() : LogWriterOptions.defaults();
        try (DirectoryLogSink files = new DirectoryLogSink(dir, options)) {
            LogSink sink = FieldRenamingSink.wrap(files, config.fieldNameMap(), config.scopeSeparator());
            if (run.gzip() && !run.trace().getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(run.trace()), 65536)) {
                    analysis.run(in, run.trace().getFileName().toString(), sink, ExtractedFileSink.discarding());
                }
            } else {
                analysis.run(run.trace(), sink, ExtractedFileSink.discarding());
            }
        }
    }

    private List<LogScore> compare(Path caseDir, Path caseOut, String name, boolean inScope)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(out, ".compare-", ".json");
        try {
            ProcessBuilder pb = new ProcessBuilder(python, corpus.resolve("compare.py").toString(), "--json",
                    "--case", caseDir.toString(), "--actual", caseOut.toString())
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("compare.py timed out on " + name);
            }
            if (p.exitValue() != 0) {
                throw new IOException("compare.py exited with status " + p.exitValue() + " on " + name);
            }
            JsonNode root = JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
            List<LogScore> scores = new ArrayList<>();
            for (JsonNode l : root.path("logs")) {
                scores.add(new LogScore(name, inScope, l.path("run").asInt(0), l.path("log").asText(),
                        l.path("expected_rows").asLong(), l.path("actual_rows").asLong(),
                        l.path("matched_rows").asLong(), l.path("cells").asLong(), l.path("agreeing_cells").asLong(),
                        l.path("score").asDouble(), l.path("error").isTextual() ? l.path("error").asText() : null));
            }
            return scores;
        } finally {
            Files.deleteIfExists(stdout);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** Options of a runner. */
    public static final class Builder {
        private final Path corpus;
        private final Path out;
        private final List<String> caseGlobs = new ArrayList<>();
        private ScopeList scope = ScopeList.allInScope();
        private String python = "/usr/bin/python3";
        private int threads = 2;
        private double caseTimeoutSeconds = 600;
        private Consumer<CaseResult> progress;

        private Builder(Path corpus, Path out) {
            this.corpus = Objects.requireNonNull(corpus);
            this.out = Objects.requireNonNull(out);
        }

        /** Only cases whose folder name matches one of the glob patterns (all cases without any). */
        public Builder caseGlob(String glob) {
            caseGlobs.add(Objects.requireNonNull(glob));
            return this;
        }

        /** Which cases are in scope (default: all). */
        public Builder scope(ScopeList scope) {
            this.scope = Objects.requireNonNull(scope);
            return this;
        }

        /** The Python interpreter for compare.py (default Debian's {@code /usr/bin/python3}). */
        public Builder python(String python) {
            this.python = Objects.requireNonNull(python);
            return this;
        }

        /** Cases analysed at once (default 2). */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** Seconds one case's analysis may take before it is cancelled (default 600). */
        public Builder caseTimeoutSeconds(double s) {
            this.caseTimeoutSeconds = s;
            return this;
        }

        /** Called (one call at a time) as each case finishes. */
        public Builder progress(Consumer<CaseResult> listener) {
            this.progress = listener;
            return this;
        }

        public ConformanceRunner build() {
            return new ConformanceRunner(this);
        }
    }
}
