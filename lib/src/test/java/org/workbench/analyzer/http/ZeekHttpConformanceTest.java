package org.workbench.analyzer.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * Replays the Zeek 9 conformance traces that have an http.log baseline through the HTTP analyzer and compares
 * our http.log rows (all columns but ts, uid and the file ids, which a replay cannot reproduce) and weird names
 * and details with Zeek's. The cases listed below must match exactly; the report of all cases is written to
 * {@code target/zeek-http-conformance.txt}.
 */
class ZeekHttpConformanceTest {
    /** Cases whose http.log rows match Zeek's. */
    private static final Set<String> ROWS_MATCH = Set.of(
            "core.tcp-padding", "core.tcp.reassembly-known-ports", "core.vlan-mpls",
            "scripts.base.frameworks.analyzer.request-analyzer",
            "scripts.base.frameworks.logging.ascii-escape-odd-url",
            "scripts.base.protocols.http.100-continue",
            "scripts.base.protocols.http.261.chunked-rest", "scripts.base.protocols.http.261.cl-0-expect-100",
            "scripts.base.protocols.http.261.cl-leading-zeros", "scripts.base.protocols.http.261.cl-uint64max",
            "scripts.base.protocols.http.261.obsolete-line-fold", "scripts.base.protocols.http.261.te-cl-desync",
            "scripts.base.protocols.http.bad-content-range", "scripts.base.protocols.http.ctu-agent-tesla",
            "scripts.base.protocols.http.curl-http-09", "scripts.base.protocols.http.fake-content-length",
            "scripts.base.protocols.http.http-09", "scripts.base.protocols.http.http-bad-request-with-version",
            "scripts.base.protocols.http.http-basic-auth-colon",
            "scripts.base.protocols.http.http-basic-auth-extra-space",
            "scripts.base.protocols.http.http-connect", "scripts.base.protocols.http.http-connect-with-header",
            "scripts.base.protocols.http.m57-long-download-windowsupdate-1",
            "scripts.base.protocols.http.m57-long-download-windowsupdate-2",
            "scripts.base.protocols.http.missing-zlib-header", "scripts.base.protocols.http.no-uri",
            "scripts.base.protocols.http.no-version", "scripts.base.protocols.http.percent-end-of-line",
            "scripts.base.protocols.http.query-method",
            "scripts.base.protocols.http.query-method-non-standard-port",
            "scripts.base.protocols.http.version-mismatch", "scripts.base.protocols.snap.snap-tcp");

    /** Cases whose weird.log names and details match Zeek's. */
    private static final Set<String> WEIRDS_MATCH = Set.of(
            "scripts.base.protocols.http.261.chunked-rest", "scripts.base.protocols.http.261.cl-0-expect-100",
            "scripts.base.protocols.http.261.cl-leading-zeros", "scripts.base.protocols.http.261.cl-uint64max",
            "scripts.base.protocols.http.261.obsolete-line-fold", "scripts.base.protocols.http.261.te-cl-desync",
            "scripts.base.protocols.http.bad-content-range", "scripts.base.protocols.http.deeply-nested-mime",
            "scripts.base.protocols.http.http-09", "scripts.base.protocols.http.http-bad-request-with-version",
            "scripts.base.protocols.http.http-no-crlf", "scripts.base.protocols.http.no-uri",
            "scripts.base.protocols.http.percent-end-of-line", "scripts.base.protocols.http.version-mismatch",
            "scripts.base.protocols.http.smuggle-http-request",
            "scripts.base.protocols.http.inner-transfer-encoding-reproducer");

    @Test
    void schemasMatchZeekHeaderLines() throws Exception {
        Path cases = ZeekConformance.casesDir();
        assertHeader(HttpLog.SCHEMA, cases.resolve("scripts.base.protocols.http.100-continue/baseline/http.log"));
        assertHeader(org.workbench.files.FilesLog.SCHEMA,
                cases.resolve("scripts.base.protocols.smb.smb2-read-write/baseline/files.log"));
    }

    private static void assertHeader(org.workbench.zeeklog.LogSchema schema, Path baseline) throws Exception {
        List<String> lines = Files.readAllLines(baseline);
        String fields = lines.stream().filter(l -> l.startsWith("#fields\t")).findFirst().orElseThrow();
        String types = lines.stream().filter(l -> l.startsWith("#types\t")).findFirst().orElseThrow();
        List<String> ourTypes = schema.fields().stream().map(f -> f.type().toString()).toList();
        org.junit.jupiter.api.Assertions.assertEquals(fields, "#fields\t" + String.join("\t", schema.names()));
        org.junit.jupiter.api.Assertions.assertEquals(types, "#types\t" + String.join("\t", ourTypes));
    }

    @Test
    void httpLogAndWeirdsMatchZeekBaselines() throws Exception {
        Path cases = ZeekConformance.casesDir();
        List<String> report = new ArrayList<>();
        Set<String> rowsOk = new TreeSet<>();
        Set<String> weirdsOk = new TreeSet<>();
        try (var dirs = Files.list(cases)) {
            for (Path c : dirs.sorted().toList()) {
                String name = c.getFileName().toString();
                Path base = c.resolve("baseline");
                Path log = first(base, "http.log", "http.log.cut");
                if (log == null) {
                    continue;
                }
                List<Path> traces;
                try (var w = Files.walk(c.resolve("traces"))) {
                    traces = w.filter(Files::isRegularFile).toList();
                }
                if (traces.size() != 1) {
                    continue;
                }
                boolean capturePassword = Files.readString(c.resolve("manifest.json"))
                        .contains("default_capture_password = T");
                HttpTestSupport t = ZeekConformance.run(traces.get(0), capturePassword);
                ZeekConformance.Baseline b = ZeekConformance.readBaseline(log);
                List<String> want = ZeekConformance.render(b);
                List<String> got = ZeekConformance.render(t.log("http"), b.fields());
                List<String> missing = new ArrayList<>(want);
                missing.removeAll(got);
                List<String> extra = new ArrayList<>(got);
                extra.removeAll(want);
                boolean rows = missing.isEmpty() && extra.isEmpty() && want.size() == got.size();
                if (rows) {
                    rowsOk.add(name);
                }
                report.add((rows ? "OK   " : "DIFF ") + name + " rows want=" + want.size() + " got=" + got.size());
                missing.forEach(s -> report.add("    - " + s));
                extra.forEach(s -> report.add("    + " + s));
                Path wl = first(base, "weird.log", "weird.log.cut");
                if (wl != null) {
                    ZeekConformance.Baseline wb = ZeekConformance.readBaseline(wl);
                    int ni = wb.fields().indexOf("name");
                    int ai = wb.fields().indexOf("addl");
                    List<String> ww = new ArrayList<>();
                    for (List<String> row : wb.rows()) {
                        ww.add(row.get(ni) + "/" + (ai >= 0 ? row.get(ai) : "?"));
                    }
                    List<String> gw = new ArrayList<>();
                    for (String[] x : t.weirds) {
                        gw.add(x[0] + "/" + (ai >= 0 ? ZeekConformance.cell(x[1]) : "?"));
                    }
                    Collections.sort(ww);
                    Collections.sort(gw);
                    if (ww.equals(gw)) {
                        weirdsOk.add(name);
                    }
                    report.add("    weirds " + (ww.equals(gw) ? "OK " : "DIFF ") + ww + " vs " + gw);
                }
            }
        }
        Path out = Path.of("target", "zeek-http-conformance.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        Set<String> rowRegressions = new TreeSet<>(ROWS_MATCH);
        rowRegressions.removeAll(rowsOk);
        Set<String> weirdRegressions = new TreeSet<>(WEIRDS_MATCH);
        weirdRegressions.removeAll(weirdsOk);
        assertTrue(rowRegressions.isEmpty() && weirdRegressions.isEmpty(),
                "http.log differs for " + rowRegressions + ", weirds differ for " + weirdRegressions + "\n"
                        + String.join("\n", report));
    }

    private static Path first(Path dir, String... names) {
        for (String n : names) {
            if (Files.exists(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }
}
