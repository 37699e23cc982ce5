package org.workbench.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import org.workbench.packet.DecodedPacket;

/**
 * Builds {@link DecodedPacket}s by hand for tests: a real IPv4/IPv6 + TCP/UDP/ICMP byte layout in
 * {@code buffer} and the decoded fields filled in as a decoder would.
 */
final class Packets {
    private Packets() {
    }

    static byte[] ip(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** TCP flags from letters: S=SYN A=ACK F=FIN R=RST P=PSH U=URG. */
    static int flags(String f) {
        int v = 0;
        for (char c : f.toCharArray()) {
            v |= switch (c) {
                case 'S' -> DecodedPacket.TCP_SYN;
                case 'A' -> DecodedPacket.TCP_ACK;
                case 'F' -> DecodedPacket.TCP_FIN;
                case 'R' -> DecodedPacket.TCP_RST;
                case 'P' -> DecodedPacket.TCP_PSH;
                case 'U' -> DecodedPacket.TCP_URG;
                default -> throw new IllegalArgumentException("flag " + c);
            };
        }
        return v;
    }

    private static DecodedPacket ipPacket(double ts, String src, String dst, int proto, int transportHeaderLen,
                                          byte[] payload) {
        byte[] s = ip(src), d = ip(dst);
        boolean v6 = s.length == 16;
        int ipHl = v6 ? 40 : 20;
        int total = ipHl + transportHeaderLen + payload.length;
        byte[] buf = new byte[total];
        if (v6) {
            buf[0] = 0x60;
            put16(buf, 4, total - 40);
            buf[6] = (byte) proto;
            buf[7] = 64;
            System.arraycopy(s, 0, buf, 8, 16);
            System.arraycopy(d, 0, buf, 24, 16);
        } else {
            buf[0] = 0x45;
            put16(buf, 2, total);
            buf[8] = 64;
            buf[9] = (byte) proto;
            System.arraycopy(s, 0, buf, 12, 4);
            System.arraycopy(d, 0, buf, 16, 4);
        }
        System.arraycopy(payload, 0, buf, ipHl + transportHeaderLen, payload.length);
        DecodedPacket p = new DecodedPacket();
        p.ts = ts;
        p.buffer = buf;
        p.ipVersion = v6 ? 6 : 4;
        p.srcAddr = s;
        p.dstAddr = d;
        p.ipOffset = 0;
        p.ipHeaderLength = ipHl;
        p.ipTotalLength = total;
        p.ipProto = proto;
        p.ttl = 64;
        p.transportOffset = ipHl;
        p.payloadOffset = ipHl + transportHeaderLen;
        p.payloadLength = payload.length;
        p.payloadLengthOnWire = payload.length;
        return p;
    }

    static DecodedPacket tcp(double ts, String src, int sp, String dst, int dp, String flags, long seq, long ack,
                             byte[] payload) {
        return tcp(ts, src, sp, dst, dp, flags, seq, ack, 65535, payload);
    }

    static DecodedPacket tcp(double ts, String src, int sp, String dst, int dp, String flags, long seq, long ack,
                             int window, byte[] payload) {
        DecodedPacket p = ipPacket(ts, src, dst, DecodedPacket.PROTO_TCP, 20, payload);
        int o = p.transportOffset;
        put16(p.buffer, o, sp);
        put16(p.buffer, o + 2, dp);
        put32(p.buffer, o + 4, seq);
        put32(p.buffer, o + 8, ack);
        p.buffer[o + 12] = 0x50;
        p.buffer[o + 13] = (byte) flags(flags);
        put16(p.buffer, o + 14, window);
        p.srcPort = sp;
        p.dstPort = dp;
        p.tcpFlags = flags(flags);
        p.seq = seq & 0xFFFFFFFFL;
        p.ack = ack & 0xFFFFFFFFL;
        p.window = window;
        p.tcpHeaderLength = 20;
        return p;
    }

    static DecodedPacket tcp(double ts, String src, int sp, String dst, int dp, String flags, long seq, long ack) {
        return tcp(ts, src, sp, dst, dp, flags, seq, ack, new byte[0]);
    }

    static DecodedPacket udp(double ts, String src, int sp, String dst, int dp, byte[] payload) {
        DecodedPacket p = ipPacket(ts, src, dst, DecodedPacket.PROTO_UDP, 8, payload);
        int o = p.transportOffset;
        put16(p.buffer, o, sp);
        put16(p.buffer, o + 2, dp);
        put16(p.buffer, o + 4, 8 + payload.length);
        p.srcPort = sp;
        p.dstPort = dp;
        return p;
    }

    static DecodedPacket icmp(double ts, String src, String dst, int type, int code, byte[] payload) {
        boolean v6 = ip(src).length == 16;
        DecodedPacket p = ipPacket(ts, src, dst, v6 ? DecodedPacket.PROTO_ICMPV6 : DecodedPacket.PROTO_ICMP, 8,
                payload);
        p.buffer[p.transportOffset] = (byte) type;
        p.buffer[p.transportOffset + 1] = (byte) code;
        p.icmpType = type;
        p.icmpCode = code;
        p.srcPort = type;
        p.dstPort = code;
        return p;
    }

    static DecodedPacket otherProto(double ts, String src, String dst, int proto, int payloadLen) {
        DecodedPacket p = ipPacket(ts, src, dst, proto, 0, new byte[payloadLen]);
        p.transportOffset = -1;
        return p;
    }

    static DecodedPacket badChecksum(DecodedPacket p) {
        p.transportChecksumValid = false;
        return p;
    }

    private static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    private static void put32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
