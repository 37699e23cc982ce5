package org.workbench.synth;

import java.nio.ByteBuffer;

import org.workbench.packet.Checksums;

/**
 * Builders of packet bytes with correct lengths and checksums: Ethernet II (IEEE 802.3) with optional 802.1Q
 * tags, IPv4 (RFC 791), IPv6 (RFC 8200), UDP (RFC 768), TCP (RFC 9293) and ICMP echo (RFC 792, RFC 4443).
 * Every method returns a fresh array; none keeps state.
 */
public final class PacketFrames {
    /** EtherTypes (IEEE registry). */
    public static final int ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd, ETHERTYPE_VLAN = 0x8100,
            ETHERTYPE_QINQ = 0x88a8;
    /** IP protocol numbers (IANA). */
    public static final int PROTO_ICMP = 1, PROTO_TCP = 6, PROTO_UDP = 17, PROTO_ICMPV6 = 58;

    private PacketFrames() {
    }

    /**
     * An Ethernet II frame, optionally 802.1Q-tagged.
     *
     * @param dst       destination MAC (6 bytes)
     * @param src       source MAC (6 bytes)
     * @param etherType EtherType of the payload
     * @param payload   the payload (not padded to the 46-byte minimum)
     * @param vlanIds   VLAN ids to insert, outermost first (the first gets TPID 0x88a8 when there are two or more)
     * @return the frame
     */
    public static byte[] ethernet(byte[] dst, byte[] src, int etherType, byte[] payload, int... vlanIds) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlanIds.length + payload.length);
        b.put(dst, 0, 6).put(src, 0, 6);
        for (int i = 0; i < vlanIds.length; i++) {
            b.putShort((short) (i == 0 && vlanIds.length > 1 ? ETHERTYPE_QINQ : ETHERTYPE_VLAN));
            b.putShort((short) (vlanIds[i] & 0xfff));
        }
        b.putShort((short) etherType).put(payload);
        return b.array();
    }

    /** An Ethernet frame carrying an IP datagram between two hosts (EtherType from the IP version). */
    public static byte[] ethernet(Host src, Host dst, byte[] ipDatagram, int... vlanIds) {
        int type = (ipDatagram[0] >> 4) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
        return ethernet(dst.mac(), src.mac(), type, ipDatagram, vlanIds);
    }

    /**
     * An IPv4 datagram (no options, DF clear, not fragmented) with a correct header checksum.
     *
     * @param src     4-byte source address
     * @param dst     4-byte destination address
     * @param proto   protocol number
     * @param id      identification field
     * @param ttl     time to live
     * @param payload the payload
     * @return the datagram
     */
    public static byte[] ipv4(byte[] src, byte[] dst, int proto, int id, int ttl, byte[] payload) {
        return ipv4Fragment(src, dst, proto, id, ttl, payload, 0, payload.length, 0, false);
    }

    /**
     * One IPv4 fragment of a payload.
     *
     * @param src        source address
     * @param dst        destination address
     * @param proto      protocol number
     * @param id         identification shared by the fragments
     * @param ttl        time to live
     * @param payload    the whole payload being fragmented
     * @param from       first payload byte in this fragment (a multiple of 8 unless it is the last)
     * @param to         end of this fragment's bytes (exclusive)
     * @param fragOffset the fragment offset to write, bytes (normally {@code from})
     * @param more       the MF flag
     * @return the fragment datagram with a correct header checksum
     */
    public static byte[] ipv4Fragment(byte[] src, byte[] dst, int proto, int id, int ttl, byte[] payload, int from,
                                      int to, int fragOffset, boolean more) {
        int len = to - from;
        ByteBuffer b = ByteBuffer.allocate(20 + len);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + len)).putShort((short) id);
        b.putShort((short) ((more ? 0x2000 : 0) | ((fragOffset / 8) & 0x1fff)));
        b.put((byte) ttl).put((byte) proto).putShort((short) 0).put(src).put(dst);
        b.put(payload, from, len);
        byte[] out = b.array();
        int sum = Checksums.finish(Checksums.add(0, out, 0, 20));
        out[10] = (byte) (sum >>> 8);
        out[11] = (byte) sum;
        return out;
    }

    /**
     * An IPv6 datagram.
     *
     * @param src        16-byte source address
     * @param dst        16-byte destination address
     * @param nextHeader protocol of the first header after the fixed header
     * @param hopLimit   hop limit
     * @param payload    extension headers (if any) and upper-layer data
     * @return the datagram
     */
    public static byte[] ipv6(byte[] src, byte[] dst, int nextHeader, int hopLimit, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) hopLimit);
        b.put(src).put(dst).put(payload);
        return b.array();
    }

    /** An IP datagram of the hosts' version carrying {@code payload} as protocol {@code proto}. */
    public static byte[] ip(Host src, Host dst, int proto, int id, byte[] payload) {
        return src.isIpv6() ? ipv6(src.address(), dst.address(), proto, 64, payload)
                : ipv4(src.address(), dst.address(), proto, id, 64, payload);
    }

    /**
     * A UDP datagram with a correct checksum.
     *
     * @param src     source address (4 or 16 bytes; used for the pseudo-header)
     * @param dst     destination address
     * @param sport   source port
     * @param dport   destination port
     * @param payload the data
     * @return header and data
     */
    public static byte[] udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        byte[] out = b.array();
        int sum = Checksums.finish(Checksums.add(Checksums.pseudoHeader(src, dst, PROTO_UDP, out.length), out, 0,
                out.length));
        if (sum == 0) {
            sum = 0xffff; // RFC 768: a computed zero is sent as all ones
        }
        out[6] = (byte) (sum >>> 8);
        out[7] = (byte) sum;
        return out;
    }

    /**
     * A TCP segment (20-byte header, plus an MSS option on SYNs) with a correct checksum.
     *
     * @param src     source address (for the pseudo-header)
     * @param dst     destination address
     * @param sport   source port
     * @param dport   destination port
     * @param seq     sequence number (unsigned 32-bit)
     * @param ack     acknowledgment number (unsigned 32-bit)
     * @param flags   TCP flag bits ({@link org.workbench.packet.DecodedPacket#TCP_SYN} etc.)
     * @param window  window size
     * @param payload the data
     * @return header and data
     */
    public static byte[] tcp(byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags, int window,
                             byte[] payload) {
        boolean syn = (flags & 0x02) != 0;
        int hl = syn ? 24 : 20;
        ByteBuffer b = ByteBuffer.allocate(hl + payload.length);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
        b.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0)
                .putShort((short) 0);
        if (syn) {
            b.put((byte) 2).put((byte) 4).putShort((short) 1460);
        }
        b.put(payload);
        byte[] out = b.array();
        int sum = Checksums.finish(Checksums.add(Checksums.pseudoHeader(src, dst, PROTO_TCP, out.length), out, 0,
                out.length));
        out[16] = (byte) (sum >>> 8);
        out[17] = (byte) sum;
        return out;
    }

    /**
     * An ICMP (IPv4) or ICMPv6 echo request or reply with a correct checksum.
     *
     * @param src     source address; its length selects ICMP or ICMPv6
     * @param dst     destination address
     * @param request true for a request (type 8 / 128), false for a reply (0 / 129)
     * @param ident   identifier
     * @param seq     sequence number
     * @param data    echo data
     * @return the ICMP message
     */
    public static byte[] icmpEcho(byte[] src, byte[] dst, boolean request, int ident, int seq, byte[] data) {
        boolean v6 = src.length == 16;
        int type = v6 ? (request ? 128 : 129) : (request ? 8 : 0);
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) ident).putShort((short) seq).put(data);
        byte[] out = b.array();
        long start = v6 ? Checksums.pseudoHeader(src, dst, PROTO_ICMPV6, out.length) : 0;
        int sum = Checksums.finish(Checksums.add(start, out, 0, out.length));
        out[2] = (byte) (sum >>> 8);
        out[3] = (byte) sum;
        return out;
    }

    /** An Ethernet frame with a UDP datagram between two hosts of the same IP version. */
    public static byte[] udpFrame(Host src, int sport, Host dst, int dport, int ipId, byte[] payload) {
        byte[] udp = udp(src.address(), dst.address(), sport, dport, payload);
        return ethernet(src, dst, ip(src, dst, PROTO_UDP, ipId, udp));
    }
}
