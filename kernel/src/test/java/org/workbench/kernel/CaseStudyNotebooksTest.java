package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFileSink;
import org.workbench.kernel.CaseStudyRuns.HtmlTable;
import org.workbench.kernel.CaseStudyRuns.Run;
import org.workbench.zeeklog.DirectoryLogSink;

/**
 * Runs the case studies {@code notebooks/PCAP_to_Dataframe.ipynb} and {@code notebooks/PE_Static_Analysis.ipynb}
 * headless ({@link CaseStudyRuns}) and checks what their cells show against facts computed here independently of
 * the notebooks: the Zeek logs of each capture written separately by {@link ZeekAnalysis} and read as plain TSV
 * (row counts, sums, groups, time buckets), and for the executables python3-pefile and hashlib
 * ({@code pe_facts.py}) plus tshark's HTTP object export with libmagic ({@link TsharkOracle}). No expected value is
 * written in this file.
 */
class CaseStudyNotebooksTest {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    static Path tmp;

    static Run df;
    static Run pe;
    /** capture file name -> log path -> its TSV rows (field name -> raw value). */
    static Map<String, Map<String, List<Map<String, String>>>> ownLogs = new LinkedHashMap<>();
    /** capture file name -> log path -> number of fields. */
    static Map<String, Map<String, Integer>> ownFields = new LinkedHashMap<>();

    @BeforeAll
    static void run() throws Exception {
        Path pcaps = CaseStudyRuns.shared().resolve("data/pcap");
        df = CaseStudyRuns.run("PCAP_to_Dataframe");
        pe = CaseStudyRuns.run("PE_Static_Analysis");
        for (String capture : List.of("speedup_computer.pcap", "kitchen_boss.pcap")) {
            Path dir = tmp.resolve("logs-" + capture);
            try (DirectoryLogSink sink = new DirectoryLogSink(dir)) {
                ZeekAnalysis.builder().verifyChecksums(false).build()
                        .run(pcaps.resolve(capture), sink, ExtractedFileSink.discarding());
            }
            Map<String, List<Map<String, String>>> logs = new TreeMap<>();
            Map<String, Integer> fields = new TreeMap<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path log : s.filter(p -> p.toString().endsWith(".log")).toList()) {
                    String path = log.getFileName().toString().replace(".log", "");
                    List<String> names = null;
                    List<Map<String, String>> rows = new ArrayList<>();
                    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                        if (line.startsWith("#fields\t")) {
                            names = Arrays.asList(line.substring("#fields\t".length()).split("\t", -1));
                        } else if (!line.startsWith("#")) {
                            String[] v = line.split("\t", -1);
                            Map<String, String> row = new LinkedHashMap<>();
                            for (int i = 0; i < names.size(); i++) {
                                row.put(names.get(i), v[i]);
                            }
                            rows.add(row);
                        }
                    }
                    logs.put(path, rows);
                    fields.put(path, names.size());
                }
            }
            ownLogs.put(capture, logs);
            ownFields.put(capture, fields);
        }
    }

    static List<Map<String, String>> log(String capture, String path) {
        return ownLogs.get(capture).getOrDefault(path, List.of());
    }

    static double num(String zeekValue) {
        return "-".equals(zeekValue) || zeekValue == null || zeekValue.isEmpty() ? Double.NaN
                : Double.parseDouble(zeekValue);
    }

    /** The value shown in a table cell as a number (empty = missing = NaN). */
    static double shown(String cell) {
        return cell == null || cell.isBlank() ? Double.NaN : Double.parseDouble(cell);
    }

    static String study() {
        return "speedup_computer.pcap";
    }

    // ------------------------------------------------------------------ PCAP_to_Dataframe

    @Test
    void everyLogOfEveryCaptureIsAFrameOfTheRightSize() {
        HtmlTable sizes = df.result("frames");
        Map<String, String> shown = new TreeMap<>();
        for (Map<String, String> r : sizes.maps()) {
            shown.put(r.get("capture") + "/" + r.get("log"), r.get("rows") + " x " + r.get("columns"));
        }
        Map<String, String> expected = new TreeMap<>();
        ownLogs.forEach((capture, logs) -> logs.forEach((path, rows) -> expected.put(capture + "/" + path,
                rows.size() + " x " + ownFields.get(capture).get(path))));
        assertEquals(expected, shown, "log sizes: rows x columns of every log, vs the logs written separately");
        assertTrue(ownLogs.get(study()).keySet().containsAll(List.of("conn", "dns", "http", "files", "ssl", "x509",
                "dhcp")), "the main capture has the logs the notebook is about: " + ownLogs.get(study()).keySet());
    }

    @Test
    void firstRowsOfEachLogAreShownConnFirst() {
        List<HtmlTable> shown = df.displayed("logs-head");
        List<String> order = List.of("conn", "dns", "http", "files", "ssl", "x509", "dhcp", "weird");
        List<String> expected = order.stream().filter(ownLogs.get(study())::containsKey).toList();
        assertEquals(expected, shown.stream().map(t -> t.caption().replaceFirst(" \\(.*", "")).toList());
        for (HtmlTable t : shown) {
            String path = t.caption().replaceFirst(" \\(.*", "");
            List<Map<String, String>> own = log(study(), path);
            assertEquals(Math.min(3, own.size()), t.rows().size(), path + ": first rows");
            for (int i = 0; i < t.rows().size(); i++) {
                // the same rows in the same order: their times agree (Tablesaw keeps milliseconds)
                long ownMillis = (long) Math.floor(Double.parseDouble(own.get(i).get("ts")) * 1000);
                long shownMillis = LocalDateTime.parse(t.maps().get(i).get("ts")).toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
                assertEquals(ownMillis, shownMillis, path + " row " + i + ": ts");
            }
        }
    }

    @Test
    void filterKeepsTcpConnectionsWithMoreThan10kBReceived() {
        HtmlTable big = df.result("filter");
        List<Double> expected = log(study(), "conn").stream()
                .filter(r -> r.get("proto").equals("tcp") && num(r.get("resp_bytes")) > 10_000)
                .map(r -> num(r.get("resp_bytes"))).sorted(Comparator.reverseOrder()).toList();
        assertFalse(expected.isEmpty(), "the capture has big downloads");
        assertEquals(expected, big.maps().stream().map(r -> shown(r.get("resp_bytes"))).toList(),
                "resp_bytes of the big TCP connections, largest first");
        // uids are seeded per run: join on the uids of the logs written here
        Set<String> uids = log(study(), "conn").stream()
                .filter(r -> r.get("proto").equals("tcp") && num(r.get("resp_bytes")) > 10_000)
                .map(r -> r.get("uid")).collect(Collectors.toSet());
        long requests = log(study(), "http").stream().filter(r -> uids.contains(r.get("uid"))).count();
        assertEquals(requests, df.result("filter-http").rows().size(), "HTTP requests on those connections");
    }

    @Test
    void groupbySumsBytesPerService() {
        Map<String, double[]> expected = new TreeMap<>();
        for (Map<String, String> r : log(study(), "conn")) {
            String service = r.get("service").equals("-") ? "" : r.get("service");
            double[] s = expected.computeIfAbsent(service, k -> new double[2]);
            double o = num(r.get("orig_bytes"));
            double b = num(r.get("resp_bytes"));
            s[0] += Double.isNaN(o) ? 0 : o;
            s[1] += Double.isNaN(b) ? 0 : b;
        }
        Map<String, double[]> shown = new TreeMap<>();
        for (Map<String, String> r : df.result("groupby").maps()) {
            shown.put(r.get("service"), new double[] {shown(r.get("Sum [orig_bytes]")), shown(r.get("Sum [resp_bytes]"))});
        }
        assertEquals(expected.keySet(), shown.keySet(), "services");
        expected.forEach((k, v) -> assertEquals(Arrays.toString(v), Arrays.toString(shown.get(k)), "service '" + k + "'"));

        Map<String, Integer> perService = new TreeMap<>();
        log(study(), "conn").forEach(r -> perService.merge(r.get("service").equals("-") ? "" : r.get("service"), 1,
                Integer::sum));
        Map<String, Integer> shownCounts = new TreeMap<>();
        df.displayed("countby").get(0).maps().forEach(r -> shownCounts.put(r.get("service"),
                Integer.parseInt(r.get("Count"))));
        assertEquals(perService, shownCounts, "connections per service");

        Map<String, Integer> hosts = new TreeMap<>();
        log(study(), "http").forEach(r -> hosts.merge(r.get("host"), 1, Integer::sum));
        List<Map<String, String>> shownHosts = df.result("countby").maps();
        Map<String, Integer> shownHostCounts = new TreeMap<>();
        shownHosts.forEach(r -> shownHostCounts.put(r.get("host"), Integer.parseInt(r.get("Count"))));
        assertEquals(hosts, shownHostCounts, "HTTP requests per host");
        for (int i = 1; i < shownHosts.size(); i++) {
            assertTrue(Integer.parseInt(shownHosts.get(i - 1).get("Count")) >= Integer.parseInt(shownHosts.get(i).get("Count")),
                    "hosts sorted by count, descending");
        }
    }

    @Test
    void pivotsHaveOneColumnPerCaptureAndPerProtocol() {
        HtmlTable rows = df.displayed("pivot").get(0);
        assertEquals(new TreeSet<>(ownLogs.keySet()), new TreeSet<>(rows.columns().subList(1, rows.columns().size())));
        Set<String> allLogs = new TreeSet<>();
        ownLogs.values().forEach(l -> allLogs.addAll(l.keySet()));
        assertEquals(allLogs, rows.maps().stream().map(r -> r.get("log")).collect(Collectors.toCollection(TreeSet::new)));
        for (Map<String, String> r : rows.maps()) {
            for (String capture : ownLogs.keySet()) {
                List<Map<String, String>> own = ownLogs.get(capture).get(r.get("log"));
                assertEquals(own == null ? Double.NaN : own.size(), shown(r.get(capture)), r.get("log") + " in " + capture);
            }
        }
        HtmlTable perClient = df.result("pivot");
        Map<String, Double> expected = new TreeMap<>();
        for (Map<String, String> r : log(study(), "conn")) {
            double b = num(r.get("resp_bytes"));
            expected.merge(r.get("id.orig_h") + "/" + r.get("proto"), Double.isNaN(b) ? 0 : b, Double::sum);
        }
        Map<String, Double> got = new TreeMap<>();
        for (Map<String, String> r : perClient.maps()) {
            for (String proto : perClient.columns().subList(1, perClient.columns().size())) {
                if (!r.get(proto).isBlank()) {
                    got.put(r.get("id.orig_h") + "/" + proto, shown(r.get(proto)));
                }
            }
        }
        assertEquals(expected, got, "bytes received per client and protocol");
    }

    @Test
    void resamplingCountsConnectionsPerBucketIncludingEmptyOnes() {
        JsonNode inputs = df.cell("inputs");
        String src = CaseStudyRuns.text(inputs.get("source"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("long bucketSeconds = (\\d+);").matcher(src);
        assertTrue(m.find(), "the inputs cell sets bucketSeconds");
        long width = Long.parseLong(m.group(1));
        TreeMap<Long, Integer> expected = new TreeMap<>();
        TreeMap<Long, Double> bytes = new TreeMap<>();
        for (Map<String, String> r : log(study(), "conn")) {
            long sec = (long) Math.floor(Double.parseDouble(r.get("ts")));
            long bucket = Math.floorDiv(sec, width) * width;
            expected.merge(bucket, 1, Integer::sum);
            double b = num(r.get("resp_bytes"));
            bytes.merge(bucket, Double.isNaN(b) ? 0 : b, Double::sum);
        }
        for (long b = expected.firstKey(); b <= expected.lastKey(); b += width) {
            expected.putIfAbsent(b, 0);
            bytes.putIfAbsent(b, 0.0);
        }
        TreeMap<Long, Integer> got = new TreeMap<>();
        TreeMap<Long, Double> gotBytes = new TreeMap<>();
        for (Map<String, String> r : df.result("resample").maps()) {
            long t = LocalDateTime.parse(r.get("bucket")).toEpochSecond(ZoneOffset.UTC);
            got.put(t, Integer.parseInt(r.get("connections")));
            gotBytes.put(t, shown(r.get("Sum [resp_bytes]")));
        }
        assertEquals(expected, got, "connections per " + width + " s bucket");
        assertEquals(bytes, gotBytes, "bytes received per bucket");

        TreeMap<Long, Integer> dns = new TreeMap<>();
        log(study(), "dns").forEach(r -> dns.merge((long) Math.floor(Double.parseDouble(r.get("ts"))), 1, Integer::sum));
        TreeMap<Long, Integer> gotDns = new TreeMap<>();
        df.result("dns-per-second").maps().forEach(r -> gotDns.put(
                LocalDateTime.parse(r.get("second")).toEpochSecond(ZoneOffset.UTC), Integer.parseInt(r.get("Count"))));
        assertEquals(dns, gotDns, "DNS queries per second");
    }

    @Test
    void bothCapturesSideBySide() {
        Map<String, String> expected = new TreeMap<>();
        ownLogs.forEach((capture, logs) -> {
            List<Map<String, String>> conn = logs.get("conn");
            long set = conn.stream().filter(r -> !r.get("resp_bytes").equals("-")).count();
            double sum = conn.stream().mapToDouble(r -> num(r.get("resp_bytes"))).filter(d -> !Double.isNaN(d)).sum();
            expected.put(capture, set + " / " + sum);
        });
        Map<String, String> got = new TreeMap<>();
        df.result("compare").maps().forEach(r -> got.put(r.get("capture"),
                (long) shown(r.get("Count [resp_bytes]")) + " / " + shown(r.get("Sum [resp_bytes]"))));
        assertEquals(expected, got, "per capture: conn rows with resp_bytes / their sum");
    }

    @Test
    void analyzeCellShowsOneFinishedProgressBarPerAnalysedCapture() {
        int bars = 0;
        for (JsonNode o : df.cell("analyze").path("outputs")) {
            String html = CaseStudyRuns.text(o.path("data").get("text/html"));
            if (html != null && html.contains("workbench-progress")) {
                bars++;
                assertTrue(html.contains("data-finished=\"true\""), "final state: " + html);
            }
        }
        // a fresh home: each capture is analysed, so each shows its bar once
        assertEquals(2, bars, "one progress bar per pcap_zeek run in the analyze cell");
    }

    // ------------------------------------------------------------------ PE_Static_Analysis

    /** pefile + hashlib facts of files, by MD5. */
    static Map<String, JsonNode> peFacts(List<Path> files) throws Exception {
        Path script = tmp.resolve("pe_facts.py");
        try (var in = CaseStudyNotebooksTest.class.getResourceAsStream("/pe_facts.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        files.forEach(f -> cmd.add(f.toString()));
        TsharkOracle.Result r = TsharkOracle.exec(cmd, Map.of(), tmp, null, java.time.Duration.ofMinutes(2));
        assertEquals(0, r.code(), "pe_facts.py (python3-pefile) failed: " + r.stderr());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : r.stdout().lines().toList()) {
            JsonNode n = json.readTree(line);
            out.put(n.get("md5").asText(), n);
        }
        return out;
    }

    static List<Path> sampleFiles(String group) throws IOException {
        try (Stream<Path> s = Files.list(CaseStudyRuns.shared().resolve("data/samples/pe").resolve(group))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static String md5(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
    }

    @Test
    void peComparisonFrameAgreesWithPefileForEverySample() throws Exception {
        // the executables of the capture, as tshark exports them and libmagic types them
        List<TsharkOracle.HttpObject> objects = TsharkOracle.exportHttpObjects(
                CaseStudyRuns.shared().resolve("data/pcap/kitchen_boss.pcap"), tmp.resolve("objects"));
        List<Path> captured = new ArrayList<>();
        for (TsharkOracle.HttpObject o : objects) {
            if (o.mime().equals("application/x-dosexec") || o.mime().equals("application/vnd.microsoft.portable-executable")) {
                captured.add(tmp.resolve("objects").resolve(o.name()));
            }
        }
        assertFalse(captured.isEmpty(), "tshark exports an executable from the capture");
        Map<String, String> expectedOrigin = new LinkedHashMap<>();
        for (Path f : captured) {
            expectedOrigin.putIfAbsent(md5(f), "kitchen_boss.pcap");
        }
        List<Path> all = new ArrayList<>(captured);
        for (String g : List.of("bad", "good")) {
            for (Path f : sampleFiles(g)) {
                expectedOrigin.putIfAbsent(md5(f), g);
                all.add(f);
            }
        }
        Map<String, JsonNode> facts = peFacts(all);

        HtmlTable comparison = pe.result("comparison");
        assertEquals(comparison.captionRows(), comparison.rows().size(), "every row shown");
        Map<String, String> shownOrigin = new LinkedHashMap<>();
        comparison.maps().forEach(r -> shownOrigin.put(r.get("md5"), r.get("origin")));
        assertEquals(new TreeMap<>(expectedOrigin), new TreeMap<>(shownOrigin), "one row per distinct sample, with its origin");

        for (Map<String, String> r : comparison.maps()) {
            JsonNode f = facts.get(r.get("md5"));
            String what = r.get("origin") + " " + r.get("md5");
            assertEquals(f.get("file_size").asLong(), Long.parseLong(r.get("file_size")), what + " file_size");
            assertEquals(f.get("entropy").asDouble(), Double.parseDouble(r.get("entropy")), 1e-9, what + " entropy");
            assertFalse(f.has("error"), what + ": pefile parses it: " + f.get("error"));
            assertEquals(f.get("sections").size(), Integer.parseInt(r.get("sections")), what + " sections");
            assertEquals(f.get("import_dlls").asInt(), Integer.parseInt(r.get("import_dlls")), what + " import DLLs");
            assertEquals(f.get("imported_functions").asInt(), Integer.parseInt(r.get("imported_functions")),
                    what + " imported functions");
            assertEquals(f.get("exports").asInt(), Integer.parseInt(r.get("exports")), what + " exports");
            double maxSection = 0;
            for (JsonNode e : f.get("section_entropies")) {
                maxSection = Math.max(maxSection, e.asDouble());
            }
            assertEquals(maxSection, Double.parseDouble(r.get("max_section_entropy")), 1e-5, what + " max section entropy");
        }

        // the capture's executable in detail: its sections as pefile names them, its indicators
        String kitchen = expectedOrigin.entrySet().stream().filter(e -> e.getValue().equals("kitchen_boss.pcap"))
                .findFirst().orElseThrow().getKey();
        HtmlTable sections = pe.result("features");
        List<String> names = new ArrayList<>();
        facts.get(kitchen).get("sections").forEach(n -> names.add(n.asText()));
        assertEquals(names, sections.maps().stream().filter(r -> r.get("md5").equals(kitchen)).map(r -> r.get("name")).toList(),
                "sections of the captured executable");
        long indicatorRows = pe.result("indicators").maps().stream().filter(r -> r.get("md5").equals(kitchen)).count();
        String shownIndicators = comparison.maps().stream().filter(r -> r.get("md5").equals(kitchen)).findFirst()
                .orElseThrow().get("indicators");
        assertEquals(indicatorRows, Long.parseLong(shownIndicators), "indicator rows of the captured executable");
        assertTrue(indicatorRows > 0, "the captured executable has indicators");
    }

    @Test
    void perOriginMeansAreMeansOfTheSamples() throws Exception {
        List<Path> all = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        for (String g : List.of("bad", "good")) {
            for (Path f : sampleFiles(g)) {
                all.add(f);
                origin.putIfAbsent(md5(f), g);
            }
        }
        Map<String, JsonNode> facts = peFacts(all);
        Map<String, List<Double>> entropies = new TreeMap<>();
        facts.forEach((md5, f) -> entropies.computeIfAbsent(origin.get(md5), k -> new ArrayList<>())
                .add(f.get("entropy").asDouble()));
        HtmlTable means = pe.displayed("per-group").get(0);
        for (Map<String, String> r : means.maps()) {
            if (entropies.containsKey(r.get("origin"))) {
                double mean = entropies.get(r.get("origin")).stream().mapToDouble(d -> d).average().orElseThrow();
                assertEquals(mean, Double.parseDouble(r.get("Mean [entropy]")), 1e-9, "mean entropy of " + r.get("origin"));
            }
        }
        assertEquals(entropies.keySet(), means.maps().stream().map(r -> r.get("origin"))
                .filter(entropies::containsKey).collect(Collectors.toCollection(TreeSet::new)));
    }
}
