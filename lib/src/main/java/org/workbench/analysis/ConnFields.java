package org.workbench.analysis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.packet.DecodedPacket;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * A log sink in front of the real one that adds the columns of two of Zeek's conn.log policy scripts to conn
 * records: {@code orig_l2_addr}/{@code resp_l2_addr} ({@code protocols/conn/mac-logging}: the link-layer source and
 * destination of the connection's first packet, swapped when that packet came from the responder),
 * {@code vlan}/{@code inner_vlan} ({@code protocols/conn/vlan-logging}: the VLAN tags of the first packet) and
 * {@code pppoe_session_id} ({@code protocols/conn/pppoe-session-id-logging}: the PPPoE session of the first
 * packet, on Ethernet captures).
 * Without the {@code connsize} analyzer ({@code Analyzer::disable_all}) it unsets {@code orig_pkts},
 * {@code orig_ip_bytes}, {@code resp_pkts} and {@code resp_ip_bytes}, as Zeek leaves them. Records of other logs
 * pass through unchanged.
 *
 * <p>It remembers the first packet of each flow (by addresses, ports and IP protocol, both directions alike) until
 * the flow's conn record passes, and at most {@link #MAX_FLOWS} flows at once.
 */
final class ConnFields implements LogSink {
    /** Most flows remembered at once; the oldest are forgotten beyond. */
    static final int MAX_FLOWS = 1 << 20;

    private record First(String src, int srcPort, String l2Src, String l2Dst, int vlan, int innerVlan, int pppoe) {
    }

    private final LogSink out;
    private static final List<String> SIZE_FIELDS = List.of("orig_pkts", "orig_ip_bytes", "resp_pkts",
            "resp_ip_bytes");

    private final boolean l2, vlans, sizes, pppoe;
    private final Map<String, LogSchema> schemas = new java.util.HashMap<>();
    private final Map<String, First> flows = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, First> eldest) {
            return size() > MAX_FLOWS;
        }
    };

    ConnFields(LogSink out, boolean l2, boolean vlans, boolean sizes, boolean pppoe) {
        this.out = out;
        this.pppoe = pppoe;
        this.l2 = l2;
        this.vlans = vlans;
        this.sizes = sizes;
    }

    /** Whether packets must be {@linkplain #observe observed} (only for the first-packet columns). */
    boolean observing() {
        return l2 || vlans || pppoe;
    }

    /** The PPPoE session id of an Ethernet frame (after any VLAN tags), or -1. */
    static int pppoeSession(DecodedPacket p) {
        if (p.raw == null || p.raw.linkType() != 1) {
            return -1;
        }
        byte[] d = p.raw.data();
        int off = 12;
        while (off + 2 <= d.length) {
            int type = ((d[off] & 0xff) << 8) | (d[off + 1] & 0xff);
            if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
                off += 4;
            } else if (type == 0x8864 && off + 6 <= d.length) {
                return ((d[off + 4] & 0xff) << 8) | (d[off + 5] & 0xff);
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** Notes a decoded packet (before the connection tracker sees it). */
    void observe(DecodedPacket p) {
        if (p.srcAddr == null || p.dstAddr == null || p.ipVersion == 0) {
            return;
        }
        String src = hex(p.srcAddr);
        String dst = hex(p.dstAddr);
        boolean ports = p.ipProto == DecodedPacket.PROTO_TCP || p.ipProto == DecodedPacket.PROTO_UDP;
        int sp = ports ? p.srcPort : 0;
        int dp = ports ? p.dstPort : 0;
        String key = key(src, sp, dst, dp, p.ipProto);
        flows.putIfAbsent(key, new First(src, sp, mac(p.l2Src), mac(p.l2Dst), p.vlan, p.innerVlan,
                pppoe ? pppoeSession(p) : -1));
    }

    private static String key(String a, int ap, String b, int bp, int proto) {
        String x = a + "/" + ap;
        String y = b + "/" + bp;
        return (x.compareTo(y) <= 0 ? x + "-" + y : y + "-" + x) + "/" + proto;
    }

    @Override
    public void write(LogRecord record) {
        if (!"conn".equals(record.schema().path())) {
            out.write(record);
            return;
        }
        if (!sizes) {
            for (String f : SIZE_FIELDS) {
                if (record.schema().indexOf(f) >= 0) {
                    record.set(f, null);
                }
            }
        }
        if (!observing()) {
            out.write(record);
            return;
        }
        LogSchema base = record.schema();
        LogSchema schema = schemas.computeIfAbsent(base.path(), k -> extend(base));
        LogRecord r = new LogRecord(schema);
        for (int i = 0; i < base.size(); i++) {
            r.set(i, record.get(i));
        }
        First f = lookup(record);
        if (f != null) {
            String origH = addrHex(record.get("id.orig_h"));
            boolean fromOrig = f.src().equals(origH) && (f.srcPort() == 0 || portOf(record.get("id.orig_p"))
                    == f.srcPort());
            if (l2) {
                r.set("orig_l2_addr", fromOrig ? f.l2Src() : f.l2Dst());
                r.set("resp_l2_addr", fromOrig ? f.l2Dst() : f.l2Src());
            }
            if (pppoe) {
                r.set("pppoe_session_id", f.pppoe() < 0 ? null : (long) f.pppoe());
            }
            if (vlans) {
                r.set("vlan", f.vlan() < 0 ? null : (long) f.vlan());
                r.set("inner_vlan", f.innerVlan() < 0 ? null : (long) f.innerVlan());
            }
        }
        out.write(r);
    }

    private First lookup(LogRecord record) {
        Object ipProto = record.get("ip_proto");
        String a = addrHex(record.get("id.orig_h"));
        String b = addrHex(record.get("id.resp_h"));
        if (a == null || b == null || !(ipProto instanceof Number n)) {
            return null;
        }
        int proto = n.intValue();
        boolean ports = proto == DecodedPacket.PROTO_TCP || proto == DecodedPacket.PROTO_UDP;
        int ap = ports ? portOf(record.get("id.orig_p")) : 0;
        int bp = ports ? portOf(record.get("id.resp_p")) : 0;
        return flows.remove(key(a, ap, b, bp, proto));
    }

    private LogSchema extend(LogSchema base) {
        List<LogSchema.Field> fields = new ArrayList<>(base.fields());
        LogSchema.Builder tmp = LogSchema.builder(base.path());
        if (vlans) {
            tmp.field("vlan", "int").field("inner_vlan", "int");
        }
        if (l2) {
            tmp.field("orig_l2_addr", "string").field("resp_l2_addr", "string");
        }
        if (pppoe) {
            tmp.field("pppoe_session_id", "count");
        }
        fields.addAll(tmp.build().fields());
        return new LogSchema(base.path(), fields);
    }

    private static int portOf(Object v) {
        return v instanceof Number n ? n.intValue() : -1;
    }

    private static String addrHex(Object v) {
        if (v instanceof InetAddress a) {
            return hex(a.getAddress());
        }
        if (v instanceof String s) {
            try {
                return hex(InetAddress.getByName(s).getAddress());
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
        }
        return sb.toString();
    }

    private static String mac(byte[] b) {
        if (b == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (int i = 0; i < b.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((b[i] >> 4) & 15, 16)).append(Character.forDigit(b[i] & 15, 16));
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        flows.clear();
    }
}
