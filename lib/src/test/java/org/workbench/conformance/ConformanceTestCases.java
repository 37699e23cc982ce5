package org.workbench.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.DirectoryLogSink;

/**
 * Test helper for the per-protocol conformance tests: runs one corpus case through {@link ZeekAnalysis} with the
 * configuration its manifest describes and scores chosen logs with the corpus' compare.py.
 */
public final class ConformanceTestCases {
    private ConformanceTestCases() {
    }

    /** The conformance corpus below the {@code workbench.shared} system property (asserted to exist). */
    public static Path corpus() {
        String shared = System.getProperty("workbench.shared");
        assertTrue(shared != null, "system property workbench.shared is not set");
        Path corpus = Path.of(shared, "zeek-conformance");
        assertTrue(Files.isDirectory(corpus.resolve("cases")), "missing folder " + corpus.resolve("cases"));
        return corpus;
    }

    /**
     * Analyses every run of a case (logs in {@code out}, or {@code out/run<N>} for several runs) and returns the
     * lowest compare.py score of its {@code logs} (0 when none of them is scored).
     *
     * @param tune adjusts each run's analysis (already configured from the manifest), e.g. replaces a plug-in
     */
    public static double lowestScore(Path corpus, String caseName, Path out, Set<String> logs,
                                     UnaryOperator<ZeekAnalysis.Builder> tune)
            throws IOException, InterruptedException {
        Path dir = corpus.resolve("cases").resolve(caseName);
        assertTrue(Files.isDirectory(dir), "missing folder " + dir);
        ConformanceCase c = ConformanceCase.read(dir);
        for (ConformanceCase.Run run : c.runs()) {
            Path runDir = c.runDirectory(out, run);
            Files.createDirectories(runDir);
            ZeekAnalysis analysis = tune.apply(ZeekAnalysis.builder().config(run.config())).build();
            try (DirectoryLogSink sink = new DirectoryLogSink(runDir)) {
                if (run.gzip()) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(run.trace()))) {
                        analysis.run(in, run.trace().getFileName().toString(), sink, ExtractedFileSink.discarding());
                    }
                } else {
                    analysis.run(run.trace(), sink, ExtractedFileSink.discarding());
                }
            }
        }
        return score(corpus, dir, out, logs);
    }

    private static double score(Path corpus, Path caseDir, Path out, Set<String> logs)
            throws IOException, InterruptedException {
        String wanted = "(" + String.join(",", logs.stream().map(l -> "'" + l + "'").sorted().toList()) + ",)";
        String script = "import json,subprocess,sys\n"
                + "r=subprocess.run([sys.executable,sys.argv[1],'--json','--case',sys.argv[2],'--actual',sys.argv[3]],"
                + "capture_output=True,text=True)\n"
                + "d=json.loads(r.stdout)\n"
                + "s=[l['score'] for l in d['logs'] if l.get('log') in " + wanted + "]\n"
                + "print(min(s) if s else 0.0)\n";
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, corpus.resolve("compare.py").toString(),
                caseDir.toString(), out.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IOException("compare.py failed: " + text);
        }
    }
}
