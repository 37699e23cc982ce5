package org.workbench.analyzer.dhcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.zeeklog.DirectoryLogSink;

/**
 * Runs the corpus' DHCP cases through {@link DhcpTestPipeline} with the settings their manifests name and scores
 * dhcp.log and weird.log with compare.py.
 */
class DhcpConformanceTest {
    private static final String[] CASES = {
            "scripts.base.protocols.dhcp.dhcp-ack-msg-types",
            "scripts.base.protocols.dhcp.dhcp-max-tracked-transactions",
            "scripts.base.protocols.dhcp.dhcp-sub-opts",
    };

    @TempDir
    Path tmp;

    @Test
    void casesScoreAtLeast95Percent() throws Exception {
        String shared = System.getProperty("workbench.shared");
        assertTrue(shared != null, "system property workbench.shared is not set");
        Path corpus = Path.of(shared, "zeek-conformance");
        assertTrue(Files.isDirectory(corpus.resolve("cases")), "missing folder " + corpus.resolve("cases"));
        List<String> failures = new ArrayList<>();
        for (String c : CASES) {
            Path dir = corpus.resolve("cases").resolve(c);
            assertTrue(Files.isDirectory(dir), "missing folder " + dir);
            String manifest = Files.readString(dir.resolve("manifest.json"));
            Matcher m = Pattern.compile("\"trace\":\\s*\"([^\"]+)\"").matcher(manifest);
            assertTrue(m.find(), "no trace in " + dir);
            DhcpAnalyzerOptions options = DhcpAnalyzerOptions.defaults();
            Matcher max = Pattern.compile("DHCP::max_tracked_transactions\\s*=\\s*(\\d+)").matcher(manifest);
            if (max.find()) {
                options = options.withMaxTrackedTransactions(Integer.parseInt(max.group(1)));
            }
            if (manifest.contains("protocols/dhcp/sub-opts")) {
                options = options.withSubOpts();
            }
            if (manifest.contains("protocols/dhcp/software")) {
                options = options.withSoftware();
            }
            if (manifest.contains("protocols/dhcp/msg-orig")) {
                options = options.withMsgOrig();
            }
            Path out = tmp.resolve(c);
            Files.createDirectories(out);
            try (DirectoryLogSink sink = new DirectoryLogSink(out)) {
                DhcpTestPipeline.run(dir.resolve(m.group(1)), sink, !manifest.contains("\"-C\""), options);
            }
            double score = score(corpus, dir, out);
            if (score < 0.95) {
                failures.add(c + " " + score);
            }
        }
        assertTrue(failures.isEmpty(), "cases below 0.95: " + failures);
    }

    /** Lowest compare.py score of the case's dhcp and weird logs. */
    private static double score(Path corpus, Path caseDir, Path out) throws IOException, InterruptedException {
        String script = "import json,subprocess,sys\n"
                + "r=subprocess.run([sys.executable,sys.argv[1],'--json','--case',sys.argv[2],'--actual',sys.argv[3]],"
                + "capture_output=True,text=True)\n"
                + "d=json.loads(r.stdout)\n"
                + "s=[l['score'] for l in d['logs'] if l.get('log') in ('dhcp','weird')]\n"
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
