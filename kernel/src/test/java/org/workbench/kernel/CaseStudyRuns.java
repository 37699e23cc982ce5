package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Runs the case-study notebooks once per test JVM with {@code workbench notebook run NOTEBOOK --html OUT.html} in a
 * child JVM (the headless {@link NotebookRunner} behind {@code bin/workbench}, with this test's class path), on the
 * shared data: {@code WORKBENCH_PCAP} (Kitchen Boss), {@code WORKBENCH_PCAP_DIR}, {@code WORKBENCH_PE_SAMPLES}, and
 * a fresh {@code WORKBENCH_HOME} per notebook (so every analysis runs, and shows its progress bar). The executed notebooks and pages go to {@code kernel/target/notebook-html/}.
 * Also reads what the executed cells show: outputs by cell id, and HTML tables parsed back into rows.
 */
final class CaseStudyRuns {
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Map<String, Run> RUNS = new HashMap<>();

    private CaseStudyRuns() {
    }

    /** One executed notebook: its source, the executed copy, the HTML page and the parsed executed JSON. */
    record Run(String name, Path notebook, Path executed, Path html, JsonNode nb, String stdout, String stderr) {
        JsonNode cell(String id) {
            for (JsonNode c : nb.get("cells")) {
                if (id.equals(c.path("id").asText())) {
                    return c;
                }
            }
            throw new AssertionError(name + ": no cell with id " + id);
        }

        /** Every table shown by a cell (display_data and execute_result, in order). */
        List<HtmlTable> tables(String id) {
            List<HtmlTable> out = new ArrayList<>();
            for (JsonNode o : cell(id).path("outputs")) {
                String html = text(o.path("data").get("text/html"));
                out.addAll(HtmlTable.parseAll(html));
            }
            return out;
        }

        /** The single table of a cell's execute_result. */
        HtmlTable result(String id) {
            for (JsonNode o : cell(id).path("outputs")) {
                if ("execute_result".equals(o.path("output_type").asText())) {
                    List<HtmlTable> t = HtmlTable.parseAll(text(o.path("data").get("text/html")));
                    assertEquals(1, t.size(), name + " cell " + id + ": one table in its result");
                    return t.get(0);
                }
            }
            throw new AssertionError(name + " cell " + id + " has no execute_result: " + cell(id).path("outputs"));
        }

        /** Tables shown with display(...) by a cell. */
        List<HtmlTable> displayed(String id) {
            List<HtmlTable> out = new ArrayList<>();
            for (JsonNode o : cell(id).path("outputs")) {
                if ("display_data".equals(o.path("output_type").asText())) {
                    out.addAll(HtmlTable.parseAll(text(o.path("data").get("text/html"))));
                }
            }
            return out;
        }
    }

    /** A table parsed from the HTML the kernel renders: caption, header names, body rows as unescaped text. */
    record HtmlTable(String caption, List<String> columns, List<List<String>> rows) {
        private static final Pattern TABLE = Pattern.compile("(?s)<table\\b.*?</table>");
        private static final Pattern CAPTION = Pattern.compile("(?s)<caption>(.*?)</caption>");
        private static final Pattern THEAD = Pattern.compile("(?s)<thead>(.*?)</thead>");
        private static final Pattern TH = Pattern.compile("(?s)<th[^>]*>(.*?)</th>");
        private static final Pattern TBODY = Pattern.compile("(?s)<tbody>(.*?)</tbody>");
        private static final Pattern TR = Pattern.compile("(?s)<tr>(.*?)</tr>");
        /** A cell; cut cells carry their full text in {@code title}. */
        private static final Pattern TD = Pattern.compile("(?s)<td(?: title=\"([^\"]*)\")?[^>]*>(.*?)</td>");

        static List<HtmlTable> parseAll(String html) {
            List<HtmlTable> out = new ArrayList<>();
            if (html == null) {
                return out;
            }
            Matcher m = TABLE.matcher(html);
            while (m.find()) {
                out.add(parse(m.group()));
            }
            return out;
        }

        static HtmlTable parse(String table) {
            Matcher c = CAPTION.matcher(table);
            String caption = c.find() ? unescape(c.group(1)) : null;
            List<String> cols = new ArrayList<>();
            Matcher head = THEAD.matcher(table);
            Matcher th = TH.matcher(head.find() ? head.group(1) : "");
            while (th.find()) {
                cols.add(unescape(th.group(1)));
            }
            if (!cols.isEmpty() && cols.get(0).isEmpty()) {
                cols.remove(0); // the index column
            }
            List<List<String>> rows = new ArrayList<>();
            Matcher body = TBODY.matcher(table);
            if (body.find()) {
                Matcher tr = TR.matcher(body.group(1));
                while (tr.find()) {
                    List<String> row = new ArrayList<>();
                    Matcher td = TD.matcher(tr.group(1));
                    while (td.find()) {
                        row.add(unescape(td.group(1) != null ? td.group(1) : td.group(2)));
                    }
                    rows.add(row);
                }
            }
            return new HtmlTable(caption, cols, rows);
        }

        int col(String name) {
            int i = columns.indexOf(name);
            if (i < 0) {
                throw new AssertionError("table '" + caption + "' has no column " + name + ": " + columns);
            }
            return i;
        }

        /** @return the rows as column name -> text maps */
        List<Map<String, String>> maps() {
            List<Map<String, String>> out = new ArrayList<>();
            for (List<String> r : rows) {
                Map<String, String> m = new LinkedHashMap<>();
                for (int i = 0; i < columns.size() && i < r.size(); i++) {
                    m.put(columns.get(i), r.get(i));
                }
                out.add(m);
            }
            return out;
        }

        /** The row count the caption announces ("name (N rows, M columns)"). */
        int captionRows() {
            Matcher m = Pattern.compile("\\((\\d+) rows?, ").matcher(caption == null ? "" : caption);
            if (!m.find()) {
                throw new AssertionError("caption without a row count: " + caption);
            }
            return Integer.parseInt(m.group(1));
        }

        static String unescape(String s) {
            return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&hellip;", "\u2026").replace("&amp;", "&");
        }
    }

    static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            StringBuilder b = new StringBuilder();
            n.forEach(x -> b.append(x.asText()));
            return b.toString();
        }
        return n.asText();
    }

    static Path shared() {
        String shared = System.getProperty("workbench.shared");
        assertNotNull(shared, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path p = Path.of(shared).toAbsolutePath().normalize();
        for (Path need : List.of(p.resolve("data/pcap/kitchen_boss.pcap"), p.resolve("data/pcap/speedup_computer.pcap"),
                p.resolve("data/samples/pe/bad"), p.resolve("data/samples/pe/good"))) {
            if (!Files.exists(need)) {
                fail("missing shared data: " + need + " (the ../shared folder beside the project)");
            }
        }
        return p;
    }

    static Path root() {
        String root = System.getProperty("workbench.root");
        assertNotNull(root, "system property workbench.root is not set (surefire sets it to the project root)");
        return Path.of(root).toAbsolutePath().normalize();
    }

    private static boolean cleaned;

    /** {@code kernel/target/notebook-html}: executed notebooks, pages and screenshots (old homes removed once). */
    static synchronized Path outDir() throws IOException {
        Path dir = Files.createDirectories(root().resolve("kernel/target/notebook-html"));
        if (!cleaned) {
            cleaned = true;
            try (var s = Files.list(dir)) {
                for (Path old : s.filter(p -> p.getFileName().toString().startsWith("home-")).toList()) {
                    try (var walk = Files.walk(old)) {
                        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
        return dir;
    }

    /** The environment the case studies read their inputs from (all on the shared data), with a new home. */
    static Map<String, String> env() throws IOException {
        Path s = shared();
        Path home = Files.createTempDirectory(outDir(), "home-");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WORKBENCH_PCAP", s.resolve("data/pcap/kitchen_boss.pcap").toString());
        env.put("WORKBENCH_PCAP_DIR", s.resolve("data/pcap").toString());
        env.put("WORKBENCH_PE_SAMPLES", s.resolve("data/samples/pe").toString());
        env.put("WORKBENCH_HOME", home.toString());
        env.put("WORKBENCH_NO_BUILD", "1");
        return env;
    }

    /**
     * Runs {@code notebooks/NAME.ipynb} once per JVM (later calls return the same run).
     *
     * @param name the notebook's file name without {@code .ipynb}
     */
    static synchronized Run run(String name) throws Exception {
        Run r = RUNS.get(name);
        if (r != null) {
            return r;
        }
        Path notebook = root().resolve("notebooks").resolve(name + ".ipynb");
        if (!Files.isRegularFile(notebook)) {
            fail("missing notebook " + notebook);
        }
        Path dir = outDir();
        Path html = dir.resolve(name + ".html");
        Path executed = dir.resolve(name + ".ipynb");
        Files.deleteIfExists(html);
        Files.deleteIfExists(executed);
        Path javaTmp = Files.createDirectories(dir.resolve("java-tmp"));
        String cp = KernelSpecInstaller.currentClasspath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = List.of(KernelSpecInstaller.currentJava(), "-Djava.io.tmpdir=" + javaTmp, "-cp", cp,
                "org.workbench.cli.Main", "notebook", "run", notebook.toString(), "--html", html.toString());
        long t0 = System.nanoTime();
        TsharkOracle.Result res = TsharkOracle.exec(cmd, env(), dir, null, RUN_TIMEOUT);
        System.out.printf("CaseStudyRuns: %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        assertEquals(0, res.code(), name + ": workbench notebook run --html failed:\n" + res.stdout() + res.stderr());
        if (!Files.isRegularFile(html) || !Files.isRegularFile(executed)) {
            fail(name + ": --html must write " + html + " and the executed notebook " + executed + " beside it");
        }
        JsonNode nb = new ObjectMapper().readTree(executed.toFile());
        for (JsonNode c : nb.get("cells")) {
            for (JsonNode o : c.path("outputs")) {
                if ("error".equals(o.path("output_type").asText())) {
                    fail(name + " cell " + c.path("id").asText() + " failed: " + o.path("ename").asText() + ": "
                            + o.path("evalue").asText());
                }
            }
        }
        r = new Run(name, notebook, executed, html, nb, res.stdout(), res.stderr());
        RUNS.put(name, r);
        return r;
    }
}
