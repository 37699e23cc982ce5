package org.workbench.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.workbench.flow.Packets.bytes;
import static org.workbench.flow.Packets.icmp;
import static org.workbench.flow.Packets.tcp;
import static org.workbench.flow.Packets.udp;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.workbench.analysis.WeirdLog;
import org.workbench.packet.DecodedPacket;
import org.workbench.zeeklog.LogRecord;

class ConnectionTrackerTest {
    static final String C = "10.0.0.1", S = "192.0.2.80", PUB = "8.8.8.8";

    final MemorySink sink = new MemorySink();
    final WeirdLog weirds = new WeirdLog(sink);

    ConnectionTracker tracker(AnalyzerFactory... f) {
        return new ConnectionTracker(TrackerOptions.defaults(), List.of(f), sink, weirds, new UidGenerator(7));
    }

    List<LogRecord> conns() {
        return sink.path("conn");
    }

    LogRecord only() {
        assertEquals(1, conns().size(), "conn rows: " + conns());
        return conns().get(0);
    }

    List<String> weirdNames() {
        List<String> out = new ArrayList<>();
        for (LogRecord r : sink.path("weird")) {
            out.add((String) r.get("name"));
        }
        return out;
    }

    /** Client 10.0.0.1:40000 -> server :80 handshake, request, response, 4-way close. ISNs 1000 and 5000. */
    static List<DecodedPacket> httpExchange(double t0) {
        byte[] req = bytes("GET / HTTP/1.1\r\n\r\n");
        byte[] rsp = bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        long c = 1000, s = 5000;
        return List.of(
                tcp(t0, C, 40000, S, 80, "S", c, 0),
                tcp(t0 + 0.1, S, 80, C, 40000, "SA", s, c + 1),
                tcp(t0 + 0.2, C, 40000, S, 80, "A", c + 1, s + 1),
                tcp(t0 + 0.3, C, 40000, S, 80, "PA", c + 1, s + 1, req),
                tcp(t0 + 0.4, S, 80, C, 40000, "PA", s + 1, c + 1 + req.length, rsp),
                tcp(t0 + 0.5, C, 40000, S, 80, "A", c + 1 + req.length, s + 1 + rsp.length),
                tcp(t0 + 0.6, C, 40000, S, 80, "FA", c + 1 + req.length, s + 1 + rsp.length),
                tcp(t0 + 0.7, S, 80, C, 40000, "FA", s + 1 + rsp.length, c + 2 + req.length),
                tcp(t0 + 0.8, C, 40000, S, 80, "A", c + 2 + req.length, s + 2 + rsp.length));
    }

    @Test
    void fullTcpConnectionIsSfWithZeekHistoryAndByteCounts() throws Exception {
        RecordingAnalyzer http = new RecordingAnalyzer("http", Set.of(80), null);
        ConnectionTracker t = tracker(http);
        for (DecodedPacket p : httpExchange(100)) {
            t.process(p);
        }
        t.finish();
        LogRecord r = only();
        assertEquals("SF", r.get("conn_state"));
        assertEquals("ShADdFf", r.get("history"));
        assertEquals(18L, r.get("orig_bytes"));
        assertEquals(38L, r.get("resp_bytes"));
        assertEquals(6L, r.get("orig_pkts"));
        assertEquals(3L, r.get("resp_pkts"));
        assertEquals(6 * 40L + 18, r.get("orig_ip_bytes"));
        assertEquals(3 * 40L + 38, r.get("resp_ip_bytes"));
        assertEquals(0.7, (Double) r.get("duration"), 1e-9, "duration stops at the last FIN (final ACK excluded)");
        assertEquals(100.0, r.get("ts"));
        assertEquals(InetAddress.getByName(C), r.get("id.orig_h"));
        assertEquals(40000, r.get("id.orig_p"));
        assertEquals(80, r.get("id.resp_p"));
        assertEquals("tcp", r.get("proto"));
        assertEquals(0L, r.get("missed_bytes"));
        assertEquals(true, r.get("local_orig"), "10/8 is private, hence local by default");
        assertEquals(true, r.get("local_resp"), "192.0.2/24 is in Zeek's private_address_space");
        assertEquals(6L, r.get("ip_proto"));
        assertNull(r.get("service"), "nothing confirmed");
        RecordingAnalyzer.Rec a = http.made.get(0);
        assertEquals("GET / HTTP/1.1\r\n\r\n", a.origText());
        assertTrue(a.respText().startsWith("HTTP/1.1 200 OK"));
        assertTrue(a.events.contains("Oeod") && a.events.contains("Reod"), a.events.toString());
        assertEquals("done", a.events.get(a.events.size() - 1));
        assertTrue(r.get("uid").toString().matches("C[0-9A-Za-z]{1,17}"));
    }

    @Test
    void closedConnectionIsLoggedAfterCloseDelayWithoutFinish() {
        ConnectionTracker t = tracker();
        for (DecodedPacket p : httpExchange(100)) {
            t.process(p);
        }
        assertEquals(1, t.activeConnections());
        t.process(udp(106, "10.9.9.9", 1111, "10.9.9.8", 2222, bytes("x")));
        assertEquals(1, conns().size(), "tcp_close_delay (5 s) after the last FIN removes it");
        assertEquals("SF", conns().get(0).get("conn_state"));
        assertEquals(1, t.activeConnections());
    }

    @Test
    void unansweredSynIsS0AndExpiresAfterAttemptDelay() {
        ConnectionTracker t = tracker();
        t.process(tcp(10, C, 40001, S, 22, "S", 77, 0));
        t.process(tcp(13, C, 40001, S, 22, "S", 77, 0));
        t.process(udp(19, "10.9.9.9", 1111, "10.9.9.8", 2222, bytes("x")));
        LogRecord r = conns().get(0);
        assertEquals("S0", r.get("conn_state"));
        assertEquals("S", r.get("history"), "a repeated SYN with the same sequence number adds no letter");
        assertEquals(2L, r.get("orig_pkts"));
        assertEquals(0L, r.get("resp_pkts"));
        assertEquals(3.0, (Double) r.get("duration"), 1e-9);
        assertEquals(0L, r.get("orig_bytes"));
    }

    @Test
    void synAnsweredByRstIsRej() {
        ConnectionTracker t = tracker();
        t.process(tcp(10, C, 40002, S, 23, "S", 500, 0));
        t.process(tcp(10.01, S, 23, C, 40002, "RA", 0, 501));
        t.finish();
        LogRecord r = only();
        assertEquals("REJ", r.get("conn_state"));
        assertEquals("Sr", r.get("history"));
    }

    @Test
    void outOfOrderAndRetransmittedSegmentsDeliverTheOriginalStreamOnce() {
        RecordingAnalyzer rec = new RecordingAnalyzer("x", Set.of(80), null);
        ConnectionTracker t = tracker(rec);
        long c = 1000, s = 9000;
        t.process(tcp(1, C, 40003, S, 80, "S", c, 0));
        t.process(tcp(1.1, S, 80, C, 40003, "SA", s, c + 1));
        t.process(tcp(1.2, C, 40003, S, 80, "A", c + 1, s + 1));
        // "HELLO WORLD" in three segments: [1,5) "HELL", [5,8) "O W", [8,12) "ORLD"
        t.process(tcp(1.3, C, 40003, S, 80, "PA", c + 8, s + 1, bytes("ORLD")));   // arrives first
        t.process(tcp(1.4, C, 40003, S, 80, "PA", c + 1, s + 1, bytes("HELL")));
        t.process(tcp(1.5, C, 40003, S, 80, "PA", c + 8, s + 1, bytes("XXXX")));   // inconsistent retransmission
        t.process(tcp(1.6, C, 40003, S, 80, "PA", c + 1, s + 1, bytes("HELLO W"))); // overlaps delivered + hole
        t.process(tcp(1.7, S, 80, C, 40003, "A", s + 1, c + 12));
        t.finish();
        RecordingAnalyzer.Rec a = rec.made.get(0);
        assertEquals("HELLO WORLD", a.origText(), a.events.toString());
        LogRecord r = only();
        assertEquals(0L, r.get("missed_bytes"));
        assertEquals(11L, r.get("orig_bytes"));
        assertTrue(r.get("history").toString().contains("T"), "retransmissions are flagged: " + r.get("history"));
    }

    @Test
    void holeAckedByPeerIsAGapCountedInMissedBytes() {
        RecordingAnalyzer rec = new RecordingAnalyzer("x", Set.of(80), null);
        ConnectionTracker t = tracker(rec);
        long c = 0, s = 100;
        t.process(tcp(1, C, 40004, S, 80, "S", c, 0));
        t.process(tcp(1.1, S, 80, C, 40004, "SA", s, c + 1));
        t.process(tcp(1.2, C, 40004, S, 80, "A", c + 1, s + 1));
        t.process(tcp(1.3, C, 40004, S, 80, "PA", c + 1, s + 1, new byte[100]));
        // bytes 101..200 never captured
        t.process(tcp(1.5, C, 40004, S, 80, "PA", c + 201, s + 1, new byte[100]));
        t.process(tcp(1.6, S, 80, C, 40004, "A", s + 1, c + 301));
        t.finish();
        LogRecord r = only();
        assertEquals(100L, r.get("missed_bytes"));
        assertEquals("ShADaG", r.get("history").toString().replace("T", ""));
        assertEquals(List.of("Odata100", "Ogap100", "Odata100", "done"), rec.made.get(0).events);
        assertEquals(300L, r.get("orig_bytes"));
    }

    @Test
    void bufferedOutOfOrderDataIsBoundedWithoutAcks() {
        ConnectionTracker t = new ConnectionTracker(TrackerOptions.builder().build(), List.of(), sink, weirds,
                new UidGenerator(1));
        t.process(tcp(1, C, 40005, S, 80, "S", 0, 0));
        t.process(tcp(1.1, S, 80, C, 40005, "SA", 0, 1));
        for (int i = 0; i < 40; i++) { // a hole at 1, then 40 KB above it, nothing acked
            t.process(tcp(2 + i * 0.01, C, 40005, S, 80, "A", 1001 + i * 1000L, 1, new byte[1000]));
        }
        assertTrue(t.bufferedBytes() <= 16384 + 1000, "buffer: " + t.bufferedBytes());
        assertTrue(weirdNames().contains("above_hole_data_without_any_acks"), weirdNames().toString());
    }

    @Test
    void olderPacketDoesNotMoveNetworkTimeBack() {
        ConnectionTracker t = tracker();
        t.process(udp(1000, C, 5000, PUB, 9999, bytes("a")));
        t.process(udp(1050, "10.0.0.2", 5000, PUB, 9999, bytes("b")));
        t.process(udp(990, C, 5000, PUB, 9999, bytes("late"))); // capture not in time order
        assertEquals(1050, t.networkTime());
        assertEquals(2, t.activeConnections());
        t.process(udp(1059.5, "10.0.0.3", 5000, PUB, 9999, bytes("c")));
        assertEquals(3, t.activeConnections(), "first flow was last active at 1000 (packet time), times out at 1060");
        assertEquals(0, conns().size());
        t.process(udp(1061, "10.0.0.3", 5000, PUB, 9999, bytes("c")));
        assertEquals(1, conns().size());
        assertEquals(2, t.activeConnections());
        LogRecord r = conns().get(0);
        assertEquals(1000.0, r.get("ts"));
        assertEquals(2L, r.get("orig_pkts"));
        assertNull(r.get("duration"), "last packet time 990 is before the start: duration not positive");
    }

    @Test
    void udpRequestResponseAndFlipOnServerPort() {
        RecordingAnalyzer dns = new RecordingAnalyzer("dns", Set.of(53), null);
        ConnectionTracker t = tracker(dns);
        t.process(udp(1, C, 33333, PUB, 53, bytes("query")));
        t.process(udp(1.5, PUB, 53, C, 33333, bytes("answer!")));
        t.process(udp(2, PUB, 53, "10.0.0.7", 44444, bytes("unsolicited")));
        t.finish();
        LogRecord a = conns().stream().filter(r -> r.get("id.orig_p").equals(33333)).findFirst().orElseThrow();
        assertEquals("SF", a.get("conn_state"));
        assertEquals("Dd", a.get("history"));
        assertEquals(5L, a.get("orig_bytes"));
        assertEquals(7L, a.get("resp_bytes"));
        assertEquals(1L, a.get("orig_pkts"));
        assertEquals(28L + 5, a.get("orig_ip_bytes"));
        assertEquals(17L, a.get("ip_proto"));
        LogRecord b = conns().stream().filter(r -> r.get("id.orig_p").equals(44444)).findFirst().orElseThrow();
        assertEquals("SHR", b.get("conn_state"), "first packet came from port 53, so roles were flipped");
        assertEquals("^d", b.get("history"));
        assertEquals(53, b.get("id.resp_p"));
        assertEquals(false, b.get("local_resp"));
        assertEquals("queryanswer!", dns.made.get(0).origText() + dns.made.get(0).respText());
    }

    @Test
    void icmpEchoPairsRequestAndReply() {
        ConnectionTracker t = tracker();
        t.process(icmp(1, C, PUB, 8, 0, new byte[56]));
        t.process(icmp(1.02, PUB, C, 0, 0, new byte[56]));
        t.process(icmp(2, C, PUB, 3, 3, new byte[28]));
        t.finish();
        assertEquals(2, conns().size());
        LogRecord echo = conns().stream().filter(r -> r.get("id.orig_p").equals(8)).findFirst().orElseThrow();
        assertEquals(0, echo.get("id.resp_p"));
        assertEquals("icmp", echo.get("proto"));
        assertEquals("OTH", echo.get("conn_state"));
        assertNull(echo.get("history"));
        assertEquals(56L, echo.get("orig_bytes"));
        assertEquals(56L, echo.get("resp_bytes"));
        assertEquals(84L, echo.get("orig_ip_bytes"));
        assertEquals(1L, echo.get("ip_proto"));
        LogRecord unreach = conns().stream().filter(r -> r.get("id.orig_p").equals(3)).findFirst().orElseThrow();
        assertEquals(3, unreach.get("id.resp_p"), "one-way messages use the code as responder port");
    }

    @Test
    void unknownTransportBecomesOthRow() {
        ConnectionTracker t = tracker();
        t.process(Packets.otherProto(1, C, PUB, 132, 20));
        t.process(Packets.otherProto(1.5, PUB, C, 132, 20));
        t.process(Packets.otherProto(2, C, PUB, 47, 20)); // GRE goes to the tunnel decoders, not conn.log
        t.finish();
        LogRecord r = only();
        assertEquals("unknown_transport", r.get("proto"));
        assertEquals(0, r.get("id.orig_p"));
        assertEquals("OTH", r.get("conn_state"));
        assertEquals(132L, r.get("ip_proto"));
        assertEquals(0L, r.get("orig_bytes"));
        assertEquals(1L, r.get("resp_pkts"));
    }

    @Test
    void synAckFirstFromServerPortIsFlippedAtOnce() {
        ConnectionTracker t = tracker();
        t.process(tcp(1, S, 80, C, 40010, "SA", 5000, 1001));
        t.process(tcp(1.1, C, 40010, S, 80, "A", 1001, 5001));
        t.process(tcp(1.2, C, 40010, S, 80, "PA", 1001, 5001, bytes("GET /")));
        t.finish();
        LogRecord r = only();
        assertEquals(InetAddress.getLoopbackAddress().getClass(), r.get("id.orig_h").getClass());
        assertEquals(40010, r.get("id.orig_p"));
        assertEquals("^hAD", r.get("history"));
    }

    @Test
    void synAckFirstBetweenUnknownPortsFlipsOnProductiveTraffic() {
        ConnectionTracker t = tracker();
        t.process(tcp(1, S, 7777, C, 40011, "SA", 5000, 1001));
        t.process(tcp(1.1, C, 40011, S, 7777, "A", 1001, 5001));
        t.finish();
        LogRecord r = only();
        assertEquals(40011, r.get("id.orig_p"), "the SYN-ACK sender became the responder");
        assertEquals("^hA", r.get("history"));
    }

    @Test
    void midstreamDataWithoutSynIsReassembledFromFirstSeq() {
        RecordingAnalyzer rec = new RecordingAnalyzer("x", Set.of(80), null);
        ConnectionTracker t = tracker(rec);
        t.process(tcp(1, C, 40012, S, 80, "PA", 777777, 1234, bytes("abc")));
        t.process(tcp(1.1, C, 40012, S, 80, "PA", 777780, 1234, bytes("def")));
        t.process(tcp(1.2, S, 80, C, 40012, "A", 1234, 777783));
        t.finish();
        LogRecord r = only();
        assertEquals("OTH", r.get("conn_state"));
        assertEquals("DA", r.get("history").toString().toUpperCase());
        assertEquals("abcdef", rec.made.get(0).origText());
        assertEquals(0L, r.get("missed_bytes"));
    }

    @Test
    void sequenceNumbersWrapAround() {
        RecordingAnalyzer rec = new RecordingAnalyzer("x", Set.of(80), null);
        ConnectionTracker t = tracker(rec);
        long isn = 0xFFFFFFF0L;
        t.process(tcp(1, C, 40013, S, 80, "S", isn, 0));
        t.process(tcp(1.1, S, 80, C, 40013, "SA", 10, isn + 1));
        t.process(tcp(1.2, C, 40013, S, 80, "A", isn + 1, 11));
        byte[] a = new byte[20], b = new byte[20];
        java.util.Arrays.fill(a, (byte) 'a');
        java.util.Arrays.fill(b, (byte) 'b');
        t.process(tcp(1.3, C, 40013, S, 80, "PA", (isn + 1) & 0xFFFFFFFFL, 11, a));
        t.process(tcp(1.4, C, 40013, S, 80, "PA", (isn + 21) & 0xFFFFFFFFL, 11, b));
        t.process(tcp(1.5, S, 80, C, 40013, "A", 11, (isn + 41) & 0xFFFFFFFFL));
        t.process(tcp(1.6, C, 40013, S, 80, "FA", (isn + 41) & 0xFFFFFFFFL, 11));
        t.process(tcp(1.7, S, 80, C, 40013, "FA", 11, (isn + 42) & 0xFFFFFFFFL));
        t.finish();
        assertEquals("a".repeat(20) + "b".repeat(20), rec.made.get(0).origText());
        LogRecord r = only();
        assertEquals(40L, r.get("orig_bytes"));
        assertEquals("SF", r.get("conn_state"));
        assertEquals(0L, r.get("missed_bytes"));
    }

    @Test
    void badChecksumIsSkippedAndReported() {
        RecordingAnalyzer rec = new RecordingAnalyzer("x", Set.of(80), null);
        ConnectionTracker t = tracker(rec);
        t.process(tcp(1, C, 40014, S, 80, "S", 0, 0));
        t.process(tcp(1.1, S, 80, C, 40014, "SA", 0, 1));
        t.process(tcp(1.2, C, 40014, S, 80, "A", 1, 1));
        t.process(Packets.badChecksum(tcp(1.3, C, 40014, S, 80, "PA", 1, 1, bytes("evil"))));
        t.process(tcp(1.4, C, 40014, S, 80, "PA", 1, 1, bytes("good")));
        t.finish();
        assertEquals("good", rec.made.get(0).origText());
        LogRecord r = only();
        assertEquals("ShACD", r.get("history"));
        assertEquals(3L, r.get("orig_pkts"), "packets with a bad checksum are not counted");
        assertTrue(weirdNames().contains("bad_TCP_checksum"));
        LogRecord w = sink.path("weird").get(0);
        assertEquals(r.get("uid"), w.get("uid"));
        assertEquals("TCP", w.get("source"));
        assertEquals("zeek", w.get("peer"));
    }

    @Test
    void dynamicDetectionAttachesAnalyzerAndViolationDetachesIt() {
        RecordingAnalyzer ssh = new RecordingAnalyzer("ssh", Set.of(), "SSH-");
        AnalyzerFactory confirming = new AnalyzerFactory() {
            public String service() {
                return "ssh";
            }

            public Set<Integer> wellKnownPorts(TransportProto p) {
                return Set.of();
            }

            public boolean detect(TransportProto p, boolean o, byte[] d, int off, int len) {
                return ssh.detect(p, o, d, off, len);
            }

            public StreamAnalyzer newStreamAnalyzer(ConnectionContext c) {
                StreamAnalyzer inner = ssh.newStreamAnalyzer(c);
                return new StreamAnalyzer() {
                    public void deliver(boolean o, double ts, byte[] d, int off, int len) {
                        inner.deliver(o, ts, d, off, len);
                        c.confirmProtocol("ssh");
                    }

                    public void gap(boolean o, double ts, long len) {
                    }

                    public void endOfData(boolean o, double ts) {
                    }

                    public void connectionDone(double ts) {
                        inner.connectionDone(ts);
                    }
                };
            }
        };
        ConnectionTracker t = tracker(confirming);
        t.process(tcp(1, C, 40015, S, 2222, "S", 0, 0));
        t.process(tcp(1.1, S, 2222, C, 40015, "SA", 0, 1));
        t.process(tcp(1.2, C, 40015, S, 2222, "A", 1, 1));
        t.process(tcp(1.3, S, 2222, C, 40015, "PA", 1, 1, bytes("SSH-2.0-x\r\n")));
        t.process(tcp(1.4, C, 40015, S, 2222, "PA", 1, 12, bytes("SSH-2.0-y\r\n")));
        t.finish();
        assertEquals(1, ssh.made.size());
        assertEquals("SSH-2.0-y\r\n", ssh.made.get(0).origText());
        assertEquals("SSH-2.0-x\r\n", ssh.made.get(0).respText());
        assertEquals("ssh", only().get("service"));

        // violation: the analyzer goes away and the service is withdrawn
        sink.records.clear();
        RecordingAnalyzer http = new RecordingAnalyzer("http", Set.of(80), null);
        AnalyzerFactory violating = new AnalyzerFactory() {
            public String service() {
                return "http";
            }

            public Set<Integer> wellKnownPorts(TransportProto p) {
                return Set.of(80);
            }

            public StreamAnalyzer newStreamAnalyzer(ConnectionContext c) {
                StreamAnalyzer inner = http.newStreamAnalyzer(c);
                return new StreamAnalyzer() {
                    public void deliver(boolean o, double ts, byte[] d, int off, int len) {
                        inner.deliver(o, ts, d, off, len);
                        c.confirmProtocol("http");
                        if (d[off] == 'X') {
                            c.protocolViolation("http", "not http");
                        }
                    }

                    public void gap(boolean o, double ts, long len) {
                    }

                    public void endOfData(boolean o, double ts) {
                    }

                    public void connectionDone(double ts) {
                        inner.connectionDone(ts);
                    }
                };
            }
        };
        ConnectionTracker t2 = tracker(violating);
        t2.process(tcp(1, C, 40016, S, 80, "S", 0, 0));
        t2.process(tcp(1.1, S, 80, C, 40016, "SA", 0, 1));
        t2.process(tcp(1.2, C, 40016, S, 80, "PA", 1, 1, bytes("GET")));
        t2.process(tcp(1.3, C, 40016, S, 80, "PA", 4, 1, bytes("X")));
        t2.process(tcp(1.4, C, 40016, S, 80, "PA", 5, 1, bytes("after")));
        t2.finish();
        assertEquals("GETX", http.made.get(0).origText(), "nothing delivered after the violation");
        assertTrue(http.made.get(0).done, "a detached analyzer is finished");
        assertNull(only().get("service"));
    }

    @Test
    void stateReturnsToZeroAfterConnectionsEndOrTimeOut() {
        ConnectionTracker t = tracker();
        double ts = 0;
        int maxActive = 0;
        for (int i = 0; i < 2000; i++) {
            ts += 0.5;
            int port = 20000 + i;
            for (DecodedPacket p : httpExchange(ts)) {
                DecodedPacket q = tcp(p.ts, p.srcPort == 80 ? S : C, p.srcPort == 80 ? 80 : port,
                        p.srcPort == 80 ? C : S, p.srcPort == 80 ? port : 80,
                        flagString(p.tcpFlags), p.seq, p.ack, java.util.Arrays.copyOfRange(p.buffer,
                                p.payloadOffset, p.payloadOffset + p.payloadLength));
                t.process(q);
            }
            t.process(udp(ts, "10.1.0." + (i % 200), 1000 + i, PUB, 53, bytes("q")));
            t.process(tcp(ts, "10.2.0." + (i % 200), 3000 + i, PUB, 443, "S", 1, 0));
            maxActive = Math.max(maxActive, t.activeConnections());
        }
        assertTrue(maxActive < 600, "live connections stay bounded by the timeouts: " + maxActive);
        assertTrue(t.pendingTimers() < 3000, "timers stay bounded: " + t.pendingTimers());
        t.process(udp(ts + 4000, "10.3.0.1", 1, "10.3.0.2", 2, bytes("z")));
        assertEquals(1, t.activeConnections(), "everything older timed out");
        t.finish();
        assertEquals(0, t.activeConnections());
        assertEquals(0, t.pendingTimers());
        assertEquals(0, t.bufferedBytes());
        assertEquals(6001, conns().size());
        assertEquals(0, weirds.stateSize() > 100 ? -1 : 0, "weird state stays small: " + weirds.stateSize());
    }

    private static String flagString(int f) {
        StringBuilder sb = new StringBuilder();
        if ((f & DecodedPacket.TCP_SYN) != 0) sb.append('S');
        if ((f & DecodedPacket.TCP_FIN) != 0) sb.append('F');
        if ((f & DecodedPacket.TCP_RST) != 0) sb.append('R');
        if ((f & DecodedPacket.TCP_PSH) != 0) sb.append('P');
        if ((f & DecodedPacket.TCP_ACK) != 0) sb.append('A');
        return sb.toString();
    }

    @Test
    void localNetsOptionAndPrivateSpace() {
        ConnectionTracker t = new ConnectionTracker(TrackerOptions.builder().localNets(List.of("8.8.0.0/16")).build(),
                List.of(), sink, weirds, new UidGenerator(3));
        t.process(udp(1, "1.2.3.4", 5555, PUB, 7, bytes("x")));
        t.process(udp(1, "1.2.3.4", 5555, "9.9.9.9", 7, bytes("x")));
        t.finish();
        LogRecord a = conns().stream().filter(r -> r.get("id.resp_h").toString().contains("8.8.8.8")).findFirst()
                .orElseThrow();
        assertEquals(false, a.get("local_orig"));
        assertEquals(true, a.get("local_resp"));
        LogRecord b = conns().stream().filter(r -> r.get("id.resp_h").toString().contains("9.9.9.9")).findFirst()
                .orElseThrow();
        assertFalse((Boolean) b.get("local_resp"));
    }

    @Test
    void establishedTcpTimesOutAfterFiveMinutesAndHandshakeOnlyAfterOne() {
        ConnectionTracker t = tracker();
        t.process(tcp(0, C, 41000, S, 80, "S", 0, 0));
        t.process(tcp(0.1, S, 80, C, 41000, "SA", 0, 1));
        t.process(tcp(0.2, C, 41000, S, 80, "A", 1, 1));
        t.process(udp(299, "10.9.9.9", 1, "10.9.9.8", 2, bytes("x")));
        assertEquals(0, conns().size());
        t.process(udp(301, "10.9.9.9", 1, "10.9.9.8", 2, bytes("x")));
        assertEquals(1, conns().size());
        assertEquals("S1", conns().get(0).get("conn_state"));
        assertEquals("ShA", conns().get(0).get("history"));
    }

    @Test
    void resetsAndHalfCloses() {
        ConnectionTracker t = tracker();
        // RSTO: originator aborts an established connection
        t.process(tcp(0, C, 41001, S, 80, "S", 0, 0));
        t.process(tcp(0.1, S, 80, C, 41001, "SA", 0, 1));
        t.process(tcp(0.2, C, 41001, S, 80, "A", 1, 1));
        t.process(tcp(0.3, C, 41001, S, 80, "R", 1, 0));
        // S2: originator closed, responder never did
        t.process(tcp(1, C, 41002, S, 80, "S", 0, 0));
        t.process(tcp(1.1, S, 80, C, 41002, "SA", 0, 1));
        t.process(tcp(1.2, C, 41002, S, 80, "A", 1, 1));
        t.process(tcp(1.3, C, 41002, S, 80, "FA", 1, 1));
        t.process(tcp(1.4, S, 80, C, 41002, "A", 1, 2));
        t.finish();
        LogRecord rsto = conns().stream().filter(r -> r.get("id.orig_p").equals(41001)).findFirst().orElseThrow();
        assertEquals("RSTO", rsto.get("conn_state"));
        assertEquals("ShAR", rsto.get("history"));
        LogRecord s2 = conns().stream().filter(r -> r.get("id.orig_p").equals(41002)).findFirst().orElseThrow();
        assertEquals("S2", s2.get("conn_state"));
        assertEquals("ShAFa", s2.get("history"));
    }

    @Test
    void udpBadChecksumIsHistoryCAndNotCounted() {
        ConnectionTracker t = tracker();
        t.process(Packets.badChecksum(udp(1, C, 5000, PUB, 7000, bytes("zz"))));
        t.finish();
        LogRecord r = only();
        assertEquals("C", r.get("history"));
        assertEquals("OTH", r.get("conn_state"));
        assertEquals(0L, r.get("orig_pkts"));
        assertEquals(List.of("bad_UDP_checksum"), weirdNames());
    }

    @Test
    void udpContentDetectionReplaysEarlierDatagrams() {
        RecordingAnalyzer quic = new RecordingAnalyzer("quic", Set.of(), "QQ");
        ConnectionTracker t = tracker(quic);
        t.process(udp(1, C, 5000, PUB, 7000, bytes("hello")));
        t.process(udp(1.1, PUB, 7000, C, 5000, bytes("QQ-reply")));
        t.process(udp(1.2, C, 5000, PUB, 7000, bytes("more")));
        t.finish();
        assertEquals(1, quic.made.size());
        assertEquals(List.of("Odgram5", "Rdgram8", "Odgram4", "done"), quic.made.get(0).events);
    }

    @Test
    void throwingAnalyzerIsDetachedNotFatal() {
        AnalyzerFactory bad = new AnalyzerFactory() {
            public String service() {
                return "bad";
            }

            public Set<Integer> wellKnownPorts(TransportProto p) {
                return Set.of(80);
            }

            public StreamAnalyzer newStreamAnalyzer(ConnectionContext c) {
                return new StreamAnalyzer() {
                    public void deliver(boolean o, double ts, byte[] d, int off, int len) {
                        throw new IllegalStateException("parser bug");
                    }

                    public void gap(boolean o, double ts, long len) {
                    }

                    public void endOfData(boolean o, double ts) {
                    }

                    public void connectionDone(double ts) {
                    }
                };
            }
        };
        ConnectionTracker t = tracker(bad);
        for (DecodedPacket p : httpExchange(1)) {
            t.process(p);
        }
        t.finish();
        assertEquals("SF", only().get("conn_state"));
    }

    @Test
    void ipv6FlowsAndIcmpv6NeighborDiscovery() {
        ConnectionTracker t = tracker();
        t.process(udp(1, "2001:db8::1", 5353, "2001:db8::2", 6000, bytes("abc")));
        t.process(udp(1.1, "2001:db8::2", 6000, "2001:db8::1", 5353, bytes("de")));
        t.process(icmp(2, "fe80::1", "fe80::2", 135, 0, new byte[24]));
        t.process(icmp(2.1, "fe80::2", "fe80::1", 136, 0, new byte[24]));
        t.finish();
        assertEquals(2, conns().size());
        LogRecord u = conns().stream().filter(r -> r.get("proto").equals("udp")).findFirst().orElseThrow();
        assertEquals(5353, u.get("id.resp_p"), "5353/udp is a likely server port: the first packet was a reply");
        assertEquals("^dD", u.get("history"));
        assertEquals(48L + 3, u.get("resp_ip_bytes"));
        LogRecord nd = conns().stream().filter(r -> r.get("proto").equals("icmp")).findFirst().orElseThrow();
        assertEquals(135, nd.get("id.orig_p"));
        assertEquals(136, nd.get("id.resp_p"));
        assertEquals(58L, nd.get("ip_proto"));
        assertEquals(1L, nd.get("resp_pkts"));
        assertEquals(true, nd.get("local_orig"), "fe80::/10 is link-local, in Zeek's private address space");
    }

    @Test
    void partialCloseTimerWhenArmed() {
        ConnectionTracker t = new ConnectionTracker(
                TrackerOptions.builder().armResetAndPartialCloseTimers(true).build(), List.of(), sink, weirds,
                new UidGenerator(5));
        // the responder is seen, then the originator's first packet is a FIN: a partial close
        t.process(tcp(1, S, 80, C, 42000, "A", 100, 200));
        t.process(tcp(1.5, C, 42000, S, 80, "FA", 200, 100));
        t.process(udp(4.6, "10.9.9.9", 1, "10.9.9.8", 2, bytes("x")));
        assertEquals(1, conns().size(), "removed tcp_partial_close_delay (3 s) after the FIN");
        t.finish();
        assertEquals(2, conns().size());
        ConnectionTracker d = tracker();
        d.process(tcp(1, S, 80, C, 42001, "A", 100, 200));
        d.process(tcp(1.5, C, 42001, S, 80, "FA", 200, 100));
        d.process(udp(4.6, "10.9.9.9", 1, "10.9.9.8", 2, bytes("x")));
        assertEquals(2, d.activeConnections(), "not armed by default, as with Zeek's default scripts");
    }
}
