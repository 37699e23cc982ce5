package org.workbench.analyzer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.workbench.files.ExtractionPolicy;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.zeeklog.LogRecord;

/**
 * Runs the HTTP analyzer over the reference capture's port-80 connections, reassembled simply here (segments
 * sorted by sequence number, duplicates and overlaps trimmed, holes delivered as gaps), and checks that the
 * files known to be in it are found with the right type and MD5.
 */
class KitchenBossPcapTest {
    /** Files the reference case is known to contain (MD5 of the decoded HTTP body, and Zeek's MIME name). */
    private static final Map<String, String> EXPECTED = Map.of(
            "16cf037b8c8caad6759afc8c309de0f9", "application/x-shockwave-flash",
            "c762b6ba4f560692b6b84ac212cd3ec2", "application/java-archive",
            "40b8c3c98f50e078251ec272620dfb5b", "application/pdf",
            "4410133f571476f2e76e29e61767b557", "application/x-dosexec");

    private record Seg(long seq, byte[] data, double ts, boolean syn) {
    }

    private record Chunk(boolean isOrig, double ts, byte[] data, long gap) {
    }

    private static final class Flow {
        final List<Seg> orig = new ArrayList<>();
        final List<Seg> resp = new ArrayList<>();
        final String key;

        Flow(String key) {
            this.key = key;
        }
    }

    private static Path capture() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (expected the shared data folder)");
        }
        Path p = Path.of(shared, "data", "pcap", "kitchen_boss.pcap");
        if (!Files.isRegularFile(p)) {
            fail("missing reference capture " + p + " (folder " + p.getParent() + ")");
        }
        return p;
    }

    private static Map<String, Flow> readPort80Flows(Path pcap) throws Exception {
        Map<String, Flow> flows = new LinkedHashMap<>();
        PcapHandle h = Pcaps.openOffline(pcap.toString());
        try {
            while (true) {
                byte[] f;
                try {
                    f = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    break;
                }
                double ts = h.getTimestamp().getTime() / 1000.0
                        + (h.getTimestamp().getNanos() % 1_000_000) / 1e9;
                int p = 12;
                int type = u16(f, p);
                p += 2;
                while (type == 0x8100 && f.length >= p + 4) {
                    type = u16(f, p + 2);
                    p += 4;
                }
                if (type != 0x0800 || f.length < p + 20) {
                    continue;
                }
                int ihl = (f[p] & 0x0f) * 4;
                int totalLen = u16(f, p + 2);
                if ((f[p + 9] & 0xff) != 6 || (u16(f, p + 6) & 0x1fff) != 0) {
                    continue;
                }
                String src = (f[p + 12] & 0xff) + "." + (f[p + 13] & 0xff) + "." + (f[p + 14] & 0xff) + "."
                        + (f[p + 15] & 0xff);
                String dst = (f[p + 16] & 0xff) + "." + (f[p + 17] & 0xff) + "." + (f[p + 18] & 0xff) + "."
                        + (f[p + 19] & 0xff);
                int t = p + ihl;
                int end = Math.min(f.length, p + totalLen);
                if (end < t + 20) {
                    continue;
                }
                int sport = u16(f, t);
                int dport = u16(f, t + 2);
                long seq = ((long) u16(f, t + 4) << 16) | u16(f, t + 6);
                int off = ((f[t + 12] & 0xf0) >> 4) * 4;
                boolean syn = (f[t + 13] & 0x02) != 0;
                byte[] payload = java.util.Arrays.copyOfRange(f, Math.min(end, t + off), end);
                boolean toServer = dport == 80;
                if (!toServer && sport != 80) {
                    continue;
                }
                String key = toServer ? src + ":" + sport + ">" + dst : dst + ":" + dport + ">" + src;
                Flow flow = flows.computeIfAbsent(key, Flow::new);
                (toServer ? flow.orig : flow.resp).add(new Seg(seq, payload, ts, syn));
            }
        } finally {
            h.close();
        }
        return flows;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    /** In-order data and gaps of one direction. */
    private static List<Chunk> reassemble(List<Seg> segs, boolean isOrig) {
        List<Chunk> out = new ArrayList<>();
        if (segs.isEmpty()) {
            return out;
        }
        long first = segs.get(0).seq();
        Long start = null;
        for (Seg s : segs) {
            if (s.syn()) {
                start = rel(s.seq() + 1, first);
            }
        }
        List<Seg> data = segs.stream().filter(s -> s.data().length > 0)
                .sorted(Comparator.comparingLong(s -> rel(s.seq(), first))).toList();
        if (data.isEmpty()) {
            return out;
        }
        long next = start != null ? start : rel(data.get(0).seq(), first);
        for (Seg s : data) {
            long a = rel(s.seq(), first);
            long e = a + s.data().length;
            if (e <= next) {
                continue;
            }
            if (a > next) {
                out.add(new Chunk(isOrig, s.ts(), null, a - next));
                next = a;
            }
            out.add(new Chunk(isOrig, s.ts(), java.util.Arrays.copyOfRange(s.data(), (int) (next - a),
                    s.data().length), 0));
            next = e;
        }
        return out;
    }

    private static long rel(long seq, long first) {
        return (int) (seq - first); // 32-bit wrap-around
    }

    @Test
    void findsTheKnownFilesInTheReferenceCapture() throws Exception {
        Map<String, Flow> flows = readPort80Flows(capture());
        assertTrue(flows.size() > 5, "expected several port-80 connections, got " + flows.size());
        HttpTestSupport t = new HttpTestSupport(ExtractionPolicy.defaults(), false);
        for (Flow flow : flows.values()) {
            StreamAnalyzer a = t.analyzer();
            List<Chunk> o = reassemble(flow.orig, true);
            List<Chunk> r = reassemble(flow.resp, false);
            int i = 0;
            int j = 0;
            double last = 0;
            while (i < o.size() || j < r.size()) {
                Chunk c = j >= r.size() || (i < o.size() && o.get(i).ts() <= r.get(j).ts()) ? o.get(i++) : r.get(j++);
                last = Math.max(last, c.ts());
                if (c.data() != null) {
                    a.deliver(c.isOrig(), c.ts(), c.data(), 0, c.data().length);
                } else {
                    a.gap(c.isOrig(), c.ts(), c.gap());
                }
            }
            a.connectionDone(last);
        }
        List<LogRecord> files = t.log("files");
        Map<String, String> byMd5 = files.stream().filter(f -> f.get("md5") != null)
                .collect(Collectors.toMap(f -> (String) f.get("md5"), f -> String.valueOf(f.get("mime_type")),
                        (x, y) -> x));
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            assertEquals(e.getValue(), byMd5.get(e.getKey()),
                    "file with MD5 " + e.getKey() + " among " + describe(files));
        }
        // every expected file is also extracted by the default policy
        for (String md5 : EXPECTED.keySet()) {
            assertTrue(t.extracted.stream().anyMatch(x -> md5.equals(x.md5())), "extracted " + md5);
        }
        assertTrue(t.log("http").size() >= files.size() / 2, "http.log rows for the transfers");
    }

    private static String describe(List<LogRecord> files) {
        return files.stream().map(f -> f.get("mime_type") + "/" + f.get("seen_bytes") + "/" + f.get("missing_bytes")
                + "/" + f.get("md5")).collect(Collectors.joining(", "));
    }
}
