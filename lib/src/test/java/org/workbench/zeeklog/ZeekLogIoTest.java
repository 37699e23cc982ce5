package org.workbench.zeeklog;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing, reading and error handling of whole log files. */
class ZeekLogIoTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T15:04:05Z"), ZoneOffset.UTC);
    static final LogWriterOptions OPTS = LogWriterOptions.defaults().withClock(CLOCK);

    static final LogSchema CONN = LogSchema.builder("conn")
            .field("ts", "time").field("uid", "string").field("id.orig_h", "addr").field("id.orig_p", "port")
            .field("id.resp_h", "addr").field("id.resp_p", "port").field("proto", "enum")
            .field("duration", "interval").field("orig_bytes", "count").field("local_orig", "bool")
            .field("tunnel_parents", "set[string]").build();
    static final LogSchema DNS = LogSchema.builder("dns")
            .field("ts", "time").field("uid", "string").field("query", "string")
            .field("answers", "vector[string]").field("TTLs", "vector[interval]").field("rejected", "bool").build();

    static LogRecord conn(double ts, String uid, String orig, int op, String resp, int rp, Double dur, Long bytes,
                          List<String> tunnels) {
        return new LogRecord(CONN).set("ts", ts).set("uid", uid).set("id.orig_h", InetAddresses.forString(orig))
                .set("id.orig_p", op).set("id.resp_h", resp).set("id.resp_p", rp).set("proto", "tcp")
                .set("duration", dur).set("orig_bytes", bytes).set("local_orig", Boolean.TRUE)
                .set("tunnel_parents", tunnels);
    }

    static LogRecord dns(double ts, String uid, String query, List<String> answers, List<Double> ttls) {
        return new LogRecord(DNS).set("ts", ts).set("uid", uid).set("query", query).set("answers", answers)
                .set("TTLs", ttls).set("rejected", false);
    }

    @Test
    void directorySinkWritesOneFilePerPathLazily(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("logs");
        try (DirectoryLogSink sink = new DirectoryLogSink(out, OPTS)) {
            assertFalse(Files.exists(out), "nothing is created before the first record");
            sink.write(conn(1300475167.096535, "C1", "141.142.220.202", 5353, "224.0.0.251", 5353, null, null, List.of()));
            sink.write(dns(1300475167.5, "C2", "example.com", List.of("1.2.3.4", "a.example"), List.of(3600.0, 60.5)));
            sink.write(conn(1300475168.0, "C3", "2001:db8:0:0:0:0:0:1", 80, "::1", 443, 0.5, 1234L, List.of("C1", "C2")));
            assertEquals(Map.of("conn", out.resolve("conn.log"), "dns", out.resolve("dns.log")), sink.files());
        }
        assertEquals(List.of("conn.log", "dns.log"), Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
        assertEquals(List.of(
                "#separator \\x09",
                "#set_separator\t,",
                "#empty_field\t(empty)",
                "#unset_field\t-",
                "#path\tconn",
                "#open\t2026-11-29-15-04-05",
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_bytes\tlocal_orig\ttunnel_parents",
                "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tinterval\tcount\tbool\tset[string]",
                "1300475167.096535\tC1\t141.142.220.202\t5353\t224.0.0.251\t5353\ttcp\t-\t-\tT\t(empty)",
                "1300475168.000000\tC3\t2001:db8::1\t80\t::1\t443\ttcp\t0.500000\t1234\tT\tC1,C2",
                "#close\t2026-11-29-15-04-05"), Files.readAllLines(out.resolve("conn.log")));
        List<String> dnsLines = Files.readAllLines(out.resolve("dns.log"));
        assertEquals("1300475167.500000\tC2\texample.com\t1.2.3.4,a.example\t3600.000000,60.500000\tF", dnsLines.get(8));

        // and back
        try (LogStream s = ZeekLogReader.open(out.resolve("conn.log"))) {
            assertEquals("conn", s.path());
            assertEquals(CONN.fields(), s.schema().fields());
            assertEquals("2026-11-29-15-04-05", s.meta().get("open"));
            List<LogRecord> rows = s.stream().toList();
            assertEquals(2, rows.size());
            LogRecord r = rows.get(1);
            assertEquals(1300475168.0, r.get("ts"));
            assertEquals(InetAddresses.forString("2001:db8::1"), r.get("id.orig_h"));
            assertEquals(80, r.get("id.orig_p"));
            assertEquals(0.5, r.get("duration"));
            assertEquals(1234L, r.get("orig_bytes"));
            assertEquals(Boolean.TRUE, r.get("local_orig"));
            assertEquals(List.of("C1", "C2"), r.get("tunnel_parents"));
            assertEquals(List.of(), rows.get(0).get("tunnel_parents"));
            assertNull(rows.get(0).get("duration"));
            assertEquals("2026-11-29-15-04-05", s.meta().get("close"));
        }
    }

    @Test
    void closeWithoutRecordsWritesHeaderAndCloseOnly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ZeekLogWriter(out, DNS, OPTS).close();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(9, lines.size());
        assertTrue(lines.get(8).startsWith("#close\t"));
    }

    @Test
    void rowStartingWithHashIsEscaped() {
        LogSchema s = LogSchema.builder("x").field("a", "string").field("b", "count").build();
        assertEquals("\\x23 not a comment\t1", ZeekTsvFormat.DEFAULT.formatRow(new LogRecord(s).set("a", "# not a comment").set("b", 1L)));
        assertEquals("-\t-", ZeekTsvFormat.DEFAULT.formatRow(new LogRecord(s)));
    }

    @Test
    void utf8DisabledEscapesEveryNonAsciiByte() {
        ZeekTsvFormat ascii = ZeekTsvFormat.DEFAULT.withUtf8(false);
        FieldType str = FieldType.parse("string");
        assertEquals("caf\\xc3\\xa9 \\\\\\x07", ascii.formatValue(str, "caf\u00c3\u00a9 \\\u0007"));
        assertEquals("café \\\\\\x07", ZeekTsvFormat.DEFAULT.formatValue(str, "caf\u00c3\u00a9 \\\u0007"));
    }

    @Test
    void customSeparatorsAreWrittenAndRead() throws IOException {
        ZeekTsvFormat pipes = new ZeekTsvFormat("|", ";", "EMPTY", "NONE", true);
        LogSchema s = LogSchema.builder("t").field("a", "string").field("v", "vector[string]").field("c", "count").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZeekLogWriter w = new ZeekLogWriter(out, s, OPTS.withTsv(pipes))) {
            w.write(new LogRecord(s).set("a", "x|y").set("v", List.of("p;q", "", "r")).set("c", 7L));
            w.write(new LogRecord(s).set("a", "NONE").set("v", List.of()));
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("#separator |", lines.get(0));
        assertEquals("#set_separator|;", lines.get(1));
        assertEquals("x\\x7cy|p\\x3bq;EMPTY;r|7", lines.get(8));
        assertEquals("\\x4eONE|EMPTY|NONE", lines.get(9));
        try (LogStream in = ZeekLogReader.open(new ByteArrayInputStream(out.toByteArray()), "t.log")) {
            List<LogRecord> rows = in.stream().toList();
            assertEquals("x|y", rows.get(0).get("a"));
            assertEquals(List.of("p;q", "", "r"), rows.get(0).get("v"));
            assertEquals("NONE", rows.get(1).get("a"));
            assertEquals(List.of(), rows.get(1).get("v"));
            assertNull(rows.get(1).get("c"));
        }
    }

    @Test
    void jsonRoundTripWithInferredAndGivenSchema(@TempDir Path dir) throws IOException {
        try (DirectoryLogSink sink = new DirectoryLogSink(dir, OPTS.withFormat(LogFormat.JSON))) {
            sink.write(conn(1300475167.096535, "C1", "10.0.0.1", 1025, "10.0.0.2", 80, 1.25, 10L, List.of()));
            sink.write(conn(1300475169.0, "C2", "10.0.0.3", 1026, "fe80::1", 443, null, null, List.of("C1")));
            sink.write(dns(1300475167.5, "C3", "caf\u00c3\u00a9\u0007 \"q\"", List.of("1.2.3.4"), List.of(30.0)));
        }
        List<String> lines = Files.readAllLines(dir.resolve("conn.log"));
        assertEquals("{\"ts\":1300475167.096535,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1025,"
                + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":80,\"proto\":\"tcp\",\"duration\":1.25,\"orig_bytes\":10,"
                + "\"local_orig\":true,\"tunnel_parents\":[]}", lines.get(0));
        assertEquals("{\"ts\":1300475169.0,\"uid\":\"C2\",\"id.orig_h\":\"10.0.0.3\",\"id.orig_p\":1026,"
                + "\"id.resp_h\":\"fe80::1\",\"id.resp_p\":443,\"proto\":\"tcp\",\"local_orig\":true,"
                + "\"tunnel_parents\":[\"C1\"]}",
                lines.get(1));
        assertEquals("{\"ts\":1300475167.5,\"uid\":\"C3\",\"query\":\"caf\\\\xc3\\\\xa9\\\\x07 \\\"q\\\"\","
                + "\"answers\":[\"1.2.3.4\"],\"TTLs\":[30.0],\"rejected\":false}",
                Files.readAllLines(dir.resolve("dns.log")).get(0));

        // inferred types: ts time, ports port, addresses addr, counts count, durations interval, arrays vectors
        try (LogStream s = ZeekLogReader.open(dir.resolve("conn.log"))) {
            assertEquals(LogFormat.JSON, s.format());
            LogSchema inferred = s.schema();
            assertEquals("conn", inferred.path());
            assertEquals(List.of("time", "string", "addr", "port", "addr", "port", "string", "interval", "count", "bool",
                    "vector[string]"), inferred.fields().stream().map(f -> f.type().toString()).toList());
            List<LogRecord> rows = s.stream().toList();
            assertEquals(1300475167.096535, rows.get(0).get("ts"));
            assertEquals(InetAddresses.forString("fe80::1"), rows.get(1).get("id.resp_h"));
            assertNull(rows.get(1).get("duration"));
        }
        // with the schema: the original types, and writing again gives the same lines
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (LogStream s = ZeekLogReader.open(dir.resolve("conn.log"), ZeekLogReader.Options.defaults().withSchema(CONN));
             ZeekLogWriter w = new ZeekLogWriter(again, s.schema(), OPTS.withFormat(LogFormat.JSON))) {
            assertEquals(CONN.fields(), s.schema().fields());
            s.forEach(w::write);
        }
        assertEquals(lines, again.toString(StandardCharsets.UTF_8).lines().toList());
        try (LogStream s = ZeekLogReader.open(dir.resolve("dns.log"), ZeekLogReader.Options.defaults().withSchema(DNS))) {
            assertEquals("caf\u00c3\u00a9\u0007 \"q\"", s.iterator().next().get("query"));
        }
    }

    @Test
    void readsGzipAndInputStreams() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (ZeekLogWriter w = new ZeekLogWriter(plain, DNS, OPTS)) {
            for (int i = 0; i < 100; i++) {
                w.write(dns(1000 + i, "C" + i, "q" + i + ".example", List.of(), List.of()));
            }
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(plain.toByteArray());
        }
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(gz.toByteArray()), "dns.log.gz")) {
            assertEquals("dns", s.path());
            assertEquals(100, s.stream().count());
        }
    }

    @Test
    void streamIsLazy() throws IOException {
        // a malformed last line is only reached when iterating that far
        String log = String.join("\n", ZeekTsvFormat.DEFAULT.headerLines(DNS, "2026-01-01-00-00-00"))
                + "\n1.000000\tC1\ta\t(empty)\t(empty)\tF\n2.000000\tC2\tb\t(empty)\t(empty)\tF\nbroken\n";
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "dns.log")) {
            assertEquals(List.of("a", "b"), s.stream().limit(2).map(r -> r.get("query")).toList());
        }
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "dns.log")) {
            ZeekLogFormatException e = assertThrows(ZeekLogFormatException.class, () -> s.stream().count());
            assertEquals("dns.log line 11: expected 6 fields, found 1", e.getMessage());
            assertEquals(11, e.line());
        }
    }

    @Test
    void iteratesOnlyOnce() throws IOException {
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(new byte[0]), "empty.log")) {
            Iterator<LogRecord> it = s.iterator();
            assertFalse(it.hasNext());
            assertThrows(IllegalStateException.class, s::iterator);
        }
    }

    @Test
    void concatenatedLogsWithRepeatedHeadersAreOneStream() throws IOException {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        try (ZeekLogWriter w = new ZeekLogWriter(a, DNS, OPTS)) {
            w.write(dns(1, "C1", "a", List.of(), List.of()));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZeekLogWriter w = new ZeekLogWriter(b, DNS, OPTS)) {
            w.write(dns(2, "C2", "b", List.of(), List.of()));
            w.write(dns(3, "C3", "c", List.of(), List.of()));
        }
        byte[] both = (a.toString(StandardCharsets.UTF_8) + b.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(both), "dns.log")) {
            List<LogRecord> rows = s.stream().toList();
            assertEquals(List.of("a", "b", "c"), rows.stream().map(r -> r.get("query")).toList());
            assertTrue(rows.stream().allMatch(r -> r.schema() == s.schema()));
        }
    }

    /** Malformed input: each case is (input, expected message). */
    @Test
    void malformedInputNamesFileAndLine() {
        String h = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tt\n"
                + "#open\t2026-01-01-00-00-00\n#fields\ta\tb\n#types\tcount\tport\n";
        List<String[]> cases = List.of(
                new String[] {h + "1\t2\n1\t2\t3\n", "t.log line 10: expected 2 fields, found 3"},
                new String[] {h + "x\t2\n", "t.log line 9: field a (count): not a count (0..18446744073709551615): 'x'"},
                new String[] {h + "1\t70000\n", "t.log line 9: field b (port): not a port: '70000'"},
                new String[] {h + "18446744073709551616\t1\n", "t.log line 9: field a (count): not a count (0..18446744073709551615): '18446744073709551616'"},
                new String[] {h.replace("#types\tcount\tport", "#types\tcount\tcolour"), "t.log line 8: not a Zeek log type: 'colour'"},
                new String[] {h.replace("#types\tcount\tport", "#types\tcount"), "t.log line 8: #types has 1 entries but #fields has 2"},
                new String[] {"#separator \\x09\n#path\tt\n1\t2\n", "t.log line 3: no #fields line in the header"},
                new String[] {"{\"a\":1}\n{\"a\":2,\n", "t.log line 2: invalid JSON: "},
                new String[] {"{\"a\":1}\n[1]\n", "t.log line 2: a JSON log line must be an object"});
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases) {
            try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(c[0].getBytes(StandardCharsets.UTF_8)), "t.log")) {
                s.stream().count();
                wrong.add("no error for: " + c[1]);
            } catch (ZeekLogFormatException e) {
                if (!e.getMessage().startsWith(c[1])) {
                    wrong.add("expected '" + c[1] + "' got '" + e.getMessage() + "'");
                }
            } catch (IOException e) {
                wrong.add(e.toString());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void jsonKeysBeyondLookaheadAreReported() throws IOException {
        String json = "{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"b\":\"x\"}\n";
        ZeekLogReader.Options small = ZeekLogReader.Options.defaults().withJsonLookahead(2);
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.log", small)) {
            ZeekLogFormatException e = assertThrows(ZeekLogFormatException.class, () -> s.stream().count());
            assertTrue(e.getMessage().startsWith("t.log line 3: field b is not in the schema [a]"), e.getMessage());
        }
        try (LogStream s = ZeekLogReader.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.log")) {
            assertEquals("[a, b]", s.schema().names().toString());
            assertEquals(3, s.stream().count());
        }
    }

    @Test
    void writerRejectsValuesOfTheWrongType() {
        LogRecord r = new LogRecord(CONN).set("id.orig_p", "eighty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZeekTsvFormat.DEFAULT.formatRow(r));
        assertTrue(e.getMessage().startsWith("log conn field id.orig_p: expected a port value"), e.getMessage());
    }

    @Test
    void collectorKeepsRecordsPerPath() {
        LogCollector c = new LogCollector();
        c.write(conn(1, "C1", "10.0.0.1", 1, "10.0.0.2", 2, null, null, List.of()));
        c.write(dns(2, "C2", "q", List.of(), List.of()));
        c.write(conn(3, "C3", "10.0.0.1", 1, "10.0.0.2", 2, null, null, List.of()));
        assertEquals(List.of("conn", "dns"), List.copyOf(c.paths()));
        assertEquals(2, c.count("conn"));
        assertEquals(List.of("C1", "C3"), c.column("conn", "uid"));
        assertEquals(CONN, c.schema("conn"));
        assertEquals(List.of(), c.records("weird"));
        c.close();
        assertTrue(c.isClosed());
    }
}
