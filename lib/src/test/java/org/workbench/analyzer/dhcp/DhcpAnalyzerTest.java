package org.workbench.analyzer.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

/** DHCP messages built here, parsed and joined into dhcp.log rows. */
class DhcpAnalyzerTest {
    static final byte[] MAC = {0x00, 0x0a, 0x28, 0x00, (byte) 0xfa, 0x42};

    /** Builds a BOOTP/DHCP message. */
    static final class Msg {
        final byte[] header = new byte[236];
        final ByteArrayOutputStream opts = new ByteArrayOutputStream();
        long cookie = DhcpParser.COOKIE;
        boolean end = true;

        Msg(int op, long xid, byte[] chaddr) {
            header[0] = (byte) op;
            header[1] = 1;
            header[2] = 6;
            for (int i = 0; i < 4; i++) {
                header[4 + i] = (byte) (xid >>> (24 - 8 * i));
            }
            System.arraycopy(chaddr, 0, header, 28, chaddr.length);
        }

        Msg yiaddr(int a, int b, int c, int d) {
            header[16] = (byte) a;
            header[17] = (byte) b;
            header[18] = (byte) c;
            header[19] = (byte) d;
            return this;
        }

        Msg opt(int code, int... value) {
            opts.write(code);
            opts.write(value.length);
            for (int v : value) {
                opts.write(v);
            }
            return this;
        }

        Msg opt(int code, String text) {
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            opts.write(code);
            opts.write(b.length);
            opts.write(b, 0, b.length);
            return this;
        }

        Msg raw(int... bytes) {
            for (int v : bytes) {
                opts.write(v);
            }
            return this;
        }

        Msg type(int t) {
            return opt(53, t);
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header, 0, header.length);
            out.write((int) (cookie >>> 24));
            out.write((int) (cookie >>> 16));
            out.write((int) (cookie >>> 8));
            out.write((int) cookie);
            byte[] o = opts.toByteArray();
            out.write(o, 0, o.length);
            if (end) {
                out.write(255);
            }
            return out.toByteArray();
        }
    }

    static final class Conn implements ConnectionContext {
        final String uid;
        final ConnId id;
        final List<String> violations = new ArrayList<>();
        int confirmations;

        Conn(String uid, String origH, int origP, String respH, int respP) throws Exception {
            this.uid = uid;
            this.id = new ConnId(InetAddress.getByName(origH), origP, InetAddress.getByName(respH), respP,
                    TransportProto.UDP);
        }

        public String uid() {
            return uid;
        }

        public ConnId id() {
            return id;
        }

        public double startTime() {
            return 0;
        }

        public void confirmProtocol(String service) {
            assertEquals("dhcp", service);
            confirmations++;
        }

        public void protocolViolation(String service, String reason) {
            violations.add(reason);
        }

        public void weird(double ts, String name, String addl, String source) {
            throw new AssertionError("DHCP raises no connection weirds: " + name);
        }
    }

    final LogCollector logs = new LogCollector();
    final List<String> weirds = new ArrayList<>();
    final WeirdReporter weirdReporter = (ts, name, uid, id, addl, source) ->
            weirds.add(name + "|" + addl + "|" + source + "|" + uid);

    static DhcpMessage parse(byte[] b) {
        DhcpParser.Result r = new DhcpParser().parse(b, 0, b.length);
        assertNull(r.violation(), () -> "violation " + r.violation());
        return r.message();
    }

    @Test
    void parsesHeaderAndOptions() throws Exception {
        byte[] b = new Msg(2, 0x3d11, MAC).yiaddr(192, 168, 0, 10).type(5)
                .opt(1, 255, 255, 255, 0)
                .opt(3, 192, 168, 0, 1, 192, 168, 0, 2)
                .opt(6, 8, 8, 8, 8)
                .opt(12, "host1")
                .opt(15, "example.org\0\0")
                .opt(50, 192, 168, 0, 10)
                .opt(51, 0, 0, 0x0e, 0x10)
                .opt(54, 10, 10, 0, 1)
                .opt(55, 1, 3, 6, 15)
                .opt(56, "no way")
                .opt(57, 0x05, 0xdc)
                .opt(60, "MSFT 5.0")
                .opt(61, 1, 0, 0x0a, 0x28, 0, 0xfa, 0x42)
                .opt(81, 0, 0, 0, 'a', '.', 'b')
                .opt(82, 1, 2, 'c', 'i', 2, 1, 0x13, 6, 3, 's', 'u', 'b')
                .raw(0, 0)
                .bytes();
        DhcpMessage m = parse(b);
        assertEquals(2, m.op());
        assertEquals(5, m.msgType());
        assertEquals("ACK", m.typeName());
        assertEquals(0x3d11, m.xid());
        assertEquals("00:0a:28:00:fa:42", m.chaddr());
        assertEquals(InetAddress.getByName("192.168.0.10"), m.yiaddr());
        DhcpMessage.Options o = m.options();
        assertEquals(InetAddress.getByName("255.255.255.0"), o.subnetMask);
        assertEquals(List.of(InetAddress.getByName("192.168.0.1"), InetAddress.getByName("192.168.0.2")), o.routers);
        assertEquals(List.of(InetAddress.getByName("8.8.8.8")), o.dnsServers);
        assertEquals("host1", o.hostName);
        assertEquals("example.org", o.domainName);
        assertEquals(InetAddress.getByName("192.168.0.10"), o.addrRequest);
        assertEquals(3600.0, o.lease);
        assertEquals(InetAddress.getByName("10.10.0.1"), o.servAddr);
        assertEquals(List.of(1, 3, 6, 15), o.paramList);
        assertEquals("no way", o.message);
        assertEquals(1500, o.maxMsgSize);
        assertEquals("MSFT 5.0", o.vendorClass);
        assertEquals(new DhcpMessage.ClientId(1, "00:0a:28:00:fa:42"), o.clientId);
        assertEquals(new DhcpMessage.ClientFqdn(0, 0, 0, "a.b"), o.clientFqdn);
        assertEquals(List.of(new DhcpMessage.SubOption(1, "ci"), new DhcpMessage.SubOption(2, "\u0013"),
                new DhcpMessage.SubOption(6, "sub")), o.subOpt);
        assertEquals(List.of(53, 1, 3, 6, 12, 15, 50, 51, 54, 55, 56, 57, 60, 61, 81, 82, 0, 0), o.codes);
    }

    @Test
    void unknownTypesAndMacFormats() {
        assertEquals("unknown-message-type-19", DhcpMessage.typeName(19));
        assertEquals("TLS", DhcpMessage.typeName(18));
        byte[] eight = {1, 2, 3, 4, 5, 6, 7, 8};
        assertEquals("01:02:03:04:05:06:07:08", DhcpParser.formatMac(eight, 0, 8));
        assertEquals("01:02:03:04:05:06", DhcpParser.formatMac(new byte[] {1, 2, 3, 4, 5, 6, 0, 0, 9}, 0, 9));
        assertEquals("", DhcpParser.formatMac(eight, 0, 4));
        // client id of hardware type 0 keeps its bytes
        DhcpMessage m = parse(new Msg(1, 1, MAC).type(1).opt(61, 0, 'c', 'i', 's').bytes());
        assertEquals(new DhcpMessage.ClientId(0, "cis"), m.options().clientId);
    }

    @Test
    void fixedSizeOptionsTakeTheirSizeWhateverTheLengthSays() {
        // lease time with length 2 still takes 4 bytes: the next option starts after them, as in Zeek
        DhcpMessage m = parse(new Msg(2, 1, MAC).type(5).raw(51, 2, 0, 0, 0, 60).opt(12, "h").bytes());
        assertEquals(60.0, m.options().lease);
        assertEquals("h", m.options().hostName);
    }

    @Test
    void malformedDatagramsAreViolationsNotExceptions() {
        DhcpParser p = new DhcpParser();
        assertTrue(p.parse(new byte[10], 0, 10).violation().startsWith("Binpac exception"));
        byte[] noEnd = new Msg(1, 1, MAC).type(1).opt(12, "x").bytes();
        noEnd = java.util.Arrays.copyOf(noEnd, noEnd.length - 1);
        assertNull(p.parse(noEnd, 0, noEnd.length).message());
        byte[] cut = new Msg(1, 1, MAC).type(1).raw(12, 40, 'x').bytes();
        assertTrue(p.parse(cut, 0, cut.length).violation().startsWith("Binpac exception"));
        Msg bad = new Msg(1, 2, MAC).type(1);
        bad.cookie = 0x01020304;
        byte[] b = bad.bytes();
        DhcpParser.Result r = p.parse(b, 0, b.length);
        assertNull(r.message());
        assertEquals("bad cookie (16909060)", r.violation());
        byte[] noType = new Msg(1, 3, MAC).opt(12, "x").bytes();
        r = new DhcpParser().parse(noType, 0, noType.length);
        assertEquals("no DHCP message type option", r.violation());
        assertEquals(0, r.message().msgType());
        assertEquals("unknown-message-type-0", r.message().typeName());
        byte[] shortId = new Msg(1, 4, MAC).type(1).raw(61, 0).bytes();
        assertNotNull(new DhcpParser().parse(shortId, 0, shortId.length).violation());
        byte[] shortFqdn = new Msg(1, 4, MAC).type(1).raw(81, 2, 0, 0).bytes();
        assertNotNull(new DhcpParser().parse(shortFqdn, 0, shortFqdn.length).violation());
        // random garbage never throws
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] g = new Msg(1, i, MAC).type(1).bytes();
            int n = 240 + rnd.nextInt(60);
            byte[] x = java.util.Arrays.copyOf(g, n);
            for (int j = 240; j < n; j++) {
                x[j] = (byte) rnd.nextInt(256);
            }
            p.parse(x, 0, x.length);
        }
    }

    @Test
    void badCookieForgetsOptionsButAMalformedDatagramLeavesThemForTheNext() {
        DhcpParser p = new DhcpParser();
        Msg bad = new Msg(1, 1, MAC).type(1).opt(12, "old");
        bad.cookie = 0;
        byte[] b = bad.bytes();
        p.parse(b, 0, b.length);
        byte[] good = new Msg(1, 2, MAC).type(3).bytes();
        assertNull(p.parse(good, 0, good.length).message().options().hostName);
        byte[] broken = new Msg(1, 3, MAC).type(1).opt(12, "left").raw(12, 50).bytes();
        assertNull(p.parse(broken, 0, broken.length).message());
        assertEquals("left", p.parse(good, 0, good.length).message().options().hostName);
    }

    @Test
    void detectsTheCookie() {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter);
        byte[] b = new Msg(1, 1, MAC).type(1).bytes();
        assertTrue(f.detect(TransportProto.UDP, true, b, 0, b.length));
        assertFalse(f.detect(TransportProto.TCP, true, b, 0, b.length));
        assertFalse(f.detect(TransportProto.UDP, true, b, 0, 239));
        assertEquals(java.util.Set.of(67, 4011), f.wellKnownPorts(TransportProto.UDP));
        assertEquals("dhcp", f.service());
    }

    @Test
    void joinsAFullExchangeAcrossConnections() throws Exception {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter);
        Conn c1 = new Conn("C1", "0.0.0.0", 68, "255.255.255.255", 67);
        Conn c2 = new Conn("C2", "10.0.0.1", 67, "255.255.255.255", 68);
        Conn c3 = new Conn("C3", "10.0.0.50", 68, "10.0.0.1", 67);
        DatagramAnalyzer a1 = f.newDatagramAnalyzer(c1);
        DatagramAnalyzer a2 = f.newDatagramAnalyzer(c2);
        DatagramAnalyzer a3 = f.newDatagramAnalyzer(c3);
        send(a1, true, 100.0, new Msg(1, 7, MAC).type(1).opt(12, "laptop").opt(81, 0, 0, 0, 'l', '.', 'x')
                .opt(61, 1, 0, 0x0a, 0x28, 0, 0xfa, 0x42));
        send(a2, true, 100.5, new Msg(2, 7, MAC).yiaddr(10, 0, 0, 50).type(2).opt(51, 0, 0, 1, 0)
                .opt(15, "corp"));
        send(a1, true, 101.0, new Msg(1, 7, MAC).type(3).opt(50, 10, 0, 0, 50));
        send(a2, true, 101.25, new Msg(2, 7, MAC).yiaddr(10, 0, 0, 50).type(5).opt(51, 0, 0, 2, 0));
        send(a3, true, 102.0, new Msg(1, 9, MAC).type(8));
        assertEquals(0, logs.count("dhcp"));
        f.finish();
        assertEquals(2, logs.count("dhcp"));
        LogRecord r = logs.records("dhcp").get(0);
        assertEquals(100.0, r.get("ts"));
        assertEquals(List.of("C1", "C2"), r.get("uids"));
        assertEquals(InetAddress.getByName("10.0.0.50"), r.get("client_addr"));
        assertEquals(InetAddress.getByName("10.0.0.1"), r.get("server_addr"));
        assertEquals("00:0a:28:00:fa:42", r.get("mac"));
        assertEquals("laptop", r.get("host_name"));
        assertEquals("l.x", r.get("client_fqdn"));
        assertEquals("corp", r.get("domain"));
        assertEquals(InetAddress.getByName("10.0.0.50"), r.get("requested_addr"));
        assertEquals(InetAddress.getByName("10.0.0.50"), r.get("assigned_addr"));
        assertEquals(512.0, r.get("lease_time"));
        assertEquals(List.of("DISCOVER", "OFFER", "REQUEST", "ACK"), r.get("msg_types"));
        assertEquals(1.25, (Double) r.get("duration"), 1e-9);
        LogRecord inform = logs.records("dhcp").get(1);
        assertEquals(InetAddress.getByName("10.0.0.50"), inform.get("client_addr"));
        assertNull(inform.get("server_addr"));
        assertEquals(List.of("INFORM"), inform.get("msg_types"));
        assertEquals(4, c1.confirmations + c2.confirmations);
        assertTrue(weirds.isEmpty());
    }

    @Test
    void idleTransactionsAreWrittenAndLaterMessagesStartANewRow() throws Exception {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter);
        Conn c1 = new Conn("C1", "0.0.0.0", 68, "255.255.255.255", 67);
        DatagramAnalyzer a = f.newDatagramAnalyzer(c1);
        send(a, true, 0.0, new Msg(1, 7, MAC).type(1));
        send(a, true, 3.0, new Msg(1, 7, MAC).type(1));
        send(a, true, 30.0, new Msg(1, 7, MAC).type(1));
        assertEquals(1, logs.count("dhcp"));
        assertEquals(List.of("DISCOVER", "DISCOVER"), logs.records("dhcp").get(0).get("msg_types"));
        assertEquals(3.0, logs.records("dhcp").get(0).get("duration"));
        f.finish();
        assertEquals(2, logs.count("dhcp"));
        // without a client id the client's chaddr becomes the mac
        assertEquals("00:0a:28:00:fa:42", logs.records("dhcp").get(1).get("mac"));
    }

    @Test
    void limitsOfEntriesAndTrackedTransactions() throws Exception {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter,
                DhcpAnalyzerOptions.defaults().withEntryLimits(10, 3).withMaxTrackedTransactions(2));
        DatagramAnalyzer a = f.newDatagramAnalyzer(new Conn("C1", "0.0.0.0", 68, "255.255.255.255", 67));
        for (int i = 0; i < 4; i++) {
            send(a, true, i * 0.1, new Msg(1, 1, MAC).type(1));
        }
        assertEquals(1, logs.count("dhcp"));
        assertEquals(3, ((List<?>) logs.records("dhcp").get(0).get("msg_types")).size());
        send(a, true, 1, new Msg(1, 2, MAC).type(1));
        send(a, true, 1.1, new Msg(1, 3, MAC).type(1));
        assertEquals(List.of("DHCP_max_tracked_transactions_exceeded|2|DHCP|null"), weirds);
        assertEquals(2, logs.count("dhcp"));
        assertEquals(2, f.trackedTransactions());
        f.finish();
        assertEquals(4, logs.count("dhcp"));
    }

    @Test
    void policyColumns() throws Exception {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter,
                DhcpAnalyzerOptions.defaults().withSubOpts().withSoftware().withMsgOrig());
        assertEquals(List.of("ts", "uids", "client_addr", "server_addr", "mac", "host_name", "client_fqdn", "domain",
                "requested_addr", "assigned_addr", "lease_time", "client_message", "server_message", "msg_types",
                "duration", "msg_orig", "client_software", "server_software", "circuit_id", "agent_remote_id",
                "subscriber_id"), f.schema().names());
        Conn c = new Conn("C1", "192.168.0.10", 68, "10.10.0.1", 67);
        DatagramAnalyzer a = f.newDatagramAnalyzer(c);
        send(a, true, 1, new Msg(1, 5, MAC).type(3).opt(60, "MSFT 5.0").opt(56, "hello"));
        send(a, false, 1.5, new Msg(2, 5, MAC).yiaddr(192, 168, 0, 10).type(5).opt(60, "srv")
                .opt(82, 1, 3, 'a', 'b', 'c', 2, 1, 0x13, 6, 2, 'i', 'd'));
        f.finish();
        LogRecord r = logs.records("dhcp").get(0);
        assertEquals("MSFT 5.0", r.get("client_software"));
        assertEquals("srv", r.get("server_software"));
        assertEquals("hello", r.get("client_message"));
        assertEquals(List.of(InetAddress.getByName("192.168.0.10"), InetAddress.getByName("10.10.0.1")),
                r.get("msg_orig"));
        assertEquals("abc", r.get("circuit_id"));
        assertEquals("\u0013", r.get("agent_remote_id"));
        assertEquals("id", r.get("subscriber_id"));
        assertEquals(InetAddress.getByName("10.10.0.1"), r.get("server_addr"));
    }

    @Test
    void violationsReachTheConnection() throws Exception {
        DhcpAnalyzerFactory f = new DhcpAnalyzerFactory(logs, weirdReporter);
        Conn c = new Conn("C1", "0.0.0.0", 68, "255.255.255.255", 67);
        DatagramAnalyzer a = f.newDatagramAnalyzer(c);
        a.datagram(true, 1, new byte[] {1, 2, 3}, 0, 3);
        assertEquals(1, c.violations.size());
        assertEquals(0, c.confirmations);
        f.finish();
        assertEquals(0, logs.count("dhcp"));
    }

    private static void send(DatagramAnalyzer a, boolean isOrig, double ts, Msg m) {
        byte[] b = m.bytes();
        a.datagram(isOrig, ts, b, 0, b.length);
    }
}
