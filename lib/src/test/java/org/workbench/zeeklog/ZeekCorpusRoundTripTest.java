package org.workbench.zeeklog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trip over every expected log of the Zeek 9 conformance corpus: each baseline is read with
 * {@link ZeekLogReader} and written again with {@link ZeekLogWriter}; the output must equal the baseline
 * line for line, except the masked values (README: the {@code ### BTest} line is skipped, {@code #open} and
 * {@code #close} read {@code XXXX-XX-XX-XX-XX-XX}, a masked timestamp {@code XXXXXXXXXX.XXXXXX} is put back
 * as a fixed time before reading and compared as that time).
 */
class ZeekCorpusRoundTripTest {
    static final String MASK = "XXXXXXXXXX.XXXXXX";
    static final String MASK_VALUE = "1234567890.123456";
    private static Path cases;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final LogWriterOptions FIXED = LogWriterOptions.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

    /** The shared data folder from the {@code workbench.shared} system property; fails when missing. */
    static Path shared() {
        String p = System.getProperty("workbench.shared");
        assertTrue(p != null, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path dir = Path.of(p);
        assertTrue(Files.isDirectory(dir), "shared data folder missing: " + dir.toAbsolutePath());
        return dir;
    }

    @BeforeAll
    static void locate() {
        cases = shared().resolve("zeek-conformance/cases");
        assertTrue(Files.isDirectory(cases), "conformance corpus folder missing: " + cases.toAbsolutePath());
    }

    record Baseline(String caseName, Path file, String format, String path, int rows) {
    }

    static List<Baseline> baselines() throws IOException {
        List<Baseline> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(cases)) {
            for (Path dir : dirs.sorted().toList()) {
                JsonNode m = MAPPER.readTree(dir.resolve("manifest.json").toFile());
                for (JsonNode run : m.get("runs")) {
                    for (JsonNode log : run.get("logs")) {
                        out.add(new Baseline(dir.getFileName().toString(), dir.resolve(log.get("baseline").asText()),
                                log.get("format").asText(), log.get("path").asText(log.get("log").asText()),
                                log.get("rows").asInt()));
                    }
                }
            }
        }
        return out;
    }

    /** Replaces whole-field timestamp masks in data lines. */
    static String unmask(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!line.startsWith("#") && !line.startsWith("{")) {
                String[] f = line.split("\t", -1);
                for (int i = 0; i < f.length; i++) {
                    if (f[i].equals(MASK)) {
                        f[i] = MASK_VALUE;
                    }
                }
                line = String.join("\t", f);
            } else if (line.startsWith("{")) {
                line = line.replace(":" + MASK, ":" + MASK_VALUE);
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    static List<String> dropColumns(List<String> rows, List<Integer> skip) {
        if (skip.isEmpty()) {
            return rows;
        }
        List<String> out = new ArrayList<>();
        for (String r : rows) {
            List<String> f = new ArrayList<>(Arrays.asList(r.split("\t", -1)));
            for (int k = skip.size() - 1; k >= 0; k--) {
                if (skip.get(k) < f.size()) {
                    f.remove((int) skip.get(k));
                }
            }
            out.add(String.join("\t", f));
        }
        return out;
    }

    /** Lines without the btest line, trailing empty lines and CRs (one baseline was stored with CRLF). */
    static List<String> lines(byte[] b) {
        List<String> l = new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\r?\n", -1)));
        l.removeIf(s -> s.startsWith("### "));
        while (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }

    static byte[] rewrite(byte[] input, String name, ZeekLogReader.Options ro, LogWriterOptions wo) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogStream in = ZeekLogReader.open(new ByteArrayInputStream(input), name, ro)) {
            try (ZeekLogWriter w = new ZeekLogWriter(out, in.schema(), wo)) {
                for (LogRecord r : in) {
                    w.write(r);
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void everyBaselineRoundTrips() throws IOException {
        List<Baseline> all = baselines();
        Map<String, Map<String, FieldType>> typesByPath = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        int tsv = 0;
        int minimal = 0;
        int json = 0;
        long rows = 0;
        // full TSV first: they also give the field types used for the minimal ones
        for (Baseline b : all) {
            if (!b.format().equals("tsv")) {
                continue;
            }
            tsv++;
            byte[] input = unmask(Files.readString(b.file(), StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(input), b.file().getFileName().toString())) {
                Map<String, FieldType> m = typesByPath.computeIfAbsent(s.path(), k -> new LinkedHashMap<>());
                s.schema().fields().forEach(f -> m.putIfAbsent(f.name(), f.type()));
            }
            List<String> expected = lines(input);
            List<String> actual;
            try {
                actual = lines(rewrite(input, b.file().getFileName().toString(), ZeekLogReader.Options.defaults(), FIXED));
            } catch (RuntimeException e) {
                problems.add(b.caseName() + "/" + b.file().getFileName() + ": " + e);
                continue;
            }
            rows += compare(b, expected, actual, problems);
        }
        for (Baseline b : all) {
            if (!b.format().equals("tsv-minimal")) {
                continue;
            }
            minimal++;
            byte[] input = unmask(Files.readString(b.file(), StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            LogSchema.Builder hint = LogSchema.builder(b.path());
            typesByPath.getOrDefault(b.path(), Map.of()).forEach((n, t) -> hint.field(n, t.toString()));
            List<String> expected = lines(input);
            String[] names = expected.remove(0).split("\t", -1); // the field-names line
            // zeek-cut leaves columns a log lacks empty (and unnamed): they are not Zeek values, skip them
            List<Integer> skip = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                if (names[i].isEmpty()) {
                    skip.add(i);
                }
            }
            List<String> actual;
            try {
                actual = lines(rewrite(input, b.file().getFileName().toString(),
                        ZeekLogReader.Options.defaults().withSchema(hint.build()), FIXED.withIncludeMeta(false)));
            } catch (RuntimeException e) {
                problems.add(b.caseName() + "/" + b.file().getFileName() + ": " + e);
                continue;
            }
            rows += compare(b, dropColumns(expected, skip), dropColumns(actual, skip), problems);
        }
        for (Baseline b : all) {
            if (!b.format().equals("json")) {
                continue;
            }
            json++;
            // the JSON case has its TSV twin next to it: take the schema from there
            Path twin = b.file().resolveSibling(b.file().getFileName().toString().replace(".json", ".tsv"));
            LogSchema schema;
            byte[] twinBytes = unmask(Files.readString(twin, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1);
            try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(twinBytes), twin.toString())) {
                schema = s.schema();
            }
            byte[] input = unmask(Files.readString(b.file(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            List<String> actual = lines(rewrite(input, b.file().getFileName().toString(),
                    ZeekLogReader.Options.defaults().withSchema(schema), FIXED.withFormat(LogFormat.JSON)));
            rows += compare(b, lines(input), actual, problems);
        }
        assertTrue(problems.isEmpty(), problems.size() + " round-trip differences, first ones:\n"
                + String.join("\n", problems.subList(0, Math.min(25, problems.size()))));
        assertEquals(196, tsv, "full TSV baselines in the corpus");
        assertEquals(103, minimal, "minimal TSV baselines in the corpus");
        assertEquals(1, json, "JSON baselines in the corpus");
        assertEquals(all.stream().mapToInt(Baseline::rows).sum(), rows, "rows compared = rows listed in the manifests");
    }

    private static int compare(Baseline b, List<String> expected, List<String> actual, List<String> problems) {
        String where = b.caseName() + "/" + b.file().getFileName();
        if (expected.size() != actual.size()) {
            problems.add(where + ": " + expected.size() + " lines expected, " + actual.size() + " written");
            return 0;
        }
        int rows = 0;
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = actual.get(i);
            if (e.startsWith("#open") || e.startsWith("#close")) {
                String key = e.startsWith("#open") ? "#open" : "#close";
                if (!a.matches(key + "\t\\d{4}-\\d\\d-\\d\\d-\\d\\d-\\d\\d-\\d\\d")) {
                    problems.add(where + " line " + (i + 1) + ": bad stamp line " + a);
                }
                continue;
            }
            if (!e.startsWith("#")) {
                rows++;
            }
            if (!e.equals(a)) {
                problems.add(where + " line " + (i + 1) + ":\n  expected " + e + "\n  written  " + a);
            }
        }
        return rows;
    }

    /** Case scripts.base.frameworks.logging.ascii-escape-odd-url: a URI with the non-UTF-8 byte 0xFC. */
    @Test
    void oddUrlByteIsReadAsByteAndWrittenEscaped() throws IOException {
        Path f = cases.resolve("scripts.base.frameworks.logging.ascii-escape-odd-url/baseline/http.log");
        assertTrue(Files.exists(f), "missing " + f);
        byte[] input = unmask(Files.readString(f, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(input), "http.log")) {
            LogRecord r = s.iterator().next();
            String uri = (String) r.get("uri");
            assertTrue(uri.contains("uurimisr\u00fchma_seminar"), uri);
            assertTrue(uri.contains("seminarid_2010"), uri);
            assertEquals("/~cect/teoreetilised seminarid_2010/arheoloogia_uurimisr\\xfchma_seminar/Joyce et al - "
                    + "The Languages of Archaeology ~ Dialogue, Narrative and Writing.pdf",
                    ZeekTsvFormat.DEFAULT.formatValue(FieldType.parse("string"), uri));
            assertEquals("\"/~cect/teoreetilised seminarid_2010/arheoloogia_uurimisr\\\\xfchma_seminar/Joyce et al - "
                    + "The Languages of Archaeology ~ Dialogue, Narrative and Writing.pdf\"",
                    ZeekJsonFormat.DEFAULT.formatValue(FieldType.parse("string"), uri));
        }
    }

    /**
     * Case scripts.base.frameworks.logging.json-non-printable-escaping: the TSV baseline converted to JSON
     * equals the JSON baseline (a 4-byte emoji stays UTF-8, the byte 0x07 and a literal backslash both show
     * as {@code \\x07} in JSON).
     */
    @Test
    void nonPrintableTsvConvertsToTheJsonBaseline() throws IOException {
        Path dir = cases.resolve("scripts.base.frameworks.logging.json-non-printable-escaping/baseline");
        assertTrue(Files.isDirectory(dir), "missing " + dir);
        byte[] tsv = unmask(Files.readString(dir.resolve("http.log.tsv"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        byte[] json = unmask(Files.readString(dir.resolve("http.log.json"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        List<String> actual = lines(rewrite(tsv, "http.log", ZeekLogReader.Options.defaults(), FIXED.withFormat(LogFormat.JSON)));
        assertEquals(lines(json), actual);
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(tsv), "http.log")) {
            List<Object> uris = s.stream().map(r -> r.get("uri")).toList();
            assertEquals("/printable_\u00f0\u009f\u0098\u0084", uris.get(1), "emoji as its 4 UTF-8 bytes");
            assertEquals("/non_printable_\u0007", uris.get(2));
            assertEquals("/non_printable_literal_\\x07", uris.get(3));
        }
    }
}
