package org.workbench.analyzer.dns;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.workbench.flow.ConnId;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Turns the parser's events of one connection into dns.log rows the way Zeek's default DNS script does:
 * queries and responses are paired by transaction id (several may be in flight, each id keeps a FIFO queue),
 * a row is written once both halves were seen, and whatever is still unpaired is written when the connection
 * ends. Messages to multicast addresses (mDNS, LLMNR) are written one row each without pairing. Pending state
 * is bounded by {@link DnsOptions#maxPendingMsgs()} and {@link DnsOptions#maxPendingQueryIds()}.
 */
final class DnsSessionLogger implements DnsEvents {

    private static final int OP_QUERY = 0, OP_NOTIFY = 4, OP_UPDATE = 5;

    /** One dns.log row under construction (Zeek's {@code DNS::Info}). */
    static final class Info {
        double ts;
        ConnId id;
        long transId;
        Double rtt;
        String query;
        Long qclass;
        String qclassName;
        Long qtype;
        String qtypeName;
        Long rcode;
        String rcodeName;
        boolean aa, tc, rd, ra;
        long z;
        List<String> answers;
        List<Double> ttls;
        boolean rejected;
        Long opcode;
        String opcodeName;
        Set<String> auth;
        Set<String> addl;
        String originalQuery;
        boolean sawQuery, sawReply;
    }

    /** What the logger needs to know of its connection. */
    interface Conn {
        String uid();

        /** Endpoints after any role flip. */
        ConnId id();

        /** Time of the packet being analysed, seconds. */
        double now();
    }

    private final Conn conn;
    private final LogSink sink;
    private final DnsOptions options;
    private final LogSchema schema;

    private Info current;
    private Info pendingQuery;
    private final Map<Long, ArrayDeque<Info>> pendingQueries = new LinkedHashMap<>();
    private final Map<Long, ArrayDeque<Info>> pendingReplies = new LinkedHashMap<>();

    DnsSessionLogger(Conn conn, LogSink sink, DnsOptions options) {
        this.conn = conn;
        this.sink = sink;
        this.options = options;
        this.schema = DnsLog.schema(options);
    }

    private static boolean tracked(int opcode) {
        return opcode == OP_QUERY || opcode == OP_UPDATE || opcode == OP_NOTIFY;
    }

    private Info newSession(long transId) {
        Info i = new Info();
        i.ts = conn.now();
        i.id = conn.id();
        i.transId = transId;
        return i;
    }

    @Override
    public void message(DnsHeader hdr) {
        if (!tracked(hdr.opcode())) {
            return;
        }
        boolean isQuery = !hdr.qr();
        long id = hdr.id();
        if (isMulticast(conn.id().respH())) {
            current = newSession(id);
            current.sawQuery = true;
            current.sawReply = true;
        } else if (isQuery) {
            ArrayDeque<Info> q = pendingReplies.get(id);
            if (q != null && !q.isEmpty()) {
                current = pop(pendingReplies, id);
            } else {
                current = newSession(id);
                if (pendingQuery == null) {
                    pendingQuery = current;
                } else {
                    enqueue(pendingQueries, id, current);
                }
            }
        } else {
            if (pendingQuery != null && pendingQuery.transId == id) {
                current = pendingQuery;
                pendingQuery = null;
                // Refill the fast path so queued queries keep their order.
                ArrayDeque<Info> same = pendingQueries.get(id);
                if (same != null && !same.isEmpty()) {
                    pendingQuery = pop(pendingQueries, id);
                } else {
                    for (Map.Entry<Long, ArrayDeque<Info>> e : pendingQueries.entrySet()) {
                        if (!e.getValue().isEmpty()) {
                            pendingQuery = pop(pendingQueries, e.getKey());
                            break;
                        }
                    }
                }
            } else {
                ArrayDeque<Info> q = pendingQueries.get(id);
                if (q != null && !q.isEmpty()) {
                    current = pop(pendingQueries, id);
                } else {
                    current = newSession(id);
                    enqueue(pendingReplies, id, current);
                }
            }
        }
        if (!isQuery) {
            current.rcode = (long) hdr.rcode();
            current.rcodeName = DnsNames.rcodeName(hdr.rcode());
            if (hdr.rcode() != 0 && hdr.qdCount() == 0) {
                current.rejected = true;
            }
        }
        current.opcode = (long) hdr.opcode();
        current.opcodeName = DnsNames.opcodeName(hdr.opcode(), hdr.netbios());
    }

    private void enqueue(Map<Long, ArrayDeque<Info>> msgs, long id, Info info) {
        ArrayDeque<Info> q = msgs.get(id);
        if (q == null) {
            if (msgs.size() > options.maxPendingQueryIds()) {
                // Give up on everything unmatched: it is unlikely to be matched any more.
                logAll(msgs);
            }
            q = new ArrayDeque<>();
            msgs.put(id, q);
        } else if (q.size() > options.maxPendingMsgs()) {
            for (Info i : q) {
                write(i);
            }
            q.clear();
        }
        q.addLast(info);
    }

    private static Info pop(Map<Long, ArrayDeque<Info>> msgs, long id) {
        ArrayDeque<Info> q = msgs.get(id);
        Info i = q.pollFirst();
        if (q.isEmpty()) {
            msgs.remove(id);
        }
        return i;
    }

    private void logAll(Map<Long, ArrayDeque<Info>> msgs) {
        for (ArrayDeque<Info> q : msgs.values()) {
            for (Info i : q) {
                write(i);
            }
        }
        msgs.clear();
    }

    @Override
    public void request(DnsHeader hdr, String query, String original, int qtype, int qclass) {
        if (!tracked(hdr.opcode()) || current == null) {
            return;
        }
        Info i = current;
        i.rd = hdr.rd();
        i.tc = hdr.tc();
        i.qclass = (long) qclass;
        i.qclassName = DnsNames.className(qclass);
        i.qtype = (long) qtype;
        i.qtypeName = DnsNames.typeName(qtype);
        i.z = hdr.z();
        ConnId id = conn.id();
        if (id.respP() == DnsMessageParser.NETBIOS_PORT && id.proto() == TransportProto.UDP) {
            String decoded = decodeNetbiosName(query);
            if (!decoded.isEmpty()) {
                query = decoded;
            }
            if ("SRV".equals(i.qtypeName)) {
                i.qtypeName = "NBSTAT"; // NetBIOS node status reuses SRV's number (RFC 1002)
            }
        }
        i.query = query;
        if (options.logOriginalQuery() && hdr.opcode() == OP_QUERY) {
            i.originalQuery = original;
        }
    }

    @Override
    public void rejected(DnsHeader hdr, String query, int qtype, int qclass) {
        if (current != null) {
            current.rejected = true;
        }
    }

    @Override
    public void reply(DnsHeader hdr, DnsAnswer ans, String reply) {
        if (current == null || !hdr.qr()) {
            return;
        }
        if (options.logAuthAddl() && hdr.opcode() == OP_QUERY) {
            if (ans.section() == DnsAnswer.Section.AUTHORITY) {
                if (current.auth == null) {
                    current.auth = new LinkedHashSet<>();
                }
                current.auth.add(reply);
            } else if (ans.section() == DnsAnswer.Section.ADDITIONAL) {
                if (current.addl == null) {
                    current.addl = new LinkedHashSet<>();
                }
                current.addl.add(reply);
            }
        }
        if (!tracked(hdr.opcode())) {
            return;
        }
        DnsAnswer.Section s = ans.section();
        if (s != DnsAnswer.Section.ANSWER && s != DnsAnswer.Section.PREREQUISITE && s != DnsAnswer.Section.UPDATE) {
            return;
        }
        Info i = current;
        if (i.query == null) {
            i.query = ans.name();
        }
        i.aa = hdr.aa();
        i.ra = hdr.ra();
        if (i.rtt == null) {
            double rtt = conn.now() - i.ts;
            // Zero means only the reply was seen.
            i.rtt = rtt == 0.0 ? null : rtt;
        }
        if (!reply.isEmpty()) {
            if (hdr.opcode() == OP_UPDATE && s == DnsAnswer.Section.UPDATE && !reply.startsWith("del:")) {
                reply = "add: " + reply;
            }
            if (i.answers == null) {
                i.answers = new ArrayList<>();
                i.ttls = new ArrayList<>();
            }
            i.answers.add(reply);
            i.ttls.add((double) ans.ttl());
        }
    }

    @Override
    public void dynamicUpdatePrerequisite(DnsHeader hdr, DnsAnswer ans) {
        String what;
        String type = DnsNames.typeName(ans.type());
        if (ans.rrClass() == 254 && ans.type() == 255) {
            what = "NameNotInUse " + ans.name();
        } else if (ans.rrClass() == 255 && ans.type() == 255) {
            what = "NameInUse " + ans.name();
        } else if (ans.rrClass() == 254) {
            what = "NoRRSet " + type + " " + ans.name();
        } else {
            what = "RRSetExists " + type + " " + ans.name();
        }
        reply(hdr, ans, "pre: " + what);
    }

    @Override
    public void dynamicUpdateDelete(DnsHeader hdr, DnsAnswer ans) {
        String what;
        if (ans.rrClass() == 255 && ans.type() == 255) {
            what = "RRSet * " + ans.name();
        } else if (ans.rrClass() == 254) {
            what = "RR " + DnsNames.typeName(ans.type()) + " " + ans.name();
        } else {
            what = "RRSet " + DnsNames.typeName(ans.type());
        }
        reply(hdr, ans, "del: " + what);
    }

    @Override
    public void end(DnsHeader hdr) {
        if (current == null) {
            return;
        }
        if (hdr.qr()) {
            current.sawReply = true;
        } else {
            current.sawQuery = true;
        }
        if (current.sawReply && current.sawQuery) {
            write(current);
            current = null;
        }
    }

    /** The connection ends: writes every unpaired query and response (Zeek's DNS finalize hook). */
    void finish() {
        if (pendingQuery != null) {
            write(pendingQuery);
            pendingQuery = null;
        }
        logAll(pendingQueries);
        logAll(pendingReplies);
        current = null;
    }

    private void write(Info i) {
        LogRecord r = new LogRecord(schema);
        r.set("ts", i.ts);
        r.set("uid", conn.uid());
        r.set("id.orig_h", i.id.origH());
        r.set("id.orig_p", i.id.origP());
        r.set("id.resp_h", i.id.respH());
        r.set("id.resp_p", i.id.respP());
        r.set("proto", i.id.proto().zeekName());
        r.set("trans_id", i.transId);
        r.set("rtt", i.rtt);
        r.set("query", i.query);
        r.set("qclass", i.qclass);
        r.set("qclass_name", i.qclassName);
        r.set("qtype", i.qtype);
        r.set("qtype_name", i.qtypeName);
        r.set("rcode", i.rcode);
        r.set("rcode_name", i.rcodeName);
        r.set("AA", i.aa);
        r.set("TC", i.tc);
        r.set("RD", i.rd);
        r.set("RA", i.ra);
        r.set("Z", i.z);
        r.set("answers", i.answers == null ? null : List.copyOf(i.answers));
        r.set("TTLs", i.ttls == null ? null : List.copyOf(i.ttls));
        r.set("rejected", i.rejected);
        r.set("opcode", i.opcode);
        r.set("opcode_name", i.opcodeName);
        if (options.logAuthAddl()) {
            r.set("auth", i.auth == null ? null : List.copyOf(i.auth));
            r.set("addl", i.addl == null ? null : List.copyOf(i.addl));
        }
        if (options.logOriginalQuery()) {
            r.set("original_query", i.originalQuery);
        }
        sink.write(r);
    }

    /** Multicast destinations (224.0.0.0/4, ff00::/8), where replies come on other connections. */
    static boolean isMulticast(InetAddress a) {
        return a != null && a.isMulticastAddress();
    }

    /**
     * Decodes a NetBIOS first-level encoded name (RFC 1001 section 14.1: 32 letters A-P, two per byte) the way
     * Zeek's {@code decode_netbios_name} does: the suffix byte and trailing spaces and NULs are dropped, decoding
     * stops at the first byte that is neither printable nor below 3, and an invalid encoding yields "".
     */
    static String decodeNetbiosName(String name) {
        if (name.length() != 32) {
            return "";
        }
        char[] buf = new char[16];
        int length = 0;
        for (int i = 0; i < 16; i++) {
            int c0 = upper(name.charAt(2 * i));
            int c1 = upper(name.charAt(2 * i + 1));
            if (c0 < 'A' || c0 > 'P' || c1 < 'A' || c1 > 'P') {
                return "";
            }
            int b = ((c0 - 'A') << 4) + (c1 - 'A');
            buf[i] = (char) b;
            boolean printable = (b >= 0x21 && b <= 0x7e) || b == ' ' || b < 3;
            if (printable) {
                length++;
            } else {
                break;
            }
        }
        if (length == 16) {
            length = 15;
        }
        while (length > 0 && (buf[length - 1] == ' ' || buf[length - 1] == 0)) {
            length--;
        }
        return new String(buf, 0, length);
    }

    private static int upper(char c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }
}
