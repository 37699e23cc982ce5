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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.graph.GraphConfig;
import org.workbench.graph.GraphStore;
import tech.tablesaw.api.Table;

/**
 * Runs {@code notebooks/PCAP_to_Graph.ipynb} headless ({@code workbench notebook run} in a child JVM with its own
 * {@code WORKBENCH_HOME} and {@code WORKBENCH_PCAP_DIR} = the shared captures) and checks what its cells show:
 * against the graph it left in the home (reopened here through the driver) and against tshark (which server
 * sent each file body, the drive-by's executables and containers). Fails (never skips) when the shared data or
 * tshark is missing.
 */
class PcapToGraphNotebookTest {
    static final List<String> CAPTURES = List.of("kitchen_boss.pcap", "speedup_computer.pcap",
            "winmediaplayer.pcap");
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

    @TempDir
    static Path tmp;

    static JsonNode nb;
    static GraphStore graph;
    static Map<String, String> md5ByName = new LinkedHashMap<>();
    static Path pcapDir;

    @BeforeAll
    static void runNotebook() throws Exception {
        String shared = System.getProperty("workbench.shared");
        String root = System.getProperty("workbench.root");
        assertNotNull(shared, "system property workbench.shared is not set (surefire sets it to ../shared)");
        assertNotNull(root, "system property workbench.root is not set (surefire sets it to the project root)");
        pcapDir = Path.of(shared, "data", "pcap").toAbsolutePath().normalize();
        for (String c : CAPTURES) {
            if (!Files.isRegularFile(pcapDir.resolve(c))) {
                fail("missing shared data: " + pcapDir.resolve(c));
            }
            md5ByName.put(c, TsharkOracle.md5(Files.readAllBytes(pcapDir.resolve(c))));
        }
        TsharkOracle.requireTools();
        Path notebook = Path.of(root, "notebooks", "PCAP_to_Graph.ipynb").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(notebook), "missing notebook " + notebook);
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path out = tmp.resolve("PCAP_to_Graph.out.ipynb");
        String cp = KernelSpecInstaller.currentClasspath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = List.of(KernelSpecInstaller.currentJava(), "-Djava.io.tmpdir=" + javaTmp, "-cp", cp,
                "org.workbench.cli.Main", "notebook", "run", notebook.toString(), "-o", out.toString());
        Path home = tmp.resolve("home");
        long t0 = System.nanoTime();
        TsharkOracle.Result r = TsharkOracle.exec(cmd, Map.of("WORKBENCH_PCAP_DIR", pcapDir.toString(),
                "WORKBENCH_HOME", home.toString(), "WORKBENCH_NO_BUILD", "1"), tmp, null, RUN_TIMEOUT);
        System.out.printf("PcapToGraphNotebookTest: headless run took %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code(), "workbench notebook run failed:\n" + r.stdout() + r.stderr());
        nb = new ObjectMapper().readTree(out.toFile());
        DriveByNotebookTest.assertNoErrors(nb, "headless");
        // the notebook closed its workbench, so the embedded database it left can be opened here
        graph = GraphStore.open(GraphConfig.embedded(home.resolve("graph")));
    }

    @AfterAll
    static void closeGraph() {
        if (graph != null) {
            graph.close();
        }
    }

    /** The table a tagged cell shows, read with {@link CaseStudyRuns.HtmlTable}; rows as column -> text. */
    record HtmlTable(List<String> header, List<Map<String, String>> rows) {
        static HtmlTable of(String tag) {
            JsonNode data = DriveByNotebookTest.result(nb, tag);
            assertTrue(data.has("text/html"), tag + ": no text/html: " + data);
            List<CaseStudyRuns.HtmlTable> tables = CaseStudyRuns.HtmlTable.parseAll(
                    DriveByNotebookTest.text(data.get("text/html")));
            assertFalse(tables.isEmpty(), tag + ": no table in " + data);
            CaseStudyRuns.HtmlTable t = tables.get(0);
            for (List<String> cells : t.rows()) {
                assertFalse(cells.contains("\u2026"), tag + ": table was cut");
                assertEquals(t.columns().size(), cells.size(), tag + ": cells of row " + cells);
            }
            return new HtmlTable(t.columns(), t.maps());
        }
    }

    private static long count(String cypher, String md5) {
        Table t = graph.query(cypher, Map.of("c", md5)).table();
        return t.longColumn(0).get(0);
    }

    @Test
    void buildTableShowsEachCaptureWithTheCountsTheGraphHas() {
        HtmlTable t = HtmlTable.of("build");
        assertEquals(CAPTURES, t.rows().stream().map(r -> r.get("capture")).toList());
        for (Map<String, String> row : t.rows()) {
            String md5 = md5ByName.get(row.get("capture"));
            assertEquals(md5, row.get("md5"));
            assertEquals(count("MATCH (n) WHERE $c IN n.captures RETURN count(n)", md5),
                    Long.parseLong(row.get("nodes")), row.toString());
            assertEquals(count("MATCH ()-[r]->() WHERE $c IN r.captures RETURN count(r)", md5),
                    Long.parseLong(row.get("relationships")), row.toString());
            assertTrue(Long.parseLong(row.get("nodes")) > 0, row.toString());
        }
        // the captures add up: no capture removed another's elements
        long created = t.rows().stream().mapToLong(r -> Long.parseLong(r.get("nodes_created"))).sum();
        assertEquals(graph.nodeCount(), created);
        long relsCreated = t.rows().stream().mapToLong(r -> Long.parseLong(r.get("relationships_created"))).sum();
        assertEquals(graph.relationshipCount(), relsCreated);
    }

    @Test
    void perCaptureCountsMatchTheGraph() {
        HtmlTable t = HtmlTable.of("per_capture");
        assertEquals(List.of("capture", "hosts", "domains", "files", "relationships"), t.header());
        assertEquals(new TreeSet<>(CAPTURES), t.rows().stream().map(r -> r.get("capture"))
                .collect(Collectors.toCollection(TreeSet::new)));
        for (Map<String, String> row : t.rows()) {
            String md5 = md5ByName.get(row.get("capture"));
            for (String label : List.of("host", "domain", "file")) {
                assertEquals(count("MATCH (n:" + label + ") WHERE $c IN n.captures RETURN count(n)", md5),
                        Long.parseLong(row.get(label + "s")), label + " of " + row);
            }
            assertEquals(count("MATCH ()-[r]->() WHERE $c IN r.captures RETURN count(r)", md5),
                    Long.parseLong(row.get("relationships")), row.toString());
        }
    }

    @Test
    void sharedHostsAreTheHostsOfSeveralCaptures() {
        HtmlTable t = HtmlTable.of("shared_hosts");
        Map<String, Long> expected = new TreeMap<>();
        Table all = graph.query("MATCH (h:host) RETURN h.name AS name, h.captures AS c").table();
        List<List<Object>> lists = new ArrayList<>();
        for (Map<String, Object> rec : graph.records("MATCH (h:host) RETURN h.name AS name, h.captures AS c",
                Map.of())) {
            List<?> caps = (List<?>) rec.get("c");
            assertTrue(md5ByName.values().containsAll(caps), "captures of " + rec);
            if (caps.size() > 1) {
                expected.put((String) rec.get("name"), (long) caps.size());
            }
        }
        assertTrue(all.rowCount() > expected.size());
        Map<String, Long> shown = new TreeMap<>();
        t.rows().forEach(r -> shown.put(r.get("host"), Long.parseLong(r.get("captures"))));
        assertEquals(expected, shown);
    }

    @Test
    void filesComeFromTheServersTsharkSawSendingThem() throws Exception {
        Map<String, Set<String>> serversByMd5 = new TreeMap<>();
        Set<String> driveByFiles = new TreeSet<>();
        for (String c : CAPTURES) {
            Path dir = Files.createDirectories(tmp.resolve("oracle-" + c));
            for (JsonNode p : new ObjectMapper().readTree(TsharkOracle.run(List.of(TsharkOracle.TSHARK, "-r",
                    pcapDir.resolve(c).toString(), "-Y", "http.response and tcp", "-T", "json", "-x", "-j",
                    "ip http"), dir))) {
                JsonNode layers = p.path("_source").path("layers");
                JsonNode ip = layers.path("ip").isArray() ? layers.path("ip").get(layers.path("ip").size() - 1)
                        : layers.path("ip");
                JsonNode http = layers.path("http");
                for (JsonNode h : http.isArray() ? http : List.of(http)) {
                    JsonNode raw = h.path("http.file_data_raw");
                    if (raw.isArray() && raw.size() > 0) {
                        serversByMd5.computeIfAbsent(TsharkOracle.md5(HexFormat.of().parseHex(raw.get(0).asText())),
                                k -> new TreeSet<>()).add(ip.path("ip.src").asText());
                    }
                }
            }
            if (c.equals("kitchen_boss.pcap")) {
                TsharkOracle.exportHttpObjects(pcapDir.resolve(c), dir.resolve("objects")).stream()
                        .filter(o -> TsharkOracle.isExecutableOrContainer(o.mime()))
                        .forEach(o -> driveByFiles.add(o.md5()));
            }
        }
        HtmlTable t = HtmlTable.of("file_servers");
        Set<String> shownFiles = new TreeSet<>();
        int checked = 0;
        for (Map<String, String> row : t.rows()) {
            shownFiles.add(row.get("md5"));
            Set<String> servers = serversByMd5.get(row.get("md5"));
            if (servers != null) {
                assertTrue(servers.contains(row.get("server")), row + " but tshark saw it from " + servers);
                checked++;
            }
            assertEquals(Long.parseLong(row.get("size")) < 50 * 1024, Boolean.parseBoolean(row.get("small")),
                    row.toString());
        }
        assertTrue(shownFiles.containsAll(driveByFiles), "the Kitchen Boss drive-by files " + driveByFiles
                + " are among " + shownFiles);
        assertTrue(checked >= driveByFiles.size(), "checked " + checked + " rows against tshark");
        assertEquals(graph.query("MATCH (f:file) RETURN f").rowCount(), shownFiles.size());

        // file <- server <- domain <- client: the server is the file's sender, the domain one of its names
        Map<String, Set<String>> serversOf = new TreeMap<>();
        Map<String, String> namesOf = new TreeMap<>();
        t.rows().forEach(r -> {
            serversOf.computeIfAbsent(r.get("md5"), k -> new TreeSet<>()).add(r.get("server"));
            namesOf.put(r.get("md5") + " " + r.get("server"), r.get("server_names"));
        });
        HtmlTable paths = HtmlTable.of("file_paths");
        assertEquals(graph.query("MATCH p = (f:file)<-[:SENT_FILE]-(s:host)<-[:SERVED_BY]-(d:domain)"
                + "<-[:DNS_QUERY]-(c:origin) RETURN p").rowCount(), paths.rows().size());
        Set<String> reached = new TreeSet<>();
        for (Map<String, String> row : paths.rows()) {
            String md5 = row.get("md5");
            assertTrue(serversOf.getOrDefault(md5, Set.of()).contains(row.get("server")), row.toString());
            assertTrue(namesOf.get(md5 + " " + row.get("server")).contains("\"" + row.get("domain") + "\""),
                    row + " vs " + namesOf.get(md5 + " " + row.get("server")));
            assertEquals("(" + md5 + ")<-[:SENT_FILE]-(" + row.get("server") + ")<-[:SERVED_BY]-("
                    + row.get("domain") + ")<-[:DNS_QUERY]-(" + row.get("client") + ")", row.get("p"));
            reached.add(md5);
        }
        assertTrue(reached.containsAll(driveByFiles), "each drive-by file has a path back to the client: "
                + reached);
        // the last cell shows the GraphResult itself (however it is rendered) without error
        assertTrue(DriveByNotebookTest.cell(nb, "picture").path("outputs").size() > 0);
    }
}
