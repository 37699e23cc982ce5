package org.workbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner on a few cases of the shared corpus that exercise the configuration: several runs and JSON logs,
 * a BPF filter with {@code Analyzer::disable_all}, VLAN logging, column renaming, a gzip trace.
 */
class ConformanceRunnerTest {
    @TempDir
    static Path out;

    static List<ConformanceRunner.CaseResult> results;
    static Map<String, ConformanceRunner.CaseResult> byName = new HashMap<>();

    @BeforeAll
    static void run() throws Exception {
        results = ConformanceRunner.builder(ScopeListTest.corpus(), out)
                .scope(ScopeList.read(ScopeListTest.scopeFile()))
                .caseGlob("scripts.base.frameworks.logging.json-non-printable-escaping")
                .caseGlob("scripts.base.frameworks.analyzer.request-analyzer")
                .caseGlob("scripts.policy.protocols.conn.vlan-logging")
                .caseGlob("scripts.base.frameworks.logging.{field-name-map2,scope_sep}")
                .caseGlob("scripts.base.protocols.ssl.fragment")
                .caseGlob("scripts.base.protocols.smtp.address-limits")
                .build().run();
        for (ConformanceRunner.CaseResult r : results) {
            byName.put(r.caseName(), r);
        }
    }

    private static LogScore score(String c, String log) {
        return byName.get(c).logs().stream().filter(s -> s.log().equals(log)).findFirst().orElseThrow();
    }

    @Test
    void selectsByGlobInNameOrder() {
        assertEquals(List.of("scripts.base.frameworks.analyzer.request-analyzer",
                "scripts.base.frameworks.logging.field-name-map2",
                "scripts.base.frameworks.logging.json-non-printable-escaping",
                "scripts.base.frameworks.logging.scope_sep",
                "scripts.base.protocols.smtp.address-limits",
                "scripts.base.protocols.ssl.fragment",
                "scripts.policy.protocols.conn.vlan-logging"),
                results.stream().map(ConformanceRunner.CaseResult::caseName).toList());
        for (ConformanceRunner.CaseResult r : results) {
            assertNull(r.error(), r.caseName());
        }
        assertFalse(byName.get("scripts.base.protocols.smtp.address-limits").inScope());
        assertTrue(byName.get("scripts.base.protocols.ssl.fragment").inScope());
    }

    @Test
    void severalRunsGoToRunFoldersAndJsonWhenAsked() throws IOException {
        Path c = out.resolve("scripts.base.frameworks.logging.json-non-printable-escaping");
        String tsv = Files.readString(c.resolve("run0/http.log"));
        String json = Files.readString(c.resolve("run1/http.log"));
        assertTrue(tsv.startsWith("#separator"), tsv);
        assertTrue(json.startsWith("{"), json);
        List<LogScore> logs = byName.get("scripts.base.frameworks.logging.json-non-printable-escaping").logs();
        assertEquals(2, logs.size());
        for (LogScore s : logs) {
            assertEquals(1.0, s.score(), 1e-9, s.toString());
        }
    }

    @Test
    void bpfFilterAndDisableAll() throws IOException {
        // 'port 53 or port 80' keeps 24 connections; with Analyzer::disable_all only HTTP runs and the connsize
        // analyzer is off, so packet counts are unset
        LogScore conn = score("scripts.base.frameworks.analyzer.request-analyzer", "conn");
        assertEquals(24, conn.expectedRows());
        assertEquals(24, conn.actualRows());
        assertTrue(conn.score() > 0.99, conn.toString());
        String log = Files.readString(out.resolve("scripts.base.frameworks.analyzer.request-analyzer/conn.log"));
        assertFalse(log.contains("\tdns\t"), "DNS analyzer must be off");
    }

    @Test
    void vlanLoggingAndRenamedColumns() throws IOException {
        String vlan = Files.readString(out.resolve("scripts.policy.protocols.conn.vlan-logging/conn.log"));
        assertTrue(vlan.contains("\tvlan\tinner_vlan"), vlan);
        assertEquals(1.0, score("scripts.policy.protocols.conn.vlan-logging", "conn").score(), 1e-9);
        String renamed = Files.readString(out.resolve("scripts.base.frameworks.logging.field-name-map2/conn.log"));
        assertTrue(renamed.contains("\tsrc_ip\tsrc_port\tdst_ip\tdst_port\t"), renamed);
        String sep = Files.readString(out.resolve("scripts.base.frameworks.logging.scope_sep/conn.log"));
        assertTrue(sep.contains("\tid_orig_h\t"), sep);
    }

    @Test
    void gzipTraceIsRead() {
        ConformanceRunner.CaseResult r = byName.get("scripts.base.protocols.ssl.fragment");
        assertNull(r.error());
        assertTrue(Files.isRegularFile(out.resolve("scripts.base.protocols.ssl.fragment/conn.log")),
                "the gzip trace was analysed");
    }
}
