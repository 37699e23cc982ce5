package org.workbench.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

import org.workbench.analysis.WeirdLog;
import org.workbench.analysis.WeirdReporter;
import org.workbench.packet.DecodedPacket;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

import static org.workbench.flow.TcpEndpoint.State.CLOSED;
import static org.workbench.flow.TcpEndpoint.State.ESTABLISHED;
import static org.workbench.flow.TcpEndpoint.State.INACTIVE;
import static org.workbench.flow.TcpEndpoint.State.PARTIAL;
import static org.workbench.flow.TcpEndpoint.State.RESET;
import static org.workbench.flow.TcpEndpoint.State.SYN_ACK_SENT;
import static org.workbench.flow.TcpEndpoint.State.SYN_SENT;

/**
 * Groups decoded packets into connections the way Zeek 9 does, runs TCP reassembly and the protocol
 * analyzers, and writes one conn.log row per connection when it ends.
 *
 * <p>Behaviour follows Zeek's connection handling (Zeek source: {@code IPBasedAnalyzer}, {@code TCPAnalyzer},
 * {@code TCPSessionAdapter}, {@code TCP_Endpoint}, {@code TCP_Reassembler}, {@code UDPAnalyzer},
 * {@code ICMPAnalyzer}, {@code Session}; scripts {@code base/protocols/conn/main.zeek}):
 * <ul>
 *   <li>connections are keyed by addresses, ports and IP protocol, both directions mapping to one entry; the
 *       originator is the sender of the first packet, except that connections starting without a SYN are
 *       flipped when only the source port is a likely server port, and a connection that began with a SYN-ACK
 *       is flipped when productive traffic follows ({@code ^} in the history);</li>
 *   <li>time is packet time: network time is the latest packet timestamp seen (an older packet never moves it
 *       back) and drives Zeek's timers: inactivity timeouts, the TCP attempt, expiry and close/delete delays
 *       of {@link TrackerOptions}. Ended connections are logged and forgotten, so memory follows the number of
 *       live connections, not the capture size;</li>
 *   <li>tunnels: a packet the decoder took out of IP-in-IP or GRE is a connection of its own whose
 *       {@code tunnel_parents} holds a uid for the tunnel (one per tunnel address pair, as Zeek's
 *       {@code EncapsulatingConn}); a UDP tunnel (VXLAN, Geneve, GTPv1, Teredo, AYIYA) is itself a logged
 *       connection, its service confirmed by a valid tunnel message (Teredo once both sides sent one), and the
 *       inner packet is decapsulated through {@link org.workbench.packet.PacketDecoder#decodeEncapsulated} and
 *       tracked with the outer connection's uid as parent; beyond {@code Tunnel::max_depth} the outer connection
 *       gets {@code X} in its history. tunnel.log ({@link TunnelLog}) follows Zeek's tunnel framework: a tunnel is
 *       logged as discovered when a connection starts inside it (or moves into it), as closed when its outer UDP
 *       connection is removed, and as expired when no new connection used it for an hour;</li>
 *   <li>{@code X} in the history also marks a confirmed analyzer's violation or an analyzer's limit
 *       ({@link ConnectionContext#analyzerLimitReached()});</li>
 *   <li>ICMP "connections" use the message type as originator port and the counterpart type (or the code for
 *       one-way messages) as responder port; other IP protocols become {@code unknown_transport} rows.</li>
 * </ul>
 *
 * <p>Not thread-safe: feed it from one thread, in capture order.
 */
public final class ConnectionTracker {
    private static final int TOO_LARGE_SEQ_DELTA = 1048576;
    private static final int ORIG = 1, RESP = 2;
    private static final int HIST_SYN = 0x1, HIST_FIN = 0x2, HIST_RST = 0x4, HIST_FIN_RST = 0x8, HIST_DATA = 0x10,
            HIST_ACK = 0x20, HIST_MULTI = 0x40, HIST_X = 0x4000;

    private final TrackerOptions options;
    private final List<AnalyzerFactory> factories;
    private final LogSink logs;
    private final WeirdReporter weirds;
    private final UidGenerator uids;
    private final List<Cidr> localNets;
    private final Set<Integer> likelyTcp, likelyUdp;
    private final Map<FlowKey, Connection> table = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            Comparator.comparingDouble((Timer t) -> t.time).thenComparingLong(t -> t.order));
    private long timerOrder;
    private double networkTime;
    private boolean started;
    private double currentTs;
    private long connectionsLogged;

    private enum TimerKind { INACTIVITY, EXPIRE, ATTEMPT, DELETE, RESET, PARTIAL_CLOSE }

    private static final class Timer {
        final double time;
        final long order;
        final Connection conn;
        final TimerKind kind;
        final int epoch;

        Timer(double time, long order, Connection conn, TimerKind kind, int epoch) {
            this.time = time;
            this.order = order;
            this.conn = conn;
            this.kind = kind;
            this.epoch = epoch;
        }
    }

    /**
     * @param options   timeouts and limits (use {@link TrackerOptions#defaults()} for Zeek's)
     * @param factories protocol analyzers to attach; their well-known server ports also count as likely
     *                  server ports for the originator heuristics
     * @param logs      receives conn.log records ({@link ConnLog#SCHEMA}) and tunnel.log records
     *                  ({@link TunnelLog#SCHEMA})
     * @param weirds    receives weirds of the transport layer and of the analyzers
     * @param uids      makes the connection UIDs
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when a local network in the options is not valid CIDR
     */
    public ConnectionTracker(TrackerOptions options, List<AnalyzerFactory> factories, LogSink logs,
                             WeirdReporter weirds, UidGenerator uids) {
        this.options = Objects.requireNonNull(options, "options");
        this.factories = List.copyOf(factories);
        this.logs = Objects.requireNonNull(logs, "logs");
        this.weirds = Objects.requireNonNull(weirds, "weirds");
        this.uids = Objects.requireNonNull(uids, "uids");
        this.localNets = Cidr.localNets(options.localNets(), options.privateAddressSpaceIsLocal());
        Set<Integer> t = new HashSet<>(options.likelyServerTcpPorts());
        Set<Integer> u = new HashSet<>(options.likelyServerUdpPorts());
        for (AnalyzerFactory f : this.factories) {
            t.addAll(f.wellKnownPorts(TransportProto.TCP));
            u.addAll(f.wellKnownPorts(TransportProto.UDP));
        }
        this.likelyTcp = t;
        this.likelyUdp = u;
    }

    TrackerOptions options() {
        return options;
    }

    /** Connections currently tracked (not yet logged). */
    public int activeConnections() {
        return table.size();
    }

    /** Bytes currently waiting in all TCP reassembly buffers. */
    public long bufferedBytes() {
        long n = 0;
        for (Connection c : table.values()) {
            if (c.tcp != null) {
                n += c.tcp.orig.reassembler.bufferedBytes() + c.tcp.resp.reassembler.bufferedBytes();
            }
        }
        return n;
    }

    /** Pending timers, including stale ones not yet discarded (for memory checks). */
    public int pendingTimers() {
        return timers.size();
    }

    /** Connections logged so far. */
    public long connectionsLogged() {
        return connectionsLogged;
    }

    /** Network time: the latest packet timestamp seen, seconds since the epoch (0 before the first packet). */
    public double networkTime() {
        return networkTime;
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * Processes one decoded packet. Packets that carry no IP datagram are ignored; malformed transport data
     * becomes weirds, never exceptions. The packet's buffers are not kept.
     */
    public void process(DecodedPacket p) {
        processOne(p);
        DecodedPacket prev = p;
        while (prev.nextFrameOffset >= 0 && prev.decoder != null) { // more subframes of an 802.11 A-MSDU
            DecodedPacket next = new DecodedPacket();
            boolean ok = prev.decoder.decodeNextFrame(prev, next);
            if (ok) {
                processOne(next);
            }
            if (next.nextFrameOffset <= prev.nextFrameOffset) {
                break;
            }
            prev = next;
        }
    }

    private void processOne(DecodedPacket p) {
        if (p.ipVersion == 0 || p.srcAddr == null || p.dstAddr == null || p.ipProto < 0) {
            return;
        }
        double ts = p.ts;
        if (!started || ts > networkTime) {
            networkTime = ts;
            started = true;
        }
        expireTimers(networkTime);
        expireTunnels();
        currentTs = ts;

        if (!p.tunnels.isEmpty()) {
            assignTunnelUids(p);
        }
        int ipProto = p.ipProto;
        TransportProto proto;
        if (ipProto == DecodedPacket.PROTO_TCP) {
            proto = TransportProto.TCP;
        } else if (ipProto == DecodedPacket.PROTO_UDP) {
            proto = TransportProto.UDP;
        } else if (ipProto == DecodedPacket.PROTO_ICMP || ipProto == DecodedPacket.PROTO_ICMPV6) {
            proto = TransportProto.ICMP;
        } else if (options.nonSessionIpProtos().contains(ipProto)) {
            return;
        } else {
            proto = TransportProto.UNKNOWN;
        }
        if (proto != TransportProto.UNKNOWN && (p.transportOffset < 0 || p.buffer == null)) {
            return; // transport header missing: the decoder reported it
        }

        int sp, dp;
        boolean oneWay = false;
        switch (proto) {
            case TCP, UDP -> {
                sp = p.srcPort;
                dp = p.dstPort;
            }
            case ICMP -> {
                int type = p.icmpType >= 0 ? p.icmpType : p.srcPort;
                int code = p.icmpCode >= 0 ? p.icmpCode : p.dstPort;
                sp = type;
                int counterpart = ipProto == DecodedPacket.PROTO_ICMP ? icmp4Counterpart(type) : icmp6Counterpart(type);
                if (counterpart < 0) {
                    oneWay = true;
                    dp = code;
                } else {
                    dp = counterpart;
                }
            }
            default -> {
                sp = 0;
                dp = 0;
            }
        }
        byte[] src16 = Cidr.to16(p.srcAddr);
        byte[] dst16 = Cidr.to16(p.dstAddr);
        FlowKey key = FlowKey.of(src16, sp, dst16, dp, ipProto, oneWay);
        Connection c = table.get(key);
        if (c != null && proto == TransportProto.TCP && isReuse(c, p, ts)) {
            remove(c);
            c = null;
        }
        if (p.tcpHeaderWeird != null && proto == TransportProto.TCP) {
            // Zeek creates the connection before it validates the TCP header, then drops the segment
            if (c == null) {
                c = newConnection(key, p, proto, sp, dp, ts, false);
                if (c == null) {
                    return;
                }
                if (!p.tunnels.isEmpty()) {
                    registerTunnels(p);
                }
            }
            weird(c, ts, p.tcpHeaderWeird, null, "TCP");
            return;
        }
        if (c == null) {
            c = newConnection(key, p, proto, sp, dp, ts, true);
            if (c == null) {
                return;
            }
        }
        boolean isOrig = java.util.Arrays.equals(p.srcAddr, c.origAddr) && sp == c.id.origP();
        if (!p.tunnels.isEmpty()) {
            if (c.tunnelParents == null) {
                c.tunnelParents = new java.util.LinkedHashSet<>(2);
            }
            if (c.tunnelParents.add(p.tunnels.get(p.tunnels.size() - 1).uid)) {
                registerTunnels(p); // new_connection or tunnel_changed: Tunnel::register_all
            }
        }
        switch (proto) {
            case TCP -> tcpPacket(c, p, isOrig, ts);
            case UDP -> {
                udpPacket(c, p, isOrig, ts);
                if (p.encapsulation != null && p.decoder != null && p.transportChecksumValid && !c.removed) {
                    decapsulate(c, p, isOrig);
                }
            }
            case ICMP -> icmpPacket(c, p, isOrig, ts);
            default -> unknownPacket(c, p, isOrig, ts);
        }
    }

    /**
     * A UDP packet of a tunnel protocol (VXLAN, Geneve, GTPv1, Teredo, AYIYA): the decoder decapsulates it and
     * the inner packet is tracked as a connection of its own, with this connection's uid in its
     * {@code tunnel_parents}. A valid tunnel message confirms the protocol (conn.log {@code service}); Teredo
     * waits until both sides sent one ({@code Tunnel::delay_teredo_confirmation}).
     */
    private void decapsulate(Connection c, DecodedPacket p, boolean isOrig) {
        DecodedPacket inner = new DecodedPacket();
        int r = p.decoder.decodeEncapsulated(p, inner, c.uid,
                (ts, name, uid, id, addl, source) -> weird(c, ts, name, addl, source));
        String service = p.encapsulation;
        switch (r) {
            case org.workbench.packet.PacketDecoder.ENCAP_INNER,
                    org.workbench.packet.PacketDecoder.ENCAP_VALID_NO_INNER -> {
                if (isOrig) {
                    c.tunnelOrigSeen = true;
                } else {
                    c.tunnelRespSeen = true;
                }
                if (!"teredo".equals(service) || (c.tunnelOrigSeen && c.tunnelRespSeen)) {
                    confirm(c, service);
                }
                if (r == org.workbench.packet.PacketDecoder.ENCAP_INNER) {
                    outerConnections.add(c);
                    try {
                        process(inner);
                    } finally {
                        outerConnections.remove(outerConnections.size() - 1);
                    }
                }
            }
            case org.workbench.packet.PacketDecoder.ENCAP_DEPTH_EXCEEDED -> {
                c.tunnelDepthExceeded = true;
                markX(c);
            }
            default -> {
            }
        }
    }

    /**
     * IP-in-IP and GRE tunnels (Zeek's {@code EncapsulatingConn} without a connection of its own): one per
     * address pair, its uid and the addresses in the direction of the first packet seen (the tunnel's id).
     */
    private record IpTunnel(String uid, InetAddress src, InetAddress dst) {
    }

    private final Map<String, IpTunnel> ipTunnels = new HashMap<>();
    private final Map<String, IpTunnel> ipTunnelsByUid = new HashMap<>();

    private void assignTunnelUids(DecodedPacket p) {
        for (DecodedPacket.Tunnel t : p.tunnels) {
            if (t.uid == null) {
                String a = java.util.HexFormat.of().formatHex(t.src), b = java.util.HexFormat.of().formatHex(t.dst);
                String key = t.type + (a.compareTo(b) < 0 ? a + "-" + b : b + "-" + a);
                if (ipTunnels.size() > 65536) {
                    ipTunnels.clear(); // bounded memory: a later packet gets a new uid
                    ipTunnelsByUid.clear();
                }
                IpTunnel it = ipTunnels.get(key);
                if (it == null) {
                    it = new IpTunnel(uids.connectionUid(), addr(t.src), addr(t.dst));
                    ipTunnels.put(key, it);
                    ipTunnelsByUid.put(it.uid, it);
                }
                t.uid = it.uid;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ tunnel.log

    /** A tunnel in Zeek's {@code Tunnel::active} table: logged at discovery, again when it closes or expires. */
    private static final class ActiveTunnel {
        final Object key;
        final String uid, type;
        final InetAddress origH, respH;
        final int origP, respP;
        double lastUse;

        ActiveTunnel(Object key, String uid, String type, InetAddress origH, int origP, InetAddress respH,
                     int respP) {
            this.key = key;
            this.uid = uid;
            this.type = type;
            this.origH = origH;
            this.origP = origP;
            this.respH = respH;
            this.respP = respP;
        }
    }

    private static final int MAX_ACTIVE_TUNNELS = 65536;

    /** The outer connections of the packet being tracked, outermost first (UDP tunnels being decapsulated). */
    private final List<Connection> outerConnections = new ArrayList<>(2);

    /**
     * {@code Tunnel::active}: keyed by the outer connection's {@link FlowKey} for UDP tunnels, by the uid for
     * IP-in-IP and GRE; in order of last use (a new connection through the tunnel), so expiry looks at the head.
     */
    private final java.util.LinkedHashMap<Object, ActiveTunnel> activeTunnels =
            new java.util.LinkedHashMap<>(16, 0.75f, true);

    /**
     * Zeek's {@code Tunnel::register_all} for a packet that starts a connection (or moves it into another
     * tunnel): each of its tunnels not yet active is logged with {@code Tunnel::DISCOVER}; each already active
     * one counts as used now.
     */
    private void registerTunnels(DecodedPacket p) {
        for (DecodedPacket.Tunnel t : p.tunnels) {
            Object key;
            InetAddress oh, rh;
            int op = 0, rp = 0;
            IpTunnel ip = "IP".equals(t.type) || "GRE".equals(t.type) ? ipTunnelsByUid.get(t.uid) : null;
            if (ip != null) {
                key = ip.uid;
                oh = ip.src;
                rh = ip.dst;
            } else {
                Connection outer = null;
                for (Connection o : outerConnections) {
                    if (o.uid.equals(t.uid)) {
                        outer = o;
                    }
                }
                if (outer == null) {
                    continue;
                }
                key = outer.key;
                oh = outer.id.origH();
                op = outer.id.origP();
                rh = outer.id.respH();
                rp = outer.id.respP();
            }
            ActiveTunnel a = activeTunnels.get(key);
            if (a == null) {
                if (activeTunnels.size() >= MAX_ACTIVE_TUNNELS) {
                    closeTunnel(activeTunnels.values().iterator().next(), TunnelLog.EXPIRE); // bounded memory
                }
                a = new ActiveTunnel(key, t.uid, t.type, oh, op, rh, rp);
                activeTunnels.put(key, a);
                logTunnel(a, TunnelLog.DISCOVER);
            }
            a.lastUse = networkTime;
        }
    }

    /** {@code Tunnel::expire}: tunnels no new connection used for {@link TunnelLog#EXPIRATION_INTERVAL}. */
    private void expireTunnels() {
        while (!activeTunnels.isEmpty()) {
            ActiveTunnel a = activeTunnels.values().iterator().next();
            if (networkTime - a.lastUse < TunnelLog.EXPIRATION_INTERVAL) {
                return;
            }
            closeTunnel(a, TunnelLog.EXPIRE);
        }
    }

    private void closeTunnel(ActiveTunnel a, String action) {
        activeTunnels.remove(a.key);
        logTunnel(a, action);
    }

    private void logTunnel(ActiveTunnel a, String action) {
        LogRecord r = new LogRecord(TunnelLog.SCHEMA);
        r.set("ts", networkTime);
        r.set("uid", a.uid);
        r.set("id.orig_h", a.origH);
        r.set("id.orig_p", a.origP);
        r.set("id.resp_h", a.respH);
        r.set("id.resp_p", a.respP);
        r.set("tunnel_type", "Tunnel::" + a.type);
        r.set("action", action);
        logs.write(r);
    }

    /**
     * Ends the input: every remaining connection is finished (analyzers get {@code connectionDone}) and
     * logged, as Zeek does when it reaches the end of a trace.
     */
    public void finish() {
        List<Connection> all = new ArrayList<>(table.values());
        all.sort((a, b) -> a.key.compareTo(b.key));
        for (Connection c : all) {
            remove(c);
        }
        timers.clear();
    }

    private static int icmp4Counterpart(int type) {
        return switch (type) {
            case 8 -> 0;
            case 0 -> 8;
            case 13 -> 14;
            case 14 -> 13;
            case 15 -> 16;
            case 16 -> 15;
            case 10 -> 9;
            case 9 -> 10;
            case 17 -> 18;
            case 18 -> 17;
            default -> -1;
        };
    }

    private static int icmp6Counterpart(int type) {
        return switch (type) {
            case 128 -> 129;
            case 129 -> 128;
            case 133 -> 134;
            case 134 -> 133;
            case 135 -> 136;
            case 136 -> 135;
            case 130 -> 131;
            case 131 -> 130;
            case 139 -> 140;
            case 140 -> 139;
            case 144 -> 145;
            case 145 -> 144;
            default -> -1;
        };
    }

    private Connection newConnection(FlowKey key, DecodedPacket p, TransportProto proto, int sp, int dp, double ts,
                                     boolean mayFlip) {
        boolean flip = false;
        if (proto == TransportProto.TCP) {
            int flags = p.tcpFlags;
            if ((flags & DecodedPacket.TCP_SYN) == 0 || (flags & DecodedPacket.TCP_ACK) != 0) {
                if (!options.partialConnectionOk()) {
                    return null;
                }
                if ((flags & DecodedPacket.TCP_SYN) != 0 && !options.tcpSynAckOk()) {
                    return null;
                }
                if (likelyTcp.contains(sp)) {
                    if (likelyTcp.contains(dp)) {
                        flip = (flags & DecodedPacket.TCP_SYN) == 0 && sp < dp;
                    } else {
                        flip = true;
                    }
                }
            }
        } else if (proto == TransportProto.UDP) {
            flip = likelyUdp.contains(sp) && !likelyUdp.contains(dp);
        }
        InetAddress src = addr(p.srcAddr), dst = addr(p.dstAddr);
        ConnId id = new ConnId(src, sp, dst, dp, proto);
        Connection c = new Connection(this, key, uids.connectionUid(), proto, p.ipProto, id, p.srcAddr.clone(),
                p.dstAddr.clone(), ts);
        if (flip && mayFlip && !isBroadcast(p.dstAddr)) {
            flipRoles(c);
        }
        table.put(key, c);
        switch (proto) {
            case TCP -> {
                Connection.TcpState t = new Connection.TcpState();
                t.orig = new TcpEndpoint(c, true);
                t.resp = new TcpEndpoint(c, false);
                t.orig.peer = t.resp;
                t.resp.peer = t.orig;
                TcpReassembler.Sink sink = new ReassemblySink(c);
                t.orig.reassembler = new TcpReassembler(t.orig, sink, options);
                t.resp.reassembler = new TcpReassembler(t.resp, sink, options);
                c.tcp = t;
                addTimer(c, networkTime + options.tcpSynTimeout(), TimerKind.EXPIRE);
                setInactivityTimeout(c, options.udpInactivityTimeout());
            }
            case UDP -> setInactivityTimeout(c, options.udpInactivityTimeout());
            case ICMP -> setInactivityTimeout(c, options.icmpInactivityTimeout());
            default -> setInactivityTimeout(c, options.unknownIpInactivityTimeout());
        }
        if (proto == TransportProto.TCP || proto == TransportProto.UDP) {
            for (AnalyzerFactory f : factories) {
                if (f.wellKnownPorts(proto).contains(c.id.respP())) {
                    attach(c, f);
                }
            }
            if (factories.size() > c.analyzers.size()) {
                c.dpd = new Connection.Dpd();
            }
        }
        return c;
    }

    private static boolean isBroadcast(byte[] a) {
        return a.length == 4 && (a[0] & a[1] & a[2] & a[3]) == (byte) 0xff;
    }

    private static InetAddress addr(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }

    /** Zeek's {@code Connection::FlipRoles}: swaps originator and responder and adds {@code ^} to the history. */
    /**
     * {@link ConnectionContext#flipRoles()}. As in Zeek (e.g. its NTP analyzer on a response seen first: history
     * {@code D^}, both packets counted for the new originator), the packet and byte counters already gathered stay
     * where they are; only the endpoints swap.
     */
    void flipRolesForAnalyzer(Connection c) {
        if (c.removed) {
            return;
        }
        long op = c.origPkts, ob = c.origIpBytes, rp = c.respPkts, rb = c.respIpBytes;
        flipRoles(c);
        c.origPkts = op;
        c.origIpBytes = ob;
        c.respPkts = rp;
        c.respIpBytes = rb;
    }

    private void flipRoles(Connection c) {
        ConnId o = c.id;
        c.id = new ConnId(o.respH(), o.respP(), o.origH(), o.origP(), o.proto());
        byte[] tmp = c.origAddr;
        c.origAddr = c.respAddr;
        c.respAddr = tmp;
        long t1 = c.origPkts, t2 = c.origIpBytes;
        c.origPkts = c.respPkts;
        c.origIpBytes = c.respIpBytes;
        c.respPkts = t1;
        c.respIpBytes = t2;
        if (c.tcp != null) {
            Connection.TcpState t = c.tcp;
            TcpEndpoint e = t.resp;
            t.resp = t.orig;
            t.orig = e;
            t.orig.isOrig = !t.orig.isOrig;
            t.resp.isOrig = !t.resp.isOrig;
            t.firstPacketSeen = ((t.firstPacketSeen & ORIG) != 0 ? RESP : 0) | ((t.firstPacketSeen & RESP) != 0 ? ORIG : 0);
            t.isPartial = false;
        }
        if (c.dpd != null) {
            Connection.Dpd d = c.dpd;
            byte[] pb = d.prefix[0];
            d.prefix[0] = d.prefix[1];
            d.prefix[1] = pb;
            int pl = d.prefixLen[0];
            d.prefixLen[0] = d.prefixLen[1];
            d.prefixLen[1] = pl;
            boolean dd = d.done[0];
            d.done[0] = d.done[1];
            d.done[1] = dd;
            for (Object[] ch : d.chunks) {
                ch[0] = !(Boolean) ch[0];
            }
        }
        c.history.append('^');
    }

    // ------------------------------------------------------------------------------------------------ timers

    private void addTimer(Connection c, double t, TimerKind kind) {
        if (c.removed) {
            return;
        }
        int epoch = kind == TimerKind.INACTIVITY ? c.inactivityEpoch : c.analyzerEpoch;
        timers.add(new Timer(t, timerOrder++, c, kind, epoch));
    }

    /** Zeek's {@code Session::SetInactivityTimeout}. */
    void setInactivityTimeout(Connection c, double timeout) {
        if (timeout == c.inactivityTimeout) {
            return;
        }
        c.inactivityEpoch++;
        if (timeout > 0) {
            addTimer(c, c.lastTime + timeout, TimerKind.INACTIVITY);
        }
        c.inactivityTimeout = timeout;
    }

    private void expireTimers(double now) {
        while (!timers.isEmpty() && timers.peek().time <= now) {
            Timer t = timers.poll();
            Connection c = t.conn;
            if (c.removed) {
                continue;
            }
            int epoch = t.kind == TimerKind.INACTIVITY ? c.inactivityEpoch : c.analyzerEpoch;
            if (epoch != t.epoch) {
                continue;
            }
            currentTs = t.time;
            switch (t.kind) {
                case INACTIVITY -> {
                    if (c.lastTime + c.inactivityTimeout <= t.time) {
                        remove(c);
                    } else {
                        addTimer(c, c.lastTime + c.inactivityTimeout, TimerKind.INACTIVITY);
                    }
                }
                case EXPIRE -> expireTimer(c, t.time);
                case ATTEMPT -> attemptTimer(c);
                case DELETE -> remove(c);
                case RESET -> {
                    if (c.tcp.isActive) {
                        if (!(c.tcp.orig.didClose && c.tcp.resp.didClose)) {
                            connectionReset(c);
                        }
                        remove(c);
                    }
                }
                case PARTIAL_CLOSE -> partialCloseTimer(c);
            }
        }
    }

    private void expireTimer(Connection c, double t) {
        Connection.TcpState s = c.tcp;
        if (!s.isActive) {
            return;
        }
        if (c.lastTime + options.tcpConnectionLinger() < t) {
            if (s.orig.didClose || s.resp.didClose) {
                if ((s.orig.didClose && s.resp.didClose) || s.orig.state == RESET || s.resp.state == RESET
                        || s.orig.state == INACTIVE || s.resp.state == INACTIVE) {
                    s.isActive = false;
                    remove(c);
                    return;
                }
            }
            if (s.resp.state == INACTIVE && s.orig.state == INACTIVE) {
                remove(c);
                return;
            }
        }
        addTimer(c, t + options.tcpSessionTimer(), TimerKind.EXPIRE);
    }

    private void partialCloseTimer(Connection c) {
        Connection.TcpState s = c.tcp;
        if (!s.isActive) {
            return;
        }
        if (s.orig.state != INACTIVE && s.resp.state != INACTIVE && (!s.orig.didClose || !s.resp.didClose)) {
            if (s.orig.state == RESET || s.resp.state == RESET) {
                return; // the RST presumably caused the partial close
            }
            remove(c);
        }
    }

    private void attemptTimer(Connection c) {
        Connection.TcpState s = c.tcp;
        if (!s.isActive) {
            return;
        }
        if ((s.orig.state == SYN_SENT || s.orig.state == SYN_ACK_SENT) && s.resp.state == INACTIVE) {
            s.isActive = false;
            remove(c);
        }
    }

    /** Zeek's {@code session::Manager::Remove}: finish analyzers, write conn.log, forget the connection. */
    private void remove(Connection c) {
        if (c.removed) {
            return;
        }
        c.removed = true;
        c.analyzerEpoch++;
        c.inactivityEpoch++;
        double ts = networkTime;
        for (AnalyzerSlot s : new ArrayList<>(c.analyzers)) {
            if (!s.removed) {
                try {
                    if (s.stream != null) {
                        s.stream.connectionDone(ts);
                    } else if (s.datagram != null) {
                        s.datagram.connectionDone(ts);
                    }
                } catch (RuntimeException e) {
                    // the connection is going away; a failing analyzer must not stop the others or the log
                }
            }
        }
        c.analyzers.clear();
        c.dpd = null;
        if (!activeTunnels.isEmpty()) {
            ActiveTunnel a = activeTunnels.get(c.key);
            if (a != null && a.uid.equals(c.uid)) {
                closeTunnel(a, TunnelLog.CLOSE); // Tunnel::finalize_tunnel
            } else if (a != null) {
                a.lastUse = networkTime; // the lookup reads the entry (and moved it to the end of the order)
            }
        }
        logs.write(connRecord(c));
        connectionsLogged++;
        table.remove(c.key);
        c.tcp = null; // stale timer entries may still refer to the connection: drop its buffers now
        if (weirds instanceof WeirdLog wl) {
            wl.connectionRemoved(c.uid);
        }
    }

    // ------------------------------------------------------------------------------------------------ conn.log

    private LogRecord connRecord(Connection c) {
        LogRecord r = new LogRecord(ConnLog.SCHEMA);
        r.set("ts", c.startTime);
        r.set("uid", c.uid);
        r.set("id.orig_h", c.id.origH());
        r.set("id.orig_p", c.id.origP());
        r.set("id.resp_h", c.id.respH());
        r.set("id.resp_p", c.id.respP());
        r.set("proto", c.proto.zeekName());
        if (!c.services.isEmpty()) {
            r.set("service", String.join(",", c.services).toLowerCase(Locale.ROOT));
        }
        double duration = c.lastTime - c.startTime;
        if (duration > 0) {
            r.set("duration", duration);
            r.set("orig_bytes", size(c, true));
            r.set("resp_bytes", size(c, false));
        }
        r.set("conn_state", connState(c));
        if (!localNets.isEmpty()) {
            r.set("local_orig", isLocal(c.origAddr));
            r.set("local_resp", isLocal(c.respAddr));
        }
        r.set("missed_bytes", c.missedBytes);
        if (c.history.length() > 0) {
            r.set("history", c.history.toString());
        }
        r.set("orig_pkts", c.origPkts);
        r.set("orig_ip_bytes", c.origIpBytes);
        r.set("resp_pkts", c.respPkts);
        r.set("resp_ip_bytes", c.respIpBytes);
        if (c.tunnelParents != null) {
            r.set("tunnel_parents", new java.util.LinkedHashSet<>(c.tunnelParents));
        }
        r.set("ip_proto", (long) c.ipProto);
        return r;
    }

    private boolean isLocal(byte[] a) {
        byte[] a16 = Cidr.to16(a);
        for (Cidr n : localNets) {
            if (n.contains(a16)) {
                return true;
            }
        }
        return false;
    }

    private static long size(Connection c, boolean orig) {
        if (c.tcp != null) {
            return Math.max(0, (orig ? c.tcp.orig : c.tcp.resp).size());
        }
        long n = orig ? c.requestLen : c.replyLen;
        return Math.max(0, n);
    }

    /** conn_state as computed by {@code Conn::conn_state} in {@code base/protocols/conn/main.zeek}. */
    private static String connState(Connection c) {
        if (c.proto == TransportProto.TCP) {
            TcpEndpoint.State os = c.tcp.orig.state, rs = c.tcp.resp.state;
            boolean oInactive = os == INACTIVE || os == PARTIAL;
            boolean rInactive = rs == INACTIVE || rs == PARTIAL;
            if (rs == RESET) {
                if (os == SYN_SENT || os == SYN_ACK_SENT
                        || (os == RESET && c.tcp.orig.size() == 0 && c.tcp.resp.size() == 0)) {
                    return "REJ";
                }
                return oInactive ? "RSTRH" : "RSTR";
            } else if (os == RESET) {
                if (rInactive) {
                    return c.history.toString().matches("\\^?S[^HAFGIQ]*R.*") ? "RSTOS0" : "OTH";
                }
                return "RSTO";
            } else if (rs == CLOSED && os == CLOSED) {
                return "SF";
            } else if (os == CLOSED) {
                return rInactive ? "SH" : "S2";
            } else if (rs == CLOSED) {
                return oInactive ? "SHR" : "S3";
            } else if (os == SYN_SENT && rs == INACTIVE) {
                return "S0";
            } else if (os == ESTABLISHED && rs == ESTABLISHED) {
                return "S1";
            }
            return "OTH";
        } else if (c.proto == TransportProto.UDP) {
            boolean o = c.requestLen >= 0, r = c.replyLen >= 0;
            if (o) {
                return r ? "SF" : "S0";
            }
            return r ? "SHR" : "OTH";
        }
        return "OTH";
    }

    // ------------------------------------------------------------------------------------------------ weirds

    void weird(Connection c, double ts, String name, String addl, String source) {
        c.didWeird = true;
        weirds.weird(ts, name, c.uid, c.id, addl, source);
    }

    private void tcpWeird(Connection c, String name) {
        weird(c, networkTime, name, null, "TCP");
    }

    private void count(Connection c, boolean isOrig, int ipLen) {
        if (isOrig) {
            c.origPkts++;
            c.origIpBytes += ipLen;
        } else {
            c.respPkts++;
            c.respIpBytes += ipLen;
        }
    }

    private static int ipPayloadLength(DecodedPacket p) {
        int n = p.ipTotalLength - p.ipHeaderLength;
        if (p.ipTotalLength == 0 || n < 0) {
            n = p.buffer == null ? 0 : Math.max(0, p.buffer.length - p.ipOffset - p.ipHeaderLength);
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------ UDP/ICMP/other

    private void udpPacket(Connection c, DecodedPacket p, boolean isOrig, double ts) {
        int len = ipPayloadLength(p);
        if (!p.transportChecksumValid) {
            weird(c, networkTime, "bad_UDP_checksum", null, "UDP");
            if (isOrig) {
                int[] s = Connection.scaled(c.history, 'C', c.reqChkCnt, c.reqChkThresh);
                c.reqChkCnt = s[0];
                c.reqChkThresh = s[1];
            } else {
                int[] s = Connection.scaled(c.history, 'c', c.repChkCnt, c.repChkThresh);
                c.repChkCnt = s[0];
                c.repChkThresh = s[1];
            }
            return;
        }
        int ulen = len;
        int lo = p.transportOffset + 4;
        if (lo + 2 <= p.buffer.length) {
            ulen = ((p.buffer[lo] & 0xff) << 8) | (p.buffer[lo + 1] & 0xff);
        }
        if (ulen != len) {
            weird(c, networkTime, "UDP_datagram_length_mismatch", ulen + " != " + len, "UDP");
        }
        c.lastTime = ts;
        if (isOrig) {
            c.checkHistory(0x1, 'D');
            c.requestLen = c.requestLen < 0 ? ulen - 8 : c.requestLen + ulen - 8;
        } else {
            c.checkHistory(0x2, 'd');
            c.replyLen = c.replyLen < 0 ? ulen - 8 : c.replyLen + ulen - 8;
        }
        int n = Math.max(0, Math.min(Math.min(len - 8, p.payloadLength), p.buffer.length - p.payloadOffset));
        deliverDatagram(c, isOrig, ts, p.buffer, p.payloadOffset, n);
        count(c, isOrig, p.ipTotalLength);
    }

    /**
     * An MLDv2 listener report (RFC 3810 section 5.2): each multicast address record must fit in the message,
     * else Zeek's ICMP analyzer reports {@code truncated_ICMPv6_MLDv2_record}.
     */
    private void checkMldv2Report(Connection c, DecodedPacket p, int len) {
        byte[] b = p.buffer;
        int start = p.transportOffset;
        int end = Math.min(b.length, start + len);
        if (end - start < 8) {
            return;
        }
        int records = ((b[start + 6] & 0xff) << 8) | (b[start + 7] & 0xff);
        int q = start + 8;
        for (int i = 0; i < records; i++) {
            if (end - q < 20) {
                weird(c, networkTime, "truncated_ICMPv6_MLDv2_record", null, "ICMP");
                return;
            }
            int size = 20 + (((b[q + 2] & 0xff) << 8) | (b[q + 3] & 0xff)) * 16 + (b[q + 1] & 0xff) * 4;
            if (end - q < size) {
                weird(c, networkTime, "truncated_ICMPv6_MLDv2_record", null, "ICMP");
                return;
            }
            q += size;
        }
    }

    private void icmpPacket(Connection c, DecodedPacket p, boolean isOrig, double ts) {
        if (!p.transportChecksumValid) {
            weird(c, networkTime, "bad_ICMP_checksum", null, "ICMP");
            return;
        }
        c.lastTime = ts;
        int len = ipPayloadLength(p);
        if (p.ipProto == DecodedPacket.PROTO_ICMPV6 && p.icmpType == 143) {
            checkMldv2Report(c, p, len);
        }
        if (isOrig) {
            c.requestLen = c.requestLen < 0 ? len - 8 : c.requestLen + len - 8;
        } else {
            c.replyLen = c.replyLen < 0 ? len - 8 : c.replyLen + len - 8;
        }
        int captured = p.buffer.length - p.transportOffset;
        if (captured >= len) {
            count(c, isOrig, p.ipTotalLength);
        }
    }

    private void unknownPacket(Connection c, DecodedPacket p, boolean isOrig, double ts) {
        c.lastTime = ts;
        count(c, isOrig, p.ipTotalLength);
    }

    // ------------------------------------------------------------------------------------------------ TCP

    private boolean isReuse(Connection c, DecodedPacket p, double ts) {
        int flags = p.tcpFlags;
        if ((flags & DecodedPacket.TCP_SYN) == 0) {
            return false;
        }
        Connection.TcpState s = c.tcp;
        TcpEndpoint connOrig = s.orig;
        if ((flags & DecodedPacket.TCP_ACK) != 0) {
            if (s.orig.state != INACTIVE) {
                return false;
            }
            connOrig = s.resp;
        }
        int base = (int) p.seq;
        if (!(s.orig.didClose || s.resp.didClose)) {
            if (base == connOrig.startSeq32()) {
                return false;
            }
            if ((flags & DecodedPacket.TCP_ACK) == 0 && connOrig.state == SYN_ACK_SENT && s.resp.state == INACTIVE
                    && base == s.resp.startSeq32()) {
                return false;
            }
            tcpWeird(c, connOrig.state == SYN_SENT ? "SYN_seq_jump" : "active_connection_reuse");
        } else if ((s.orig.isActive() || s.resp.isActive()) && s.orig.state != RESET && s.resp.state != RESET) {
            tcpWeird(c, "active_connection_reuse");
        } else if (ts - c.lastTime < options.tcpConnectionLinger() && s.orig.state != RESET
                && s.resp.state != RESET) {
            tcpWeird(c, "premature_connection_reuse");
        }
        return true;
    }

    private void tcpPacket(Connection c, DecodedPacket p, boolean isOrig, double ts) {
        Connection.TcpState s = c.tcp;
        if (p.tcpHeaderLength < 20) {
            tcpWeird(c, "bad_TCP_header_len");
            return;
        }
        // An IP total length of 0 means segmentation offload on the capturing host: use what was captured.
        int len = p.ipTotalLength == 0 ? p.payloadLength : Math.max(0, p.payloadLengthOnWire);
        TcpEndpoint endpoint = isOrig ? s.orig : s.resp;
        if (!p.transportChecksumValid) {
            tcpWeird(c, "bad_TCP_checksum");
            char code = endpoint.isOrig ? 'C' : 'c';
            int[] r = Connection.scaled(c.history, code, endpoint.chkCnt, endpoint.chkThresh);
            endpoint.chkCnt = r[0];
            endpoint.chkThresh = r[1];
            return;
        }
        TcpEndpoint originator = s.orig;
        processTcp(c, p, isOrig, len, ts);
        if (originator != s.orig) {
            isOrig = !isOrig;
        }
        count(c, isOrig, p.ipTotalLength);
    }

    private static int seqDelta(int a, int b) {
        return a - b;
    }

    /** Zeek's {@code get_relative_seq}; sets under[0] when the value lies before the endpoint's start. */
    private static long relativeSeq(TcpEndpoint e, int cur, int last, int wraps, boolean[] under) {
        int delta = seqDelta(cur, last);
        if (delta < 0) {
            if (wraps != 0 && Integer.compareUnsigned(cur, last) > 0) {
                wraps--;
            }
        } else if (delta > 0) {
            if (Integer.compareUnsigned(cur, last) < 0) {
                wraps++;
            }
        }
        if (wraps == 0) {
            delta = seqDelta(cur, e.startSeq32());
            if (delta < 0) {
                under[0] = true;
            }
            return delta;
        }
        return e.toRelative(cur, wraps);
    }

    private void processTcp(Connection c, DecodedPacket p, boolean isOrig, int len, double ts) {
        Connection.TcpState s = c.tcp;
        int flags = p.tcpFlags;
        boolean syn = (flags & DecodedPacket.TCP_SYN) != 0, fin = (flags & DecodedPacket.TCP_FIN) != 0,
                rst = (flags & DecodedPacket.TCP_RST) != 0, ack = (flags & DecodedPacket.TCP_ACK) != 0,
                urg = (flags & DecodedPacket.TCP_URG) != 0;
        int baseSeq = (int) p.seq;
        int ackSeq = (int) p.ack;
        TcpEndpoint endpoint = isOrig ? s.orig : s.resp;
        TcpEndpoint peer = endpoint.peer;

        // SetPartialStatus
        if (endpoint.isOrig) {
            if ((s.firstPacketSeen & ORIG) == 0) {
                s.isPartial = !syn || ack;
            }
        } else if ((s.firstPacketSeen & RESP) == 0 && !s.isPartial) {
            s.isPartial = !syn;
        }

        int segLen = len + (syn ? 1 : 0) + (fin ? 1 : 0);
        if (rst) {
            segLen -= len;
        }
        int seqOnePast = baseSeq + segLen;
        initEndpoint(c, endpoint, syn, baseSeq, seqOnePast, ts);

        boolean[] under = new boolean[1];
        long relSeq = relativeSeq(endpoint, baseSeq, endpoint.lastSeq, endpoint.seqWraps, under);
        boolean seqUnderflow = under[0];
        if (seqUnderflow && !rst) {
            tcpWeird(c, "TCP_seq_underflow_or_misorder");
        }
        updateHistory(c, syn, fin, rst, ack, endpoint, relSeq, len);
        updateWindow(c, endpoint, p.window, baseSeq, ackSeq, syn, fin, rst);

        if (!s.orig.didClose || !s.resp.didClose) {
            c.lastTime = ts;
        }
        if (syn) {
            if (rst) {
                weird(c, networkTime, "TCP_christmas", null, "TCP");
            }
            if (urg) {
                weird(c, networkTime, "baroque_SYN", null, "TCP");
            }
            if (len > 0) {
                weird(c, networkTime, "SYN_with_data", null, "TCP");
            }
            initWindow(c, endpoint, peer, ack, windowScaleOption(p), baseSeq, ackSeq);
        }
        if (fin) {
            endpoint.finCount++;
            if (endpoint.finCount >= options.tcpStormThresh()
                    && ts < endpoint.lastTime + options.tcpStormInterarrivalThresh()) {
                tcpWeird(c, "FIN_storm");
            }
            endpoint.finSeq = relSeq + segLen;
        }
        if (rst) {
            endpoint.rstCount++;
            if (endpoint.rstCount >= options.tcpStormThresh()
                    && ts < endpoint.lastTime + options.tcpStormInterarrivalThresh()) {
                tcpWeird(c, "RST_storm");
            }
        }

        long relAck = 0;
        if (ack) {
            if (isOrig && !s.seenFirstAck && (endpoint.state == ESTABLISHED || endpoint.state == SYN_SENT)) {
                s.seenFirstAck = true;
            }
            if (peer.state == INACTIVE) {
                relAck = 1;
                initPeer(c, peer, endpoint, syn, fin, rst, ackSeq);
            } else {
                boolean[] au = new boolean[1];
                relAck = relativeSeq(peer, ackSeq, peer.ackSeq, peer.ackWraps, au);
                if (au[0]) {
                    relAck = 0;
                    tcpWeird(c, "TCP_ack_underflow_or_misorder");
                } else if (!rst) {
                    int deltaAck = seqDelta(ackSeq, peer.ackSeq);
                    if (ackSeq == 0 && deltaAck > TOO_LARGE_SEQ_DELTA) {
                        // more likely a broken ack than a wrap onto 0
                    } else if (deltaAck > 0) {
                        peer.updateAckSeq(ackSeq);
                    }
                }
            }
        }

        int deltaLast = updateLastSeq(endpoint, seqOnePast, syn, fin, rst, len);
        endpoint.lastTime = ts;

        boolean[] closeGen = new boolean[2];
        updateStateMachine(c, ts, endpoint, peer, baseSeq, ackSeq, len, deltaLast, isOrig, syn, fin, rst, ack,
                closeGen);

        if (ack) {
            peer.reassembler.ackReceived(relAck);
        }

        // CheckPIA_FirstPacket: remember that this side's first packet was seen (uses the possibly stale isOrig,
        // as Zeek does).
        s.firstPacketSeen |= isOrig ? ORIG : RESP;

        long relDataSeq = syn ? relSeq + 1 : relSeq;
        if (len > 0 && !rst && !seqUnderflow) {
            if (p.payloadLength >= len && p.payloadOffset + len <= p.buffer.length) {
                endpoint.reassembler.dataSent(relDataSeq, p.buffer, p.payloadOffset, len);
            } else {
                tcpWeird(c, "truncated_tcp_payload");
            }
        }
        endpoint.reassembler.checkEof();
        if (closeGen[0]) {
            connectionClosed(c, endpoint, peer, closeGen[1]);
        }
    }

    private static int windowScaleOption(DecodedPacket p) {
        byte[] b = p.buffer;
        int i = p.transportOffset + 20;
        int end = Math.min(b.length, p.transportOffset + p.tcpHeaderLength);
        int scale = -1;
        while (i < end) {
            int opt = b[i] & 0xff;
            if (opt == 0) {
                break;
            }
            if (opt == 1) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int olen = b[i + 1] & 0xff;
            if (olen == 0 || i + olen > end) {
                break;
            }
            if (opt == 3 && olen >= 3) {
                scale = b[i + 2] & 0xff;
            }
            i += olen;
        }
        return scale;
    }

    private void initEndpoint(Connection c, TcpEndpoint e, boolean syn, int firstSeq, int lastSeq, double t) {
        switch (e.state) {
            case INACTIVE -> {
                if (syn) {
                    e.ackSeq = firstSeq;
                    e.initStartSeq(firstSeq);
                } else {
                    e.ackSeq = firstSeq - 1;
                    e.initStartSeq(firstSeq - 1);
                    lastSeq = firstSeq;
                }
                e.lastSeq = lastSeq;
                e.startTime = t;
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn && firstSeq != e.startSeq32()) {
                    tcpWeird(c, "SYN_seq_jump");
                    e.initStartSeq(firstSeq);
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn) {
                    if (e.size() > 0) {
                        tcpWeird(c, "SYN_inside_connection");
                    }
                    if (firstSeq != e.startSeq32()) {
                        tcpWeird(c, "SYN_seq_jump");
                    }
                    e.initStartSeq(firstSeq);
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            case RESET -> {
                if (syn && e.prevState == INACTIVE) {
                    e.initStartSeq(firstSeq);
                    e.ackSeq = firstSeq;
                    e.lastSeq = lastSeq;
                }
            }
            default -> {
            }
        }
    }

    /** Zeek's {@code TCP_Endpoint::CheckHistory}, including the late flip of SYN-ACK-first connections. */
    private boolean endpointCheckHistory(Connection c, TcpEndpoint e, int mask, char code) {
        if ((code == 'A' || code == 'D') && c.history.length() == 1 && c.history.charAt(0) == 'H') {
            flipRoles(c);
            c.history.setLength(0);
            c.history.append("^h");
            c.tcp.firstPacketSeen |= ORIG;
        }
        if (!e.isOrig) {
            mask <<= 16;
            code = Character.toLowerCase(code);
        }
        return c.checkHistory(mask, code);
    }

    private static void addHistory(Connection c, TcpEndpoint e, char code) {
        c.history.append(e.isOrig ? code : Character.toLowerCase(code));
    }

    private void updateHistory(Connection c, boolean syn, boolean fin, boolean rst, boolean ack, TcpEndpoint e,
                               long relSeq, int len) {
        int bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
        if (bits > 1) {
            if (fin && rst) {
                endpointCheckHistory(c, e, HIST_FIN_RST, 'I');
            } else {
                endpointCheckHistory(c, e, HIST_MULTI, 'Q');
            }
        } else if (bits == 1) {
            if (syn) {
                char code = ack ? 'H' : 'S';
                if (endpointCheckHistory(c, e, HIST_SYN, code) && relSeq != e.histLastSyn) {
                    addHistory(c, e, code);
                }
                e.histLastSyn = relSeq;
            }
            if (fin) {
                if (endpointCheckHistory(c, e, HIST_FIN, 'F') && relSeq + len != e.histLastFin) {
                    addHistory(c, e, 'F');
                }
                e.histLastFin = relSeq + len;
            }
            if (rst) {
                if (endpointCheckHistory(c, e, HIST_RST, 'R') && relSeq != e.histLastRst) {
                    addHistory(c, e, 'R');
                }
                e.histLastRst = relSeq;
            }
        } else {
            if (len > 0) {
                endpointCheckHistory(c, e, HIST_DATA, 'D');
            } else if (ack) {
                endpointCheckHistory(c, e, HIST_ACK, 'A');
            }
        }
    }

    private void updateWindow(Connection c, TcpEndpoint e, int window, int baseSeq, int ackSeq, boolean syn,
                              boolean fin, boolean rst) {
        int scale = e.windowScale;
        long win = ((long) window << scale) & 0xFFFFFFFFL;
        if (win == 0 && !rst && e.peer.state != CLOSED && e.state != RESET) {
            int[] r = Connection.scaled(c.history, e.isOrig ? 'W' : 'w', e.win0Cnt, e.win0Thresh);
            e.win0Cnt = r[0];
            e.win0Thresh = r[1];
        }
        if (!syn && !fin && !rst && e.state != CLOSED && e.state != RESET) {
            if (seqDelta(baseSeq, e.windowSeq) >= 0 && seqDelta(ackSeq, e.windowAckSeq) >= 0) {
                int newEdge = ackSeq + (int) win;
                int oldEdge = e.windowAckSeq + e.window;
                int advance = seqDelta(newEdge, oldEdge);
                if (advance < 0 && (-(long) advance) >= (1L << scale)) {
                    tcpWeird(c, "window_recision");
                }
                e.window = (int) win;
                e.windowAckSeq = ackSeq;
                e.windowSeq = baseSeq;
            }
        }
    }

    private void initWindow(Connection c, TcpEndpoint e, TcpEndpoint peer, boolean ack, int scale, int baseSeq,
                            int ackSeq) {
        if (scale < 0) {
            if (ack) {
                e.windowScale = 0;
                peer.windowScale = 0;
            } else {
                e.windowScale = 0;
            }
        } else {
            if (scale > 14) {
                if (!c.didWeird) {
                    weird(c, networkTime, "TCP_scale_range", Integer.toString(scale), "TCP");
                }
                scale = 14;
            }
            e.windowScale = scale;
            e.windowSeq = baseSeq;
            e.windowAckSeq = ackSeq;
            peer.windowSeq = ackSeq;
            peer.windowAckSeq = baseSeq;
        }
    }

    private void initPeer(Connection c, TcpEndpoint peer, TcpEndpoint e, boolean syn, boolean fin, boolean rst,
                          int ackSeq) {
        if (!syn && !fin && !rst) {
            if (e.state == SYN_SENT || e.state == SYN_ACK_SENT || e.state == ESTABLISHED) {
                if (!c.didWeird) {
                    tcpWeird(c, "possible_split_routing");
                }
            }
        }
        peer.initStartSeq(ackSeq - 1);
        peer.ackSeq = ackSeq - 1;
        peer.lastSeq = ackSeq - 1;
    }

    private static int updateLastSeq(TcpEndpoint e, int lastSeq, boolean syn, boolean fin, boolean rst, int len) {
        int deltaLast = seqDelta(lastSeq, e.lastSeq);
        if ((syn || rst) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
            // don't trust such jumps
        } else if (fin && TcpEndpoint.full(e.lastSeq, 0) == ((e.startSeq + 1) & 0xFFFFFFFFL)) {
            e.updateLastSeq(lastSeq);
        } else if (e.state == RESET) {
            // don't trust sequence numbers after a reset
        } else if (deltaLast > 0) {
            e.updateLastSeq(lastSeq);
        } else if (len > 0) {
            int[] r = Connection.scaled(e.conn.history, e.isOrig ? 'T' : 't', e.rxmtCnt, e.rxmtThresh);
            e.rxmtCnt = r[0];
            e.rxmtThresh = r[1];
        }
        return deltaLast;
    }

    private void updateStateMachine(Connection c, double t, TcpEndpoint e, TcpEndpoint peer, int baseSeq, int ackSeq,
                                    int len, int deltaLast, boolean isOrig, boolean syn, boolean fin, boolean rst,
                                    boolean ack, boolean[] closeGen) {
        Connection.TcpState s = c.tcp;
        switch (e.state) {
            case INACTIVE -> {
                if (syn) {
                    if (isOrig) {
                        if (ack) {
                            tcpWeird(c, "connection_originator_SYN_ack");
                            e.setState(SYN_ACK_SENT);
                        } else {
                            e.setState(SYN_SENT);
                        }
                        if (options.tcpAttemptDelay() > 0) {
                            addTimer(c, t + options.tcpAttemptDelay(), TimerKind.ATTEMPT);
                        }
                    } else {
                        if (ack) {
                            if (peer.state != INACTIVE && peer.state != PARTIAL
                                    && !seqBetween(ackSeq, peer.startSeq32(), peer.lastSeq)) {
                                tcpWeird(c, "bad_SYN_ack");
                            }
                        } else if (peer.state == SYN_ACK_SENT && baseSeq == e.startSeq32()) {
                            s.isPartial = false;
                            flipRoles(c);
                            peer.setState(ESTABLISHED);
                            s.firstPacketSeen |= ORIG;
                        } else {
                            tcpWeird(c, "simultaneous_open");
                        }
                        if (peer.state == SYN_SENT) {
                            peer.setState(ESTABLISHED);
                        } else if (peer.state == INACTIVE) {
                            tcpWeird(c, "unsolicited_SYN_response");
                        }
                        e.setState(ESTABLISHED);
                        if (peer.state != PARTIAL) {
                            connectionEstablished(c);
                        }
                    }
                }
                if (fin) {
                    e.setState(CLOSED);
                    closeGen[0] = closeGen[1] = true;
                    if (peer.state != PARTIAL && !syn) {
                        tcpWeird(c, "spontaneous_FIN");
                    }
                }
                if (rst) {
                    e.setState(RESET);
                    boolean reject = false;
                    if (isOrig) {
                        if (peer.state == ESTABLISHED) {
                            reject = true;
                        }
                    } else if (peer.state == SYN_SENT || peer.state == SYN_ACK_SENT) {
                        reject = true;
                    }
                    closeGen[0] = true;
                    closeGen[1] = !reject;
                    if (!reject && peer.state == INACTIVE) {
                        tcpWeird(c, "spontaneous_RST");
                    }
                }
                if (e.state == INACTIVE) {
                    if (!isOrig && len == 0 && s.orig.state == SYN_SENT) {
                        // an early ack of the SYN before the SYN-ACK: not a partial connection
                    } else if (ack && peer.state == ESTABLISHED) {
                        e.setState(ESTABLISHED);
                        s.isPartial = false;
                        s.firstPacketSeen |= e.isOrig ? ORIG : RESP;
                    } else {
                        e.setState(PARTIAL);
                    }
                }
            }
            case SYN_SENT, SYN_ACK_SENT -> {
                if (syn) {
                    if (isOrig) {
                        if (ack && !fin && !rst && e.state != SYN_ACK_SENT) {
                            tcpWeird(c, "repeated_SYN_with_ack");
                        }
                    } else if (!ack && e.state != SYN_SENT) {
                        tcpWeird(c, "repeated_SYN_reply_wo_ack");
                    }
                }
                if (fin) {
                    if (peer.state == INACTIVE || peer.state == SYN_SENT) {
                        tcpWeird(c, "inappropriate_FIN");
                    }
                    e.setState(CLOSED);
                    closeGen[0] = closeGen[1] = true;
                }
                if (rst) {
                    e.setState(RESET);
                    connectionReset(c);
                    closeGen[0] = true;
                } else if (len > 0) {
                    tcpWeird(c, "data_before_established");
                }
            }
            case ESTABLISHED, PARTIAL -> {
                if (syn && e.state == PARTIAL && peer.state == INACTIVE && !ack) {
                    tcpWeird(c, "SYN_after_partial");
                    e.setState(SYN_SENT);
                }
                if (fin && !rst) {
                    e.setState(CLOSED);
                    if (peer.state == RESET && peer.prevState == CLOSED) {
                        peer.setState(CLOSED);
                    }
                    closeGen[0] = closeGen[1] = true;
                }
                if (rst) {
                    e.setState(RESET);
                    closeGen[0] = true;
                    if (peer.state != RESET || peer.prevState != ESTABLISHED) {
                        connectionReset(c);
                    }
                }
            }
            case CLOSED -> {
                if (syn) {
                    tcpWeird(c, "SYN_after_close");
                }
                if (fin && deltaLast > 0) {
                    tcpWeird(c, "FIN_advanced_last_seq");
                }
                if (rst && e.peer.state != CLOSED) {
                    e.setState(RESET);
                    if (!e.didClose) {
                        closeGen[0] = true;
                    }
                    // Zeek's reset timer only runs when a script handles connection_reset; none does by default.
                    if (options.armResetAndPartialCloseTimers()) {
                        addTimer(c, t + options.tcpResetDelay(), TimerKind.RESET);
                    }
                }
            }
            case RESET -> {
                if (syn) {
                    tcpWeird(c, "SYN_after_reset");
                }
                if (fin) {
                    tcpWeird(c, "FIN_after_reset");
                }
                if (len > 0 && !rst) {
                    tcpWeird(c, "data_after_reset");
                }
            }
        }
    }

    private static boolean seqBetween(int a, int low, int high) {
        return seqDelta(a, low) >= 0 && seqDelta(a, high) <= 0;
    }

    /** {@code connection_established}: per-port inactivity timeouts of {@code base/protocols/conn/inactivity.zeek}. */
    private void connectionEstablished(Connection c) {
        int servicePort = c.id.respP();
        if (c.tcp.orig.state == INACTIVE) {
            if (!likelyTcp.contains(servicePort) && likelyTcp.contains(c.id.origP())) {
                servicePort = c.id.origP();
            }
        }
        Double t = options.tcpPortInactivityTimeouts().get(servicePort);
        if (t != null) {
            setInactivityTimeout(c, t);
        }
    }

    private void connectionReset(Connection c) {
        c.tcp.isActive = false;
    }

    private void connectionClosed(Connection c, TcpEndpoint e, TcpEndpoint peer, boolean genEvent) {
        Connection.TcpState s = c.tcp;
        if (e.reassembler.dataPending()) {
            s.closeDeferred = true;
            if (!s.deferredGenEvent) {
                s.deferredGenEvent = genEvent;
            }
            return;
        }
        s.closeDeferred = false;
        if (e.didClose) {
            return;
        }
        e.didClose = true;
        boolean closeComplete = e.state == RESET || peer.didClose || peer.state == INACTIVE;
        if (closeComplete) {
            if (e.prevState != INACTIVE || peer.state != INACTIVE) {
                if (s.deferredGenEvent) {
                    genEvent = true;
                    s.deferredGenEvent = false;
                }
                if (genEvent) {
                    s.isActive = false; // connection_finished / connection_half_finished
                }
            }
            c.analyzerEpoch++; // CancelTimers
            addTimer(c, c.lastTime + options.tcpCloseDelay(), TimerKind.DELETE);
        } else if (e.prevState != INACTIVE) {
            addTimer(c, c.lastTime + options.tcpSessionTimer(), TimerKind.EXPIRE);
        } else if (options.armResetAndPartialCloseTimers()) {
            addTimer(c, c.lastTime + options.tcpPartialCloseDelay(), TimerKind.PARTIAL_CLOSE);
        }
    }

    /** Called by a reassembler when its direction has delivered everything up to its FIN or RST. */
    void endpointEof(Connection c, TcpReassembler r) {
        boolean isOrig = r.endp.isOrig;
        for (AnalyzerSlot s : new ArrayList<>(c.analyzers)) {
            if (!s.removed && s.stream != null) {
                try {
                    s.stream.endOfData(isOrig, currentTs);
                } catch (RuntimeException e) {
                    analyzerFailed(s, e);
                }
            }
        }
        Connection.TcpState st = c.tcp;
        if (st.closeDeferred) {
            if (r.dataPending() && st.orig.didClose && st.resp.didClose) {
                tcpWeird(c, "pending_data_when_closed");
            }
            connectionClosed(c, r.endp, r.endp.peer, st.deferredGenEvent);
            st.closeDeferred = false;
        }
        purgeRemoved(c);
    }

    private final class ReassemblySink implements TcpReassembler.Sink {
        private final Connection c;

        ReassemblySink(Connection c) {
            this.c = c;
        }

        @Override
        public void deliver(TcpReassembler r, long seq, byte[] data, int offset, int length) {
            deliverStream(c, r.endp.isOrig, currentTs, data, offset, length);
        }

        @Override
        public void gap(TcpReassembler r, long seq, long length) {
            TcpEndpoint e = r.endp;
            boolean clean = isClean(e) && isClean(e.peer);
            if (clean) {
                int[] res = Connection.scaled(c.history, e.isOrig ? 'G' : 'g', e.gapCnt, e.gapThresh);
                e.gapCnt = res[0];
                e.gapThresh = res[1];
            }
            if (options.reportGapsForPartial() || clean) {
                c.missedBytes += length;
            }
            boolean isOrig = e.isOrig;
            for (AnalyzerSlot s : new ArrayList<>(c.analyzers)) {
                if (!s.removed && s.stream != null) {
                    try {
                        s.stream.gap(isOrig, currentTs, length);
                    } catch (RuntimeException ex) {
                        analyzerFailed(s, ex);
                    }
                }
            }
            if (c.dpd != null) {
                int d = isOrig ? 0 : 1;
                c.dpd.done[d] = true;
                c.dpd.chunks.add(new Object[] {isOrig, currentTs, length});
                maybeEndDpd(c);
            }
            purgeRemoved(c);
        }

        @Override
        public void weird(String name) {
            tcpWeird(c, name);
        }
    }

    private static boolean isClean(TcpEndpoint e) {
        return e.state == ESTABLISHED || (e.state == CLOSED && e.prevState == ESTABLISHED);
    }

    // ------------------------------------------------------------------------------------------------ analyzers

    private AnalyzerSlot attach(Connection c, AnalyzerFactory f) {
        AnalyzerSlot slot = new AnalyzerSlot(c, f);
        if (c.proto == TransportProto.TCP) {
            slot.stream = f.newStreamAnalyzer(slot);
            if (slot.stream == null) {
                return null;
            }
        } else {
            slot.datagram = f.newDatagramAnalyzer(slot);
            if (slot.datagram == null) {
                return null;
            }
        }
        c.analyzers.add(slot);
        return slot;
    }

    private boolean isAttachedOrRejected(Connection c, AnalyzerFactory f) {
        for (AnalyzerSlot s : c.analyzers) {
            if (s.factory == f) {
                return true;
            }
        }
        return c.dpd != null && c.dpd.rejected.contains(f);
    }

    private void deliverStream(Connection c, boolean isOrig, double ts, byte[] data, int off, int len) {
        for (AnalyzerSlot s : new ArrayList<>(c.analyzers)) {
            if (!s.removed) {
                try {
                    s.stream.deliver(isOrig, ts, data, off, len);
                } catch (RuntimeException e) {
                    analyzerFailed(s, e);
                }
            }
        }
        if (c.dpd != null) {
            dpdData(c, isOrig, ts, data, off, len, TransportProto.TCP);
        }
        purgeRemoved(c);
    }

    private void deliverDatagram(Connection c, boolean isOrig, double ts, byte[] data, int off, int len) {
        for (AnalyzerSlot s : new ArrayList<>(c.analyzers)) {
            if (!s.removed) {
                try {
                    s.datagram.datagram(isOrig, ts, data, off, len);
                } catch (RuntimeException e) {
                    analyzerFailed(s, e);
                }
            }
        }
        if (c.dpd != null && len > 0) {
            dpdData(c, isOrig, ts, data, off, len, TransportProto.UDP);
        }
        purgeRemoved(c);
    }

    /** Dynamic protocol detection on the first {@link TrackerOptions#dpdBufferSize()} bytes of each direction. */
    private void dpdData(Connection c, boolean isOrig, double ts, byte[] data, int off, int len, TransportProto proto) {
        Connection.Dpd d = c.dpd;
        int dir = isOrig ? 0 : 1;
        if (d.done[dir]) {
            return;
        }
        int room = options.dpdBufferSize() - d.prefixLen[dir];
        int take = Math.min(room, len);
        if (take > 0) {
            byte[] piece = new byte[take];
            System.arraycopy(data, off, piece, 0, take);
            d.chunks.add(new Object[] {isOrig, ts, piece});
            if (proto == TransportProto.TCP) {
                if (d.prefix[dir] == null) {
                    d.prefix[dir] = new byte[options.dpdBufferSize()];
                }
                System.arraycopy(data, off, d.prefix[dir], d.prefixLen[dir], take);
                d.prefixLen[dir] += take;
            } else {
                d.prefixLen[dir] += take;
            }
        }
        byte[] probe = proto == TransportProto.TCP ? d.prefix[dir] : data;
        int probeOff = proto == TransportProto.TCP ? 0 : off;
        int probeLen = proto == TransportProto.TCP ? d.prefixLen[dir] : len;
        for (AnalyzerFactory f : factories) {
            if (c.dpd == null || isAttachedOrRejected(c, f)) {
                continue;
            }
            boolean yes;
            try {
                yes = probeLen > 0 && f.detect(proto, isOrig, probe, probeOff, probeLen);
            } catch (RuntimeException e) {
                yes = false;
            }
            if (yes) {
                AnalyzerSlot slot = attach(c, f);
                if (slot != null) {
                    replay(c, slot, d);
                }
            }
        }
        if (c.dpd != null && d.prefixLen[dir] >= options.dpdBufferSize()) {
            d.done[dir] = true;
        }
        maybeEndDpd(c);
    }

    private void replay(Connection c, AnalyzerSlot slot, Connection.Dpd d) {
        try {
            replayChunks(slot, d);
        } catch (RuntimeException e) {
            analyzerFailed(slot, e);
        }
    }

    private void replayChunks(AnalyzerSlot slot, Connection.Dpd d) {
        for (Object[] ch : new ArrayList<>(d.chunks)) {
            if (slot.removed) {
                return;
            }
            boolean o = (Boolean) ch[0];
            double t = (Double) ch[1];
            if (ch[2] instanceof byte[] b) {
                if (slot.stream != null) {
                    slot.stream.deliver(o, t, b, 0, b.length);
                } else {
                    slot.datagram.datagram(o, t, b, 0, b.length);
                }
            } else if (slot.stream != null) {
                slot.stream.gap(o, t, (Long) ch[2]);
            }
        }
    }

    private void maybeEndDpd(Connection c) {
        Connection.Dpd d = c.dpd;
        if (d == null) {
            return;
        }
        boolean allAttached = true;
        for (AnalyzerFactory f : factories) {
            if (!isAttachedOrRejected(c, f)) {
                allAttached = false;
                break;
            }
        }
        if (allAttached || (d.done[0] && d.done[1])) {
            c.dpd = null;
        }
    }

    private void purgeRemoved(Connection c) {
        if (c.analyzers.isEmpty()) {
            return;
        }
        List<AnalyzerSlot> gone = null;
        for (AnalyzerSlot s : c.analyzers) {
            if (s.removed) {
                if (gone == null) {
                    gone = new ArrayList<>();
                }
                gone.add(s);
            }
        }
        if (gone != null) {
            c.analyzers.removeAll(gone);
            for (AnalyzerSlot s : gone) {
                try {
                    if (s.stream != null) {
                        s.stream.connectionDone(networkTime);
                    } else if (s.datagram != null) {
                        s.datagram.connectionDone(networkTime);
                    }
                } catch (RuntimeException e) {
                    // the analyzer is gone anyway
                }
            }
        }
    }

    /**
     * An analyzer threw: Zeek turns parser exceptions into protocol violations ("Binpac exception"), which
     * normally removes the analyzer. Malformed input must never stop the analysis.
     */
    private void analyzerFailed(AnalyzerSlot s, RuntimeException e) {
        violation(s, s.factory.service(), "exception: " + e);
    }

    void confirm(Connection c, String service) {
        if (c.removed || service == null) {
            return;
        }
        String name = service.toLowerCase(Locale.ROOT);
        c.services.add(name);
        Double t = options.serviceInactivityTimeouts().get(name);
        if (t != null) {
            setInactivityTimeout(c, t);
        }
    }

    /** Zeek's {@code X} history letter: an analyzer violation or limit; added once. */
    void markX(Connection c) {
        if (!c.removed) {
            c.checkHistory(HIST_X, 'X');
        }
    }

    void violation(AnalyzerSlot slot, String service, String reason) {
        Connection c = slot.conn;
        if (c.removed || slot.removed) {
            return;
        }
        slot.violations++;
        String own = slot.factory.service().toLowerCase(Locale.ROOT);
        if (slot.violations > options.maxAnalyzerViolations()) {
            if (slot.violations == options.maxAnalyzerViolations() + 1) {
                weird(c, networkTime, "too_many_analyzer_violations", null, own.toUpperCase(Locale.ROOT));
            }
            return;
        }
        long size = size(c, true) + size(c, false);
        if (options.ignoreViolationsAfter() > 0 && size > options.ignoreViolationsAfter()) {
            return;
        }
        String name = service == null ? own : service.toLowerCase(Locale.ROOT);
        if (name.equals(own)) {
            slot.removed = true;
            if (c.dpd != null) {
                c.dpd.rejected.add(slot.factory);
            }
        }
        if (c.services.remove(name)) {
            markX(c); // a confirmed analyzer failed
        }
    }
}
