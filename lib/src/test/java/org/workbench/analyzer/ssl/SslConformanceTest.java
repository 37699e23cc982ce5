package org.workbench.analyzer.ssl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.files.x509.X509Log;
import org.workbench.zeeklog.DirectoryLogSink;

/**
 * Runs the SSL/X.509 conformance cases that need no other protocol analyzer (no STARTTLS, RDP, WebSocket or QUIC)
 * through {@link SslTestPipeline} and scores ssl.log and x509.log with the corpus' compare.py.
 */
class SslConformanceTest {
    /** case, trace, flags. */
    private static final String[][] CASES = {
            {"scripts.base.protocols.ssl.basic", "tls/tls-conn-with-extensions.pcap", ""},
            {"scripts.base.protocols.ssl.cve-2015-3194", null, ""},
            {"scripts.base.protocols.ssl.dhe", null, ""},
            {"scripts.base.protocols.ssl.ecdhe", null, ""},
            {"scripts.base.protocols.ssl.fragment", null, ""},
            {"scripts.base.protocols.ssl.tls-1.2", null, ""},
            {"scripts.base.protocols.ssl.tls-1.2-handshake-failure", null, ""},
            {"scripts.base.protocols.ssl.tls13-experiment", null, ""},
            {"scripts.base.protocols.ssl.tls13_encrypted_handshake_events", null, ""},
            {"scripts.base.protocols.ssl.dtls", null, ""},
            {"scripts.policy.protocols.ssl.certificate-request-info", null, ""},
            {"scripts.base.files.x509.1999", null, ""},
            {"scripts.base.files.x509.log-caching", null, ""},
            {"scripts.policy.protocols.ssl.log-hostcerts-only", null, "hostcerts"},
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
        for (String[] c : CASES) {
            Path dir = corpus.resolve("cases").resolve(c[0]);
            String manifest = Files.readString(dir.resolve("manifest.json"));
            Matcher runs = Pattern.compile("\"trace\":\\s*\"([^\"]+)\",\\s*\"trace_compression\":\\s*(null|\"gzip\")")
                    .matcher(manifest);
            List<String[]> traces = new ArrayList<>();
            while (runs.find()) {
                traces.add(new String[] {runs.group(1), runs.group(2)});
            }
            Path out = tmp.resolve(c[0]);
            for (int i = 0; i < traces.size(); i++) {
                Path trace = dir.resolve(traces.get(i)[0]);
                if (traces.get(i)[1].contains("gzip")) {
                    Path plain = tmp.resolve(c[0] + "-" + i + ".pcap");
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(trace));
                         OutputStream o = Files.newOutputStream(plain)) {
                        in.transferTo(o);
                    }
                    trace = plain;
                }
                Path runDir = traces.size() > 1 ? out.resolve("run" + i) : out;
                Files.createDirectories(runDir);
                try (DirectoryLogSink sink = new DirectoryLogSink(runDir)) {
                    boolean relog0 = manifest.contains("relog_known_certificates_after = 0secs");
                    X509Log x509 = new X509Log(sink, relog0 ? 0 : 86400, c[2].contains("hostcerts"));
                    SslTestPipeline.run(trace, sink, !manifest.contains("\"-C\""), x509);
                }
            }
            double score = score(corpus, dir, out);
            if (score < 0.95) {
                failures.add(c[0] + " " + score);
            }
        }
        assertTrue(failures.isEmpty(), "cases below 0.95: " + failures);
    }

    /** Lowest compare.py score of the case's ssl and x509 logs. */
    private static double score(Path corpus, Path caseDir, Path out) throws IOException, InterruptedException {
        String script = "import json,subprocess,sys\n"
                + "r=subprocess.run([sys.executable,sys.argv[1],'--json','--case',sys.argv[2],'--actual',sys.argv[3]],"
                + "capture_output=True,text=True)\n"
                + "d=json.loads(r.stdout)\n"
                + "s=[l['score'] for l in d['logs'] if l.get('log') in ('ssl','x509')]\n"
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
