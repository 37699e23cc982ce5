package org.workbench.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.workbench.analysis.WeirdLog;
import org.workbench.packet.DecodedPacket;
import org.workbench.zeeklog.LogRecord;

/** Random, mostly nonsensical TCP/UDP/ICMP traffic between a few endpoints must never throw. */
class TrackerFuzzTest {
    @Test
    void randomTrafficNeverThrowsAndAllConnectionsGetLogged() {
        for (long seed : new long[] {12345, 1, 2, 3, 4}) {
            run(seed);
        }
    }

    private void run(long seed) {
        MemorySink sink = new MemorySink();
        RecordingAnalyzer a = new RecordingAnalyzer("x", Set.of(80, 53), "GET");
        ConnectionTracker t = new ConnectionTracker(TrackerOptions.defaults(), List.of(a), sink,
                new WeirdLog(sink), new UidGenerator(9));
        Random r = new Random(seed);
        String[] hosts = {"10.0.0.1", "10.0.0.2", "192.168.1.5", "8.8.8.8"};
        String[] fl = {"S", "SA", "A", "PA", "FA", "R", "RA", "F", "SF", "SR", "FR", "U", "", "SAFRPU"};
        double ts = 1000;
        long baseSeq = r.nextInt() & 0xFFFFFFFFL;
        for (int i = 0; i < 8000; i++) {
            ts += r.nextDouble() * (r.nextInt(50) == 0 ? 200 : 0.5) - (r.nextInt(20) == 0 ? 3 : 0);
            String s = hosts[r.nextInt(hosts.length)], d = hosts[r.nextInt(hosts.length)];
            int sp = r.nextBoolean() ? 80 : 40000 + r.nextInt(3), dp = r.nextBoolean() ? 80 : 40000 + r.nextInt(3);
            byte[] payload = new byte[r.nextInt(4) == 0 ? r.nextInt(3000) : 0];
            r.nextBytes(payload);
            if (r.nextInt(10) == 0) {
                payload = "GET / HTTP/1.0\r\n".getBytes();
            }
            DecodedPacket p;
            switch (r.nextInt(6)) {
                case 0 -> p = Packets.udp(ts, s, sp, d, dp, payload);
                case 1 -> p = Packets.icmp(ts, s, d, r.nextInt(256), r.nextInt(16), payload);
                default -> {
                    long seq = r.nextInt(3) == 0 ? (r.nextInt() & 0xFFFFFFFFL) : (baseSeq + r.nextInt(20000)) & 0xFFFFFFFFL;
                    long ack = r.nextInt(3) == 0 ? (r.nextInt() & 0xFFFFFFFFL) : (baseSeq + r.nextInt(20000)) & 0xFFFFFFFFL;
                    p = Packets.tcp(ts, s, sp, d, dp, fl[r.nextInt(fl.length)], seq, ack, r.nextInt(3) == 0 ? 0 : 1000,
                            payload);
                    if (r.nextInt(30) == 0) {
                        p.payloadLengthOnWire += 100; // snapped capture
                    }
                    if (r.nextInt(50) == 0) {
                        p.ipTotalLength = 0; // segmentation offload
                    }
                }
            }
            if (r.nextInt(40) == 0) {
                p.transportChecksumValid = false;
            }
            t.process(p);
        }
        t.finish();
        assertEquals(0, t.activeConnections());
        long rows = sink.path("conn").size();
        assertEquals(t.connectionsLogged(), rows);
        assertTrue(rows > 10);
        for (LogRecord c : sink.path("conn")) {
            assertTrue(((Long) c.get("orig_pkts")) >= 0 && ((Long) c.get("missed_bytes")) >= 0);
            if (c.get("orig_bytes") != null) {
                assertTrue((Long) c.get("orig_bytes") >= 0 && (Long) c.get("resp_bytes") >= 0);
            }
        }
    }
}
