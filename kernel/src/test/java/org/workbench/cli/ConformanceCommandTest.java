package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.conformance.ScopeList;

/**
 * {@code workbench conformance} on the whole shared Zeek conformance corpus: the in-scope pooled score of every
 * log must stay at or above the level reached so far.
 */
class ConformanceCommandTest {
    /**
     * Floors: the targets (0.99 for conn/dns/http/files, 0.95 for ssl/x509/dhcp/weird), which the pooled
     * in-scope cell agreement reached on 2026-11-29 (conn 0.9983, dns 1.0, http 0.9954, files 1.0, ssl 1.0,
     * x509 0.9744, dhcp 1.0, weird 0.9518). The runner's own defaults are the same, so this also checks the
     * command passes without --threshold.
     */
    static final Map<String, Double> FLOORS = new LinkedHashMap<>();

    static {
        FLOORS.put("conn", 0.99);
        FLOORS.put("dns", 0.99);
        FLOORS.put("http", 0.99);
        FLOORS.put("files", 0.99);
        FLOORS.put("ssl", 0.95);
        FLOORS.put("x509", 0.95);
        FLOORS.put("dhcp", 0.95);
        FLOORS.put("weird", 0.95);
    }

    @TempDir
    Path dir;

    record Result(int code, String err, String out) {
    }

    static Result run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.run(args);
            return new Result(rc, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    static Path corpus() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set: it must name the shared folder holding "
                    + "zeek-conformance/");
        }
        Path c = Path.of(shared, "zeek-conformance");
        if (!Files.isDirectory(c.resolve("cases"))) {
            fail("conformance corpus " + c + " does not exist (system property workbench.shared=" + shared + ")");
        }
        return c;
    }

    @Test
    void inScopeScoresStayAtOrAboveTheFloors() throws Exception {
        Path scope = ScopeList.find(Path.of(""));
        assertNotNull(scope, ScopeList.PROJECT_PATH + " not found");
        List<String> args = new ArrayList<>(List.of("conformance", corpus().toString(), "--out",
                dir.resolve("out").toString(), "--scope", scope.toString()));
        for (Map.Entry<String, Double> e : FLOORS.entrySet()) {
            args.add("--threshold");
            args.add(e.getKey() + "=" + e.getValue());
        }
        Result r = run(args.toArray(String[]::new));
        String report = r.out + r.err;
        assertEquals(0, r.code, report);
        assertTrue(r.out.contains("All cases (2"), report);
        assertTrue(r.out.contains("In-scope cases ("), report);
        for (String log : FLOORS.keySet()) {
            assertTrue(r.out.contains("\n  " + log + " "), log + " row in " + report);
        }
        List<String> scores = Files.readAllLines(dir.resolve("out/scores.tsv"));
        assertTrue(scores.size() > 290, "one line per expected log: " + scores.size());
        assertTrue(Files.isRegularFile(dir.resolve("out/scripts.base.protocols.dns.binds/dns.log")));
        assertTrue(Files.isRegularFile(dir.resolve("out/scripts.policy.protocols.conn.speculative-service/run1/conn.log")));
        System.out.println(r.out);
    }

    @Test
    void failsBelowThresholdAndSelectsCases() {
        Result r = run("conformance", corpus().toString(), "--out", dir.resolve("o").toString(),
                "--case", "scripts.base.protocols.dns.binds", "--threshold", "dns=1.01", "--threads", "1");
        assertEquals(1, r.code, r.out + r.err);
        assertTrue(r.out.contains("All cases (1)"), r.out);
        assertTrue(r.out.contains("Below threshold: dns"), r.out);
        Result none = run("conformance", corpus().toString(), "--out", dir.resolve("o").toString(),
                "--case", "no-such-case*");
        assertEquals(1, none.code);
        assertTrue(none.err.contains("no case matches"), none.err);
        Result bad = run("conformance", dir.toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("not a conformance corpus"), bad.err);
    }
}
