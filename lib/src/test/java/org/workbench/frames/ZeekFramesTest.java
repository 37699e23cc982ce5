package org.workbench.frames;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.FieldType;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.LogWriterOptions;
import org.workbench.zeeklog.ZeekLogReader;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zeek logs as Tablesaw tables. */
class ZeekFramesTest {
    static final LogWriterOptions OPTS = LogWriterOptions.defaults()
            .withClock(Clock.fixed(Instant.parse("2026-11-29T15:04:05Z"), ZoneOffset.UTC));

    static Path shared() {
        String p = System.getProperty("workbench.shared");
        assertTrue(p != null, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path dir = Path.of(p);
        assertTrue(Files.isDirectory(dir), "shared data folder missing: " + dir.toAbsolutePath());
        return dir;
    }

    @Test
    void bro22LogsBecomeTypedTables() throws IOException {
        Path logs = shared().resolve("data/zeek-logs");
        assertTrue(Files.isDirectory(logs), "Bro 2.2 log folder missing: " + logs.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertEquals(8, files.size(), "Bro 2.2 logs in " + logs);
        for (Path f : files) {
            long dataLines;
            try (Stream<String> lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
                dataLines = lines.filter(l -> !l.startsWith("#") && !l.isEmpty()).count();
            }
            Table t = ZeekFrames.read(f);
            String name = f.getFileName().toString().replace(".log", "");
            assertEquals(name, t.name());
            assertEquals(dataLines, t.rowCount(), "rows of " + f);
            LogSchema schema;
            try (LogStream s = ZeekLogReader.open(f)) {
                schema = s.schema();
            }
            assertEquals(schema.names(), t.columnNames(), "columns of " + f);
            for (LogSchema.Field field : schema.fields()) {
                assertEquals(ZeekFrames.columnType(field.type()), t.column(field.name()).type(),
                        f.getFileName() + " column " + field.name() + " (" + field.type() + ")");
            }
        }
        Table conn = ZeekFrames.read(logs.resolve("conn.log"));
        assertTrue(conn.column("ts") instanceof DateTimeColumn);
        assertEquals(LocalDateTime.parse("2012-05-15T18:47:46.903"), ((DateTimeColumn) conn.column("ts")).get(0));
        assertEquals("192.168.30.10", conn.stringColumn("id.orig_h").get(0));
        assertEquals(1038, conn.intColumn("id.orig_p").get(0));
        assertEquals(0.234260, conn.doubleColumn("duration").get(0), 1e-9);
        assertEquals(325L, conn.longColumn("orig_bytes").get(0));
        assertTrue(conn.column("local_orig").isMissing(0), "unset bool is missing");
        assertTrue(conn.column("tunnel_parents") instanceof StringColumn);
        Table dhcp = ZeekFrames.read(logs.resolve("dhcp.log"));
        assertEquals(4.294967e+09, dhcp.doubleColumn("lease_time").get(1), 1.0);
        Table dns = ZeekFrames.read(logs.resolve("dns.log"));
        assertEquals("194.14.0.170", dns.stringColumn("answers").get(0));
        Table ssl = ZeekFrames.read(logs.resolve("ssl.log"));
        assertTrue(ssl.stringColumn("issuer_subject").asList().stream().anyMatch(s -> s.contains("VeriSign\\, Inc.")),
                "a single backslash that is not an escape stays");
    }

    static final LogSchema ALL = LogSchema.builder("all")
            .field("ts", "time").field("d", "interval").field("x", "double").field("n", "count").field("i", "int")
            .field("p", "port").field("b", "bool").field("a", "addr").field("net", "subnet").field("e", "enum")
            .field("s", "string").field("v", "vector[string]").field("c", "set[count]").build();

    @Test
    void everyZeekTypeGetsItsColumnType() {
        LogCollector c = new LogCollector();
        c.write(new LogRecord(ALL).set("ts", 1300475167.096535).set("d", 1.5).set("x", 0.25).set("n", 7L)
                .set("i", -3L).set("p", 443).set("b", true).set("a", "2001:DB8::1").set("net", "10.0.0.0/8")
                .set("e", "tcp").set("s", "caf\u00c3\u00a9\u0007").set("v", List.of("a,b", "c")).set("c", List.of(1L, 2L)));
        c.write(new LogRecord(ALL));
        Table t = ZeekFrames.toTable(ALL, c.records("all"));
        assertEquals("all", t.name());
        assertEquals(List.of(ColumnType.LOCAL_DATE_TIME, ColumnType.DOUBLE, ColumnType.DOUBLE, ColumnType.LONG,
                ColumnType.LONG, ColumnType.INTEGER, ColumnType.BOOLEAN, ColumnType.STRING, ColumnType.STRING,
                ColumnType.STRING, ColumnType.STRING, ColumnType.STRING, ColumnType.STRING), t.types());
        assertEquals(LocalDateTime.parse("2011-03-18T19:06:07.096"), t.dateTimeColumn("ts").get(0));
        assertEquals(1.5, t.doubleColumn("d").get(0));
        assertEquals(7L, t.longColumn("n").get(0));
        assertEquals(-3L, t.longColumn("i").get(0));
        assertEquals(443, t.intColumn("p").get(0));
        assertEquals(true, t.booleanColumn("b").get(0));
        assertEquals("2001:db8::1", t.stringColumn("a").get(0));
        assertEquals("café\\x07", t.stringColumn("s").get(0));
        assertEquals("a\\x2cb,c", t.stringColumn("v").get(0));
        assertEquals("1,2", t.stringColumn("c").get(0));
        for (String col : t.columnNames()) {
            assertTrue(t.column(col).isMissing(1), "unset " + col + " is missing");
        }
        Table exact = ZeekFrames.convert(ALL, c.records("all"), ZeekFrames.TimeMode.EPOCH_SECONDS).table();
        assertEquals(1300475167.096535, exact.doubleColumn("ts").get(0));
    }

    @Test
    void countAboveLongMaxBecomesMissingWithWarning() {
        LogSchema s = LogSchema.builder("big").field("n", "count").build();
        List<LogRecord> rows = List.of(new LogRecord(s).set("n", 5L), new LogRecord(s).set("n", -1L),
                new LogRecord(s).set("n", Long.MIN_VALUE));
        List<String> logged = new ArrayList<>();
        Logger jul = Logger.getLogger(ZeekFrames.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            ZeekFrames.Conversion conv = ZeekFrames.convert(s, rows, ZeekFrames.TimeMode.DATE_TIME);
            LongColumn n = conv.table().longColumn("n");
            assertEquals(5L, n.get(0));
            assertTrue(n.isMissing(1));
            assertTrue(n.isMissing(2));
            assertEquals(List.of("log big column n: 2 count value(s) above Long.MAX_VALUE set missing "
                    + "(first at row 2 value 18446744073709551615)"), conv.warnings());
            assertEquals(conv.warnings(), logged);
        } finally {
            jul.removeHandler(h);
        }
    }

    static Table conn() {
        return Table.create("conn",
                DateTimeColumn.create("ts", LocalDateTime.parse("2020-01-01T00:00:02"), LocalDateTime.parse("2020-01-01T00:00:00")),
                StringColumn.create("uid", "C1", "C2"),
                IntColumn.create("id.resp_p", 80, 53),
                DoubleColumn.create("duration", 1.5, 0.1));
    }

    static Table dns() {
        return Table.create("dns",
                DateTimeColumn.create("ts", LocalDateTime.parse("2020-01-01T00:00:01")),
                StringColumn.create("uid", "C2"),
                StringColumn.create("query", "example.com"),
                LongColumn.create("id.resp_p", 53L),
                StringColumn.create("answers", "1.2.3.4,a\\x2cb"));
    }

    @Test
    void concatUnitesDifferentColumns() {
        Table all = ZeekFrames.concat(conn(), dns());
        assertEquals("conn+dns", all.name());
        assertEquals(List.of("ts", "uid", "id.resp_p", "duration", "query", "answers"), all.columnNames());
        assertEquals(3, all.rowCount());
        assertEquals(ColumnType.LOCAL_DATE_TIME, all.column("ts").type());
        assertEquals(ColumnType.DOUBLE, all.column("duration").type());
        assertTrue(all.column("duration").isMissing(2));
        assertTrue(all.column("query").isMissing(0));
        assertEquals("example.com", all.stringColumn("query").get(2));
        // id.resp_p is int in conn and long in dns: one string column
        assertEquals(ColumnType.STRING, all.column("id.resp_p").type());
        assertEquals(List.of("80", "53", "53"), all.stringColumn("id.resp_p").asList());
        Table same = ZeekFrames.concat(conn(), conn());
        assertEquals("conn", same.name());
        assertEquals(4, same.rowCount());
        assertEquals(conn().columnNames(), same.columnNames());
    }

    @Test
    void explodeGivesOneRowPerElement() {
        Table t = Table.create("dns", StringColumn.create("uid", "C1", "C2", "C3"),
                StringColumn.create("answers", "1.2.3.4,a\\x2cb", "", "x"), IntColumn.create("n", 1, 2, 3));
        Table e = ZeekFrames.explode(t, "answers");
        assertEquals(4, e.rowCount());
        assertEquals(List.of("C1", "C1", "C2", "C3"), e.stringColumn("uid").asList());
        assertEquals(List.of("1.2.3.4", "a,b", "", "x"), e.stringColumn("answers").asList());
        assertTrue(e.column("answers").isMissing(2));
        assertEquals(List.of(1, 1, 2, 3), e.intColumn("n").asList());
        assertEquals(t.columnNames(), e.columnNames());
    }

    @Test
    void timelineSortsAndPutsTimeFirst() {
        Table tl = ZeekFrames.timeline("ts", conn(), dns());
        assertEquals(List.of("ts", "_path", "uid", "id.resp_p", "duration", "query", "answers"), tl.columnNames());
        assertEquals(List.of("conn", "dns", "conn"), tl.stringColumn("_path").asList());
        assertEquals(List.of("C2", "C2", "C1"), tl.stringColumn("uid").asList());
        DateTimeColumn ts = tl.dateTimeColumn("ts");
        assertTrue(ts.get(0).isBefore(ts.get(1)) && ts.get(1).isBefore(ts.get(2)));
    }

    @Test
    void tablesawReaderReadsLogFiles(@TempDir Path dir) throws IOException {
        try (DirectoryLogSink sink = new DirectoryLogSink(dir, OPTS)) {
            sink.write(new LogRecord(ALL).set("ts", 1.0).set("p", 80).set("s", "x"));
        }
        ZeekFrames.registerTablesawReader();
        Table t = Table.read().file(dir.resolve("all.log").toFile());
        assertEquals("all", t.name());
        assertEquals(ColumnType.INTEGER, t.column("p").type());
        assertEquals(80, t.intColumn("p").get(0));
    }

    /** pandas (Debian's python3-pandas for /usr/bin/python3) reads what the writer writes. */
    @Test
    void pandasReadsWrittenLogs(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assertTrue(Files.isExecutable(python), "/usr/bin/python3 missing (install Debian's python3-pandas)");
        try (DirectoryLogSink sink = new DirectoryLogSink(dir, OPTS)) {
            sink.write(new LogRecord(ALL).set("ts", 1300475167.096535).set("d", 1.5).set("x", 0.25).set("n", 7L)
                    .set("i", -3L).set("p", 443).set("b", true).set("a", "10.0.0.1").set("s", "say \"hi\"\tthere")
                    .set("v", List.of("a", "b")).set("c", List.of()));
            sink.write(new LogRecord(ALL).set("ts", 1300475168.5).set("n", 8L).set("s", "caf\u00c3\u00a9"));
        }
        String script = String.join("\n",
                "import sys, json, csv, pandas as pd",
                "p = sys.argv[1]",
                "names = [l.rstrip('\\n').split('\\t')[1:] for l in open(p, encoding='utf-8') if l.startswith('#fields')][0]",
                "df = pd.read_csv(p, sep='\\t', comment='#', header=None, names=names, na_values=['-'],",
                "                 keep_default_na=False, quoting=csv.QUOTE_NONE, encoding='utf-8')",
                "print(json.dumps({'shape': list(df.shape), 'ts': df['ts'].tolist(), 'n': df['n'].tolist(),",
                "                  'p': [None if pd.isna(v) else int(v) for v in df['p']], 's': df['s'].tolist(),",
                "                  'v': df['v'].tolist()[0], 'c': df['c'].tolist()[0]}))");
        Process proc = new ProcessBuilder(python.toString(), "-c", script, dir.resolve("all.log").toString())
                .redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, proc.exitValue(), "python/pandas failed (is python3-pandas installed?): " + out);
        assertEquals("{\"shape\": [2, 13], \"ts\": [1300475167.096535, 1300475168.5], \"n\": [7, 8], "
                + "\"p\": [443, null], \"s\": [\"say \\\"hi\\\"\\\\x09there\", \"caf\\u00e9\"], \"v\": \"a,b\", "
                + "\"c\": \"(empty)\"}", out);
        assertFalse(out.contains("Traceback"));
    }
}
