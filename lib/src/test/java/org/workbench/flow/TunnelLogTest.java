package org.workbench.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.workbench.analysis.WeirdLog;
import org.workbench.capture.RawPacket;
import org.workbench.packet.DecodedPacket;
import org.workbench.packet.PacketDecoder;
import org.workbench.synth.Host;
import org.workbench.synth.PacketFrames;
import org.workbench.zeeklog.LogRecord;

/** tunnel.log rows from tunnelled frames built here, decoded by {@link PacketDecoder} and tracked. */
class TunnelLogTest {
    static final Host A = Host.of("02:00:00:00:00:0a", "10.1.2.3");
    static final Host B = Host.of("02:00:00:00:00:0b", "192.0.2.200");

    final MemorySink sink = new MemorySink();
    final WeirdLog weirds = new WeirdLog(sink);
    final PacketDecoder decoder = new PacketDecoder(weirds, true);
    final ConnectionTracker tracker = new ConnectionTracker(TrackerOptions.defaults(), List.of(), sink, weirds,
            new UidGenerator(7));

    void feed(double ts, int linkType, byte[] data) {
        DecodedPacket p = new DecodedPacket();
        if (decoder.decode(new RawPacket(0, Math.round(ts * 1e9), linkType, data.length, data.length, data), p)) {
            tracker.process(p);
        }
    }

    static byte[] udpIp(Host s, Host d, int sp, int dp) {
        return PacketFrames.ip(s, d, PacketFrames.PROTO_UDP, 7, PacketFrames.udp(s.address(), d.address(), sp, dp,
                new byte[4]));
    }

    static byte[] vxlan(Host outerSrc, int outerSp, Host outerDst, byte[] innerIp) {
        return vxlan(outerSrc, outerSp, outerDst, 4789, innerIp);
    }

    static byte[] vxlan(Host outerSrc, int outerSp, Host outerDst, int outerDp, byte[] innerIp) {
        byte[] frame = PacketFrames.ethernet(A, B, innerIp);
        byte[] vx = new byte[8 + frame.length];
        vx[0] = 0x08;
        System.arraycopy(frame, 0, vx, 8, frame.length);
        return PacketFrames.ip(outerSrc, outerDst, PacketFrames.PROTO_UDP, 9,
                PacketFrames.udp(outerSrc.address(), outerDst.address(), outerSp, outerDp, vx));
    }

    static byte[] gre(Host outerSrc, Host outerDst, byte[] innerIp) {
        byte[] body = new byte[4 + innerIp.length];
        body[2] = 0x08; // IPv4
        System.arraycopy(innerIp, 0, body, 4, innerIp.length);
        return PacketFrames.ipv4(outerSrc.address(), outerDst.address(), 47, 1, 64, body);
    }

    List<String> rows() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : sink.path("tunnel")) {
            out.add(r.get("ts") + " " + r.get("id.orig_h").toString().replaceFirst(".*/", "") + ":"
                    + r.get("id.orig_p") + " " + r.get("id.resp_h").toString().replaceFirst(".*/", "") + ":"
                    + r.get("id.resp_p") + " " + r.get("tunnel_type") + " " + r.get("action"));
        }
        return out;
    }

    LogRecord conn(int origP, String proto) {
        return sink.path("conn").stream().filter(r -> r.get("id.orig_p").equals(origP) && r.get("proto").equals(proto))
                .findFirst().orElseThrow();
    }

    @Test
    void vxlanIsDiscoveredOnceAndClosedWithItsOuterConnection() {
        feed(100, 101, vxlan(B, 40000, A, udpIp(A, B, 5353, 53)));
        feed(101, 101, vxlan(B, 40000, A, udpIp(A, B, 5354, 53)));
        feed(102, 101, vxlan(A, 4789, B, 40000, udpIp(B, A, 53, 5353)));
        tracker.finish();
        assertEquals(List.of("100.0 192.0.2.200:40000 10.1.2.3:4789 Tunnel::VXLAN Tunnel::DISCOVER",
                "102.0 192.0.2.200:40000 10.1.2.3:4789 Tunnel::VXLAN Tunnel::CLOSE"), rows());
        LogRecord outer = conn(40000, "udp");
        for (LogRecord r : sink.path("tunnel")) {
            assertEquals(outer.get("uid"), r.get("uid"));
        }
        assertEquals(Set.of(outer.get("uid")), conn(5354, "udp").get("tunnel_parents"));
    }

    @Test
    void greIsDiscoveredInTheFirstPacketsDirectionWithZeroPortsAndNeverClosed() {
        feed(100, 101, gre(B, A, udpIp(A, B, 5353, 53)));
        feed(100.5, 101, gre(A, B, udpIp(B, A, 53, 5353)));
        feed(101, 101, gre(A, B, udpIp(B, A, 53, 5354)));
        tracker.finish();
        assertEquals(List.of("100.0 192.0.2.200:0 10.1.2.3:0 Tunnel::GRE Tunnel::DISCOVER"), rows());
        Object uid = sink.path("tunnel").get(0).get("uid");
        assertEquals(Set.of(uid), conn(5353, "udp").get("tunnel_parents"));
        assertEquals(Set.of(uid), conn(5354, "udp").get("tunnel_parents")); // reply-only flow, flipped
    }

    @Test
    void anIpTunnelNoNewConnectionUsedForAnHourExpires() {
        byte[] ipip = PacketFrames.ipv4(B.address(), A.address(), 4, 2, 64, udpIp(A, B, 5353, 53));
        feed(100, 101, ipip);
        feed(130, 101, ipip); // a packet of a known connection does not count as use
        feed(3700, 101, udpIp(A, B, 6000, 7000));
        feed(3800, 101, PacketFrames.ipv4(B.address(), A.address(), 4, 2, 64, udpIp(A, B, 5353, 53)));
        List<String> rows = rows();
        assertEquals(List.of("100.0 192.0.2.200:0 10.1.2.3:0 Tunnel::IP Tunnel::DISCOVER",
                "3700.0 192.0.2.200:0 10.1.2.3:0 Tunnel::IP Tunnel::EXPIRE",
                "3800.0 192.0.2.200:0 10.1.2.3:0 Tunnel::IP Tunnel::DISCOVER"), rows);
        assertTrue(sink.path("weird").isEmpty(), sink.path("weird").toString());
    }
}
