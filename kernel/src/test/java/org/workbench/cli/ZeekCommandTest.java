package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workbench zeek}: run in-process through {@link Main#run(String...)} with standard error captured. The
 * logs it writes are read back by independent readers: Jackson for JSON lines, pandas (Debian's
 * {@code /usr/bin/python3}) for the TSV logs, and the conformance corpus's {@code compare.py}.
 */
class ZeekCommandTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Exit code and captured standard error (and output) of one command line. */
    record Result(int code, String err, String out) {
        String oneLine() {
            assertTrue(err.endsWith("\n"), "stderr ends with a newline: [" + err + "]");
            String line = err.substring(0, err.length() - 1);
            assertFalse(line.contains("\n") || line.isBlank(), "stderr is one line: [" + err + "]");
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
            return line;
        }
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

    // ------------------------------------------------------------------ the reference capture

    @Test
    void writesTheLogsOfTheReferenceCapture() throws Exception {
        Path out = dir.resolve("kb");
        Result r = run("zeek", "-r", kitchenBoss().toString(), "-d", out.toString(), "-C");
        assertEquals(0, r.code, r.err);
        String line = r.oneLine();
        assertTrue(line.contains("kitchen_boss.pcap") && line.contains("2081 packets"), line);
        for (String log : List.of("conn", "dns", "http", "files")) {
            Path f = out.resolve(log + ".log");
            assertTrue(Files.isRegularFile(f), "missing " + f + " among " + list(out));
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            assertEquals("#separator \\x09", lines.get(0), f.toString());
            assertTrue(lines.contains("#path\t" + log), f + " names its path");
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("#fields\t")), f + " has #fields");
            assertTrue(lines.get(lines.size() - 1).startsWith("#close\t"), f + " is closed");
            assertTrue(dataRows(f) > 0, f + " has rows");
        }
        assertTrue(dataRows(out.resolve("conn.log")) >= 87 + 5, "a row per TCP and UDP conversation");
        assertEquals(12, dataRows(out.resolve("dns.log")), "12 DNS queries");
        assertEquals(94, dataRows(out.resolve("http.log")), "94 HTTP requests over TCP");
        assertFalse(Files.exists(out.resolve("extract_files")), "nothing extracted without --extract");
    }

    @Test
    void tsvLogsAreReadByPandas() throws Exception {
        Path out = dir.resolve("kb");
        assertEquals(0, run("zeek", "-r", kitchenBoss().toString(), "-d", out.toString(), "-C").code);
        List<Path> logs = logsIn(out);
        assertTrue(logs.size() >= 4, "logs " + logs);
        String script = String.join("\n",
                "import csv, json, sys",
                "import pandas as pd",
                "res = {}",
                "for f in sys.argv[1:]:",
                "    with open(f, encoding='utf-8') as fh:",
                "        lines = fh.read().split('\\n')",
                "    fi = next(i for i, l in enumerate(lines) if l.startswith('#fields\\t'))",
                "    fields = lines[fi].split('\\t')[1:]",
                "    types = lines[fi + 1].split('\\t')[1:]",
                "    assert lines[fi + 1].startswith('#types\\t'), f",
                "    n = sum(1 for l in lines[fi + 2:] if l and not l.startswith('#'))",
                "    df = pd.read_csv(f, sep='\\t', comment=None, skiprows=fi + 2, nrows=n, header=None,",
                "                     names=fields, quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False,",
                "                     encoding='utf-8')",
                "    res[f] = {'rows': len(df), 'columns': len(df.columns), 'fields': len(fields),",
                "              'types': len(types), 'nan': int(df.isna().sum().sum()),",
                "              'first': df.iloc[0].tolist() if len(df) else None}",
                "print(json.dumps(res))");
        List<String> cmd = new ArrayList<>(List.of(python(), "-c", script));
        logs.forEach(p -> cmd.add(p.toString()));
        JsonNode res = JSON.readTree(exec(cmd, "pandas"));
        for (Path log : logs) {
            JsonNode r = res.get(log.toString());
            assertNotNull(r, "pandas result for " + log + ": " + res);
            assertEquals(dataRows(log), r.get("rows").asInt(), "rows pandas read from " + log);
            assertEquals(r.get("fields").asInt(), r.get("columns").asInt(), log + ": a column per field");
            assertEquals(r.get("fields").asInt(), r.get("types").asInt(), log + ": a type per field");
            assertEquals(0, r.get("nan").asInt(), log + ": every cell present (no ragged rows)");
            // the first row split by pandas is the first row split by hand: no quoting or escaping surprises
            List<String> first = Arrays.asList(firstDataRow(log).split("\t", -1));
            List<String> byPandas = new ArrayList<>();
            r.get("first").forEach(v -> byPandas.add(v.asText()));
            assertEquals(first, byPandas, log + ": first row");
        }
    }

    @Test
    void jsonLinesParse() throws Exception {
        Path out = dir.resolve("json");
        Result r = run("zeek", "-r", kitchenBoss().toString(), "-d", out.toString(), "-C", "--json");
        assertEquals(0, r.code, r.err);
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Path log : logsIn(out)) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            int n = 0;
            for (String l : lines) {
                if (l.isEmpty()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(l);
                } catch (IOException e) {
                    throw new AssertionError(log + " line " + (n + 1) + " is not JSON: " + l, e);
                }
                assertTrue(node.isObject(), log + ": " + l);
                assertTrue(node.has("ts"), log + " has ts: " + l);
                n++;
            }
            rows.put(log.getFileName().toString(), n);
        }
        // the same rows as the TSV logs
        Path tsv = dir.resolve("tsv");
        assertEquals(0, run("zeek", "-r", kitchenBoss().toString(), "-d", tsv.toString(), "-C").code);
        for (Map.Entry<String, Integer> e : rows.entrySet()) {
            assertEquals(dataRows(tsv.resolve(e.getKey())), e.getValue().intValue(), e.getKey() + " rows");
        }
        assertTrue(rows.keySet().containsAll(List.of("conn.log", "dns.log", "http.log", "files.log")), "" + rows);
        JsonNode http = JSON.readTree(Files.readAllLines(out.resolve("http.log")).get(0));
        assertTrue(http.has("id.orig_h") && http.has("method") && http.has("uri"), http.toString());
    }

    @Test
    void extractWritesTheNineFiles() throws Exception {
        Path out = dir.resolve("x");
        Result r = run("zeek", "-r", kitchenBoss().toString(), "-d", out.toString(), "-C", "--extract");
        assertEquals(0, r.code, r.err);
        Path ex = out.resolve("extract_files");
        List<Path> files = list(ex);
        assertEquals(9, files.size(), "extracted " + files);
        // each one is named in files.log's extracted column, with its md5 and size
        Map<String, String[]> logged = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(out.resolve("files.log"), StandardCharsets.UTF_8);
        List<String> fields = fieldsOf(lines);
        int iExtracted = fields.indexOf("extracted");
        int iMd5 = fields.indexOf("md5");
        int iSize = fields.indexOf("seen_bytes");
        assertTrue(iExtracted >= 0 && iMd5 >= 0 && iSize >= 0, "fields " + fields);
        for (String l : lines) {
            if (!l.startsWith("#")) {
                String[] v = l.split("\t", -1);
                if (!v[iExtracted].equals("-")) {
                    logged.put(v[iExtracted], new String[]{v[iMd5], v[iSize]});
                }
            }
        }
        assertEquals(files.stream().map(p -> p.getFileName().toString()).sorted().toList(),
                logged.keySet().stream().sorted().toList(), "extracted files vs files.log");
        List<String> md5s = new ArrayList<>();
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
            String[] l = logged.get(f.getFileName().toString());
            assertEquals(l[0], md5, "md5 of " + f);
            assertEquals(Long.parseLong(l[1]), b.length, "size of " + f);
            md5s.add(md5);
        }
        // the walkthrough's files: 5 identical jars, 2 identical swf, a pdf and an exe
        Map<String, Long> byMd5 = md5s.stream().collect(Collectors.groupingBy(m -> m, Collectors.counting()));
        assertEquals(List.of(1L, 1L, 2L, 5L), byMd5.values().stream().sorted().toList(), "" + byMd5);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void missingFile() {
        Path missing = dir.resolve("nope.pcap");
        Result r = run("zeek", "-r", missing.toString(), "-d", dir.resolve("o").toString());
        assertEquals(1, r.code);
        String line = r.oneLine();
        assertTrue(line.startsWith("workbench: ") && line.contains(missing.toString()), line);
        assertTrue(line.contains("no such file") || line.contains("not found"), line);
    }

    @Test
    void directoryInsteadOfACapture() throws Exception {
        Path d = Files.createDirectories(dir.resolve("adir"));
        Result r = run("zeek", "-r", d.toString(), "-d", dir.resolve("o").toString());
        assertEquals(1, r.code);
        String line = r.oneLine();
        assertTrue(line.contains(d.toString()) && line.contains("directory"), line);
    }

    @Test
    void emptyFile() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.pcap"));
        Result r = run("zeek", "-r", p.toString(), "-d", dir.resolve("o").toString());
        assertEquals(1, r.code);
        String line = r.oneLine();
        assertTrue(line.contains(p.toString()) && line.contains("empty"), line);
    }

    @Test
    void notACapture() throws Exception {
        Path p = dir.resolve("page.pcap");
        Files.writeString(p, "<!DOCTYPE html>\n<html><body>It works!</body></html>\n");
        Result r = run("zeek", "-r", p.toString(), "-d", dir.resolve("o").toString());
        assertEquals(1, r.code);
        String line = r.oneLine();
        assertTrue(line.contains(p.toString()) && line.contains("not a capture"), line);
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Result r = run("zeek", "-d", dir.toString());
        assertEquals(2, r.code);
        String line = r.oneLine();
        assertTrue(line.contains("-r"), line);
    }

    @Test
    void truncatedCaptureIsAnalysedWithAWeird() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        Path p = dir.resolve("cut.pcap");
        Files.write(p, Arrays.copyOf(whole, whole.length - 10)); // inside the last record (16 + at least 42 bytes)
        Path out = dir.resolve("cut");
        Result r = run("zeek", "-r", p.toString(), "-d", out.toString(), "-C");
        assertEquals(0, r.code, r.err);
        String line = r.oneLine();
        assertTrue(line.contains("truncated"), line);
        assertTrue(line.contains("2080 packets"), "all records but the cut one: " + line);
        String weird = Files.readString(out.resolve("weird.log"));
        assertTrue(weird.contains("\ttruncated_capture_record\t"), weird);
        assertTrue(dataRows(out.resolve("conn.log")) >= 87 + 5, "earlier connections are logged");
        assertEquals(94, dataRows(out.resolve("http.log")), "the requests are all before the cut");
    }

    // ------------------------------------------------------------------ the conformance corpus

    @Test
    void compareAcceptsOurHttpLogOfTheConformanceTrace() throws Exception {
        String caseName = "scripts.base.protocols.http.100-continue";
        Path conformance = shared().resolve("zeek-conformance");
        Path compare = conformance.resolve("compare.py");
        Path caseDir = conformance.resolve("cases").resolve(caseName);
        Path trace = caseDir.resolve("traces/http/100-continue.pcap");
        for (Path p : List.of(compare, trace)) {
            if (!Files.isRegularFile(p)) {
                fail("missing " + p + " (folder " + p.getParent() + ")");
            }
        }
        Path out = dir.resolve("conf");
        Result r = run("zeek", "-r", trace.toString(), "-d", out.toString());
        assertEquals(0, r.code, r.err);
        String json = exec(List.of(python(), compare.toString(), "--json", "--case", caseDir.toString(), "--actual",
                out.toString()), "compare.py");
        JsonNode res = JSON.readTree(json);
        JsonNode http = null;
        for (JsonNode log : res.get("logs")) {
            if ("http".equals(log.path("log").asText())) {
                http = log;
            }
        }
        assertNotNull(http, "compare.py reported no http log: " + json);
        assertEquals(http.path("expected_rows").asInt(), http.path("matched_rows").asInt(), http.toString());
        double score = http.path("score").asDouble(-1);
        assertTrue(score >= 0.9, "http score " + score + ", first mismatches " + http.path("first_mismatches"));
        assertTrue(res.path("overall").path("score").asDouble(-1) >= 0.9, res.path("overall").toString());
    }

    // ------------------------------------------------------------------ helpers

    private static Path shared() {
        String s = System.getProperty("workbench.shared");
        if (s == null) {
            fail("system property workbench.shared is not set: it must name the shared data folder");
        }
        Path p = Path.of(s);
        if (!Files.isDirectory(p)) {
            fail("shared data folder " + p + " does not exist (system property workbench.shared)");
        }
        return p;
    }

    private static Path kitchenBoss() {
        Path folder = shared().resolve("data/pcap");
        Path p = folder.resolve("kitchen_boss.pcap");
        if (!Files.isRegularFile(p)) {
            fail("reference capture " + p + " is missing from folder " + folder);
        }
        return p;
    }

    /** Debian's python3 with pandas; fails naming what is missing. */
    private static String python() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail("required tool " + PYTHON + " is missing (Debian package python3)");
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import pandas").redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            fail("required Python module pandas is missing from " + PYTHON + " (Debian package python3-pandas): "
                    + msg.strip());
        }
        return PYTHON;
    }

    /** Runs a command; fails on a non-zero exit with its output; returns standard output. */
    private String exec(List<String> cmd, String what) throws Exception {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(what + " timed out");
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(what + " exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8) + stdout);
        }
        return stdout;
    }

    private static List<Path> list(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    private static List<Path> logsIn(Path d) throws IOException {
        return list(d).stream().filter(p -> p.getFileName().toString().endsWith(".log")).toList();
    }

    private static long dataRows(Path tsv) throws IOException {
        try (Stream<String> s = Files.lines(tsv, StandardCharsets.UTF_8)) {
            return s.filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        }
    }

    private static String firstDataRow(Path tsv) throws IOException {
        try (Stream<String> s = Files.lines(tsv, StandardCharsets.UTF_8)) {
            return s.filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElseThrow();
        }
    }

    private static List<String> fieldsOf(List<String> lines) {
        String f = lines.stream().filter(l -> l.startsWith("#fields\t")).findFirst().orElseThrow();
        return Arrays.asList(f.substring("#fields\t".length()).split("\t"));
    }
}
