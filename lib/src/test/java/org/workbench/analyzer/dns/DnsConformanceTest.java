package org.workbench.analyzer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.workbench.analyzer.dns.DnsTestSupport.FakeConn;
import org.workbench.analyzer.dns.DnsTestSupport.Records;
import org.workbench.analyzer.dns.DnsTestSupport.Weird;
import org.workbench.analyzer.dns.DnsTestSupport.Weirds;
import org.workbench.flow.ConnId;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;

/**
 * Runs the DNS cases of the Zeek conformance corpus ({@code zeek-conformance/cases} under the shared folder)
 * whose traces are plain DNS over UDP on Ethernet/IP: reads each trace with pcap4j, feeds UDP payloads to the
 * analyzer through a minimal connection table, and compares the dns.log rows (every column but {@code ts} and
 * {@code uid}) and the DNS weirds with the expected logs. Each case reports its agreement (agreeing cells over
 * expected cells) and must reach 1.0.
 */
class DnsConformanceTest {

    static final String[] CASES = {
            "scripts.base.protocols.dns.binds",
            "scripts.base.protocols.dns.dns-key",
            "scripts.base.protocols.dns.dnskey",
            "scripts.base.protocols.dns.ds",
            "scripts.base.protocols.dns.duplicate-reponses",
            "scripts.base.protocols.dns.edns-bad-length",
            "scripts.base.protocols.dns.loc",
            "scripts.base.protocols.dns.max-compression-depth",
            "scripts.base.protocols.dns.mdns-no-assoc",
            "scripts.base.protocols.dns.nsec",
            "scripts.base.protocols.dns.nsec3",
            "scripts.base.protocols.dns.nsec3param",
            "scripts.base.protocols.dns.rrsig",
            "scripts.base.protocols.dns.spf",
            "scripts.base.protocols.dns.sshfp",
            "scripts.base.protocols.dns.svcb-alpn-malformed-len",
            "scripts.base.protocols.dns.wks",
            "scripts.base.protocols.dns.zero-responses",
            "scripts.policy.protocols.dns.original_case",
    };

    static Path casesDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (it names the shared data folder)");
        }
        Path dir = Path.of(shared, "zeek-conformance", "cases");
        if (!Files.isDirectory(dir)) {
            fail("missing folder " + dir.toAbsolutePath());
        }
        return dir;
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(CASES).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void caseAgrees(String name) throws Exception {
        Path caseDir = casesDir().resolve(name);
        assertTrue(Files.isDirectory(caseDir), "missing folder " + caseDir);
        JsonNode manifest = new ObjectMapper().readTree(caseDir.resolve("manifest.json").toFile());
        StringBuilder report = new StringBuilder();
        long agree = 0;
        long total = 0;
        for (JsonNode run : manifest.get("runs")) {
            DnsOptions options = optionsFor(run);
            boolean checksums = true;
            for (JsonNode f : run.get("flags")) {
                checksums &= !"-C".equals(f.asText());
            }
            Path trace = caseDir.resolve(run.get("trace").asText().replace("$TRACES/", "traces/"));
            if ("gzip".equals(run.path("trace_compression").asText())) {
                trace = gunzip(trace);
            }
            Result result = replay(trace, options, checksums);
            for (JsonNode log : run.get("logs")) {
                Path baseline = caseDir.resolve(log.get("baseline").asText());
                Table expected = Table.read(baseline);
                Table actual;
                switch (log.get("log").asText()) {
                    case "dns": actual = Table.of(result.records); break;
                    case "weird": actual = Table.ofWeirds(result.weirds.list); break;
                    default: continue;
                }
                long[] score = compare(expected, actual, report.append(baseline.getFileName()).append(": "));
                agree += score[0];
                total += score[1];
            }
        }
        double agreement = total == 0 ? 1.0 : (double) agree / total;
        System.out.printf(Locale.ROOT, "DNS conformance %s: agreement %.4f (%d/%d cells)%n%s", name, agreement,
                agree, total, report);
        assertEquals(total, agree, name + " disagrees:\n" + report);
    }

    static DnsOptions optionsFor(JsonNode run) {
        DnsOptions o = DnsOptions.defaults();
        for (JsonNode l : run.get("loads")) {
            String s = l.asText();
            if (s.endsWith("protocols/dns/auth-addl")) {
                o = o.withAuthAddl();
            } else if (s.endsWith("protocols/dns/log-original-query-case")) {
                o = o.withOriginalQuery();
            }
        }
        for (JsonNode r : run.get("redefs")) {
            String s = r.asText().replace("redef ", "").replace(";", "").replace(" ", "");
            String[] kv = s.split("=");
            switch (kv[0]) {
                case "dns_skip_all_addl": o = o.withSkips(o.skipAllAuth(), kv[1].equals("T")); break;
                case "dns_skip_all_auth": o = o.withSkips(kv[1].equals("T"), o.skipAllAddl()); break;
                case "dns_max_compression_chain_depth": o = o.withMaxCompressionChainDepth(Integer.parseInt(kv[1]));
                    break;
                case "dns_max_queries": o = o.withMaxQueries(Integer.parseInt(kv[1])); break;
                default: fail("unhandled redef " + s);
            }
        }
        return o;
    }

    static Path gunzip(Path gz) throws IOException {
        Path out = Files.createTempFile("dns-trace", ".pcap");
        out.toFile().deleteOnExit();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); OutputStream o = Files.newOutputStream(out)) {
            in.transferTo(o);
        }
        return out;
    }

    // ---- replay ------------------------------------------------------------------------------------------

    record Result(List<LogRecord> records, Weirds weirds) {
    }

    private static final class Conn {
        final FakeConn ctx;
        final DatagramAnalyzer datagrams;
        final StreamAnalyzer stream;
        final long[] nextSeq = {-1, -1};
        double last;

        Conn(FakeConn ctx, DatagramAnalyzer datagrams, StreamAnalyzer stream, double last) {
            this.ctx = ctx;
            this.datagrams = datagrams;
            this.stream = stream;
            this.last = last;
        }

        void done(double ts) {
            if (datagrams != null) {
                datagrams.connectionDone(ts);
            } else {
                stream.connectionDone(ts);
            }
        }
    }

    /**
     * Replays the UDP datagrams and TCP payloads (in capture order, retransmitted bytes dropped) of a trace; a UDP
     * connection ends after 10 s idle (Zeek's dns_session_timeout).
     */
    static Result replay(Path trace, DnsOptions options, boolean checksums) throws Exception {
        Records records = new Records();
        Weirds weirds = new Weirds();
        DnsAnalyzerFactory factory = new DnsAnalyzerFactory(records, weirds, options);
        Map<String, Conn> conns = new LinkedHashMap<>();
        int uids = 0;
        PcapHandle h = Pcaps.openOffline(trace.toString());
        try {
            while (true) {
                byte[] frame;
                try {
                    frame = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    break;
                }
                Timestamp t = h.getTimestamp();
                double ts = Math.floorDiv(t.getTime(), 1000L) + t.getNanos() / 1e9;
                Udp u = Udp.parse(frame, checksums);
                if (u == null) {
                    continue;
                }
                java.util.Set<Integer> ports = factory.wellKnownPorts(u.tcp ? TransportProto.TCP : TransportProto.UDP);
                if (!ports.contains(u.dport) && !ports.contains(u.sport)) {
                    continue; // only DNS ports, as Zeek attaches its DNS analyzer
                }
                String fwd = u.tcp + "|" + u.src.getHostAddress() + "|" + u.sport + "|" + u.dst.getHostAddress() + "|"
                        + u.dport;
                String rev = u.tcp + "|" + u.dst.getHostAddress() + "|" + u.dport + "|" + u.src.getHostAddress() + "|"
                        + u.sport;
                Conn c = conns.get(fwd);
                boolean isOrig = true;
                if (c == null) {
                    c = conns.get(rev);
                    isOrig = false;
                }
                if (c != null && !u.tcp && ts - c.last > 10.0) {
                    c.done(c.last);
                    conns.values().remove(c);
                    c = null;
                }
                if (c == null) {
                    isOrig = true;
                    ConnId id = new ConnId(u.src, u.sport, u.dst, u.dport, u.tcp ? TransportProto.TCP : TransportProto.UDP);
                    FakeConn ctx = new FakeConn("C" + (++uids), id, ts);
                    c = u.tcp ? new Conn(ctx, null, factory.newStreamAnalyzer(ctx), ts)
                            : new Conn(ctx, factory.newDatagramAnalyzer(ctx), null, ts);
                    conns.put(fwd, c);
                }
                c.last = ts;
                if (!u.tcp) {
                    c.datagrams.datagram(isOrig, ts, u.payload, 0, u.payload.length);
                    continue;
                }
                int dir = isOrig ? 0 : 1;
                long seq = u.seq + (u.syn ? 1 : 0);
                if (c.nextSeq[dir] < 0) {
                    c.nextSeq[dir] = seq;
                }
                long skip = c.nextSeq[dir] - seq;
                if (skip < u.payload.length && skip >= 0) {
                    c.stream.deliver(isOrig, ts, u.payload, (int) skip, u.payload.length - (int) skip);
                    c.nextSeq[dir] = seq + u.payload.length;
                }
                if (u.fin) {
                    c.stream.endOfData(isOrig, ts);
                }
            }
        } finally {
            h.close();
        }
        for (Conn c : conns.values()) {
            c.done(c.last);
        }
        return new Result(records.rows, weirds);
    }

    /** A UDP datagram decoded from an Ethernet frame (IPv4 or IPv6, optional VLAN tags). */
    static final class Udp {
        boolean tcp;
        boolean syn;
        boolean fin;
        long seq;
        InetAddress src;
        InetAddress dst;
        int sport;
        int dport;
        byte[] payload;

        static int u16(byte[] b, int i) {
            return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }

        static Udp parse(byte[] f, boolean checksums) throws Exception {
            int off = 12;
            int etherType = u16(f, off);
            off += 2;
            while (etherType == 0x8100 || etherType == 0x88a8) {
                etherType = u16(f, off + 2);
                off += 4;
            }
            Udp u = new Udp();
            int proto;
            int l4;
            int l4len;
            byte[] pseudo;
            if (etherType == 0x0800) {
                int ihl = (f[off] & 0xf) * 4;
                int total = u16(f, off + 2);
                proto = f[off + 9] & 0xff;
                u.src = InetAddress.getByAddress(Arrays.copyOfRange(f, off + 12, off + 16));
                u.dst = InetAddress.getByAddress(Arrays.copyOfRange(f, off + 16, off + 20));
                l4 = off + ihl;
                l4len = Math.min(total - ihl, f.length - l4);
                pseudo = new byte[12];
                System.arraycopy(f, off + 12, pseudo, 0, 8);
                pseudo[9] = 17;
            } else if (etherType == 0x86dd) {
                proto = f[off + 6] & 0xff;
                u.src = InetAddress.getByAddress(Arrays.copyOfRange(f, off + 8, off + 24));
                u.dst = InetAddress.getByAddress(Arrays.copyOfRange(f, off + 24, off + 40));
                l4 = off + 40;
                l4len = Math.min(u16(f, off + 4), f.length - l4);
                pseudo = new byte[40];
                System.arraycopy(f, off + 8, pseudo, 0, 32);
                pseudo[39] = 17;
            } else {
                return null;
            }
            if (proto == 6 && l4len >= 20) {
                u.tcp = true;
                u.sport = u16(f, l4);
                u.dport = u16(f, l4 + 2);
                u.seq = ((long) u16(f, l4 + 4) << 16) | u16(f, l4 + 6);
                int flags = f[l4 + 13] & 0xff;
                u.syn = (flags & 0x02) != 0;
                u.fin = (flags & 0x01) != 0;
                int hlen = ((f[l4 + 12] >> 4) & 0xf) * 4;
                u.payload = Arrays.copyOfRange(f, l4 + hlen, l4 + l4len);
                return u;
            }
            if (proto != 17 || l4len < 8) {
                return null;
            }
            u.sport = u16(f, l4);
            u.dport = u16(f, l4 + 2);
            int udpLen = Math.min(u16(f, l4 + 4), l4len);
            if (checksums && u16(f, l4 + 6) != 0) {
                long sum = 0;
                int plen = pseudo.length;
                if (plen == 12) {
                    pseudo[10] = (byte) (udpLen >> 8);
                    pseudo[11] = (byte) udpLen;
                } else {
                    pseudo[34] = (byte) (udpLen >> 8);
                    pseudo[35] = (byte) udpLen;
                }
                for (int i = 0; i < plen; i += 2) {
                    sum += u16(pseudo, i);
                }
                for (int i = 0; i < udpLen; i += 2) {
                    int hi = f[l4 + i] & 0xff;
                    int lo = i + 1 < udpLen ? f[l4 + i + 1] & 0xff : 0;
                    sum += (hi << 8) | lo;
                }
                while ((sum >> 16) != 0) {
                    sum = (sum & 0xffff) + (sum >> 16);
                }
                if (sum != 0xffff) {
                    return null; // Zeek drops packets with a bad checksum unless run with -C
                }
            }
            u.payload = Arrays.copyOfRange(f, l4 + 8, l4 + udpLen);
            return u;
        }
    }

    // ---- comparison --------------------------------------------------------------------------------------

    /** Rows of a log as TSV cell texts, by field name. */
    static final class Table {
        final List<String> fields = new ArrayList<>();
        final List<Map<String, String>> rows = new ArrayList<>();

        static Table read(Path p) throws IOException {
            Table t = new Table();
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith("###")) {
                    continue;
                }
                if (line.startsWith("#fields\t")) {
                    t.fields.addAll(Arrays.asList(line.substring(8).split("\t")));
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (t.fields.isEmpty()) {
                    t.fields.addAll(Arrays.asList(cells)); // minimal header from zeek-cut -m
                    continue;
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < cells.length && i < t.fields.size(); i++) {
                    row.put(t.fields.get(i), cells[i]);
                }
                t.rows.add(row);
            }
            return t;
        }

        static Table of(List<LogRecord> records) {
            Table t = new Table();
            for (LogRecord r : records) {
                if (t.fields.isEmpty()) {
                    t.fields.addAll(r.schema().names());
                }
                Map<String, String> row = new HashMap<>();
                for (String f : r.schema().names()) {
                    String type = r.schema().fields().get(r.schema().indexOf(f)).type().toString();
                    row.put(f, cell(r.get(f), type));
                }
                t.rows.add(row);
            }
            return t;
        }

        static Table ofWeirds(List<Weird> weirds) {
            Table t = new Table();
            t.fields.addAll(List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "name", "addl",
                    "notice", "peer", "source"));
            for (Weird w : weirds) {
                Map<String, String> row = new HashMap<>();
                row.put("ts", cell(w.ts(), "time"));
                row.put("uid", w.uid());
                row.put("id.orig_h", w.id().origH().getHostAddress());
                row.put("id.orig_p", Integer.toString(w.id().origP()));
                row.put("id.resp_h", w.id().respH().getHostAddress());
                row.put("id.resp_p", Integer.toString(w.id().respP()));
                row.put("name", w.name());
                row.put("addl", w.addl() == null ? "-" : w.addl());
                row.put("notice", "F");
                row.put("peer", "zeek");
                row.put("source", w.source());
                t.rows.add(row);
            }
            return t;
        }

        static String cell(Object v, String type) {
            if (v == null) {
                return "-";
            }
            if (v instanceof List<?> l) {
                if (l.isEmpty()) {
                    return "(empty)";
                }
                String elem = type.substring(type.indexOf('[') + 1, type.length() - 1);
                List<String> parts = new ArrayList<>();
                for (Object o : l) {
                    parts.add(cell(o, elem));
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
                return a.getHostAddress();
            }
            String s = v.toString();
            StringBuilder sb = new StringBuilder();
            for (char ch : s.toCharArray()) {
                if (ch < 0x20 || ch > 0x7e) {
                    sb.append(String.format(Locale.ROOT, "\\x%02x", (int) ch));
                } else {
                    sb.append(ch);
                }
            }
            return sb.toString();
        }
    }

    static String norm(String field, String v) {
        if (v == null) {
            return null;
        }
        if (field.endsWith("_h") && !v.equals("-")) {
            try {
                return InetAddress.getByName(v).getHostAddress();
            } catch (IOException e) {
                return v;
            }
        }
        if ((field.equals("auth") || field.equals("addl")) && !v.equals("-")) {
            String[] parts = v.split(",");
            Arrays.sort(parts);
            return String.join(",", parts);
        }
        return v;
    }

    /** Pairs rows greedily by agreement and counts agreeing cells; returns {agree, total}. */
    static long[] compare(Table expected, Table actual, StringBuilder report) {
        List<String> scored = new ArrayList<>();
        for (String f : expected.fields) {
            if (!f.equals("ts") && !f.equals("uid") && actual.fields.contains(f)) {
                scored.add(f);
            }
        }
        if (actual.rows.isEmpty()) {
            scored.clear();
            scored.addAll(expected.fields);
            scored.remove("ts");
            scored.remove("uid");
        }
        int n = expected.rows.size();
        int m = actual.rows.size();
        int[][] agree = new int[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                for (String f : scored) {
                    if (norm(f, expected.rows.get(i).get(f)).equals(norm(f, actual.rows.get(j).get(f)))) {
                        agree[i][j]++;
                    }
                }
            }
        }
        boolean[] usedE = new boolean[n];
        boolean[] usedA = new boolean[m];
        long total = (long) n * scored.size();
        long good = 0;
        while (true) {
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    if (!usedE[i] && !usedA[j] && (bi < 0 || agree[i][j] > agree[bi][bj])) {
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (bi < 0) {
                break;
            }
            usedE[bi] = true;
            usedA[bj] = true;
            good += agree[bi][bj];
            for (String f : scored) {
                String e = norm(f, expected.rows.get(bi).get(f));
                String a = norm(f, actual.rows.get(bj).get(f));
                if (!e.equals(a)) {
                    report.append("\n  row ").append(bi).append(' ').append(f).append(": expected '").append(e)
                            .append("' got '").append(a).append('\'');
                }
            }
        }
        report.append(String.format(Locale.ROOT, "%d expected rows, %d actual rows, %d/%d cells%n", n, m, good,
                total));
        if (m > n) {
            report.append("  ").append(m - n).append(" extra actual rows\n");
            total += m - n; // extra rows count against agreement here
        }
        return new long[]{good, total};
    }
}
