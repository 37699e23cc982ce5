package org.workbench.analyzer.http;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.workbench.files.ExtractionPolicy;
import org.workbench.zeeklog.LogRecord;

/**
 * Test-only runner for the Zeek conformance corpus: replays a case's trace through the HTTP analyzer and renders
 * our records as Zeek TSV rows of the baseline's columns, for comparison with the baseline.
 */
final class ZeekConformance {
    /** Columns never compared: per-run identifiers and times that the replay cannot reproduce. */
    static final Set<String> IGNORED = Set.of("ts", "uid", "fuid", "orig_fuids", "resp_fuids", "duration");

    private ZeekConformance() {
    }

    static Path casesDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            throw new AssertionError("system property workbench.shared is not set");
        }
        Path p = Path.of(shared, "zeek-conformance", "cases");
        if (!Files.isDirectory(p)) {
            throw new AssertionError("missing conformance folder " + p);
        }
        return p;
    }

    /** A baseline log: its column names and its rows (each a list of cells). */
    record Baseline(List<String> fields, List<List<String>> rows) {
    }

    static Baseline readBaseline(Path file) throws Exception {
        List<String> fields = null;
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring(8).split("\t", -1));
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (fields == null) {
                fields = List.of(line.split("\t", -1));
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            String l = line.endsWith("\t") ? line.substring(0, line.length() - 1) : line;
            rows.add(List.of(l.split("\t", -1)));
        }
        return new Baseline(fields == null ? List.of() : fields, rows);
    }

    /** Runs every TCP flow of a trace whose responder port is an HTTP port, or whose first bytes look like HTTP. */
    static HttpTestSupport run(Path trace, boolean capturePassword) throws Exception {
        HttpTestSupport t = new HttpTestSupport(ExtractionPolicy.none(), false);
        t.factory.capturePassword(capturePassword);
        int n = 0;
        for (PcapReplay.Flow flow : PcapReplay.read(trace)) {
            if (!flow.sawSyn()) {
                continue; // Zeek does not run HTTP on connections whose start it did not see
            }
            byte[] first = PcapReplay.firstOrigPayload(flow);
            boolean http = HttpAnalyzerFactory.PORTS.contains(flow.id.respP())
                    || t.factory.detect(flow.id.proto(), true, first, 0, first.length);
            if (!http) {
                continue;
            }
            PcapReplay.replay(flow, t.analyzer(flow.id, "C" + (++n)));
        }
        t.files.closeAll(Double.MAX_VALUE);
        return t;
    }

    /** Our records rendered as rows of the given columns, Zeek TSV style. */
    static List<String> render(Collection<LogRecord> records, List<String> fields) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : records) {
            List<String> cells = new ArrayList<>();
            for (String f : fields) {
                if (IGNORED.contains(f)) {
                    continue;
                }
                cells.add(cell(r.schema().indexOf(f) < 0 ? "<no such field>" : r.get(f)));
            }
            out.add(String.join("\t", cells));
        }
        return out;
    }

    static List<String> render(Baseline b) {
        List<String> out = new ArrayList<>();
        for (List<String> row : b.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < b.fields().size() && i < row.size(); i++) {
                if (!IGNORED.contains(b.fields().get(i))) {
                    cells.add(row.get(i));
                }
            }
            out.add(String.join("\t", cells));
        }
        return out;
    }

    static String cell(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return "(empty)";
            }
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(cell(o));
            }
            return String.join(",", parts);
        }
        if (v instanceof Boolean b) {
            return b ? "T" : "F";
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6f", d);
        }
        if (v instanceof InetAddress a) {
            String h = a.getHostAddress();
            if (a instanceof java.net.Inet6Address) {
                // RFC 5952 style: the longest run of zero groups becomes "::"
                h = h.replaceAll("(^|:)0(:0)+(:|$)", "::").replaceFirst(":::", "::");
                if (h.startsWith("::") || h.endsWith("::")) {
                    h = h.replaceAll("^0+", "");
                }
            }
            return h;
        }
        String s = v.toString();
        if (s.isEmpty()) {
            return "(empty)";
        }
        return escape(s);
    }

    /** Zeek's ASCII writer escaping: backslash, control bytes and bytes that are not valid UTF-8 as \xNN. */
    static String escape(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c == '\\') {
                sb.append("\\\\");
                i++;
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", c));
                i++;
            } else if (c < 0x80) {
                sb.append((char) c);
                i++;
            } else {
                int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
                String decoded = null;
                if (len > 1 && i + len <= b.length) {
                    try {
                        decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                                .decode(ByteBuffer.wrap(b, i, len)).toString();
                    } catch (CharacterCodingException e) {
                        decoded = null;
                    }
                }
                if (decoded != null) {
                    sb.append(decoded);
                    i += len;
                } else {
                    sb.append(String.format("\\x%02x", c));
                    i++;
                }
            }
        }
        return sb.toString();
    }
}
