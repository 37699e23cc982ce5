package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.cli.Main;
import org.workbench.kernel.TsharkOracle.DnsQuery;
import org.workbench.kernel.TsharkOracle.HttpObject;
import org.workbench.kernel.TsharkOracle.HttpRequest;
import org.workbench.kernel.TsharkOracle.HttpResponse;
import org.workbench.synth.DriveByCapture;

/**
 * Runs the reference walkthrough {@code notebooks/PCAP_DriveBy.ipynb} on the Kitchen Boss capture and checks what
 * its executed cells show against tshark and libmagic's {@code file} ({@link TsharkOracle}), never against
 * constants: the extracted and distinct files, the DNS queries, the HTTP summary and the drive-by timeline. Then
 * the same notebook through real Jupyter (nbconvert) must show the same outputs, and without the capture the
 * notebook must fall back to the synthetic drive-by capture. A WORKBENCH_PCAP naming no file must fail the first
 * cell; another capture must run through every cell. Fails (never skips) when a tool or the shared data
 * folder is missing.
 *
 * <p>The headless run is {@code workbench notebook run} ({@link Main}) in a child JVM with this test's class
 * path: that is what {@code bin/workbench} executes, but {@code bin/workbench} takes its jars from
 * {@code kernel/target/lib}, which Maven only fills at {@code package} (after the tests), so it may be absent or
 * stale here. A child JVM gets the environment variables the notebook reads ({@code WORKBENCH_PCAP},
 * {@code WORKBENCH_HOME}) for real.
 */
class DriveByNotebookTest {
    static final String NBCONVERT = "/usr/bin/jupyter-nbconvert";
    static final String PYTHON = "/usr/bin/python3";
    static final String KERNEL = "workbench-java-driveby-test";
    /** The domains the notebook's timeline cell selects (checked against the cell's source). */
    static final List<String> TIMELINE_DOMAINS = List.of("kitchenboss.com.au", "www.kitchenboss.com.au",
            "p22x62n0yr63872e-qh6.focondteavrt.ru", "2496128308-6.focondteavrt.ru", "92.194.4.142.in-addr.arpa");
    /** The visitor's machine in the Kitchen Boss capture (and in the synthetic one). */
    static final String VICTIM = "192.168.22.10";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    static Path tmp;

    static Path notebook;
    static Path capture;
    static Oracle oracle;
    static JsonNode headless;

    /** What tshark and file say about one capture. */
    record Oracle(List<HttpObject> objects, List<DnsQuery> queries, List<HttpResponse> responses,
                  List<HttpRequest> requests) {
        /** The exported objects whose libmagic type is an executable or container, one per download. */
        List<HttpObject> interesting() {
            return objects.stream().filter(o -> TsharkOracle.isExecutableOrContainer(o.mime())).toList();
        }

        Set<String> interestingMd5s() {
            return interesting().stream().map(HttpObject::md5).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @BeforeAll
    static void runNotebookHeadless() throws Exception {
        String shared = System.getProperty("workbench.shared");
        String root = System.getProperty("workbench.root");
        assertNotNull(shared, "system property workbench.shared is not set (surefire sets it to ../shared)");
        assertNotNull(root, "system property workbench.root is not set (surefire sets it to the project root)");
        capture = Path.of(shared, "data", "pcap", "kitchen_boss.pcap").toAbsolutePath().normalize();
        if (!Files.isRegularFile(capture)) {
            fail("missing shared data: " + capture + " (the ../shared folder beside the project, with data/pcap)");
        }
        notebook = Path.of(root, "notebooks", "PCAP_DriveBy.ipynb").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(notebook), "missing notebook " + notebook);
        TsharkOracle.requireTools();
        oracle = oracle(capture, tmp.resolve("oracle-kitchen-boss"));
        headless = runHeadless(capture.toString(), "headless").notebook();
    }

    static Oracle oracle(Path pcap, Path dir) throws Exception {
        Files.createDirectories(dir);
        return new Oracle(TsharkOracle.exportHttpObjects(pcap, dir.resolve("objects")),
                TsharkOracle.dnsQueries(pcap, dir), TsharkOracle.httpResponses(pcap, dir),
                TsharkOracle.httpRequests(pcap, dir));
    }

    record Run(int code, JsonNode notebook, String stdout, String stderr, Path javaTmp) {
    }

    /** {@code workbench notebook run NOTEBOOK -o OUT} with WORKBENCH_PCAP set: must succeed without a failed cell. */
    static Run runHeadless(String pcapEnv, String name) throws Exception {
        Run r = runNotebook(notebook, pcapEnv, name);
        assertEquals(0, r.code(), "workbench notebook run failed:\n" + r.stdout() + r.stderr());
        assertNoErrors(r.notebook(), name);
        return r;
    }

    /**
     * {@code workbench notebook run NB -o OUT} in a child JVM, with its own WORKBENCH_HOME and temp dir.
     *
     * @param pcapEnv the value of WORKBENCH_PCAP; blank counts as unset for the notebook
     */
    static Run runNotebook(Path nb, String pcapEnv, String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path javaTmp = Files.createDirectories(dir.resolve("java-tmp"));
        Path out = dir.resolve("PCAP_DriveBy.out.ipynb");
        String cp = KernelSpecInstaller.currentClasspath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = List.of(KernelSpecInstaller.currentJava(), "-Djava.io.tmpdir=" + javaTmp, "-cp", cp,
                "org.workbench.cli.Main", "notebook", "run", nb.toString(), "-o", out.toString());
        Map<String, String> env = Map.of("WORKBENCH_PCAP", pcapEnv, "WORKBENCH_HOME", dir.resolve("home").toString(),
                "WORKBENCH_NO_BUILD", "1");
        long t0 = System.nanoTime();
        TsharkOracle.Result r = TsharkOracle.exec(cmd, env, dir, null, RUN_TIMEOUT);
        System.out.printf("DriveByNotebookTest: headless run '%s' took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
        assertTrue(Files.isRegularFile(out), "the executed notebook is written, even when a cell fails:\n"
                + r.stdout() + r.stderr());
        return new Run(r.code(), new ObjectMapper().readTree(out.toFile()), r.stdout(), r.stderr(), javaTmp);
    }

    /** Files the notebook left in its java.io.tmpdir (the synthetic capture used to be written there). */
    static List<String> leftInTmp(Run r) throws Exception {
        try (var s = Files.list(r.javaTmp())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains("driveby")).toList();
        }
    }

    // ------------------------------------------------------------------ 1. headless, against tshark

    @Test
    void headlessRunExecutesEveryCellWithoutError() {
        assertNoErrors(headless, "headless");
        for (String tag : List.of("extracted", "distinct_files", "dns", "http_groupby", "files_head", "timeline")) {
            JsonNode data = result(headless, tag);
            assertTrue(data.has("text/plain") && data.has("text/html"), tag + ": table cell has text/plain and "
                    + "text/html: " + data.fieldNames());
            assertTrue(text(data.get("text/html")).contains("<table"), tag + ": text/html is a table");
        }
        assertEquals(capture.toString(), text(result(headless, "inputs").get("text/plain")),
                "the inputs cell uses WORKBENCH_PCAP");
    }

    @Test
    void distinctFilesAreTheExecutableObjectsTsharkExports() {
        assertDistinctFiles(headless, oracle);
        assertEquals(4, oracle.interestingMd5s().size(), "tshark: distinct executable/container objects "
                + oracle.interesting());
    }

    @Test
    void extractedFilesAreOneRowPerExportedObject() {
        assertExtractedFiles(headless, oracle);
        assertEquals(9, oracle.interesting().size(), "tshark: executable/container downloads " + oracle.interesting());
    }

    @Test
    void dnsCellShowsTsharksQueries() {
        TextTable dns = TextTable.parse(text(result(headless, "dns").get("text/plain")));
        assertFalse(dns.truncated(), "dns table printed in full");
        List<String> expected = oracle.queries().stream().map(DnsQuery::name).toList();
        // as in Zeek, dns.log rows are written when the answer arrives, so the rows are not in query order
        // (advertdedicated.com is asked before fpdownload2.macromedia.com but answered after it): compare multisets
        assertEquals(sorted(expected), sorted(dns.column("query")), "dns queries (tshark -Y dns.flags.response==0)");
        assertEquals(12, expected.size(), "tshark: DNS queries " + expected);
        assertTrue(expected.containsAll(List.of("p22x62n0yr63872e-qh6.focondteavrt.ru",
                "2496128308-6.focondteavrt.ru", "92.194.4.142.in-addr.arpa")), expected.toString());
        Map<Integer, String> typeNames = Map.of(1, "A", 2, "NS", 5, "CNAME", 6, "SOA", 12, "PTR", 15, "MX",
                16, "TXT", 28, "AAAA", 33, "SRV", 255, "*");
        List<String> ours = new ArrayList<>();
        for (int r = 0; r < dns.rows().size(); r++) {
            ours.add(dns.column("query").get(r) + " " + dns.column("qtype_name").get(r));
        }
        assertEquals(sorted(oracle.queries().stream()
                        .map(q -> q.name() + " " + typeNames.getOrDefault(q.type(), "?" + q.type())).toList()),
                sorted(ours), "query names and types (tshark dns.qry.type)");
        assertTrue(ours.contains("92.194.4.142.in-addr.arpa PTR"), ours.toString());
    }

    @Test
    void httpGroupByShowsBodyBytesPerHostAndUri() {
        JsonNode data = result(headless, "http_groupby");
        List<String> header = List.of("host", "uid", "resp_mime_types", "uri", "Sum [response_body_len]");
        assertEquals(header, TextTable.parse(text(data.get("text/plain"))).header(), "text/plain header");
        HtmlTable html = HtmlTable.parse(text(data.get("text/html")));
        assertEquals(header, html.header(), "text/html header");
        assertEquals(html.captionRows(), html.rows().size(), "the HTML table shows every row (no ellipsis)");

        // sum of response_body_len per (host, uri) against tshark's de-chunked, decoded body lengths
        Map<List<String>, Long> ours = new TreeMap<>(Comparator.comparing(Object::toString));
        for (List<String> r : html.rows()) {
            assertTrue(r.get(4).matches("\\d+"), "integer sum " + r);
            ours.merge(List.of(r.get(0), r.get(3)), Long.parseLong(r.get(4)), Long::sum);
        }
        Map<List<String>, Long> theirs = new TreeMap<>(Comparator.comparing(Object::toString));
        Map<List<String>, Integer> responses = new HashMap<>();
        for (HttpResponse r : oracle.responses()) {
            theirs.merge(List.of(r.host(), r.uri()), r.bodyLength(), Long::sum);
            responses.merge(List.of(r.host(), r.uri()), 1, Integer::sum);
        }
        Map<List<String>, Integer> requests = new HashMap<>();
        oracle.requests().forEach(r -> requests.merge(List.of(r.host(), r.uri()), 1, Integer::sum));
        Set<String> requested = requests.keySet().stream().map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> logged = ours.keySet().stream().map(Object::toString)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(requested, logged, "(host, uri) pairs: http.log vs tshark's requests");
        // tshark only dissects complete responses: a response with a capture gap (header_bg.png in Kitchen Boss,
        // "previous segment not captured") is missing there, so pairs with fewer responses than requests in
        // tshark are not compared; the drive-by downloads must all be compared.
        Set<String> interesting = oracle.interestingMd5s();
        List<String> skipped = new ArrayList<>();
        for (var e : ours.entrySet()) {
            if (responses.getOrDefault(e.getKey(), 0) < requests.get(e.getKey())) {
                skipped.add(e.getKey().toString());
                assertFalse(oracle.responses().stream().anyMatch(r -> interesting.contains(r.bodyMd5())
                        && List.of(r.host(), r.uri()).equals(e.getKey())), "drive-by download not compared " + e);
                continue;
            }
            assertEquals(theirs.get(e.getKey()), e.getValue(), "response_body_len sum of " + e.getKey());
        }
        assertTrue(skipped.size() <= 2, "pairs tshark has no full response for: " + skipped);
    }

    @Test
    void timelineFollowsTheDriveByOrder() throws Exception {
        // the domains of interest are set with the notebook's inputs, and the timeline cell uses them
        String inputs = text(cell(headless, "inputs").get("source"));
        for (String d : TIMELINE_DOMAINS) {
            assertTrue(inputs.contains('"' + d + '"'), "the inputs cell names " + d);
        }
        assertTrue(text(cell(headless, "timeline").get("source")).contains("domainsOfInterest"),
                "the timeline cell selects the domains of interest");
        List<String> labels = assertTimeline(headless, oracle, TIMELINE_DOMAINS);
        assertEquals(14, labels.size(), "5 DNS lookups and 9 downloads: " + labels);
    }

    @Test
    void graphLinksEveryFileToTheNamesThatServedItAndToTheVictim() {
        String inputs = text(cell(headless, "inputs").get("source"));
        assertTrue(inputs.contains('"' + VICTIM + '"'), "the inputs cell names the victim " + VICTIM);
        // who sent each file: one row per distinct file; the names it was fetched under are among the server's names
        TextTable servers = TextTable.parse(text(result(headless, "graph_servers").get("text/plain")));
        assertEquals(oracle.interestingMd5s(), new TreeSet<>(servers.column("md5")), "files in the graph vs tshark");
        for (int r = 0; r < servers.rows().size(); r++) {
            String md5 = servers.column("md5").get(r);
            Set<String> hosts = oracle.responses().stream().filter(x -> md5.equals(x.bodyMd5()))
                    .map(HttpResponse::host).collect(Collectors.toCollection(TreeSet::new));
            assertFalse(hosts.isEmpty(), "tshark saw a response carrying " + md5);
            for (String h : hosts) {
                assertTrue(servers.column("domains").get(r).contains('"' + h + '"'),
                        md5 + " was served under " + h + " (tshark), so that name is SERVED_BY its sender: "
                                + servers.rows().get(r));
            }
        }
        // the shortest path from each file ends at the victim
        String paths = text(result(headless, "graph_paths").get("text/plain"));
        int graphLine = paths.indexOf("\nGraph:");
        assertTrue(graphLine > 0, "graph_paths shows the table and the graph: " + paths);
        TextTable p = TextTable.parse(paths.substring(0, graphLine));
        assertEquals(oracle.interestingMd5s(), new TreeSet<>(p.column("md5")), "one path per distinct file");
        for (int r = 0; r < p.rows().size(); r++) {
            String path = p.column("p").get(r);
            assertTrue(path.startsWith("(" + p.column("md5").get(r) + ")") && path.endsWith("(" + VICTIM + ")"),
                    "path from the file to " + VICTIM + ": " + path);
        }
        JsonNode all = result(headless, "graph_all");
        assertTrue(all.has("image/svg+xml") && all.has("text/html"), "the graph shows as a picture: " + all.fieldNames());
    }

    // ------------------------------------------------------------------ 2. real Jupyter

    @Test
    void nbconvertShowsTheSameOutputs() throws Exception {
        if (!Files.isExecutable(Path.of(NBCONVERT))) {
            fail("missing tool: " + NBCONVERT + " (Debian package jupyter-nbconvert)");
        }
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail("missing tool: " + PYTHON + " (Debian package python3) is needed by jupyter-nbconvert");
        }
        Path dir = Files.createDirectories(tmp.resolve("nbconvert"));
        Path jupyter = dir.resolve("jupyter");
        assertEquals(0, Main.run("kernel", "install", "--prefix", jupyter.toString(), "--name", KERNEL),
                "kernel install");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JUPYTER_PATH", jupyter.resolve("share/jupyter").toString());
        env.put("JUPYTER_DATA_DIR", jupyter.resolve("data").toString());
        env.put("JUPYTER_RUNTIME_DIR", jupyter.resolve("runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", jupyter.resolve("config").toString());
        env.put("JUPYTER_PLATFORM_DIRS", "1");
        env.put("WORKBENCH_PCAP", capture.toString());
        env.put("WORKBENCH_HOME", dir.resolve("home").toString());
        long t0 = System.nanoTime();
        TsharkOracle.Result r = TsharkOracle.exec(List.of(NBCONVERT, "--to", "notebook", "--execute",
                "--ExecutePreprocessor.kernel_name=" + KERNEL, "--ExecutePreprocessor.timeout=600",
                "--output-dir", dir.toString(), "--output", "PCAP_DriveBy.nbconvert.ipynb", notebook.toString()),
                env, dir, null, RUN_TIMEOUT);
        System.out.printf("DriveByNotebookTest: nbconvert took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code(), "jupyter-nbconvert failed:\n" + r.stdout() + r.stderr());
        JsonNode theirs = new ObjectMapper().readTree(dir.resolve("PCAP_DriveBy.nbconvert.ipynb").toFile());
        assertNoErrors(theirs, "nbconvert");
        // stream text, text/plain and text/html per cell; execution counts, metadata and timing are not compared
        // progress bars (NotebookProgress) carry timings: they are not part of the comparison
        // the graph build reports its database address and its duration: not compared either
        List<Map<String, String>> a = JupyterKernelTest.outputs(withoutCell(withoutProgress(theirs), "graph_build"));
        List<Map<String, String>> b = JupyterKernelTest.outputs(withoutCell(withoutProgress(headless), "graph_build"));
        // the log handles (MD5s) must agree too: stored logs carry the capture's time, not the wall clock. Only the
        // workbench home differs between the two runs (it appears in vt_query's "no API key" message).
        a.replaceAll(m -> withoutPath(m, dir.resolve("home").toString()));
        b.replaceAll(m -> withoutPath(m, tmp.resolve("headless").resolve("home").toString()));
        assertEquals(b.size(), a.size(), "cell count");
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i), a.get(i), "outputs of cell " + i + " (nbconvert vs headless)");
        }
        assertTrue(a.stream().filter(m -> m.containsKey("execute_result text/html")).count() >= 6,
                "the comparison covers the table cells");
    }

    /** A copy of a notebook without the progress-bar outputs ({@code div.workbench-progress}). */
    static JsonNode withoutProgress(JsonNode nb) {
        JsonNode copy = nb.deepCopy();
        for (JsonNode c : copy.get("cells")) {
            if (c.path("outputs") instanceof com.fasterxml.jackson.databind.node.ArrayNode outs) {
                for (int i = outs.size() - 1; i >= 0; i--) {
                    if (outs.get(i).path("data").path("text/html").toString().contains("workbench-progress")) {
                        outs.remove(i);
                    }
                }
            }
        }
        return copy;
    }

    /** A copy of a notebook whose cell with this tag has no outputs. */
    static JsonNode withoutCell(JsonNode nb, String tag) {
        JsonNode copy = nb.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) cell(copy, tag)).putArray("outputs");
        return copy;
    }

    static Map<String, String> withoutPath(Map<String, String> outputs, String path) {
        Map<String, String> m = new TreeMap<>();
        // text tables pad columns to the longest value, so the path's length changes the padding: compare text
        // outputs with runs of blanks and rules collapsed (the HTML twin is still compared exactly)
        outputs.forEach((k, v) -> {
            // chart and graph containers carry ids unique to the process that drew them
            String w = v.replace(path, "<home>").replaceAll("workbench_plot_[0-9]+_[0-9]+_[0-9a-f]+", "workbench_plot_ID")
                    .replaceAll("workbench-graph-[0-9]+-[0-9]+-[0-9a-f]+", "workbench-graph-ID")
                    .replaceAll("wb-arrow-[0-9a-f]+", "wb-arrow-ID")
                    // Neo4j element ids name the database they come from
                    .replaceAll("[0-9]+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9]+", "ELEMENT_ID");
            m.put(k, k.endsWith("text/plain") ? w.replaceAll(" +", " ").replaceAll("-{2,}", "--") : w);
        });
        return m;
    }

    // ------------------------------------------------------------------ 3. fallback to the synthetic capture

    /**
     * Without WORKBENCH_PCAP and without the reference capture at the notebook's default path (the notebook is
     * copied to a folder with no {@code ../data}), the notebook analyses the synthetic drive-by, held in memory.
     */
    @Test
    void missingDefaultCaptureFallsBackToTheSyntheticDriveBy() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("synthetic-notebook").resolve("notebooks"))
                .resolve("PCAP_DriveBy.ipynb");
        Files.copy(notebook, copy);
        Path defaultPath = copy.getParent().getParent().resolve("data/pcap/kitchen_boss.pcap");
        Run run = runNotebook(copy, "", "synthetic");
        assertEquals(0, run.code(), run.stdout() + run.stderr());
        JsonNode nb = run.notebook();
        assertNoErrors(nb, "synthetic");
        String stdout = JupyterKernelTest.outputs(nb).get(indexOf(nb, "inputs")).getOrDefault("stream stdout", "");
        assertTrue(stdout.contains("No capture at " + defaultPath), stdout);
        assertTrue(stdout.contains("Using a small synthetic drive-by capture generated by the project instead"),
                "the notebook says it uses the synthetic capture: " + stdout);
        assertEquals(defaultPath.toString(), text(result(nb, "inputs").get("text/plain")), "the cell's value");
        assertEquals(TsharkOracle.md5(DriveByCapture.bytes()), text(result(nb, "store").get("text/plain")),
                "the stored capture is DriveByCapture's (deterministic) capture");
        assertEquals(List.of(), leftInTmp(run), "no temporary capture file left behind");

        Path synthetic = tmp.resolve("synthetic_driveby.pcap");
        DriveByCapture.write(synthetic);
        Oracle synth = oracle(synthetic, tmp.resolve("oracle-synthetic"));
        assertFalse(synth.interesting().isEmpty(), "tshark exports executable/container objects from " + synthetic);
        assertExtractedFiles(nb, synth);
        assertDistinctFiles(nb, synth);
        // with the synthetic capture the notebook follows the synthetic story's names
        assertTimeline(nb, synth, List.of(DriveByCapture.SITE, DriveByCapture.DGA1, DriveByCapture.DGA2));
    }

    /** A WORKBENCH_PCAP naming no file fails the first cell with the path; nothing synthetic is analysed. */
    @Test
    void wrongWorkbenchPcapFailsTheFirstCell() throws Exception {
        Path missing = tmp.resolve("no-such-folder").resolve("typo.pcap");
        Run run = runNotebook(notebook, missing.toString(), "wrong-path");
        assertEquals(1, run.code(), "a failed cell: exit status 1\n" + run.stdout() + run.stderr());
        JsonNode nb = run.notebook();
        Map<String, String> inputs = JupyterKernelTest.outputs(nb).get(indexOf(nb, "inputs"));
        assertEquals("java.lang.IllegalArgumentException", inputs.get("error ename"), inputs.toString());
        assertTrue(inputs.get("error evalue").startsWith("WORKBENCH_PCAP=" + missing + ": no such file"),
                inputs.toString());
        assertFalse(inputs.getOrDefault("stream stdout", "").contains("synthetic"), inputs.toString());
        assertTrue((run.stdout() + run.stderr()).contains(missing.toString()), "the run's message names the path");
        assertTrue(cell(nb, "store").get("execution_count").isNull(), "later cells do not run");
        assertEquals(List.of(), leftInTmp(run), "no temporary capture file");
    }

    /**
     * Another capture (speedup_computer.pcap: a fake-optimizer download, no Flash file): every cell runs; the
     * files are tshark's, the visitor and names come from the capture, and the Flash cell says there is none.
     */
    @Test
    void anotherCaptureRunsEveryCell() throws Exception {
        Path other = capture.resolveSibling("speedup_computer.pcap");
        if (!Files.isRegularFile(other)) {
            fail("missing shared data: " + other);
        }
        JsonNode nb = runHeadless(other.toString(), "speedup").notebook();
        Oracle o = oracle(other, tmp.resolve("oracle-speedup"));
        assertFalse(o.interesting().isEmpty(), "tshark exports executables from " + other);
        TextTable distinct = TextTable.parse(text(result(nb, "distinct_files").get("text/plain")));
        Set<String> md5s = new TreeSet<>(distinct.column("md5"));
        // tshark exports the CAB file but not the 80 kB executable of this capture (it does not reassemble that
        // response), so its objects are a subset here, not the whole set
        assertTrue(md5s.containsAll(o.interestingMd5s()), "distinct files " + md5s + " include tshark's "
                + o.interesting());
        Map<String, String> pe = JupyterKernelTest.outputs(nb).get(indexOf(nb, "pe_indicators"));
        assertTrue(pe.getOrDefault("display_data text/plain", "").contains("pe_indicators"),
                "the executable's indicators are shown: " + pe);
        List<Map<String, String>> outputs = JupyterKernelTest.outputs(nb);
        assertTrue(outputs.get(indexOf(nb, "swf_meta")).getOrDefault("stream stdout", "")
                .contains("No SWF (Flash) file in this capture"), outputs.get(indexOf(nb, "swf_meta")).toString());
        JsonNode followed = new ObjectMapper().readTree(text(result(nb, "follow").get("text/plain")));
        String victim = followed.get("victim").asText();
        assertFalse(victim.equals(VICTIM), "the visitor comes from this capture, not Kitchen Boss: " + followed);
        List<String> domains = new ArrayList<>();
        followed.get("domainsOfInterest").forEach(d -> domains.add(d.asText()));
        assertFalse(domains.isEmpty() || domains.stream().anyMatch(TIMELINE_DOMAINS::contains), followed.toString());
        // the timeline: lookups of exactly those names (the capture's DNS queries, per tshark) and the downloads
        TextTable timeline = TextTable.parse(text(result(nb, "timeline").get("text/plain")));
        List<String> queries = new ArrayList<>();
        Set<String> files = new TreeSet<>();
        for (int r = 0; r < timeline.rows().size(); r++) {
            if (timeline.column("_path").get(r).equals("dns")) {
                queries.add(timeline.column("query").get(r));
            } else {
                files.add(timeline.column("md5").get(r));
            }
        }
        assertEquals(sorted(o.queries().stream().map(DnsQuery::name).filter(domains::contains).toList()),
                sorted(queries), "timeline DNS rows vs tshark's queries of " + domains);
        assertEquals(md5s, files, "timeline download rows");
        // every distinct file reached the derived visitor in the graph
        TextTable servers = TextTable.parse(text(result(nb, "graph_servers").get("text/plain")));
        assertEquals(md5s, new TreeSet<>(servers.column("md5")), "files received by " + victim);
    }

    // ------------------------------------------------------------------ shared checks

    static void assertExtractedFiles(JsonNode nb, Oracle o) {
        TextTable t = TextTable.parse(text(result(nb, "extracted").get("text/plain")));
        assertFalse(t.truncated(), "extracted table printed in full");
        assertEquals(o.interesting().size(), t.rows().size(), "one extracted row per exported executable/container "
                + "object " + o.interesting());
        assertEquals(sorted(o.interesting().stream().map(HttpObject::md5).toList()), sorted(t.column("md5")),
                "MD5 multiset of extracted files vs tshark --export-objects http");
    }

    static void assertDistinctFiles(JsonNode nb, Oracle o) {
        TextTable t = TextTable.parse(text(result(nb, "distinct_files").get("text/plain")));
        assertFalse(t.truncated(), "distinct_files table printed in full");
        List<String> md5s = t.column("md5");
        assertEquals(md5s.size(), Set.copyOf(md5s).size(), "distinct md5s " + md5s);
        assertEquals(o.interestingMd5s(), new TreeSet<>(md5s), "distinct files vs tshark's exported "
                + "executable/container objects " + o.interesting());
        for (int r = 0; r < md5s.size(); r++) {
            String md5 = md5s.get(r);
            HttpObject obj = o.interesting().stream().filter(x -> x.md5().equals(md5)).findFirst().orElseThrow();
            assertEquals(obj.mime(), t.column("mime_type").get(r), "libmagic MIME type of " + md5);
            assertEquals(Long.toString(obj.size()), t.column("file_size").get(r), "size of " + md5);
        }
    }

    /**
     * The timeline's rows as labels (query name for dns rows, md5 for files rows) against tshark's events in time
     * order: the DNS query frames of {@link #TIMELINE_DOMAINS} and the HTTP responses whose body is one of the
     * distinct files. Rows the notebook shows with the same (millisecond) time may come in any order. DNS rows
     * must show the query frame's time, file rows a time at or before the response's last frame.
     *
     * @return the notebook's labels
     */
    static List<String> assertTimeline(JsonNode nb, Oracle o, List<String> domains) {
        TextTable t = TextTable.parse(text(result(nb, "timeline").get("text/plain")));
        assertFalse(t.truncated(), "timeline printed in full");
        record Event(Instant time, String label) {
        }
        List<Event> expected = new ArrayList<>();
        o.queries().stream().filter(q -> domains.contains(q.name()))
                .forEach(q -> expected.add(new Event(q.time(), q.name())));
        Set<String> md5s = o.interestingMd5s();
        o.responses().stream().filter(r -> md5s.contains(r.bodyMd5()))
                .forEach(r -> expected.add(new Event(r.time(), r.bodyMd5())));
        expected.sort(Comparator.comparing(Event::time));

        List<Event> actual = new ArrayList<>();
        for (int r = 0; r < t.rows().size(); r++) {
            String path = t.column("_path").get(r);
            String label = switch (path) {
                case "dns" -> t.column("query").get(r);
                case "files" -> t.column("md5").get(r);
                default -> throw new AssertionError("unexpected _path " + path);
            };
            actual.add(new Event(LocalDateTime.parse(t.column("ts").get(r)).toInstant(ZoneOffset.UTC), label));
        }
        List<String> labels = actual.stream().map(Event::label).toList();
        String context = "\nnotebook: " + actual + "\ntshark:   " + expected;
        assertEquals(expected.size(), actual.size(), "timeline rows" + context);
        assertEquals(sorted(expected.stream().map(Event::label).toList()), sorted(labels), "timeline labels" + context);
        // compare runs of equal displayed time as multisets, in order
        for (int i = 0; i < actual.size(); ) {
            int j = i;
            while (j < actual.size() && actual.get(j).time().equals(actual.get(i).time())) {
                j++;
            }
            assertEquals(sorted(expected.subList(i, j).stream().map(Event::label).toList()),
                    sorted(labels.subList(i, j)), "timeline rows " + i + ".." + (j - 1) + context);
            i = j;
        }
        for (Event e : actual) {
            if (TIMELINE_DOMAINS.contains(e.label())) {
                assertTrue(expected.stream().anyMatch(x -> x.label().equals(e.label())
                        && Duration.between(x.time(), e.time()).abs().toMillis() < 1),
                        "dns row " + e + " shows the time of tshark's query frame" + context);
            } else {
                assertTrue(expected.stream().anyMatch(x -> x.label().equals(e.label()) && !e.time().isAfter(x.time())),
                        "files row " + e + " is at or before tshark's response" + context);
            }
        }
        return labels;
    }

    // ------------------------------------------------------------------ notebook JSON helpers

    static void assertNoErrors(JsonNode nb, String run) {
        for (JsonNode c : nb.get("cells")) {
            if (!"code".equals(c.path("cell_type").asText())) {
                continue;
            }
            assertTrue(c.path("execution_count").isInt(), run + ": cell not executed: " + text(c.get("source")));
            for (JsonNode o : c.path("outputs")) {
                assertFalse("error".equals(o.path("output_type").asText()), run + ": error output " + o);
            }
        }
    }

    static int indexOf(JsonNode nb, String tag) {
        JsonNode cells = nb.get("cells");
        for (int i = 0; i < cells.size(); i++) {
            for (JsonNode t : cells.get(i).path("metadata").path("tags")) {
                if (t.asText().equals(tag)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no cell tagged " + tag);
    }

    static JsonNode cell(JsonNode nb, String tag) {
        return nb.get("cells").get(indexOf(nb, tag));
    }

    /** The data of the cell's execute_result. */
    static JsonNode result(JsonNode nb, String tag) {
        for (JsonNode o : cell(nb, tag).path("outputs")) {
            if ("execute_result".equals(o.path("output_type").asText())) {
                return o.get("data");
            }
        }
        throw new AssertionError("cell " + tag + " has no execute_result: " + cell(nb, tag).path("outputs"));
    }

    static String text(JsonNode n) {
        return JupyterKernelTest.text(n);
    }

    static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    /** A table as Tablesaw's {@code print()} writes it: title line, header, dashes, rows; {@code ...} rows elided. */
    record TextTable(List<String> header, List<List<String>> rows, boolean truncated) {
        static TextTable parse(String text) {
            List<String> lines = text.lines().toList();
            int h = -1;
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i + 1).matches("-{3,}") && lines.get(i).contains("|")) {
                    h = i;
                    break;
                }
            }
            if (h < 0) {
                throw new AssertionError("not a Tablesaw table:\n" + text);
            }
            // the column separators of the header line delimit the columns of every row
            List<Integer> bars = new ArrayList<>();
            String head = lines.get(h);
            for (int i = 0; i < head.length(); i++) {
                if (head.charAt(i) == '|') {
                    bars.add(i);
                }
            }
            List<String> header = cells(head, bars);
            List<List<String>> rows = new ArrayList<>();
            boolean truncated = false;
            for (String line : lines.subList(h + 2, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> r = cells(line, bars);
                if (r.stream().allMatch("..."::equals)) {
                    truncated = true;
                } else {
                    rows.add(r);
                }
            }
            return new TextTable(header, rows, truncated);
        }

        private static List<String> cells(String line, List<Integer> bars) {
            List<String> c = new ArrayList<>();
            int from = 0;
            for (int b : bars) {
                c.add(line.substring(Math.min(from, line.length()), Math.min(b, line.length())).strip());
                from = b + 1;
            }
            return c;
        }

        List<String> column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new AssertionError("no column " + name + " in " + header);
            }
            return rows.stream().map(r -> r.get(i)).toList();
        }
    }

    /**
     * The workbench's HTML rendering of a table ({@link TableHtml}): caption "NAME (N rows, M columns)", th header,
     * rows of a th index then td cells.
     */
    record HtmlTable(List<String> header, List<List<String>> rows, int captionRows) {
        private static final Pattern CAPTION = Pattern.compile("<caption>.*\\((\\d+) rows?, \\d+ columns?\\)</caption>");
        private static final Pattern ROW = Pattern.compile("<tr(?: [^>]*)?>(.*?)</tr>", Pattern.DOTALL);
        // a cell cut at the renderer's column width carries its full text in its title
        private static final Pattern CELL = Pattern.compile("<t[hd](?: title=\"([^\"]*)\")?(?: [^>]*)?>(.*?)</t[hd]>",
                Pattern.DOTALL);

        static HtmlTable parse(String html) {
            Matcher c = CAPTION.matcher(html);
            assertTrue(c.find(), "caption with the row count: " + html.substring(0, Math.min(300, html.length())));
            List<List<String>> all = new ArrayList<>();
            Matcher r = ROW.matcher(html);
            while (r.find()) {
                List<String> cells = new ArrayList<>();
                Matcher m = CELL.matcher(r.group(1));
                while (m.find()) {
                    boolean cut = m.group(1) != null && m.group(2).endsWith("&hellip;");
                    cells.add(unescape(cut ? m.group(1) : m.group(2)));
                }
                all.add(cells.subList(1, cells.size())); // the first cell is the row index (empty in the header)
            }
            assertFalse(all.isEmpty(), "no rows in " + html);
            return new HtmlTable(all.get(0), all.subList(1, all.size()), Integer.parseInt(c.group(1)));
        }

        static String unescape(String s) {
            return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                    .replace("&hellip;", "\u2026").replace("&amp;", "&");
        }
    }
}
