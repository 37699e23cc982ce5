package org.workbench.analyzer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.workbench.analyzer.dns.DnsTestSupport.ip;
import static org.workbench.analyzer.dns.DnsTestSupport.rdata;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.workbench.analyzer.dns.DnsTestSupport.FakeConn;
import org.workbench.analyzer.dns.DnsTestSupport.Msg;
import org.workbench.analyzer.dns.DnsTestSupport.Records;
import org.workbench.analyzer.dns.DnsTestSupport.Weirds;
import org.workbench.flow.ConnId;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;

/** Bytes in, dns.log records and weirds out: UDP and TCP, pairing, record rendering, malformed input. */
class DnsAnalyzerTest {

    static final int IN = 1;
    static final int RESPONSE = 0x8180; // QR, RD, RA

    final Records records = new Records();
    final Weirds weirds = new Weirds();
    FakeConn conn;

    DatagramAnalyzer udp(DnsOptions options, ConnId id) {
        conn = new FakeConn("CdnsTest1", id, 100.0);
        return new DnsAnalyzerFactory(records, weirds, options).newDatagramAnalyzer(conn);
    }

    DatagramAnalyzer udp() {
        return udp(DnsOptions.defaults(), DnsTestSupport.udp("10.0.0.1", 40000, "10.0.0.53", 53));
    }

    StreamAnalyzer tcp() {
        conn = new FakeConn("CdnsTest2", DnsTestSupport.tcp("10.0.0.1", 40001, "10.0.0.53", 53), 100.0);
        return new DnsAnalyzerFactory(records, weirds).newStreamAnalyzer(conn);
    }

    static void send(DatagramAnalyzer a, boolean orig, double ts, byte[] m) {
        a.datagram(orig, ts, m, 0, m.length);
    }

    /** A response to "example.com" A with the given answer records appended by {@code answers}. */
    static byte[] response(int id, int qtype, int ancount, java.util.function.Consumer<Msg> answers) {
        Msg m = Msg.header(id, RESPONSE, 1, ancount, 0, 0).question("example.com", qtype, IN);
        answers.accept(m);
        return m.build();
    }

    LogRecord only() {
        assertEquals(1, records.rows.size(), records.rows.toString());
        return records.rows.get(0);
    }

    /** The answers of a single response to a query for example.com (query and response both seen). */
    List<?> answersOf(int qtype, int ancount, java.util.function.Consumer<Msg> answers) {
        DatagramAnalyzer a = udp();
        send(a, true, 100.0, Msg.query(7).question("example.com", qtype, IN).build());
        send(a, false, 100.25, response(7, qtype, ancount, answers));
        a.connectionDone(200.0);
        return (List<?>) only().get("answers");
    }

    @Test
    void queryAndResponseMakeOneRow() {
        DatagramAnalyzer a = udp();
        send(a, true, 100.0, Msg.query(0x1234).question("WWW.Example.COM", 1, IN).build());
        assertTrue(records.rows.isEmpty());
        // answer 1: CNAME whose owner and target end in pointers to the question name (offset 12)
        byte[] fixed = Msg.header(0x1234, RESPONSE | 0x0400, 1, 2, 0, 0).question("www.example.com", 1, IN)
                .pointer(12).u16(5).u16(IN).u32(3600).u16(4).u8(1).bytes('w').pointer(12)
                .pointer(12).u16(1).u16(IN).u32(60).u16(4).bytes(93, 184, 216, 34).build();
        send(a, false, 100.5, fixed);
        LogRecord r = only();
        assertEquals(100.0, r.get("ts"));
        assertEquals("CdnsTest1", r.get("uid"));
        assertEquals(ip("10.0.0.1"), r.get("id.orig_h"));
        assertEquals(40000, r.get("id.orig_p"));
        assertEquals(53, r.get("id.resp_p"));
        assertEquals("udp", r.get("proto"));
        assertEquals(0x1234L, r.get("trans_id"));
        assertEquals(0.5, (Double) r.get("rtt"), 1e-9);
        assertEquals("www.example.com", r.get("query"));
        assertEquals(1L, r.get("qclass"));
        assertEquals("C_INTERNET", r.get("qclass_name"));
        assertEquals(1L, r.get("qtype"));
        assertEquals("A", r.get("qtype_name"));
        assertEquals(0L, r.get("rcode"));
        assertEquals("NOERROR", r.get("rcode_name"));
        assertEquals(true, r.get("AA"));
        assertEquals(false, r.get("TC"));
        assertEquals(true, r.get("RD"));
        assertEquals(true, r.get("RA"));
        assertEquals(0L, r.get("Z"));
        assertEquals(List.of("w.www.example.com", "93.184.216.34"), r.get("answers"));
        assertEquals(List.of(3600.0, 60.0), r.get("TTLs"));
        assertEquals(false, r.get("rejected"));
        assertEquals(0L, r.get("opcode"));
        assertEquals("query", r.get("opcode_name"));
        assertEquals(List.of("dns"), conn.confirmed);
        assertTrue(weirds.list.isEmpty(), weirds.names().toString());
        assertEquals(DnsLog.SCHEMA.names(), r.schema().names());
    }

    @Test
    void recordTypesRenderAsZeekDoes() {
        assertEquals(List.of("2001:db8::1", "1.2.3.4", "::1.2.3.4", "::1", "fe80::200:deff:fead:beef"),
                answersOf(28, 5, m -> {
                    m.rr("example.com", 28, IN, 1, rdata(r -> r.u32(0x20010db8L).u32(0).u32(0).u32(1)));
                    m.rr("example.com", 28, IN, 1, rdata(r -> r.u32(0).u32(0).u32(0xffff).u32(0x01020304L)));
                    m.rr("example.com", 28, IN, 1, rdata(r -> r.u32(0).u32(0).u32(0).u32(0x01020304L)));
                    m.rr("example.com", 28, IN, 1, rdata(r -> r.u32(0).u32(0).u32(0).u32(1)));
                    m.rr("example.com", 28, IN, 1, rdata(r -> r.u32(0xfe800000L).u32(0).u32(0x0200deffL)
                            .u32(0xfeadbeefL)));
                }));
        records.rows.clear();
        assertEquals(List.of("ns1.example.com", "mail.example.com", "host.example.com", "ns.example.com"),
                answersOf(255, 4, m -> {
                    m.rr("example.com", 2, IN, 1, rdata(r -> r.name("NS1.example.com")));
                    m.rr("example.com", 15, IN, 1, rdata(r -> r.u16(10).name("mail.example.com")));
                    m.rr("example.com", 12, IN, 1, rdata(r -> r.name("host.example.com")));
                    m.rr("example.com", 6, IN, 1, rdata(r -> r.name("ns.example.com").name("admin.example.com")
                            .u32(1).u32(2).u32(3).u32(4).u32(5)));
                }));
        records.rows.clear();
        assertEquals(List.of("TXT 5 hello TXT 0  TXT 3 a,b", "SPF 6 v=spf1", "sip.example.com",
                        "NAPTR 100 10 s SIP+D2U _sip._udp.example.com"),
                answersOf(255, 5, m -> {
                    m.rr("example.com", 16, IN, 1, rdata(r -> r.u8(5).bytes("hello".getBytes()).u8(0).u8(3)
                            .bytes("a,b".getBytes())));
                    m.rr("example.com", 99, IN, 1, rdata(r -> r.u8(6).bytes("v=spf1".getBytes())));
                    m.rr("example.com", 257, IN, 1, rdata(r -> r.u8(0).u8(5).bytes("issueca.example".getBytes())));
                    m.rr("example.com", 33, IN, 1, rdata(r -> r.u16(1).u16(2).u16(5060).name("sip.example.com")));
                    m.rr("example.com", 35, IN, 1, rdata(r -> r.u16(100).u16(10).u8(1).bytes('s').u8(7)
                            .bytes("SIP+D2U".getBytes()).u8(0).name("_sip._udp.example.com")));
                }));
        records.rows.clear();
        assertEquals(List.of("DNSKEY 8", "DS 8 2", "RRSIG 1 <Root>", "RRSIG 48 example.com",
                        "NSEC example.com z.example.com", "NSEC3", "NSEC3PARAM", "SSHFP: 00ff10",
                        "LOC:  18 22 19", "BIND9 signing signal", "<unknown type=39>"),
                answersOf(255, 12, m -> {
                    m.rr("example.com", 48, IN, 1, rdata(r -> r.u16(257).u8(3).u8(8).bytes(1, 2, 3)));
                    m.rr("example.com", 43, IN, 1, rdata(r -> r.u16(1).u8(8).u8(2).bytes(9, 9)));
                    m.rr("example.com", 46, IN, 1, rdata(r -> r.u16(1).u8(8).u8(2).u32(1).u32(2).u32(3).u16(4)
                            .name("").bytes(7, 7)));
                    m.rr("example.com", 46, IN, 1, rdata(r -> r.u16(48).u8(8).u8(2).u32(1).u32(2).u32(3).u16(4)
                            .name("Example.com").bytes(7, 7)));
                    m.rr("example.com", 47, IN, 1, rdata(r -> r.name("z.example.com").bytes(0, 1, 0x40)));
                    m.rr("example.com", 50, IN, 1, rdata(r -> r.u8(1).u8(0).u16(0).u8(0).u8(2).bytes(1, 2)
                            .bytes(0, 1, 0x40)));
                    m.rr("example.com", 51, IN, 1, rdata(r -> r.u8(1).u8(0).u16(0).u8(0)));
                    m.rr("example.com", 44, IN, 1, rdata(r -> r.u8(1).u8(1).bytes(0x00, 0xff, 0x10)));
                    m.rr("example.com", 29, IN, 1, rdata(r -> r.u8(0).u8(0x12).u8(0x16).u8(0x13).u32(1).u32(2)
                            .u32(3)));
                    m.rr("example.com", 65534, IN, 1, rdata(r -> r.bytes(8, 0, 1, 0, 1)));
                    m.rr("example.com", 39, IN, 1, rdata(r -> r.name("other.example")));
                    m.rr("example.com", 65, IN, 1, rdata(r -> r.u16(1).name("").u16(1).u16(3).u8(2)
                            .bytes("h2".getBytes())));
                }));
        assertTrue(weirds.names().contains("DNS_RR_unknown_type(39)"), weirds.names().toString());
    }

    @Test
    void recordsWithoutAnswerTextStillSetFlagsAndRtt() {
        DatagramAnalyzer a = udp();
        send(a, true, 10.0, Msg.query(9).question("example.com", 11, IN).build());
        send(a, false, 10.5, response(9, 11, 1, m -> m.rr("example.com", 11, IN, 30, new byte[]{1, 2, 3, 4, 6})));
        a.connectionDone(20.0);
        LogRecord r = only();
        assertNull(r.get("answers"));
        assertNull(r.get("TTLs"));
        assertEquals(true, r.get("RA"));
        assertEquals(0.5, (Double) r.get("rtt"), 1e-9);
    }

    @Test
    void pairsByTransactionIdInFlight() {
        DatagramAnalyzer a = udp();
        send(a, true, 1.0, Msg.query(1).question("one.example", 1, IN).build());
        send(a, true, 2.0, Msg.query(2).question("two.example", 1, IN).build());
        send(a, true, 3.0, Msg.query(2).question("two-again.example", 1, IN).build());
        send(a, false, 4.0, Msg.header(2, RESPONSE, 1, 1, 0, 0).question("two.example", 1, IN)
                .rr("two.example", 1, IN, 5, new byte[]{2, 2, 2, 2}).build());
        send(a, false, 5.0, Msg.header(1, RESPONSE | 3, 1, 0, 0, 0).question("one.example", 1, IN).build());
        assertEquals(2, records.rows.size());
        LogRecord two = records.rows.get(0);
        assertEquals("two.example", two.get("query"));
        assertEquals(2.0, (Double) two.get("rtt"), 1e-9);
        assertEquals(List.of("2.2.2.2"), two.get("answers"));
        LogRecord one = records.rows.get(1);
        assertEquals("one.example", one.get("query"));
        assertEquals("NXDOMAIN", one.get("rcode_name"));
        assertEquals(3L, one.get("rcode"));
        assertNull(one.get("rtt"));
        assertEquals(true, one.get("rejected"));
        // a response nobody asked for, then the end of the connection
        send(a, false, 6.0, Msg.header(77, RESPONSE, 1, 1, 0, 0).question("lost.example", 1, IN)
                .rr("lost.example", 1, IN, 9, new byte[]{9, 9, 9, 9}).build());
        assertEquals(2, records.rows.size());
        a.connectionDone(30.0);
        assertEquals(4, records.rows.size());
        LogRecord unanswered = records.rows.get(2);
        assertEquals("two-again.example", unanswered.get("query"));
        assertNull(unanswered.get("rcode"));
        assertNull(unanswered.get("rcode_name"));
        assertEquals(3.0, unanswered.get("ts"));
        LogRecord unmatched = records.rows.get(3);
        assertEquals("lost.example", unmatched.get("query"));
        assertNull(unmatched.get("qtype"));
        assertNull(unmatched.get("rtt"));
        assertEquals(List.of("9.9.9.9"), unmatched.get("answers"));
        assertEquals(6.0, unmatched.get("ts"));
        a.connectionDone(31.0);
        assertEquals(4, records.rows.size(), "state is released once");
    }

    @Test
    void responseBeforeQueryIsPairedWhenTheQueryComes() {
        DatagramAnalyzer a = udp();
        send(a, false, 1.0, Msg.header(5, RESPONSE, 1, 1, 0, 0).question("x.example", 1, IN)
                .rr("x.example", 1, IN, 5, new byte[]{1, 1, 1, 1}).build());
        send(a, true, 1.1, Msg.query(5).question("x.example", 1, IN).build());
        LogRecord r = only();
        assertEquals(1.0, r.get("ts"));
        assertEquals("A", r.get("qtype_name"));
        assertEquals(List.of("1.1.1.1"), r.get("answers"));
    }

    @Test
    void pendingMessagesAreBounded() {
        DatagramAnalyzer a = udp(DnsOptions.defaults().withPendingLimits(3, 2),
                DnsTestSupport.udp("10.0.0.1", 40000, "10.0.0.53", 53));
        for (int i = 0; i < 10; i++) {
            send(a, true, i, Msg.query(1000 + i).question("q" + i + ".example", 1, IN).build());
        }
        assertTrue(records.rows.size() >= 6, "unanswered queries beyond the limits are logged early");
        a.connectionDone(100);
        assertEquals(10, records.rows.size());
    }

    @Test
    void multicastMessagesAreLoggedOneEach() {
        DatagramAnalyzer a = udp(DnsOptions.defaults(), DnsTestSupport.udp("192.168.0.2", 5353, "224.0.0.251", 5353));
        send(a, true, 1.0, Msg.header(0, 0, 1, 0, 0, 0).question("printer.local", 1, IN).build());
        assertEquals(1, records.rows.size());
        send(a, true, 2.0, Msg.header(0, 0x8400, 0, 1, 0, 0).rr("printer.local", 1, 0x8001, 120,
                new byte[]{(byte) 192, (byte) 168, 0, 9}).build());
        assertEquals(2, records.rows.size());
        assertEquals(List.of("192.168.0.9"), records.rows.get(1).get("answers"));
        assertEquals(ip("192.168.0.2"), records.rows.get(1).get("id.orig_h"), "no role flip towards multicast");
        a.connectionDone(3.0);
        assertEquals(2, records.rows.size());
    }

    @Test
    void responseFromOriginatorFlipsRoles() {
        DatagramAnalyzer a = udp(DnsOptions.defaults(), DnsTestSupport.udp("10.0.0.53", 53, "10.0.0.1", 40000));
        send(a, true, 1.0, response(3, 1, 1, m -> m.rr("example.com", 1, IN, 5, new byte[]{1, 2, 3, 4})));
        a.connectionDone(2.0);
        LogRecord r = only();
        assertEquals(ip("10.0.0.1"), r.get("id.orig_h"));
        assertEquals(40000, r.get("id.orig_p"));
        assertEquals(53, r.get("id.resp_p"));
    }

    @Test
    void tcpMessagesAcrossAndWithinSegments() {
        StreamAnalyzer a = tcp();
        byte[] q1 = Msg.query(1).question("a.example", 1, IN).build();
        byte[] q2 = Msg.query(2).question("b.example", 28, IN).build();
        byte[] stream = concat(framed(q1), framed(q2));
        for (int i = 0; i < stream.length; i++) {
            a.deliver(true, 1.0 + i * 0.001, stream, i, 1); // one byte at a time
        }
        byte[] r1 = Msg.header(1, RESPONSE, 1, 1, 0, 0).question("a.example", 1, IN)
                .rr("a.example", 1, IN, 5, new byte[]{1, 1, 1, 1}).build();
        byte[] r2 = Msg.header(2, RESPONSE, 1, 0, 0, 0).question("b.example", 28, IN).build();
        byte[] both = concat(framed(r1), framed(r2));
        a.deliver(false, 2.0, both, 0, both.length); // two messages in one segment
        assertEquals(2, records.rows.size());
        assertEquals("tcp", records.rows.get(0).get("proto"));
        assertEquals(List.of("1.1.1.1"), records.rows.get(0).get("answers"));
        assertEquals("b.example", records.rows.get(1).get("query"));
        assertEquals("AAAA", records.rows.get(1).get("qtype_name"));
        a.connectionDone(3.0);
        assertEquals(2, records.rows.size());
        assertTrue(weirds.list.isEmpty(), weirds.names().toString());
    }

    @Test
    void tcpGapLosesOnlyTheDamagedMessage() {
        StreamAnalyzer a = tcp();
        byte[] q1 = framed(Msg.query(1).question("a.example", 1, IN).build());
        byte[] q2 = framed(Msg.query(2).question("b.example", 1, IN).build());
        a.deliver(true, 1.0, q1, 0, 5);
        a.gap(true, 1.0, 4);
        a.deliver(true, 1.0, q1, 9, q1.length - 9);
        a.deliver(true, 1.1, q2, 0, q2.length);
        a.connectionDone(2.0);
        LogRecord r = only();
        assertEquals("b.example", r.get("query"));
        assertTrue(weirds.list.isEmpty(), weirds.names().toString());
    }

    @Test
    void tcpPartialMessageIsParsedAtTheEnd() {
        StreamAnalyzer a = tcp();
        byte[] q = framed(Msg.query(1).question("a.example", 1, IN).build());
        a.deliver(true, 1.0, q, 0, 10); // length prefix plus 8 header bytes
        a.endOfData(true, 1.5);
        assertEquals(List.of("DNS_truncated_len_lt_hdr_len"), weirds.names());
        a.connectionDone(2.0);
        assertTrue(records.rows.isEmpty());
    }

    @Test
    void malformedMessagesBecomeZeekWeirds() {
        assertEquals(List.of("DNS_truncated_len_lt_hdr_len"), weirdsFor(new byte[]{1, 2, 3, 4, 5}));
        assertEquals(List.of("DNS_unknown_opcode(3)"), weirdsFor(Msg.header(1, 3 << 11, 1, 0, 0, 0).build()));
        // the question name points at itself
        assertEquals(List.of("DNS_label_forward_compress_offset"),
                weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).pointer(12).u16(1).u16(1).build()));
        // pointer beyond the end of the message
        assertEquals(List.of("DNS_label_forward_compress_offset"),
                weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).pointer(200).u16(1).u16(1).build()));
        assertEquals(List.of("DNS_label_too_long"),
                weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).u8(64).bytes(new byte[64]).u8(0).u16(1).u16(1).build()));
        assertEquals(List.of("DNS_label_len_gt_pkt"),
                weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).u8(20).bytes(1, 2, 3).build()));
        assertEquals(List.of("dns_invalid_name"), weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).u8(1).bytes('a').build()));
        assertEquals(List.of("DNS_truncated_quest_too_short"),
                weirdsFor(Msg.header(1, 0, 1, 0, 0, 0).name("a.example").u16(1).build()));
        assertEquals(List.of("DNS_truncated_RR_rdlength_lt_len"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 1, IN).name("a.example").u16(1).u16(1).u32(1).u16(50).bytes(1, 2).build()));
        assertEquals(List.of("DNS_RR_bad_length"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 1, IN).rr("a.example", 1, IN, 1, new byte[]{1, 2, 3, 4, 5}).build()));
        assertEquals(List.of("DNS_TXT_char_str_past_rdlen"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 16, IN).rr("a.example", 16, IN, 1, new byte[]{9, 'a'}).build()));
        assertEquals(List.of("DNS_zero_rdlength"), weirdsFor(Msg.header(1, RESPONSE, 1, 2, 0, 0)
                .question("a.example", 1, IN).rr("a.example", 1, IN, 1, new byte[0])
                .rr("a.example", 1, IN, 1, new byte[]{1, 2, 3, 4}).build()));
        assertEquals(List.of("DNS_RR_length_mismatch"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 5, IN).rr("a.example", 5, IN, 1, rdata(r -> r.name("b.example").u8(0)))
                .build()));
        assertEquals(List.of("dns_invalid_loc_length"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 29, IN).rr("a.example", 29, IN, 1, new byte[]{0, 1}).build()));
        assertEquals(List.of("DNS_SVCB_wrong_length"), weirdsFor(Msg.header(1, RESPONSE, 1, 1, 0, 0)
                .question("a.example", 65, IN).rr("a.example", 65, IN, 1, new byte[]{0, 1}).build()));
    }

    @Test
    void longNamesAndCompressionChains() {
        // 5 labels of 63 bytes: 320 bytes, over the 255-byte limit but within Zeek's buffer
        Msg m = Msg.header(1, 0, 1, 0, 0, 0);
        for (int i = 0; i < 5; i++) {
            m.u8(63).bytes(new byte[63]);
        }
        assertEquals(List.of("DNS_NAME_too_long"), weirdsFor(m.u8(0).u16(1).u16(1).build()));

        // a chain of 25 pointers, each to the previous one, hidden in a HINFO record's RDATA (which Zeek skips);
        // a second record's owner name starts the chain: depth limit 20
        Msg links = new Msg();
        int rdataAt = 12 + 1 + 10;
        links.u8(1).bytes('a').u8(0);
        int prev = rdataAt;
        int at = rdataAt + 3;
        for (int i = 0; i < 25; i++) {
            links.u8(1).bytes('b').pointer(prev);
            prev = at;
            at += 4;
        }
        byte[] chain = Msg.header(1, RESPONSE, 0, 2, 0, 0).rr("", 13, IN, 1, links.build())
                .pointer(prev).u16(1).u16(IN).u32(1).u16(4).bytes(1, 2, 3, 4).build();
        assertEquals(List.of("DNS_max_compression_chain_depth_exceeded(21)"), weirdsFor(chain));
    }

    @Test
    void tooManyQuestionsIsAViolation() {
        Msg m = Msg.header(1, 0, 30, 0, 0, 0);
        assertEquals(List.of("DNS_Conn_count_too_large(30 > 25)"), weirdsFor(m.build()));
        assertEquals(List.of("DNS_Conn_count_too_large"), conn.violations);
        assertTrue(conn.confirmed.isEmpty());
    }

    @Test
    void randomBytesNeverThrow() {
        java.util.Random rnd = new java.util.Random(42);
        DatagramAnalyzer a = udp();
        byte[] good = response(7, 1, 2, m -> {
            m.rr("example.com", 5, IN, 60, rdata(r -> r.name("alias.example.com")));
            m.rr("example.com", 16, IN, 60, rdata(r -> r.u8(3).bytes('a', 'b', 'c')));
        });
        for (int i = 0; i < 20000; i++) {
            byte[] b;
            if (i % 2 == 0) {
                b = new byte[rnd.nextInt(80)];
                rnd.nextBytes(b);
            } else {
                b = good.clone();
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                    b[12 + rnd.nextInt(b.length - 12)] = (byte) rnd.nextInt(256);
                }
            }
            send(a, rnd.nextBoolean(), i, b);
        }
        StreamAnalyzer t = tcp();
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            t.deliver(rnd.nextBoolean(), i, b, 0, b.length);
            if (i % 100 == 0) {
                t.gap(rnd.nextBoolean(), i, rnd.nextInt(70000));
            }
        }
        a.connectionDone(1e6);
        t.connectionDone(1e6);
        assertFalse(records.rows.isEmpty());
        for (String v : conn.violations) {
            assertFalse(v.startsWith("internal error"), v);
        }
    }

    @Test
    void netbiosNamesAreDecoded() {
        DatagramAnalyzer a = udp(DnsOptions.defaults(), DnsTestSupport.udp("10.0.0.1", 137, "10.0.0.255", 137));
        // "WORKGROUP" padded with spaces, suffix 0x00, NetBIOS first-level encoding (RFC 1001 section 14.1)
        String encoded = netbiosEncode("WORKGROUP      ", 0);
        send(a, true, 1.0, Msg.header(0x88, 0x0110, 1, 0, 0, 0).question(encoded, 32, IN).build());
        a.connectionDone(2.0);
        LogRecord r = only();
        assertEquals("WORKGROUP", r.get("query"));
        assertEquals("netbios-query", r.get("opcode_name"));
        assertEquals("NIMLOC", r.get("qtype_name"));
    }

    @Test
    void optionalColumns() {
        DatagramAnalyzer a = udp(DnsOptions.defaults().withAuthAddl().withOriginalQuery(),
                DnsTestSupport.udp("10.0.0.1", 40000, "10.0.0.53", 53));
        send(a, true, 1.0, Msg.query(4).question("MiXeD.Example", 1, IN).build());
        send(a, false, 1.5, Msg.header(4, RESPONSE, 1, 1, 1, 1).question("mixed.example", 1, IN)
                .rr("mixed.example", 1, IN, 5, new byte[]{4, 4, 4, 4})
                .rr("example", 2, IN, 5, rdata(r -> r.name("ns.example")))
                .rr("ns.example", 1, IN, 5, new byte[]{5, 5, 5, 5}).build());
        LogRecord r = only();
        assertEquals(DnsLog.schema(true, true).names(), r.schema().names());
        assertEquals("mixed.example", r.get("query"));
        assertEquals("MiXeD.Example", r.get("original_query"));
        assertEquals(List.of("ns.example"), r.get("auth"));
        assertEquals(List.of("5.5.5.5"), r.get("addl"));
    }

    @Test
    void dynamicUpdateIsSummarisedLikeZeek() {
        DatagramAnalyzer a = udp();
        java.util.function.IntFunction<byte[]> update = flags -> Msg.header(0x2a, flags, 1, 1, 2, 0)
                .question("example.com", 6, IN) // zone section: name, type SOA, class
                .rr("host.example.com", 5, 254, 0, new byte[0]) // prerequisite: no CNAME RRset
                .rr("host.example.com", 28, 255, 0, new byte[0]) // update: delete the AAAA RRset
                .rr("host.example.com", 1, IN, 1200, new byte[]{10, 0, 0, 9}) // update: add an A record
                .build();
        send(a, true, 1.0, update.apply(5 << 11));
        send(a, false, 1.25, update.apply(0x8000 | (5 << 11)));
        LogRecord r = only();
        assertEquals(List.of("pre: NoRRSet CNAME host.example.com", "del: RRSet AAAA",
                "add: A host.example.com 10.0.0.9"), r.get("answers"));
        assertEquals(List.of(0.0, 0.0, 1200.0), r.get("TTLs"));
        assertEquals("host.example.com", r.get("query"));
        assertEquals("dynamic-update", r.get("opcode_name"));
        assertEquals(5L, r.get("opcode"));
        assertNull(r.get("qtype"));
        assertTrue(weirds.list.isEmpty(), weirds.names().toString());
    }

    @Test
    void unusualBytesInNamesAreKeptRaw() {
        DatagramAnalyzer a = udp();
        byte[] q = Msg.query(3).u8(3).bytes('a', 0, '.').u8(2).bytes(0xff, 'B').u8(0).u16(1).u16(IN).build();
        send(a, true, 1.0, q);
        a.connectionDone(2.0);
        // one char per byte, lower-cased ASCII only; escaping is the log writer's business
        assertEquals("a" + (char) 0 + ".." + (char) 0xff + "b", only().get("query"));
    }

    @Test
    void factoryFacts() {
        DnsAnalyzerFactory f = new DnsAnalyzerFactory(records, weirds);
        assertEquals("dns", f.service());
        assertEquals(Set.of(53, 137, 5353, 5355), f.wellKnownPorts(TransportProto.UDP));
        assertEquals(Set.of(53), f.wellKnownPorts(TransportProto.TCP));
        assertEquals(Set.of(), f.wellKnownPorts(TransportProto.ICMP));
        byte[] q = Msg.query(1).question("a.example", 1, IN).build();
        assertFalse(f.detect(TransportProto.UDP, true, q, 0, q.length), "Zeek has no DNS signature");
    }

    @Test
    void names() {
        assertEquals("A", DnsNames.typeName(1));
        assertEquals("HTTPS", DnsNames.typeName(65));
        assertEquals("HIP", DnsNames.typeName(55));
        assertEquals("query-54", DnsNames.typeName(54));
        assertEquals("SPF", DnsNames.typeName(99));
        assertEquals("EUI64", DnsNames.typeName(109));
        assertEquals("*", DnsNames.typeName(255));
        assertEquals("CAA", DnsNames.typeName(257));
        assertEquals("query-65534", DnsNames.typeName(65534));
        assertEquals("C_INTERNET", DnsNames.className(1));
        assertEquals("qclass-32769", DnsNames.className(32769));
        assertEquals("NXRRSet", DnsNames.rcodeName(8));
        assertEquals("rcode-24", DnsNames.rcodeName(24));
        assertEquals("dynamic-update", DnsNames.opcodeName(5, false));
        assertEquals("netbios-registration", DnsNames.opcodeName(5, true));
        assertEquals("opcode-3", DnsNames.opcodeName(3, false));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    List<String> weirdsFor(byte[] message) {
        weirds.list.clear();
        DatagramAnalyzer a = udp();
        send(a, false, 1.0, message);
        a.connectionDone(2.0);
        return weirds.names();
    }

    static byte[] framed(byte[] m) {
        byte[] out = new byte[m.length + 2];
        out[0] = (byte) (m.length >> 8);
        out[1] = (byte) m.length;
        System.arraycopy(m, 0, out, 2, m.length);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String netbiosEncode(String name15, int suffix) {
        StringBuilder sb = new StringBuilder();
        String s = name15 + (char) suffix;
        for (char ch : s.toCharArray()) {
            sb.append((char) ('A' + (ch >> 4))).append((char) ('A' + (ch & 0xf)));
        }
        return sb.toString();
    }
}
