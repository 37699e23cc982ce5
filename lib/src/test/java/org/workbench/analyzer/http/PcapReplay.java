package org.workbench.analyzer.http;

import java.io.EOFException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.workbench.flow.ConnId;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;

/**
 * Test-only TCP replay: reads a capture with pcap4j, groups TCP segments by connection, reassembles each direction
 * simply (segments sorted by sequence number, duplicates and overlaps trimmed, holes reported as gaps) and replays
 * both directions into a {@link StreamAnalyzer}, interleaved by packet time.
 */
final class PcapReplay {
    private record Seg(long seq, byte[] data, double ts, boolean syn, boolean fin) {
    }

    private record Chunk(boolean isOrig, double ts, byte[] data, long gap) {
    }

    /** One TCP connection of the capture. */
    static final class Flow {
        final ConnId id;
        final double start;
        final List<Seg> orig = new ArrayList<>();
        final List<Seg> resp = new ArrayList<>();
        double last;

        /** Whether the capture holds the connection's SYN. */
        boolean sawSyn() {
            return orig.stream().anyMatch(Seg::syn) || resp.stream().anyMatch(Seg::syn);
        }

        Flow(ConnId id, double start) {
            this.id = id;
            this.start = start;
        }
    }

    private PcapReplay() {
    }

    /** Opens a capture, decompressing a gzip one into a temporary file first. */
    static List<Flow> read(Path pcap) throws Exception {
        Path file = pcap;
        Path tmp = null;
        if (pcap.toString().endsWith(".gz")) {
            tmp = Files.createTempFile("replay", ".pcap");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(pcap))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            file = tmp;
        }
        try {
            return readPlain(file);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static List<Flow> readPlain(Path pcap) throws Exception {
        Map<String, Flow> flows = new LinkedHashMap<>();
        PcapHandle h = Pcaps.openOffline(pcap.toString());
        int dlt = h.getDlt().value();
        try {
            while (true) {
                byte[] f;
                try {
                    f = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    break;
                } catch (Exception e) {
                    break;
                }
                double ts = h.getTimestamp().getTime() / 1000L + h.getTimestamp().getNanos() / 1e9;
                int p;
                int type;
                if (dlt == 1) {
                    p = 14;
                    type = u16(f, 12);
                    while ((type == 0x8100 || type == 0x88a8) && f.length >= p + 4) {
                        type = u16(f, p + 2);
                        p += 4;
                    }
                    if (type <= 1500 && f.length >= p + 8 && (f[p] & 0xff) == 0xaa && (f[p + 1] & 0xff) == 0xaa
                            && f[p + 2] == 3) { // 802.3 length field with LLC/SNAP header
                        type = u16(f, p + 6);
                        p += 8;
                    }
                } else if (dlt == 113) { // Linux cooked
                    p = 16;
                    type = u16(f, 14);
                } else if (dlt == 0 || dlt == 108) { // null/loopback
                    p = 4;
                    type = (f[0] == 2 || f[3] == 2) ? 0x0800 : 0x86dd;
                } else if (dlt == 101 || dlt == 12 || dlt == 228 || dlt == 229) { // raw IP
                    p = 0;
                    type = (f[0] & 0xf0) == 0x40 ? 0x0800 : 0x86dd;
                } else {
                    continue;
                }
                InetAddress src;
                InetAddress dst;
                int t;
                int end;
                if (type == 0x0800 && f.length >= p + 20) {
                    int ihl = (f[p] & 0x0f) * 4;
                    if ((f[p + 9] & 0xff) != 6 || (u16(f, p + 6) & 0x1fff) != 0) {
                        continue;
                    }
                    src = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 12, p + 16));
                    dst = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 16, p + 20));
                    t = p + ihl;
                    end = Math.min(f.length, p + u16(f, p + 2));
                } else if (type == 0x86dd && f.length >= p + 40) {
                    if ((f[p + 6] & 0xff) != 6) {
                        continue;
                    }
                    src = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 8, p + 24));
                    dst = InetAddress.getByAddress(Arrays.copyOfRange(f, p + 24, p + 40));
                    t = p + 40;
                    end = Math.min(f.length, t + u16(f, p + 4));
                } else {
                    continue;
                }
                if (end < t + 20) {
                    continue;
                }
                int sport = u16(f, t);
                int dport = u16(f, t + 2);
                long seq = ((long) u16(f, t + 4) << 16) | u16(f, t + 6);
                int off = ((f[t + 12] & 0xf0) >> 4) * 4;
                int flags = f[t + 13] & 0xff;
                boolean syn = (flags & 0x02) != 0;
                boolean ack = (flags & 0x10) != 0;
                boolean fin = (flags & 0x01) != 0;
                byte[] payload = Arrays.copyOfRange(f, Math.min(end, t + off), end);
                String a = src.getHostAddress() + "/" + sport;
                String b = dst.getHostAddress() + "/" + dport;
                String key = a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
                Flow flow = flows.get(key);
                if (flow == null) {
                    // the originator sent the first packet, unless that packet is a SYN-ACK
                    boolean reversed = syn && ack;
                    ConnId id = reversed ? new ConnId(dst, dport, src, sport, TransportProto.TCP)
                            : new ConnId(src, sport, dst, dport, TransportProto.TCP);
                    flow = new Flow(id, ts);
                    flows.put(key, flow);
                }
                flow.last = ts;
                boolean fromOrig = flow.id.origH().equals(src) && flow.id.origP() == sport;
                (fromOrig ? flow.orig : flow.resp).add(new Seg(seq, payload, ts, syn, fin));
            }
        } finally {
            h.close();
        }
        return new ArrayList<>(flows.values());
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

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
            out.add(new Chunk(isOrig, s.ts(), Arrays.copyOfRange(s.data(), (int) (next - a), s.data().length), 0));
            next = e;
        }
        return out;
    }

    private static long rel(long seq, long first) {
        return (int) (seq - first);
    }

    /** The originator's first payload bytes (up to 256, across segments, up to the first hole). */
    static byte[] firstOrigPayload(Flow flow) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Chunk c : reassemble(flow.orig, true)) {
            if (c.data() == null || out.size() >= 256) {
                break;
            }
            out.write(c.data(), 0, Math.min(c.data().length, 256 - out.size()));
        }
        return out.toByteArray();
    }

    /** Replays a connection into an analyzer and ends it. */
    static void replay(Flow flow, StreamAnalyzer a) {
        List<Chunk> o = reassemble(flow.orig, true);
        List<Chunk> r = reassemble(flow.resp, false);
        int i = 0;
        int j = 0;
        while (i < o.size() || j < r.size()) {
            Chunk c = j >= r.size() || (i < o.size() && o.get(i).ts() <= r.get(j).ts()) ? o.get(i++) : r.get(j++);
            if (c.data() != null) {
                a.deliver(c.isOrig(), c.ts(), c.data(), 0, c.data().length);
            } else {
                a.gap(c.isOrig(), c.ts(), c.gap());
            }
        }
        boolean origFin = flow.orig.stream().anyMatch(Seg::fin);
        boolean respFin = flow.resp.stream().anyMatch(Seg::fin);
        if (origFin) {
            a.endOfData(true, flow.last);
        }
        if (respFin) {
            a.endOfData(false, flow.last);
        }
        a.connectionDone(flow.last);
    }

}
