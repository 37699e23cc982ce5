package org.workbench.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

class ChartsTest {
    private static final LocalDateTime T0 = LocalDateTime.of(2014, 4, 2, 10, 0, 0);

    /** One trace as plotly receives it: the JSON arrays tablesaw-jsplot writes for x, y and its name. */
    record TraceData(String name, List<String> x, List<String> y, String type) {
    }

    static List<TraceData> traces(Figure f) throws Exception {
        List<TraceData> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < f.getTraces().length; i++) {
            Trace t = f.getTraces()[i];
            String js = t.asJavascript(i);
            out.add(new TraceData(field(js, "name"), array(m, js, "x"), array(m, js, "y"), field(js, "type")));
        }
        return out;
    }

    private static List<String> array(ObjectMapper m, String js, String key) throws Exception {
        Matcher x = Pattern.compile("(?m)^\\s*" + key + ": (\\[.*?\\]),$").matcher(js);
        assertTrue(x.find(), "no " + key + " array in " + js);
        List<String> values = new ArrayList<>();
        for (JsonNode n : m.readTree(x.group(1))) {
            values.add(n.asText());
        }
        return values;
    }

    private static String field(String js, String key) {
        Matcher x = Pattern.compile("(?m)^\\s*" + key + ": '([^']*)',").matcher(js);
        assertTrue(x.find(), "no " + key + " in " + js);
        return x.group(1);
    }

    static Table dns(String... queries) {
        DateTimeColumn ts = DateTimeColumn.create("ts");
        StringColumn q = StringColumn.create("query");
        StringColumn answers = StringColumn.create("answers");
        for (int i = 0; i < queries.length; i++) {
            ts.append(T0.plusSeconds(10L * i));
            q.append(queries[i]);
            answers.append("192.0.2." + (i + 1));
        }
        return Table.create("dns", ts, q, answers);
    }

    static Table files(String[] md5s, String[] filenames) {
        DateTimeColumn ts = DateTimeColumn.create("ts");
        StringColumn md5 = StringColumn.create("md5");
        StringColumn name = StringColumn.create("filename");
        StringColumn mime = StringColumn.create("mime_type");
        LongColumn seen = LongColumn.create("seen_bytes");
        for (int i = 0; i < md5s.length; i++) {
            ts.append(T0.plusSeconds(5L + 10L * i));
            md5.append(md5s[i]);
            name.append(filenames[i]);
            mime.append("application/x-dosexec");
            seen.append(1000L * (i + 1));
        }
        return Table.create("files", ts, md5, name, mime, seen);
    }

    @Test
    void timelineHasOneTracePerKindAndOneRowPerDomainOrFile() throws Exception {
        Table timeline = ZeekFrames.timeline("ts", dns("a.example", "b.example", "a.example"),
                files(new String[] {"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210",
                    "0123456789abcdef0123456789abcdef"}, new String[] {"", "setup.exe", ""}));
        List<TraceData> t = traces(Charts.timeline(timeline));
        assertEquals(List.of("dns", "file"), t.stream().map(TraceData::name).toList());
        assertEquals(List.of("a.example", "b.example", "a.example"), t.get(0).y());
        assertEquals(3, t.get(0).x().size());
        assertEquals("2014-04-02 10:00:00.000", t.get(0).x().get(0));
        // the same md5 twice is one row; a file without a name is named by MIME type and md5 prefix
        assertEquals(List.of("application/x-dosexec 01234567", "setup.exe", "application/x-dosexec 01234567"),
                t.get(1).y());
        assertEquals("2014-04-02 10:00:05.000", t.get(1).x().get(0));
        String js = Charts.timeline(timeline).asJavascript("d");
        assertTrue(js.contains(Charts.DNS_COLOR) && js.contains(Charts.FILE_COLOR), "kinds coloured");
    }

    @Test
    void timelineWithOnlyDnsHasOneTraceAndRejectsOtherTables() throws Exception {
        List<TraceData> t = traces(Charts.timeline(ZeekFrames.timeline("ts", dns("x.example"))));
        assertEquals(1, t.size());
        assertEquals(List.of("x.example"), t.get(0).y());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.timeline(dns("x.example")));
        assertTrue(e.getMessage().contains("_path"), e.getMessage());
    }

    @Test
    void bytesPerHostSumsBodiesPerHostLargestFirst() throws Exception {
        StringColumn host = StringColumn.create("host", "a.example", "b.example", "a.example", "");
        LongColumn resp = LongColumn.create("response_body_len", 100, 5000, 250, 7);
        LongColumn req = LongColumn.create("request_body_len", 0, 10, 30, 0);
        resp.setMissing(2);
        Table http = Table.create("http", host, resp, req);
        List<TraceData> t = traces(Charts.bytesPerHost(http));
        assertEquals(List.of("response_body_len", "request_body_len"), t.stream().map(TraceData::name).toList());
        assertEquals(List.of("b.example", "a.example", "(no host)"), t.get(0).x());
        assertEquals(List.of(5000.0, 100.0, 7.0), t.get(0).y().stream().map(Double::parseDouble).toList());
        assertEquals(List.of(10.0, 30.0, 0.0), t.get(1).y().stream().map(Double::parseDouble).toList());
        assertEquals("bar", t.get(0).type());

        Table noReq = Table.create("http", host.copy(), LongColumn.create("response_body_len", 1, 2, 3, 4));
        assertEquals(1, traces(Charts.bytesPerHost(noReq)).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.bytesPerHost(Table.create("http", host.copy())));
        assertTrue(e.getMessage().contains("response_body_len"), e.getMessage());
    }
}
