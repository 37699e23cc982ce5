package org.workbench.packet;

import org.workbench.capture.RawPacket;

/**
 * The layers of one packet after link, network and transport decoding. A mutable holder that a decoder
 * fills in place, so that a capture can be processed without allocating per layer; consumers must copy
 * what they keep beyond the current packet.
 *
 * <p>Offsets index into {@link #buffer}, which is either the raw packet's bytes or, for an IPv4/IPv6
 * datagram reassembled from fragments, a new array holding the whole datagram.
 */
public final class DecodedPacket {
    /** IP protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
    public static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_ICMPV6 = 58;

    /** TCP flag bits (RFC 9293 section 3.1). */
    public static final int TCP_FIN = 0x01, TCP_SYN = 0x02, TCP_RST = 0x04, TCP_PSH = 0x08, TCP_ACK = 0x10,
            TCP_URG = 0x20;

    /** The record this packet came from. */
    public RawPacket raw;
    /** Capture time, seconds since the epoch (see {@link RawPacket#timestampSeconds()}). */
    public double ts;
    /** Bytes holding the network-layer datagram; see the class comment. */
    public byte[] buffer;

    /** Outer and inner 802.1Q VLAN ids, or -1 when absent. */
    public int vlan = -1, innerVlan = -1;
    /** Link-layer source and destination addresses (6-byte MACs), or null when the link has none. */
    public byte[] l2Src, l2Dst;

    /** 4 or 6; 0 when the packet carries no IP datagram. */
    public int ipVersion;
    /** Source and destination addresses, 4 bytes for IPv4 and 16 for IPv6 (fresh arrays, safe to keep). */
    public byte[] srcAddr, dstAddr;
    /** Offset of the IP header in {@link #buffer}. */
    public int ipOffset;
    /** IP header length in bytes, including IPv6 extension headers. */
    public int ipHeaderLength;
    /** Total datagram length claimed by the IP header (IPv4 total length; IPv6 40 + payload length), bytes. */
    public int ipTotalLength;
    /** Protocol of the transport layer (after IPv6 extension headers). */
    public int ipProto;
    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl;

    /** Offset of the transport header in {@link #buffer}, or -1 when it could not be decoded. */
    public int transportOffset = -1;
    /** TCP/UDP ports; for ICMP, Zeek's convention: source "port" = type, destination "port" = code. */
    public int srcPort, dstPort;
    /** TCP fields (RFC 9293): flags, sequence and acknowledgment numbers (unsigned 32-bit), window, header length. */
    public int tcpFlags;
    public long seq, ack;
    public int window, tcpHeaderLength;
    /** ICMP type and code, or -1. */
    public int icmpType = -1, icmpCode = -1;

    /** Offset and length of the transport payload actually present in {@link #buffer}. */
    public int payloadOffset, payloadLength;
    /** Transport payload length as the headers claim it (may exceed {@link #payloadLength} when the capture was snapped). */
    public int payloadLengthOnWire;
    /**
     * False when the TCP/UDP/ICMP checksum was verified and found wrong (Zeek then reports
     * {@code bad_TCP_checksum} / {@code bad_UDP_checksum} and ignores the payload); true when it is right or was
     * not checked (checksum checking off, as with {@code zeek -C}, or the packet was snapped short).
     */
    public boolean transportChecksumValid = true;
    /**
     * For a TCP segment whose header is unusable, the weird Zeek raises on its connection
     * ({@code bad_TCP_header_len}: data offset below 5 words; {@code truncated_header}: data offset beyond the
     * segment), else null. The ports are set; the connection tracker creates the connection (as Zeek does) and
     * reports the weird with its uid, but counts nothing of the segment.
     */
    public String tcpHeaderWeird;

    /**
     * One encapsulation layer around a packet: Zeek's {@code EncapsulatingConn} (tunnel type, the outer packet's
     * addresses and, for UDP tunnels, ports) plus the uid of the outer connection.
     */
    public static final class Tunnel {
        /** Zeek's {@code Tunnel::Type} name without prefix: {@code IP}, {@code GRE}, {@code VXLAN}, {@code GENEVE},
         *  {@code GTPv1}, {@code TEREDO}, {@code AYIYA}. */
        public final String type;
        /** Outer source and destination addresses (4 or 16 bytes). */
        public final byte[] src, dst;
        /** The outer connection's uid; for IP and GRE tunnels (no outer connection) the tracker assigns one. */
        public String uid;

        public Tunnel(String type, byte[] src, byte[] dst, String uid) {
            this.type = type;
            this.src = src;
            this.dst = dst;
            this.uid = uid;
        }
    }

    /**
     * The encapsulation layers around this packet, outermost first; empty for a packet outside any tunnel. The
     * list's size is Zeek's tunnel depth. Filled by {@link PacketDecoder} (IP-in-IP and GRE in {@code decode}, UDP
     * tunnels in {@link PacketDecoder#decodeEncapsulated}).
     */
    public final java.util.ArrayList<Tunnel> tunnels = new java.util.ArrayList<>(0);

    /**
     * For a UDP packet whose payload may be a tunnel, the tunnel protocol as Zeek's service name ({@code vxlan},
     * {@code geneve}, {@code gtpv1}, {@code teredo}, {@code ayiya}), else null. The connection tracker processes
     * the outer UDP connection and then asks {@link #decoder} to decapsulate (see
     * {@link PacketDecoder#decodeEncapsulated}).
     */
    public String encapsulation;

    /**
     * When the frame that carried this packet bundles several (an 802.11 A-MSDU inside Aruba GRE), the offset in
     * {@link #buffer} of the next subframe, else -1; the tracker gets it from
     * {@link PacketDecoder#decodeNextFrame(DecodedPacket, DecodedPacket)}. With its captured and on-the-wire ends.
     */
    public int nextFrameOffset = -1, nextFrameEnd, nextFrameWireEnd;

    /** The decoder that filled this holder (to decapsulate {@link #encapsulation}), or null. */
    public PacketDecoder decoder;

    /** Resets every field so the holder can be reused for the next packet. */
    public void clear() {
        raw = null; ts = 0; buffer = null;
        vlan = -1; innerVlan = -1; l2Src = null; l2Dst = null;
        ipVersion = 0; srcAddr = null; dstAddr = null; ipOffset = 0; ipHeaderLength = 0; ipTotalLength = 0;
        ipProto = -1; ttl = 0;
        transportOffset = -1; srcPort = 0; dstPort = 0; tcpFlags = 0; seq = 0; ack = 0; window = 0;
        tcpHeaderLength = 0; icmpType = -1; icmpCode = -1;
        payloadOffset = 0; payloadLength = 0; payloadLengthOnWire = 0; transportChecksumValid = true;
        tcpHeaderWeird = null; nextFrameOffset = -1; nextFrameEnd = 0; nextFrameWireEnd = 0; tunnels.clear(); encapsulation = null; decoder = null;
    }
}
