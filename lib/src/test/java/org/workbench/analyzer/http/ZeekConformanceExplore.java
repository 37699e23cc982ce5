package org.workbench.analyzer.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ZeekConformanceExplore {
    @Test
    void explore() throws Exception {
        if (System.getProperty("explore") == null) {
            return;
        }
        Path cases = ZeekConformance.casesDir();
        List<String> report = new ArrayList<>();
        try (var dirs = Files.list(cases)) {
            for (Path c : dirs.sorted().toList()) {
                Path base = c.resolve("baseline");
                Path log = Files.exists(base.resolve("http.log")) ? base.resolve("http.log")
                        : Files.exists(base.resolve("http.log.cut")) ? base.resolve("http.log.cut") : null;
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
                ZeekConformance.Baseline b = ZeekConformance.readBaseline(log);
                HttpTestSupport t;
                try {
                    t = ZeekConformance.run(traces.get(0),
                            Files.readString(c.resolve("manifest.json")).contains("default_capture_password = T"));
                } catch (Exception e) {
                    report.add("CASE " + c.getFileName() + " ERROR " + e);
                    continue;
                }
                List<String> want = new ArrayList<>(ZeekConformance.render(b));
                List<String> got = new ArrayList<>(ZeekConformance.render(t.log("http"), b.fields()));
                List<String> w2 = new ArrayList<>(want);
                w2.removeAll(got);
                List<String> g2 = new ArrayList<>(got);
                g2.removeAll(want);
                report.add("CASE " + c.getFileName() + (w2.isEmpty() && g2.isEmpty() ? " OK" : " DIFF")
                        + " rows want=" + want.size() + " got=" + got.size() + " weirds=" + t.weirdNames());
                for (String s : w2) {
                    report.add("  - " + s);
                }
                for (String s : g2) {
                    report.add("  + " + s);
                }
            }
        }
        Files.write(Path.of(System.getProperty("explore")), report);
    }
}
