package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

/**
 * tunnel.log on Zeek's tunnel test traces (the conformance corpus has no tunnel.log baseline; the rows expected
 * here follow Zeek's tunnel framework: DISCOVER at the first connection through a tunnel, CLOSE when a UDP
 * tunnel's outer connection ends, nothing more for IP/GRE tunnels), and every tunnel uid is a conn.log
 * {@code tunnel_parents} entry.
 */
class ZeekAnalysisTunnelLogTest {

    static Path trace(String caseName, String file) {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            throw new AssertionError("system property workbench.shared is not set");
        }
        Path p = Path.of(shared, "zeek-conformance", "cases", caseName, "traces", "tunnels", file);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing conformance trace " + p);
        }
        return p;
    }

    static LogCollector run(Path trace) throws Exception {
        LogCollector logs = new LogCollector();
        ZeekAnalysis.builder().uidSeed(1).build().run(trace, logs, ExtractedFileSink.discarding());
        return logs;
    }

    /** Rows as "orig_h orig_p resp_h resp_p tunnel_type action" (ts and uid vary with the run). */
    static List<String> rows(LogCollector logs) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : logs.records("tunnel")) {
            out.add(addr(r.get("id.orig_h")) + " " + r.get("id.orig_p") + " " + addr(r.get("id.resp_h")) + " "
                    + r.get("id.resp_p") + " " + r.get("tunnel_type") + " " + r.get("action"));
        }
        return out;
    }

    static String addr(Object a) {
        return a.toString().replaceFirst(".*/", "");
    }

    /** Every tunnel uid is some connection's parent, and UDP tunnels' uids are their outer connections'. */
    static void assertUidsLinked(LogCollector logs) {
        Set<Object> parents = new java.util.HashSet<>();
        Set<Object> connUids = new java.util.HashSet<>();
        for (LogRecord c : logs.records("conn")) {
            connUids.add(c.get("uid"));
            if (c.get("tunnel_parents") instanceof Set<?> s) {
                parents.addAll(s);
            }
        }
        for (LogRecord r : logs.records("tunnel")) {
            assertEquals(true, parents.contains(r.get("uid")), "tunnel uid not a parent: " + r);
            boolean ip = r.get("tunnel_type").equals("Tunnel::IP") || r.get("tunnel_type").equals("Tunnel::GRE");
            assertEquals(!ip, connUids.contains(r.get("uid")), "outer connection uid: " + r);
        }
    }

    @Test
    void greTunnelIsDiscoveredOnlyWithZeroPorts() throws Exception {
        LogCollector logs = run(trace("core.tunnels.gre", "gre-sample.pcap"));
        assertEquals(List.of("172.27.1.66 0 66.59.109.137 0 Tunnel::GRE Tunnel::DISCOVER"), rows(logs));
        assertUidsLinked(logs);
    }

    @Test
    void teredoTunnelsAreDiscoveredAndClosedWithTheirOuterConnections() throws Exception {
        LogCollector logs = run(trace("core.tunnels.teredo_bubble_with_payload", "teredo_bubble_with_payload.pcap"));
        assertEquals(List.of(
                "192.168.2.16 3797 65.55.158.80 3544 Tunnel::TEREDO Tunnel::DISCOVER",
                "192.168.2.16 3797 65.55.158.81 3544 Tunnel::TEREDO Tunnel::DISCOVER",
                "192.168.2.16 3797 83.170.1.38 32900 Tunnel::TEREDO Tunnel::DISCOVER",
                "192.168.2.16 3797 65.55.158.80 3544 Tunnel::TEREDO Tunnel::CLOSE",
                "192.168.2.16 3797 65.55.158.81 3544 Tunnel::TEREDO Tunnel::CLOSE",
                "192.168.2.16 3797 83.170.1.38 32900 Tunnel::TEREDO Tunnel::CLOSE"), rows(logs));
        assertUidsLinked(logs);
        List<LogRecord> t = logs.records("tunnel");
        assertEquals(t.get(0).get("uid"), t.get(3).get("uid"));
        double end = (Double) t.get(5).get("ts");
        assertEquals(Set.of(end), t.subList(3, 6).stream().map(r -> r.get("ts")).collect(Collectors.toSet()));
    }

    @Test
    void vxlanTunnelIsDiscoveredAndClosed() throws Exception {
        LogCollector logs = run(trace("core.tunnels.vxlan-inner-tcp-bad-checksum",
                "vxlan-inner-tcp-bad-checksum.pcap"));
        assertEquals(List.of("192.168.1.1 23456 192.168.1.2 4789 Tunnel::VXLAN Tunnel::DISCOVER",
                "192.168.1.1 23456 192.168.1.2 4789 Tunnel::VXLAN Tunnel::CLOSE"), rows(logs));
        assertUidsLinked(logs);
    }

    @Test
    void vxlanCarryingNoConnectionLogsNoTunnel() throws Exception {
        // IGMP inside VXLAN starts no connection, so Zeek's new_connection never registers the tunnel
        LogCollector logs = run(trace("core.tunnels.vxlan-unknown-internal-packet",
                "vxlan-encapsulated-igmp-v2.pcap"));
        assertEquals(List.of(), rows(logs));
    }
}
