package org.workbench.frames;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Ready-made plotly charts (tablesaw-jsplot {@link Figure}s) of Zeek tables. A figure is the value of
 * a notebook cell, and the Workbench kernel draws it inline with the plotly.js bundled in the kernel.
 */
public final class Charts {
    /** Colour of DNS query points. */
    public static final String DNS_COLOR = "#4e79a7";
    /** Colour of file download points. */
    public static final String FILE_COLOR = "#e15759";

    private static final DateTimeFormatter PLOTLY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private Charts() {
    }

    /**
     * DNS queries and file downloads on one time axis: the table {@link ZeekFrames#timeline} makes of
     * {@code dns} and {@code files} tables (its {@value ZeekFrames#PATH_COLUMN} column, the source table's name, tells which:
     * names starting with {@code dns} are DNS rows, names starting with {@code file} are file rows).
     * One row (y category) per domain ({@code query}) or file, one trace per kind, named {@code dns}
     * and {@code file}, with one point per table row of that kind, coloured {@link #DNS_COLOR} and
     * {@link #FILE_COLOR}. A file's row is named by its {@code filename} when the log has one, else
     * by its {@code mime_type} and the first 8 hex digits of its {@code md5} (or its {@code fuid});
     * rows of the same md5 share one row. Hovering a point shows the time and the details
     * ({@code answers} of a query; {@code mime_type}, {@code seen_bytes}, {@code md5} of a file). Rows
     * from other logs and rows without a time are left out. A kind with no rows gives no trace.
     *
     * @param timeline the timeline table; time column {@code ts} ({@code LocalDateTime} in UTC or
     *                 epoch seconds)
     * @return the figure
     * @throws IllegalArgumentException when the table lacks {@code ts} or {@value ZeekFrames#PATH_COLUMN}
     */
    public static Figure timeline(Table timeline) {
        require(timeline, "ts", "timeline");
        require(timeline, ZeekFrames.PATH_COLUMN, "timeline");
        Column<?> ts = timeline.column("ts");
        Column<?> path = timeline.column(ZeekFrames.PATH_COLUMN);
        List<String> dnsX = new ArrayList<>();
        List<String> dnsY = new ArrayList<>();
        List<String> dnsText = new ArrayList<>();
        List<String> fileX = new ArrayList<>();
        List<String> fileY = new ArrayList<>();
        List<String> fileText = new ArrayList<>();
        Map<String, String> fileNames = new LinkedHashMap<>();
        for (int r = 0; r < timeline.rowCount(); r++) {
            String time = time(ts, r);
            if (time == null) {
                continue;
            }
            String kind = path.getString(r);
            if (kind.startsWith("dns")) {
                String q = text(timeline, "query", r);
                dnsX.add(time);
                dnsY.add(q.isEmpty() ? "(no query)" : q);
                String answers = text(timeline, "answers", r);
                dnsText.add(answers.isEmpty() ? "no answer" : "answers: " + answers);
            } else if (kind.startsWith("file")) {
                String md5 = text(timeline, "md5", r);
                String key = md5.isEmpty() ? "fuid:" + text(timeline, "fuid", r) : md5;
                int row = r;
                String name = fileNames.computeIfAbsent(key, k -> fileName(timeline, row));
                fileX.add(time);
                fileY.add(name);
                fileText.add(text(timeline, "mime_type", r) + ", " + text(timeline, "seen_bytes", r) + " bytes, md5 "
                        + md5);
            }
        }
        List<Trace> traces = new ArrayList<>();
        if (!dnsX.isEmpty()) {
            traces.add(points("dns", dnsX, dnsY, dnsText, DNS_COLOR));
        }
        if (!fileX.isEmpty()) {
            traces.add(points("file", fileX, fileY, fileText, FILE_COLOR));
        }
        long categories = java.util.stream.Stream.concat(dnsY.stream(), fileY.stream()).distinct().count();
        Layout layout = Layout.builder()
                .title("DNS queries and file downloads")
                .height((int) Math.max(300, 140 + 26 * categories))
                .width(900)
                .margin(Margin.builder().left(260).build())
                .xAxis(Axis.builder().title("time (UTC)").type(Axis.Type.DATE).build())
                .yAxis(Axis.builder().type(Axis.Type.CATEGORY).build())
                .build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    /**
     * Bytes of HTTP bodies per server host: the sums of {@code response_body_len} and (when the table
     * has it) {@code request_body_len} over the rows of each {@code host}, as a bar chart with one bar
     * per host and body direction (traces {@code response_body_len} and {@code request_body_len}),
     * hosts ordered by response bytes, largest first. Missing lengths count as 0; rows without a host
     * are summed under {@code (no host)}.
     *
     * @param http an {@code http} table ({@code ZeekFrames.read} of http.log or {@code Workbench.frame})
     * @return the figure; y values are bytes
     * @throws IllegalArgumentException when the table lacks {@code host} or {@code response_body_len},
     *                                  or a length column is not numeric
     */
    public static Figure bytesPerHost(Table http) {
        require(http, "host", "http");
        require(http, "response_body_len", "http");
        NumericColumn<?> resp = numeric(http, "response_body_len");
        NumericColumn<?> req = http.columnNames().contains("request_body_len") ? numeric(http, "request_body_len")
                : null;
        Map<String, long[]> sums = new LinkedHashMap<>();
        Column<?> host = http.column("host");
        for (int r = 0; r < http.rowCount(); r++) {
            String h = host.getString(r);
            long[] s = sums.computeIfAbsent(h.isEmpty() ? "(no host)" : h, k -> new long[2]);
            s[0] += resp.isMissing(r) ? 0 : Math.round(resp.getDouble(r));
            s[1] += req == null || req.isMissing(r) ? 0 : Math.round(req.getDouble(r));
        }
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(sums.entrySet());
        sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                .thenComparing(Map.Entry::getKey));
        Object[] hosts = sorted.stream().map(Map.Entry::getKey).toArray();
        double[] respBytes = sorted.stream().mapToDouble(e -> e.getValue()[0]).toArray();
        double[] reqBytes = sorted.stream().mapToDouble(e -> e.getValue()[1]).toArray();
        List<Trace> traces = new ArrayList<>();
        traces.add(BarTrace.builder(hosts, respBytes).name("response_body_len")
                .marker(Marker.builder().color(FILE_COLOR).build()).build());
        if (req != null) {
            traces.add(BarTrace.builder(hosts, reqBytes).name("request_body_len")
                    .marker(Marker.builder().color(DNS_COLOR).build()).build());
        }
        Layout layout = Layout.builder()
                .title("HTTP body bytes per host")
                .height(450)
                .width(Math.max(600, Math.min(1400, 200 + 60 * hosts.length)))
                .margin(Margin.builder().bottom(160).build())
                .barMode(Layout.BarMode.GROUP)
                .xAxis(Axis.builder().type(Axis.Type.CATEGORY).build())
                .yAxis(Axis.builder().title("bytes").build())
                .build();
        return new Figure(layout, traces.toArray(new Trace[0]));
    }

    private static ScatterTrace points(String name, List<String> x, List<String> y, List<String> text, String color) {
        return ScatterTrace.builder(StringColumn.create("x", x), StringColumn.create("y", y))
                .name(name)
                .mode(ScatterTrace.Mode.MARKERS)
                .marker(Marker.builder().color(color).size(10).build())
                .text(text.toArray(new String[0]))
                .build();
    }

    private static String fileName(Table t, int r) {
        String filename = text(t, "filename", r);
        if (!filename.isEmpty()) {
            return filename;
        }
        String md5 = text(t, "md5", r);
        String mime = text(t, "mime_type", r);
        String id = md5.isEmpty() ? text(t, "fuid", r) : md5.substring(0, Math.min(8, md5.length()));
        return (mime.isEmpty() ? "file" : mime) + " " + id;
    }

    private static String text(Table t, String column, int r) {
        return t.columnNames().contains(column) ? t.column(column).getString(r) : "";
    }

    private static String time(Column<?> ts, int r) {
        if (ts.isMissing(r)) {
            return null;
        }
        Object v = ts.get(r);
        if (v instanceof LocalDateTime t) {
            return PLOTLY_TIME.format(t);
        }
        if (v instanceof Instant i) {
            return PLOTLY_TIME.format(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
        }
        if (v instanceof Number n) {
            long millis = Math.round(n.doubleValue() * 1000);
            return PLOTLY_TIME.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
        }
        throw new IllegalArgumentException("timeline column ts holds " + v.getClass().getSimpleName()
                + " values; expected date-times or epoch seconds");
    }

    private static void require(Table t, String column, String what) {
        if (!t.columnNames().contains(column)) {
            throw new IllegalArgumentException(what + " table " + t.name() + " has no column " + column
                    + " (columns: " + t.columnNames() + ")");
        }
    }

    private static NumericColumn<?> numeric(Table t, String column) {
        if (!(t.column(column) instanceof NumericColumn<?> n)) {
            throw new IllegalArgumentException("column " + column + " of table " + t.name() + " is "
                    + t.column(column).type().name() + ", not numeric");
        }
        return n;
    }
}
