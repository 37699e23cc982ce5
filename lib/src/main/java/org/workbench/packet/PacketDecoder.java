package org.workbench.packet;

import java.util.Arrays;
import java.util.Set;

import org.workbench.analysis.WeirdReporter;
import org.workbench.capture.RawPacket;
import org.workbench.flow.ConnId;
import org.workbench.flow.TransportProto;

/**
 * Decodes link, network and transport headers of captured packets into a {@link DecodedPacket}, the way Zeek's
 * packet analysis does, reporting malformed traffic as weirds with Zeek's weird names. It never throws on bad
 * traffic.
 *
 * <h2>Layers</h2>
 * <ul>
 *   <li>Link types (tcpdump.org LINKTYPE_ values): Ethernet (1), Linux cooked SLL (113) and SLL2 (276), raw IP
 *       (101, 12, 14, 228 = IPv4, 229 = IPv6), BSD loopback NULL (0, address family in either byte order) and
 *       LOOP (108, network byte order), PPP (9, with or without HDLC framing), PPP serial (50), FDDI (10, with
 *       LLC/SNAP).</li>
 *   <li>Inside Ethernet: 802.1Q/802.1ad VLAN tags (0x8100, 0x88a8, 0x9100) fill {@code vlan} then
 *       {@code innerVlan} (a third tag overwrites the inner one: {@code triple_tagged_vlan_unsupported}), PPPoE
 *       session (0x8864), MPLS (0x8847, 0x8848), Cisco FabricPath (0x8903), 802.1ah PBB (0x88e7), VN-Tag (0x8926).
 *       802.3 frames with an LLC/SNAP header (RFC 1042) carrying an EtherType are followed too. Other EtherTypes
 *       (ARP, LLDP, plain LLC, Novell, ...) are not IP: {@code decode} returns false without a weird.</li>
 *   <li>IPv4 (RFC 791; header checksum, lengths) and IPv6 (RFC 8200) with hop-by-hop, routing, destination
 *       options, fragment and AH extension headers. A type 0 routing header with segments left makes its last
 *       address the destination, as in Zeek.</li>
 *   <li>Fragments of both versions are reassembled (see {@link #PacketDecoder(WeirdReporter, boolean, double,
 *       int, long)} for the limits); the reassembled datagram is a fresh array in {@code out.buffer}.</li>
 *   <li>TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792) and ICMPv6 (RFC 4443). For ICMP, following Zeek, the source
 *       "port" is the type and the destination "port" is the type of the counterpart message for request/reply
 *       pairs (echo 8 &harr; 0, timestamp, information, router, address mask; ICMPv6 echo 128 &harr; 129, router
 *       and neighbour solicitation/advertisement, MLD query/report, node information, home agent discovery) and
 *       the code otherwise.</li>
 *   <li>Other IP protocols are returned as datagrams too ({@code transportOffset == -1}, ports 0): Zeek 9 logs
 *       them as {@code unknown_transport} connections.</li>
 * </ul>
 *
 * <h2>Tunnels</h2>
 * As Zeek 9 decapsulates them, up to {@link #maxTunnelDepth(int)} layers ({@code exceeded_tunnel_max_depth}
 * beyond): IP-in-IP (IP protocols 4 and 41) and GRE (protocol 47: IP payloads, transparent Ethernet bridging,
 * ERSPAN I/II/III, PPTP enhanced GRE with PPP, Aruba 802.11 frames including A-MSDU subframes; weirds
 * {@code truncated_GRE}, {@code unknown_gre_version}, {@code egre_protocol_type}, {@code non_ip_packet_in_encap},
 * {@code gre_routing}) are decoded within {@code decode}: {@code out} then holds the inner packet and
 * {@link DecodedPacket#tunnels} the layers. UDP tunnels (VXLAN 4789, Geneve 6081, GTPv1-U 2152, Teredo 3544 or
 * detected on any port, AYIYA 5072) need the outer connection first: {@code decode} returns the outer packet with
 * {@link DecodedPacket#encapsulation} set and the tracker calls {@link #decodeEncapsulated}. Weirds
 * {@code geneve_truncated}, {@code geneve_empty_packet}, {@code truncated_AYIYA}, {@code Teredo_bubble_with_payload}.
 * Further A-MSDU subframes come from {@link #decodeNextFrame}.
 *
 * <h2>Weirds</h2>
 * Names, conditions and {@code source} follow Zeek 9's packet analyzers (Zeek source tree
 * {@code src/packet_analysis/protocol/*}, {@code src/Frag.cc}, {@code src/IP.cc}):
 * <ul>
 *   <li>Before an IP header is accepted the weird has no endpoints ({@code id == null}):
 *       {@code truncated_ethernet_frame}, {@code undefined_ether_type}, {@code truncated_link_header_cfp}
 *       (source {@code ETHERNET}); {@code truncated_VLAN_header}, {@code undefined_vlan_protocol},
 *       {@code triple_tagged_vlan_unsupported} ({@code VLAN}); {@code truncated_Linux_SLL_header}
 *       ({@code LINUXSLL}); {@code truncated_Linux_SLL2_header} ({@code LINUXSLL2}); {@code truncated_pppoe_header}
 *       ({@code PPPOE}); {@code truncated_link_header} ({@code MPLS}); {@code truncated_PBB_header} ({@code PBB});
 *       {@code truncated_vntag_header} ({@code VNTAG}); {@code truncated_ppp_serial_header} ({@code PPPSERIAL});
 *       {@code truncated_ppp_header}, {@code truncated_ppp_hdlc_header} ({@code PPP});
 *       {@code truncated_snap_llc_header}, {@code truncated_snap_header} ({@code SNAP});
 *       {@code null_analyzer_failed}, {@code FDDI_analyzer_failed} (no source); {@code truncated_IP}, {@code unknown_ip_version},
 *       {@code ip_hdr_len_zero}, {@code truncated_IP_len}, {@code invalid_IP_header_size},
 *       {@code internally_truncated_header}, {@code IPv4_min_header_size} ({@code IP}).</li>
 *   <li>Afterwards the weird names the packet's addresses with ports 0 and {@link TransportProto#UNKNOWN}
 *       ("flow weirds"): {@code bad_IP_checksum}, {@code incompletely_captured_fragment}, {@code ipv6_no_next},
 *       {@code internally_truncated_header} for an IPv6 extension header cut short (source {@code IP});
 *       {@code truncated_header} / {@code internally_truncated_header} when the IP payload is too short for the
 *       TCP (20), UDP (8) or ICMP (8) header (source {@code TCP}, {@code UDP}, {@code ICMP}); the fragment weirds
 *       of {@link FragmentReassembler} and the IPv6 routing weirds {@code routing0_hdr},
 *       {@code odd_routing0_len}, {@code unknown_routing_type}, {@code multiple_routing_headers} (no source).</li>
 *   <li>Zeek raises a few weirds inside a connection; this decoder leaves them to the connection tracker, which
 *       reports them with the connection's uid: {@code bad_TCP_header_len} and {@code truncated_header} (TCP
 *       options cut short) are handed on in {@link DecodedPacket#tcpHeaderWeird} ({@code decode} returns true: Zeek
 *       creates the connection but counts nothing of the segment); {@code UDP_datagram_length_mismatch} the tracker
 *       finds itself. {@link #isConnectionWeird(String)} names them.</li>
 *   <li>Destination options: {@code bad_ipv6_dest_opt_len}, {@code bad_home_addr_len},
 *       {@code multiple_home_addr_opts} (no source; a Home Address option replaces the source address, as in
 *       Zeek). {@code igmp_invalid_checksum} (source {@code IGMP}); {@code max_packet_analyzer_depth_exceeded}
 *       beyond 64 nested link layers (source {@code ETHERNET} or {@code PBB}).</li>
 *   <li>Weirds of a packet inside a tunnel get Zeek's {@code _in_tunnel} suffix.</li>
 *   <li>{@code decoder_internal_error} (addl: the exception's class) is this project's own name, reported if a
 *       bug in this decoder throws; the packet is then dropped instead of stopping the analysis.</li>
 *   <li>Not reported here: {@code bad_TCP_checksum}, {@code bad_UDP_checksum}, {@code bad_ICMP_checksum}. The
 *       verdict is in {@link DecodedPacket#transportChecksumValid} and the engine reports it on the connection.</li>
 * </ul>
 *
 * <p>An instance holds fragment reassembly state: use one per capture (or per analysis thread). Not thread-safe.
 */
public final class PacketDecoder {
    /** Zeek's default {@code Tunnel::max_depth}: most encapsulation layers decapsulated. */
    public static final int DEFAULT_MAX_TUNNEL_DEPTH = 2;
    /** Results of {@link #decodeEncapsulated}. */
    public static final int ENCAP_NOT_TUNNEL = 0, ENCAP_INNER = 1, ENCAP_VALID_NO_INNER = 2,
            ENCAP_DEPTH_EXCEEDED = 3, ENCAP_INVALID_INNER = 4;
    /** Tunnel UDP ports Zeek registers by default (VXLAN, Geneve, GTPv1-U, AYIYA, Teredo). */
    public static final int PORT_VXLAN = 4789, PORT_GENEVE = 6081, PORT_GTPV1 = 2152, PORT_AYIYA = 5072,
            PORT_TEREDO = 3544;

    /** Most nested link-layer analyzers per packet before {@code max_packet_analyzer_depth_exceeded}. */
    static final int MAX_ANALYZER_DEPTH = 64;

    /** Default fragment reassembly timeout, seconds of packet time. */
    public static final double DEFAULT_FRAGMENT_TIMEOUT = 60.0;
    /** Default maximum number of datagrams under reassembly at once. */
    public static final int DEFAULT_MAX_FRAGMENTED_DATAGRAMS = 4096;
    /** Default maximum fragment bytes held for reassembly. */
    public static final long DEFAULT_MAX_FRAGMENT_BYTES = 32L << 20;

    private static final Set<String> CONNECTION_WEIRDS = Set.of("bad_TCP_header_len", "UDP_datagram_length_mismatch");

    private static final int PROTO_IGMP = 2, PROTO_IPIP = 4, PROTO_IPV6 = 41, PROTO_GRE = 47;
    private static final int PROTO_HOPOPTS = 0, PROTO_ROUTING = 43, PROTO_FRAGMENT = 44, PROTO_ESP = 50,
            PROTO_AH = 51, PROTO_NONE = 59, PROTO_DSTOPTS = 60;

    private final WeirdReporter weirds;
    private final boolean verifyChecksums;
    private final FragmentReassembler fragments;

    // per-packet scratch
    private DecodedPacket out;
    /** End of the current frame on the wire, as an offset into the buffer being decoded. */
    private int wireLen;
    /** Link-layer analyzers entered for the current packet (Zeek stops nesting at a fixed depth). */
    private int analyzerDepth;
    private int maxTunnelDepth = DEFAULT_MAX_TUNNEL_DEPTH;

    /**
     * A decoder with the default fragment limits.
     *
     * @param weirds          receives weirds (never null; pass a no-op lambda to ignore them)
     * @param verifyChecksums true to check the IPv4 header checksum (bad ones are dropped with
     *                        {@code bad_IP_checksum}) and the TCP/UDP/ICMP checksums (verdict in
     *                        {@link DecodedPacket#transportChecksumValid}); false behaves like {@code zeek -C}
     */
    public PacketDecoder(WeirdReporter weirds, boolean verifyChecksums) {
        this(weirds, verifyChecksums, DEFAULT_FRAGMENT_TIMEOUT, DEFAULT_MAX_FRAGMENTED_DATAGRAMS,
                DEFAULT_MAX_FRAGMENT_BYTES);
    }

    /**
     * @param weirds                 receives weirds
     * @param verifyChecksums        see {@link #PacketDecoder(WeirdReporter, boolean)}
     * @param fragmentTimeoutSeconds a datagram whose first fragment is older than this (packet time) is dropped
     * @param maxFragmentedDatagrams most datagrams under reassembly at once; the oldest is dropped beyond it
     * @param maxFragmentBytes       most fragment data bytes held; the oldest datagrams are dropped beyond it
     */
    public PacketDecoder(WeirdReporter weirds, boolean verifyChecksums, double fragmentTimeoutSeconds,
                         int maxFragmentedDatagrams, long maxFragmentBytes) {
        if (weirds == null) {
            throw new NullPointerException("weirds");
        }
        this.weirds = weirds;
        this.verifyChecksums = verifyChecksums;
        this.fragments = new FragmentReassembler(fragmentTimeoutSeconds, maxFragmentedDatagrams, maxFragmentBytes);
    }

    /**
     * True for the weird names this decoder reports although Zeek raises them inside a connection (so they carry
     * a uid in weird.log): see the class comment.
     *
     * @param name a weird name reported by this decoder
     * @param id   the endpoints it was reported with
     */
    public static boolean isConnectionWeird(String name, ConnId id) {
        if (CONNECTION_WEIRDS.contains(name)) {
            return true;
        }
        return "truncated_header".equals(name) && id != null && id.proto() == TransportProto.TCP;
    }

    /** Same as {@link #isConnectionWeird(String, ConnId)} for names that do not depend on the endpoints. */
    public static boolean isConnectionWeird(String name) {
        return CONNECTION_WEIRDS.contains(name);
    }

    /** Sets Zeek's {@code Tunnel::max_depth} (default {@value #DEFAULT_MAX_TUNNEL_DEPTH}). */
    public PacketDecoder maxTunnelDepth(int depth) {
        this.maxTunnelDepth = Math.max(0, depth);
        return this;
    }

    /** Datagrams currently under fragment reassembly. */
    public int pendingFragmentedDatagrams() {
        return fragments.pendingDatagrams();
    }

    /** Fragment data bytes currently held for reassembly. */
    public long bufferedFragmentBytes() {
        return fragments.bufferedBytes();
    }

    /**
     * Whether {@link #decode} understands a link type: Ethernet (1), raw IP (101, 12, 14, 228, 229), Linux cooked
     * (113, 276), BSD loopback (0, 108), PPP (9, 50) and FDDI (10), as numbered by the tcpdump.org LINKTYPE_
     * registry. Packets of any other link type are not decoded and produce no weird here (the caller reports
     * them once).
     *
     * @param linkType a LINKTYPE_ number
     * @return true when packets of that link type are decoded
     */
    public static boolean supportsLinkType(int linkType) {
        switch (linkType) {
            case 0: case 1: case 9: case 10: case 12: case 14: case 50: case 101: case 108: case 113: case 228:
            case 229: case 276:
                return true;
            default:
                return false;
        }
    }

    /**
     * Decodes one packet.
     *
     * @param raw a captured record
     * @param out the holder to fill; cleared first
     * @return true when {@code out} holds an IP datagram ready for connection tracking (addresses, protocol and,
     *         for TCP/UDP/ICMP, the transport fields); false for non-IP frames, malformed packets (reported as
     *         weirds) and fragments still waiting for the rest of their datagram
     */
    public boolean decode(RawPacket raw, DecodedPacket out) {
        out.clear();
        out.raw = raw;
        out.ts = raw.timestampSeconds();
        out.buffer = raw.data();
        this.out = out;
        this.wireLen = raw.originalLength();
        this.analyzerDepth = 0;
        out.decoder = this;
        try {
            if (fragments.pendingDatagrams() > 0) {
                fragments.expire(out.ts);
            }
            byte[] d = raw.data();
            int end = Math.min(raw.capturedLength(), d.length);
            switch (raw.linkType()) {
                case 1:
                    return ethernet(d, 0, end);
                case 113:
                    return sll(d, end);
                case 276:
                    return sll2(d, end);
                case 101:
                case 12:
                case 14:
                case 228:
                case 229:
                    return ip(d, 0, end, raw.originalLength(), false);
                case 0:
                    return nullLink(d, end, false);
                case 108:
                    return nullLink(d, end, true);
                case 9:
                    return ppp(d, end);
                case 50:
                    return pppSerial(d, end);
                case 10:
                    return fddi(d, end);
                default:
                    return false;
            }
        } catch (RuntimeException e) {
            // Defensive: a decoding bug must not stop the analysis of a capture.
            weird("decoder_internal_error", null, e.getClass().getSimpleName(), null);
            return false;
        } finally {
            this.out = null;
        }
    }

    // ------------------------------------------------------------------ link layers

    private boolean ethernet(byte[] d, int off, int end) {
        if (++analyzerDepth > MAX_ANALYZER_DEPTH) {
            weird("max_packet_analyzer_depth_exceeded", null, null, "ETHERNET");
            return false;
        }
        if (end - off <= 16) {
            weird("truncated_ethernet_frame", null, null, "ETHERNET");
            return false;
        }
        if (u16(d, off + 12) == 0x8903) { // Cisco FabricPath: skip its 16-byte header
            if (16 + 14 >= end - off) {
                weird("truncated_link_header_cfp", null, null, "ETHERNET");
                return false;
            }
            off += 16;
        }
        out.l2Dst = Arrays.copyOfRange(d, off, off + 6);
        out.l2Src = Arrays.copyOfRange(d, off + 6, off + 12);
        int type = u16(d, off + 12);
        if (type <= 1500) { // IEEE 802.3 length field: LLC, SNAP or Novell raw 802.3 follows
            if (end - (off + 14) < type) {
                weird("truncated_ethernet_frame", null, null, "ETHERNET");
                return false;
            }
            return ieee8023(d, off + 14, end);
        }
        if (type < 1536) {
            weird("undefined_ether_type", null, null, "ETHERNET");
            return false;
        }
        return etherType(d, off + 14, end, type);
    }

    private boolean etherType(byte[] d, int off, int end, int type) {
        while (true) {
            switch (type) {
                case 0x0800:
                case 0x86dd:
                    return ip(d, off, end, wireLen, false);
                case 0x8100:
                case 0x88a8:
                case 0x9100: {
                    if (end - off <= 4) {
                        weird("truncated_VLAN_header", null, null, "VLAN");
                        return false;
                    }
                    int id = u16(d, off) & 0xfff;
                    if (out.vlan < 0) {
                        out.vlan = id;
                    } else {
                        if (out.innerVlan >= 0) {
                            weird("triple_tagged_vlan_unsupported", null, "inner VLAN tag overwritten", "VLAN");
                        }
                        out.innerVlan = id;
                    }
                    type = u16(d, off + 2);
                    off += 4;
                    if (type <= 1500) {
                        if (end - off < 2) {
                            weird("truncated_VLAN_header", null, null, "VLAN");
                            return false;
                        }
                        return ieee8023(d, off, Math.min(end, off + type));
                    }
                    if (type < 1536) {
                        weird("undefined_vlan_protocol", null, null, "VLAN");
                        return false;
                    }
                    continue;
                }
                case 0x8864: { // PPPoE session stage (RFC 2516)
                    if (end - off <= 8) {
                        weird("truncated_pppoe_header", null, null, "PPPOE");
                        return false;
                    }
                    int ppp = u16(d, off + 6);
                    return pppProtocol(d, off + 8, end, ppp);
                }
                case 0x8847:
                case 0x8848: { // MPLS label stack (RFC 3032), then IP
                    boolean bottom = false;
                    while (!bottom) {
                        if (end - off <= 4) {
                            weird("truncated_link_header", null, null, "MPLS");
                            return false;
                        }
                        bottom = (d[off + 2] & 1) != 0;
                        off += 4;
                    }
                    return ip(d, off, end, wireLen, false);
                }
                case 0x88e7: // 802.1ah provider backbone bridge: I-TAG then an inner Ethernet frame
                    if (18 >= end - off) {
                        weird("truncated_PBB_header", null, null, "PBB");
                        return false;
                    }
                    if (++analyzerDepth > MAX_ANALYZER_DEPTH) {
                        weird("max_packet_analyzer_depth_exceeded", null, null, "PBB");
                        return false;
                    }
                    return ethernet(d, off + 4, end);
                case 0x8926: // VN-Tag
                    if (6 >= end - off) {
                        weird("truncated_vntag_header", null, null, "VNTAG");
                        return false;
                    }
                    type = u16(d, off + 4);
                    off += 6;
                    continue;
                default:
                    return false; // ARP, LLDP, ...: not IP
            }
        }
    }

    /** After an 802.3 length field: SNAP (0xAAAA) carries an EtherType; Novell raw 802.3 and plain LLC are not IP. */
    private boolean ieee8023(byte[] d, int off, int end) {
        if (end - off >= 2 && (d[off] & 0xff) == 0xaa && (d[off + 1] & 0xff) == 0xaa) {
            return snap(d, off, end);
        }
        return false;
    }

    /** IEEE 802.2 LLC + SNAP header (RFC 1042): an EtherType follows when the OUI is zero. */
    private boolean snap(byte[] d, int off, int end) {
        if (end - off < 3) {
            weird("truncated_snap_llc_header", null, null, "SNAP");
            return false;
        }
        int llc = (d[off + 2] & 0x03) != 0x03 ? 4 : 3;
        if (end - off < llc + 5) {
            weird("truncated_snap_header", null, null, "SNAP");
            return false;
        }
        int oui = ((d[off + llc] & 0xff) << 16) | ((d[off + llc + 1] & 0xff) << 8) | (d[off + llc + 2] & 0xff);
        if (oui != 0) {
            return false;
        }
        return etherType(d, off + llc + 5, end, u16(d, off + llc + 3));
    }

    /** FDDI (LINKTYPE_FDDI 10): 13-byte MAC header, then LLC/SNAP. */
    private boolean fddi(byte[] d, int end) {
        if (21 >= end) {
            weird("FDDI_analyzer_failed", null, null, null);
            return false;
        }
        return snap(d, 13, end);
    }

    /** LINKTYPE_PPP (9, RFC 1661/1662): optional HDLC address/control bytes 0xff 0x03, then the protocol. */
    private boolean ppp(byte[] d, int end) {
        if (2 >= end) {
            weird("truncated_ppp_header", null, null, "PPP");
            return false;
        }
        if ((d[0] & 0xff) == 0xff && d[1] == 0x03) {
            if (4 >= end) {
                weird("truncated_ppp_hdlc_header", null, null, "PPP");
                return false;
            }
            return pppProtocol(d, 4, end, u16(d, 2));
        }
        return pppProtocol(d, 2, end, u16(d, 0));
    }

    private boolean sll(byte[] d, int end) {
        if (16 >= end) {
            weird("truncated_Linux_SLL_header", null, null, "LINUXSLL");
            return false;
        }
        int halen = Math.min(u16(d, 4), 8);
        if (halen > 0) {
            out.l2Src = Arrays.copyOfRange(d, 6, 6 + halen);
        }
        return etherType(d, 16, end, u16(d, 14));
    }

    private boolean sll2(byte[] d, int end) {
        if (20 >= end) {
            weird("truncated_Linux_SLL2_header", null, null, "LINUXSLL2");
            return false;
        }
        int halen = Math.min(d[11] & 0xff, 8);
        if (halen > 0) {
            out.l2Src = Arrays.copyOfRange(d, 12, 12 + halen);
        }
        return etherType(d, 20, end, u16(d, 0));
    }

    private boolean nullLink(byte[] d, int end, boolean networkOrder) {
        if (4 >= end) {
            weird("null_analyzer_failed", null, null, null);
            return false;
        }
        int le = (d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16 | (d[3] & 0xff) << 24;
        int be = Integer.reverseBytes(le);
        int family = networkOrder ? be : (isIpFamily(le) ? le : be);
        if (!isIpFamily(family)) {
            return false;
        }
        return ip(d, 4, end, wireLen, false);
    }

    /** BSD address families carried by NULL/LOOP: AF_INET 2, AF_INET6 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (Darwin). */
    private static boolean isIpFamily(int f) {
        return f == 2 || f == 24 || f == 28 || f == 30;
    }

    private boolean pppSerial(byte[] d, int end) {
        if (4 >= end) {
            weird("truncated_ppp_serial_header", null, null, "PPPSERIAL");
            return false;
        }
        return pppProtocol(d, 4, end, u16(d, 2));
    }

    private boolean pppProtocol(byte[] d, int off, int end, int ppp) {
        if (ppp == 0x0021 || ppp == 0x0057) { // IPv4, IPv6 (RFC 1332, RFC 5072)
            return ip(d, off, end, wireLen, false);
        }
        return false;
    }

    // ------------------------------------------------------------------ IP

    /**
     * @param d           bytes
     * @param off         offset of the IP header
     * @param end         end of the captured bytes
     * @param wireLen     the whole packet's length on the wire (from its start, not from off)
     * @param reassembled true when d is a datagram this decoder reassembled
     */
    private boolean ip(byte[] d, int off, int end, int wireLen, boolean reassembled) {
        int len = end - off;
        if (len < 20) {
            weird("truncated_IP", null, null, "IP");
            return false;
        }
        int version = (d[off] >> 4) & 0xf;
        if (version != 4 && version != 6) {
            weird("unknown_ip_version", null, null, "IP");
            return false;
        }
        if (version == 6 && len < 40) {
            weird("truncated_IP", null, null, "IP");
            return false;
        }
        int totalLen = version == 4 ? u16(d, off + 2) : u16(d, off + 4) + 40;
        if (totalLen == 0) {
            weird("ip_hdr_len_zero", null, null, "IP");
            if (verifyChecksums) {
                return false;
            }
            totalLen = len; // TCP segmentation offload zeroed the field: use what was captured
        }
        if (wireLen < totalLen + off) {
            weird("truncated_IP_len", null, null, "IP");
            return false;
        }

        Ip6Chain chain = null;
        int hdrLen;
        if (version == 4) {
            hdrLen = (d[off] & 0xf) * 4;
        } else {
            chain = ip6Chain(d, off, end);
            hdrLen = chain.length;
        }
        if (hdrLen > totalLen) {
            weird("invalid_IP_header_size", null, null, "IP");
            return false;
        }
        if (hdrLen > len) {
            weird("internally_truncated_header", null, null, "IP");
            return false;
        }
        if (version == 4 && hdrLen < 20) {
            weird("IPv4_min_header_size", null, null, "IP");
            return false;
        }

        // The IP header is accepted: from here on weirds name the endpoints.
        out.ipVersion = version;
        if (version == 4) {
            out.srcAddr = Arrays.copyOfRange(d, off + 12, off + 16);
            out.dstAddr = Arrays.copyOfRange(d, off + 16, off + 20);
            out.ttl = d[off + 8] & 0xff;
            out.ipProto = d[off + 9] & 0xff;
        } else {
            out.srcAddr = chain.homeAddr != null ? chain.homeAddr : Arrays.copyOfRange(d, off + 8, off + 24);
            out.dstAddr = chain.finalDst != null ? chain.finalDst : Arrays.copyOfRange(d, off + 24, off + 40);
            out.ttl = d[off + 7] & 0xff;
            out.ipProto = chain.nextProto;
            for (String w : chain.weirds) {
                flowWeird(w, w.startsWith("unknown_routing_type") ? String.valueOf(chain.routingType) : null, null);
            }
            if (chain.truncated) {
                flowWeird("internally_truncated_header", null, "IP");
                return false;
            }
        }
        out.buffer = d;
        out.ipOffset = off;
        out.ipHeaderLength = hdrLen;
        out.ipTotalLength = totalLen;

        if (version == 4 && verifyChecksums && !reassembled
                && Checksums.finish(Checksums.add(0, d, off, hdrLen)) != 0) {
            flowWeird("bad_IP_checksum", null, "IP");
            return false;
        }

        boolean fragment;
        int fragOffset;
        boolean more;
        long fragId;
        if (version == 4) {
            int ff = u16(d, off + 6);
            fragOffset = (ff & 0x1fff) * 8;
            more = (ff & 0x2000) != 0;
            fragment = !reassembled && (more || fragOffset != 0);
            fragId = u16(d, off + 4);
        } else {
            fragment = !reassembled && chain.fragment;
            fragOffset = chain.fragOffset;
            more = chain.fragMore;
            fragId = chain.fragId;
        }
        if (fragment) {
            if (len < totalLen) {
                flowWeird("incompletely_captured_fragment", null, "IP");
                if (fragOffset != 0) {
                    return false;
                }
                // A snapped first fragment still tells the transport header: analyze what is there.
            } else {
                byte[] header;
                int nextFieldPos = 0;
                int proto;
                int dataOff = off + hdrLen;
                int dataLen = totalLen - hdrLen;
                if (version == 4) {
                    header = Arrays.copyOfRange(d, off, off + hdrLen);
                    proto = out.ipProto;
                } else {
                    header = Arrays.copyOfRange(d, off, off + hdrLen - 8);
                    nextFieldPos = chain.fragNextFieldPos - off;
                    proto = chain.nextProto;
                }
                boolean df = version == 4 && (d[off + 6] & 0x40) != 0;
                byte[] src = out.srcAddr;
                byte[] dst = out.dstAddr;
                byte[] whole = fragments.add(out.ts, version, src, dst, fragId, header, nextFieldPos, proto,
                        totalLen, df, fragOffset, more, d, dataOff, dataLen,
                        (name, dg) -> weird(name, endpoints(dg.src, dg.dst), null, null));
                if (whole == null) {
                    return false;
                }
                return ip(whole, 0, whole.length, whole.length, true);
            }
        }
        if (version == 6 && chain.esp) {
            return false; // encrypted payload: nothing to track
        }
        return transport(d, off, end, version, hdrLen, totalLen);
    }

    /** The IPv6 header chain as far as it is captured (RFC 8200 section 4). */
    private static final class Ip6Chain {
        int length = 40;
        int nextProto;
        boolean truncated;
        boolean esp;
        boolean fragment;
        int fragOffset;
        boolean fragMore;
        long fragId;
        int fragNextFieldPos;
        byte[] finalDst;
        byte[] homeAddr;
        int routingType;
        java.util.List<String> weirds = java.util.List.of();
    }

    private static boolean isIp6ExtHeader(int type) {
        return type == PROTO_HOPOPTS || type == PROTO_ROUTING || type == PROTO_DSTOPTS || type == PROTO_FRAGMENT
                || type == PROTO_AH || type == PROTO_ESP;
    }

    private Ip6Chain ip6Chain(byte[] d, int off, int end) {
        Ip6Chain c = new Ip6Chain();
        int current = 41;
        int next = d[off + 6] & 0xff;
        int nextFieldPos = off + 6;
        int p = off + 40;
        while (current != PROTO_FRAGMENT && current != PROTO_ESP && isIp6ExtHeader(next)) {
            if (end - p < 2) {
                c.truncated = true;
                break;
            }
            current = next;
            int hlen;
            switch (current) {
                case PROTO_FRAGMENT:
                    hlen = 8;
                    break;
                case PROTO_AH:
                    hlen = ((d[p + 1] & 0xff) + 2) * 4;
                    break;
                case PROTO_ESP:
                    hlen = 8;
                    break;
                default:
                    hlen = ((d[p + 1] & 0xff) + 1) * 8;
            }
            if (hlen > end - p) {
                c.truncated = true;
                break;
            }
            int thisNextFieldPos = p;
            if (current == PROTO_ESP) {
                c.esp = true;
                next = PROTO_NONE;
            } else {
                next = d[p] & 0xff;
            }
            if (current == PROTO_ROUTING) {
                routing(d, p, hlen, c);
            } else if (current == PROTO_DSTOPTS) {
                destinationOptions(d, off, p, hlen, c);
            } else if (current == PROTO_FRAGMENT) {
                int ol = u16(d, p + 2);
                c.fragment = true;
                c.fragOffset = ol & 0xfff8;
                c.fragMore = (ol & 1) != 0;
                c.fragId = u32(d, p + 4);
                c.fragNextFieldPos = nextFieldPos;
            }
            nextFieldPos = thisNextFieldPos;
            p += hlen;
            c.length += hlen;
        }
        c.nextProto = next;
        return c;
    }

    /**
     * Destination options (RFC 8200 section 4.6) as Zeek reads them: a Home Address option (type 201, RFC 6275
     * section 6.3) replaces the source address; weirds {@code bad_ipv6_dest_opt_len}, {@code bad_home_addr_len},
     * {@code multiple_home_addr_opts} name the addresses as known at that point.
     */
    private void destinationOptions(byte[] d, int ipOff, int p, int hlen, Ip6Chain c) {
        int q = p + 2;
        int len = hlen - 2;
        while (len > 0) {
            int type = d[q] & 0xff;
            if (type == 0) {
                q++;
                len--;
                continue;
            }
            int olen = len >= 2 ? d[q + 1] & 0xff : 0;
            if (len < 2 || len < 2 + olen) {
                dstOptWeird("bad_ipv6_dest_opt_len", d, ipOff, c);
                return;
            }
            if (type == 201) {
                if (olen == 16) {
                    if (c.homeAddr != null) {
                        dstOptWeird("multiple_home_addr_opts", d, ipOff, c);
                    } else {
                        c.homeAddr = Arrays.copyOfRange(d, q + 2, q + 18);
                    }
                } else {
                    dstOptWeird("bad_home_addr_len", d, ipOff, c);
                }
            }
            q += 2 + olen;
            len -= 2 + olen;
        }
    }

    private void dstOptWeird(String name, byte[] d, int ipOff, Ip6Chain c) {
        byte[] src = c.homeAddr != null ? c.homeAddr : Arrays.copyOfRange(d, ipOff + 8, ipOff + 24);
        byte[] dst = c.finalDst != null ? c.finalDst : Arrays.copyOfRange(d, ipOff + 24, ipOff + 40);
        weird(name, endpoints(src, dst), null, null);
    }

    private void routing(byte[] d, int p, int hlen, Ip6Chain c) {
        java.util.List<String> w = new java.util.ArrayList<>(c.weirds);
        if (c.finalDst != null) {
            w.add("multiple_routing_headers");
            c.weirds = w;
            return;
        }
        int type = d[p + 2] & 0xff;
        int segLeft = d[p + 3] & 0xff;
        int hdrExtLen = d[p + 1] & 0xff;
        if (type == 0) {
            if (segLeft > 0 && hdrExtLen >= 2) {
                if (hdrExtLen % 2 == 0) {
                    c.finalDst = Arrays.copyOfRange(d, p + hlen - 16, p + hlen);
                } else {
                    w.add("odd_routing0_len");
                }
            }
            w.add("routing0_hdr");
        } else {
            c.routingType = type;
            w.add("unknown_routing_type");
        }
        c.weirds = w;
    }

    // ------------------------------------------------------------------ transport

    private boolean transport(byte[] d, int off, int end, int version, int hdrLen, int totalLen) {
        int start = off + hdrLen;
        int ipEnd = off + Math.min(totalLen, end - off);
        int avail = Math.max(0, ipEnd - start);       // transport bytes captured
        int wirePayload = totalLen - hdrLen;          // transport bytes the IP header claims
        int proto = out.ipProto;
        if (proto == PROTO_NONE) {
            flowWeird("ipv6_no_next", null, "IP");
            return false;
        }
        switch (proto) {
            case DecodedPacket.PROTO_TCP:
                return tcp(d, start, avail, wirePayload);
            case DecodedPacket.PROTO_UDP:
                return udp(d, start, avail, wirePayload);
            case DecodedPacket.PROTO_ICMP:
                return icmp(d, start, avail, wirePayload, false);
            case DecodedPacket.PROTO_ICMPV6:
                if (version == 6) {
                    return icmp(d, start, avail, wirePayload, true);
                }
                break;
            case PROTO_IGMP:
                if (verifyChecksums && avail >= wirePayload && avail >= 8
                        && Checksums.finish(Checksums.add(0, d, start, wirePayload)) != 0) {
                    flowWeird("igmp_invalid_checksum", null, "IGMP");
                }
                break;
            case PROTO_IPIP:
            case PROTO_IPV6:
                return ipTunnel(d, start, ipEnd, off + totalLen, "IP");
            case PROTO_GRE:
                return gre(d, start, ipEnd, off + totalLen);
            default:
                break;
        }
        out.transportOffset = -1;
        out.payloadOffset = start;
        out.payloadLength = avail;
        out.payloadLengthOnWire = wirePayload;
        return true;
    }

    private boolean headerPresent(int min, int avail, int wirePayload, String source) {
        if (wirePayload != 0 && wirePayload < min) {
            flowWeird("truncated_header", null, source);
            return false;
        }
        if (avail < min) {
            flowWeird("internally_truncated_header", null, source);
            return false;
        }
        return true;
    }

    private boolean tcp(byte[] d, int start, int avail, int wirePayload) {
        if (!headerPresent(20, avail, wirePayload, "TCP")) {
            return false;
        }
        out.srcPort = u16(d, start);
        out.dstPort = u16(d, start + 2);
        out.seq = u32(d, start + 4);
        out.ack = u32(d, start + 8);
        int thl = ((d[start + 12] >> 4) & 0xf) * 4;
        out.tcpFlags = d[start + 13] & 0xff;
        out.window = u16(d, start + 14);
        out.tcpHeaderLength = thl;
        out.transportOffset = start;
        int len = wirePayload == 0 ? avail : wirePayload;
        if (thl < 20) {
            out.tcpHeaderWeird = "bad_TCP_header_len";
            return true;
        }
        if (thl > len || thl > avail) {
            out.tcpHeaderWeird = "truncated_header";
            return true;
        }
        out.payloadOffset = start + thl;
        out.payloadLength = avail - thl;
        out.payloadLengthOnWire = len - thl;
        if (verifyChecksums && avail >= len) {
            long sum = Checksums.pseudoHeader(out.srcAddr, out.dstAddr, DecodedPacket.PROTO_TCP, len);
            out.transportChecksumValid = Checksums.finish(Checksums.add(sum, d, start, len)) == 0;
        }
        return true;
    }

    private boolean udp(byte[] d, int start, int avail, int wirePayload) {
        if (!headerPresent(8, avail, wirePayload, "UDP")) {
            return false;
        }
        out.srcPort = u16(d, start);
        out.dstPort = u16(d, start + 2);
        out.transportOffset = start;
        int len = wirePayload == 0 ? avail : wirePayload;
        int ulen = u16(d, start + 4);
        int sum16 = u16(d, start + 6);
        if (verifyChecksums && avail >= len && out.raw.originalLength() <= out.raw.capturedLength()
                && !(out.ipVersion == 4 && sum16 == 0)) {
            long sum = Checksums.pseudoHeader(out.srcAddr, out.dstAddr, DecodedPacket.PROTO_UDP, len);
            out.transportChecksumValid = Checksums.finish(Checksums.add(sum, d, start, len)) == 0;
        }
        // a UDP length field that disagrees with the IP payload (UDP_datagram_length_mismatch) is reported by the
        // connection tracker, on the connection
        out.payloadOffset = start + 8;
        out.payloadLength = Math.max(0, avail - 8);
        out.payloadLengthOnWire = Math.max(0, ulen - 8);
        out.encapsulation = udpTunnel(out.srcPort, out.dstPort, d, out.payloadOffset,
                out.payloadOffset + out.payloadLength);
        return true;
    }

    private boolean icmp(byte[] d, int start, int avail, int wirePayload, boolean v6) {
        if (!headerPresent(8, avail, wirePayload, "ICMP")) {
            return false;
        }
        int type = d[start] & 0xff;
        int code = d[start + 1] & 0xff;
        out.icmpType = type;
        out.icmpCode = code;
        out.srcPort = type;
        out.dstPort = v6 ? icmp6Counterpart(type, code) : icmp4Counterpart(type, code);
        out.transportOffset = start;
        int len = wirePayload == 0 ? avail : wirePayload;
        if (verifyChecksums && avail >= len) {
            long sum = v6 ? Checksums.pseudoHeader(out.srcAddr, out.dstAddr, DecodedPacket.PROTO_ICMPV6, len) : 0;
            out.transportChecksumValid = Checksums.finish(Checksums.add(sum, d, start, len)) == 0;
        }
        out.payloadOffset = start + 8;
        out.payloadLength = avail - 8;
        out.payloadLengthOnWire = len - 8;
        return true;
    }

    /** ICMPv4 request/reply counterpart types (RFC 792, RFC 950, RFC 1256); the code for one-way messages. */
    static int icmp4Counterpart(int type, int code) {
        switch (type) {
            case 8: return 0;
            case 0: return 8;
            case 13: return 14;
            case 14: return 13;
            case 15: return 16;
            case 16: return 15;
            case 10: return 9;
            case 9: return 10;
            case 17: return 18;
            case 18: return 17;
            default: return code;
        }
    }

    /** ICMPv6 counterpart types (RFC 4443, RFC 4861, RFC 2710, RFC 4620, RFC 6275); the code otherwise. */
    static int icmp6Counterpart(int type, int code) {
        switch (type) {
            case 128: return 129;
            case 129: return 128;
            case 133: return 134;
            case 134: return 133;
            case 135: return 136;
            case 136: return 135;
            case 130: return 131;
            case 131: return 130;
            case 139: return 140;
            case 140: return 139;
            case 144: return 145;
            case 145: return 144;
            default: return code;
        }
    }

    // ------------------------------------------------------------------ tunnels

    /**
     * Enters one more encapsulation layer, as Zeek's tunnel analyzers do: beyond {@code Tunnel::max_depth} the
     * packet is dropped with {@code exceeded_tunnel_max_depth} (source: the analyzer).
     */
    private boolean enterTunnel(String type, String uid, String source) {
        if (out.tunnels.size() >= maxTunnelDepth) {
            flowWeird("exceeded_tunnel_max_depth", null, source);
            return false;
        }
        out.tunnels.add(new DecodedPacket.Tunnel(type, out.srcAddr, out.dstAddr, uid));
        return true;
    }

    /** Clears the outer packet's network and transport fields before an inner packet is decoded into it. */
    private void resetForInner() {
        DecodedPacket o = out;
        o.ipVersion = 0; o.srcAddr = null; o.dstAddr = null; o.ipOffset = 0; o.ipHeaderLength = 0;
        o.ipTotalLength = 0; o.ipProto = -1; o.ttl = 0;
        o.transportOffset = -1; o.srcPort = 0; o.dstPort = 0; o.tcpFlags = 0; o.seq = 0; o.ack = 0; o.window = 0;
        o.tcpHeaderLength = 0; o.icmpType = -1; o.icmpCode = -1;
        o.payloadOffset = 0; o.payloadLength = 0; o.payloadLengthOnWire = 0; o.transportChecksumValid = true;
        o.encapsulation = null;
    }

    /** An IP packet right after a tunnel header (IP-in-IP, GRE carrying IP, AYIYA, GTP, Teredo). */
    private boolean innerIp(byte[] d, int p, int end, int wireEnd) {
        if (end - p < 1) {
            weird("truncated_IP", null, null, "IP");
            return false;
        }
        resetForInner();
        wireLen = wireEnd;
        return ip(d, p, end, wireEnd, false);
    }

    /** IP protocols 4 and 41 (RFC 2003, RFC 2473): Zeek's IPTUNNEL analyzer. */
    private boolean ipTunnel(byte[] d, int p, int end, int wireEnd, String type) {
        if (!enterTunnel(type, null, "IPTUNNEL")) {
            return false;
        }
        return innerIp(d, p, end, wireEnd);
    }

    /** An Ethernet frame inside a tunnel (GRE bridging, ERSPAN, VXLAN, Geneve). */
    private boolean innerEthernet(byte[] d, int p, int end, int wireEnd) {
        resetForInner();
        wireLen = wireEnd;
        return ethernet(d, p, end);
    }

    /**
     * GRE (RFC 2784, RFC 2890), enhanced GRE of PPTP (RFC 2637, version 1) and the ERSPAN types I, II and III
     * carried in it, following Zeek's GRE analyzer: its weirds {@code truncated_GRE},
     * {@code unknown_gre_version}, {@code egre_protocol_type}, {@code non_ip_packet_in_encap},
     * {@code gre_routing} (source {@code GRE}).
     */
    private boolean gre(byte[] d, int p, int end, int wireEnd) {
        int len = end - p;
        if (len < 4) {
            flowWeird("truncated_GRE", null, "GRE");
            return false;
        }
        int flags = u16(d, p);
        int proto = u16(d, p + 2);
        int version = flags & 0x7;
        if (version != 0 && version != 1) {
            flowWeird("unknown_gre_version", "version=" + version, "GRE");
            return false;
        }
        int hl = 4 + ((flags & 0x8000) != 0 ? 4 : 0) + ((flags & 0x2000) != 0 ? 4 : 0)
                + ((flags & 0x1000) != 0 ? 4 : 0);
        int extra = 0; // ERSPAN header
        boolean ethernet = false;
        boolean ppp = false;
        if (version == 0) {
            if (proto == 0x6558) {
                ethernet = true;
            } else if (proto == 0x88be) {
                ethernet = true;
                extra = (flags & 0x1000) != 0 ? 8 : 0;
            } else if (proto == 0x22eb) {
                ethernet = true;
                extra = 12;
                if (len > hl + 12 && (d[p + hl + 11] & 0x01) != 0) {
                    extra += 8;
                }
            } else if (proto >= 0x8200 && proto <= 0x82ff) { // Aruba: an 802.11 frame follows
                if (!enterTunnel("GRE", null, "GRE")) {
                    return false;
                }
                resetForInner();
                wireLen = wireEnd;
                return ieee80211(d, p + hl, end, wireEnd);
            }
        } else {
            if (proto != 0x880b) {
                flowWeird("egre_protocol_type", String.valueOf(proto), "GRE");
                return false;
            }
            if ((flags & 0x0080) != 0) {
                hl += 4; // acknowledgment number
            }
            ppp = true;
        }
        if ((flags & 0x4000) != 0) {
            flowWeird("gre_routing", null, "GRE");
            return false;
        }
        int need = hl + extra + (ethernet ? 14 : 0) + (ppp ? 4 : 0);
        if (len < need || (ethernet && len == need)) {
            flowWeird("truncated_GRE", null, "GRE");
            return false;
        }
        int q = p + hl + extra;
        if (ppp) {
            int pp = u16(d, q + 2);
            if ((pp != 0x0021 && pp != 0x0057)) {
                flowWeird("non_ip_packet_in_encap", null, "GRE");
                return false;
            }
            q += 4;
        } else if (!ethernet && proto != 0x0800 && proto != 0x86dd) {
            return false; // not something Zeek decapsulates
        }
        if (!enterTunnel("GRE", null, ethernet ? "GRE" : "IPTUNNEL")) {
            return false;
        }
        return ethernet ? innerEthernet(d, q, end, wireEnd) : innerIp(d, q, end, wireEnd);
    }

    /**
     * An IEEE 802.11 data frame (as Aruba access points send them in GRE): MAC header (24 bytes, 30 with four
     * addresses, plus QoS control), then LLC/SNAP, or an A-MSDU whose subframes each carry one packet.
     */
    private boolean ieee80211(byte[] d, int p, int end, int wireEnd) {
        if (end - p < 24) {
            weird("truncated_802_11_header", null, null, "IEEE802_11");
            return false;
        }
        int fc = d[p] & 0xff;
        if (((fc >> 2) & 0x3) != 2 || ((fc >> 4) & 0x4) != 0) {
            return false; // management, control, or a data subtype without data
        }
        int hl = 24;
        if ((d[p + 1] & 0x3) == 0x3) {
            hl += 6;
        }
        boolean amsdu = false;
        if (((fc >> 4) & 0x8) != 0) { // QoS data
            if (end - p < hl + 2) {
                weird("truncated_802_11_header", null, null, "IEEE802_11");
                return false;
            }
            amsdu = (d[p + hl] & 0x80) != 0;
            hl += 2;
        }
        if (end - p < hl) {
            weird("truncated_802_11_header", null, null, "IEEE802_11");
            return false;
        }
        if (amsdu) {
            return amsduSubframe(d, p + hl, end, wireEnd);
        }
        return snap(d, p + hl, end);
    }

    /** One A-MSDU subframe (IEEE 802.11 section 9.3.2.2): DA, SA, length, LLC/SNAP payload, padding to 4 bytes. */
    private boolean amsduSubframe(byte[] d, int q, int end, int wireEnd) {
        if (end - q < 14) {
            return false;
        }
        int len = u16(d, q + 12);
        int next = q + ((14 + len + 3) & ~3);
        if (next + 14 <= end) {
            out.nextFrameOffset = next;
            out.nextFrameEnd = end;
            out.nextFrameWireEnd = wireEnd;
        }
        out.l2Dst = Arrays.copyOfRange(d, q, q + 6);
        out.l2Src = Arrays.copyOfRange(d, q + 6, q + 12);
        return snap(d, q + 14, Math.min(end, q + 14 + len));
    }

    /**
     * Decodes the next subframe of the frame that carried {@code prev} (see {@link DecodedPacket#nextFrameOffset}),
     * inside the same tunnels.
     *
     * @return true when {@code next} holds a packet to track; its own {@code nextFrameOffset} tells if more follow
     */
    public boolean decodeNextFrame(DecodedPacket prev, DecodedPacket next) {
        if (prev.nextFrameOffset < 0 || prev.buffer == null) {
            return false;
        }
        next.clear();
        next.raw = prev.raw;
        next.ts = prev.ts;
        next.buffer = prev.buffer;
        next.decoder = this;
        next.tunnels.addAll(prev.tunnels);
        next.vlan = prev.vlan;
        next.innerVlan = prev.innerVlan;
        DecodedPacket saved = this.out;
        int savedWire = this.wireLen;
        this.out = next;
        this.wireLen = prev.nextFrameWireEnd;
        try {
            return amsduSubframe(prev.buffer, prev.nextFrameOffset, prev.nextFrameEnd, prev.nextFrameWireEnd);
        } catch (RuntimeException e) {
            weird("decoder_internal_error", null, e.getClass().getSimpleName(), null);
            return false;
        } finally {
            this.out = saved;
            this.wireLen = savedWire;
        }
    }

    /** The tunnel a UDP datagram may carry, by Zeek's registered ports and Teredo's detection heuristic. */
    private static String udpTunnel(int sp, int dp, byte[] d, int p, int end) {
        if (dp == PORT_VXLAN) {
            return "vxlan";
        }
        if (dp == PORT_GENEVE) {
            return "geneve";
        }
        if (sp == PORT_GTPV1 || dp == PORT_GTPV1) {
            return "gtpv1";
        }
        if (sp == PORT_AYIYA || dp == PORT_AYIYA) {
            return "ayiya";
        }
        if (sp == PORT_TEREDO || dp == PORT_TEREDO || teredoPayload(d, p, end) >= 0) {
            return "teredo";
        }
        return null;
    }

    /**
     * Offset of the IPv6 packet inside a Teredo payload (RFC 4380: optional authentication and origin indication
     * headers, then IPv6 whose length fills the datagram exactly), or -1 when it is not Teredo.
     */
    static int teredoPayload(byte[] d, int p, int end) {
        if (end - p < 40) {
            return -1;
        }
        if (d[p] == 0 && d[p + 1] == 1) { // authentication header
            if (end - p < 13) {
                return -1;
            }
            int idLen = d[p + 2] & 0xff, auLen = d[p + 3] & 0xff;
            p += 4 + idLen + auLen + 9;
            if (end - p < 40) {
                return -1;
            }
        }
        if (d[p] == 0 && d[p + 1] == 0) { // origin indication
            p += 8;
            if (end - p < 40) {
                return -1;
            }
        }
        if (((d[p] >> 4) & 0xf) != 6) {
            return -1;
        }
        int plen = u16(d, p + 4);
        if (plen + 40 != end - p && !(plen == 0 && (d[p + 6] & 0xff) == PROTO_NONE)) {
            return -1; // the IPv6 packet must fill the datagram, except in a bubble (RFC 4380 section 2.8)
        }
        return p;
    }

    /**
     * Decapsulates the tunnel in the payload of a UDP packet this decoder marked with
     * {@link DecodedPacket#encapsulation}: VXLAN (RFC 7348), Geneve (RFC 8926), GTPv1-U (3GPP TS 29.281), Teredo
     * (RFC 4380) and AYIYA. The connection tracker calls it after it has processed the outer packet, giving the
     * outer connection's uid, so that the inner packet can be tracked as a connection of its own whose
     * {@code tunnel_parents} holds that uid.
     *
     * @param outer      the outer packet, as {@code decode} left it
     * @param inner      the holder for the inner packet (cleared first)
     * @param uid        the outer connection's uid
     * @param connWeirds receives weirds that Zeek raises on the outer connection ({@code Teredo_bubble_with_payload})
     *                   with the outer endpoints and a null uid, for the caller to attach its uid
     * @return {@link #ENCAP_INNER} when {@code inner} holds a packet to track; {@link #ENCAP_VALID_NO_INNER} when
     *         the payload is a valid tunnel message with nothing to track (the analyzer still confirms its
     *         protocol); {@link #ENCAP_DEPTH_EXCEEDED} beyond {@code Tunnel::max_depth}; {@link #ENCAP_INVALID_INNER}
     *         when the tunnel header parsed but the inner packet did not; {@link #ENCAP_NOT_TUNNEL} when the
     *         payload is not the tunnel protocol (no confirmation)
     */
    public int decodeEncapsulated(DecodedPacket outer, DecodedPacket inner, String uid, WeirdReporter connWeirds) {
        String type = outer.encapsulation;
        if (type == null || outer.buffer == null) {
            return ENCAP_NOT_TUNNEL;
        }
        inner.clear();
        inner.raw = outer.raw;
        inner.ts = outer.ts;
        inner.buffer = outer.buffer;
        inner.decoder = this;
        inner.tunnels.addAll(outer.tunnels);
        inner.ipVersion = outer.ipVersion;
        inner.srcAddr = outer.srcAddr;
        inner.dstAddr = outer.dstAddr;
        inner.srcPort = outer.srcPort;
        inner.dstPort = outer.dstPort;
        inner.vlan = outer.vlan;
        inner.innerVlan = outer.innerVlan;
        inner.l2Src = outer.l2Src;
        inner.l2Dst = outer.l2Dst;
        DecodedPacket saved = this.out;
        int savedWire = this.wireLen;
        this.out = inner;
        byte[] d = outer.buffer;
        int p = outer.payloadOffset;
        int end = Math.min(d.length, outer.payloadOffset + outer.payloadLength);
        int wireEnd = outer.ipOffset + outer.ipTotalLength;
        try {
            switch (type) {
                case "vxlan":
                    return vxlan(d, p, end, wireEnd, uid);
                case "geneve":
                    return geneve(d, p, end, wireEnd, uid);
                case "gtpv1":
                    return gtp(d, p, end, wireEnd, uid);
                case "ayiya":
                    return ayiya(d, p, end, wireEnd, uid);
                case "teredo":
                    return teredo(d, p, end, wireEnd, uid, outer, connWeirds);
                default:
                    return ENCAP_NOT_TUNNEL;
            }
        } catch (RuntimeException e) {
            weird("decoder_internal_error", null, e.getClass().getSimpleName(), null);
            return ENCAP_NOT_TUNNEL;
        } finally {
            this.out = saved;
            this.wireLen = savedWire;
        }
    }

    private int innerResult(boolean ok) {
        return ok ? ENCAP_INNER : ENCAP_INVALID_INNER;
    }

    private int vxlan(byte[] d, int p, int end, int wireEnd, String uid) {
        if (end - p < 8 || (d[p] & 0x08) == 0) {
            return ENCAP_NOT_TUNNEL;
        }
        if (!enterTunnel("VXLAN", uid, "VXLAN")) {
            return ENCAP_DEPTH_EXCEEDED;
        }
        if (end - (p + 8) <= 0) {
            return ENCAP_INVALID_INNER;
        }
        boolean ok = innerEthernet(d, p + 8, end, wireEnd);
        return ok || out.ipVersion == 0 && out.l2Src != null ? (ok ? ENCAP_INNER : ENCAP_VALID_NO_INNER)
                : ENCAP_INVALID_INNER;
    }

    private int geneve(byte[] d, int p, int end, int wireEnd, String uid) {
        if (end - p < 8) {
            flowWeird("geneve_truncated", null, "GENEVE");
            return ENCAP_NOT_TUNNEL;
        }
        int hl = 8 + (d[p] & 0x3f) * 4;
        int proto = u16(d, p + 2);
        if (end - p < hl) {
            flowWeird("geneve_truncated", null, "GENEVE");
            return ENCAP_NOT_TUNNEL;
        }
        if (end - p == hl) {
            flowWeird("geneve_empty_packet", null, "GENEVE");
            return ENCAP_VALID_NO_INNER;
        }
        if (!enterTunnel("GENEVE", uid, "GENEVE")) {
            return ENCAP_DEPTH_EXCEEDED;
        }
        if (proto == 0x6558) {
            boolean ok = innerEthernet(d, p + hl, end, wireEnd);
            return ok ? ENCAP_INNER : (out.ipVersion == 0 && out.l2Src != null ? ENCAP_VALID_NO_INNER
                    : ENCAP_INVALID_INNER);
        }
        if (proto == 0x0800 || proto == 0x86dd) {
            return innerResult(innerIp(d, p + hl, end, wireEnd));
        }
        return ENCAP_VALID_NO_INNER;
    }

    private int gtp(byte[] d, int p, int end, int wireEnd, String uid) {
        if (end - p < 8) {
            return ENCAP_NOT_TUNNEL;
        }
        int flags = d[p] & 0xff;
        int version = flags >> 5;
        if (version != 1 || (flags & 0x10) == 0) {
            return ENCAP_NOT_TUNNEL;
        }
        int msgType = d[p + 1] & 0xff;
        int q = p + 8;
        if ((flags & 0x07) != 0) {
            if (end - q < 4) {
                return ENCAP_NOT_TUNNEL;
            }
            int next = d[q + 3] & 0xff;
            q += 4;
            while ((flags & 0x04) != 0 && next != 0) {
                if (end - q < 1) {
                    return ENCAP_NOT_TUNNEL;
                }
                int n = (d[q] & 0xff) * 4;
                if (n == 0 || end - q < n) {
                    return ENCAP_NOT_TUNNEL;
                }
                next = d[q + n - 1] & 0xff;
                q += n;
            }
        }
        if (msgType != 0xff) {
            return ENCAP_NOT_TUNNEL; // signalling, echo, ...: no user data
        }
        if (end - q < 1) {
            return ENCAP_NOT_TUNNEL;
        }
        int v = (d[q] >> 4) & 0xf;
        if (v != 4 && v != 6) {
            return ENCAP_NOT_TUNNEL;
        }
        if (!enterTunnel("GTPv1", uid, "GTPV1")) {
            return ENCAP_DEPTH_EXCEEDED;
        }
        return innerResult(innerIp(d, q, end, wireEnd));
    }

    private int ayiya(byte[] d, int p, int end, int wireEnd, String uid) {
        if (end - p < 8) {
            return ENCAP_NOT_TUNNEL;
        }
        int idLen = 1 << ((d[p] >> 4) & 0xf);
        int sigLen = ((d[p + 1] >> 4) & 0xf) * 4;
        int opCode = d[p + 2] & 0xf;
        int next = d[p + 3] & 0xff;
        int hl = 8 + idLen + sigLen;
        if (end - p < hl) {
            flowWeird("truncated_AYIYA", null, "AYIYA");
            return ENCAP_NOT_TUNNEL;
        }
        if (opCode != 1 || (next != PROTO_IPIP && next != PROTO_IPV6)) {
            return ENCAP_NOT_TUNNEL;
        }
        if (!enterTunnel("AYIYA", uid, "AYIYA")) {
            return ENCAP_DEPTH_EXCEEDED;
        }
        return innerResult(innerIp(d, p + hl, end, wireEnd));
    }

    private int teredo(byte[] d, int p, int end, int wireEnd, String uid, DecodedPacket outer,
                       WeirdReporter connWeirds) {
        int q = teredoPayload(d, p, end);
        if (q < 0) {
            return ENCAP_NOT_TUNNEL;
        }
        if ((d[q + 6] & 0xff) == PROTO_NONE && end - q > 40) {
            connWeirds.weird(outer.ts, "Teredo_bubble_with_payload", null, new ConnId(
                    Addresses.toInet(outer.srcAddr), outer.srcPort, Addresses.toInet(outer.dstAddr), outer.dstPort,
                    TransportProto.UDP), null, "TEREDO");
        }
        if (!enterTunnel("TEREDO", uid, "TEREDO")) {
            return ENCAP_DEPTH_EXCEEDED;
        }
        if ((d[q + 6] & 0xff) == PROTO_NONE) {
            return ENCAP_VALID_NO_INNER; // a bubble: nothing inside to track
        }
        return innerResult(innerIp(d, q, end, wireEnd));
    }

    // ------------------------------------------------------------------ weirds

    private void weird(String name, ConnId id, String addl, String source) {
        if (out != null && !out.tunnels.isEmpty() && !isConnectionWeird(name, id)) {
            name = name + "_in_tunnel"; // as Zeek's packet manager names weirds of packets inside tunnels
        }
        weirds.weird(out != null ? out.ts : 0, name, null, id, addl, source);
    }

    private void flowWeird(String name, String addl, String source) {
        weird(name, endpoints(out.srcAddr, out.dstAddr), addl, source);
    }

    private void connWeird(String name, String addl, String source, TransportProto proto) {
        weird(name, new ConnId(Addresses.toInet(out.srcAddr), out.srcPort, Addresses.toInet(out.dstAddr),
                out.dstPort, proto), addl, source);
    }

    private static ConnId endpoints(byte[] src, byte[] dst) {
        return new ConnId(Addresses.toInet(src), 0, Addresses.toInet(dst), 0, TransportProto.UNKNOWN);
    }

    // ------------------------------------------------------------------ bytes

    private static int u16(byte[] d, int i) {
        return ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
    }

    private static long u32(byte[] d, int i) {
        return ((long) (d[i] & 0xff) << 24) | ((d[i + 1] & 0xff) << 16) | ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
    }
}
