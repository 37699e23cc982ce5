package org.workbench.analyzer.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.files.x509.TestCerts;
import org.workbench.files.x509.X509Log;
import org.workbench.files.x509.X509Parser;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

class SslAnalyzerTest {
    @TempDir
    Path tmp;

    /** A connection context that records what the analyzer does to it. */
    static final class Ctx implements ConnectionContext {
        final List<String> weirds = new ArrayList<>();
        final List<String> violations = new ArrayList<>();
        final List<String> confirmed = new ArrayList<>();

        @Override
        public String uid() {
            return "CtestUid";
        }

        @Override
        public ConnId id() {
            try {
                return new ConnId(InetAddress.getByName("10.0.0.1"), 50000, InetAddress.getByName("10.0.0.2"), 443,
                        TransportProto.TCP);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public double startTime() {
            return 1;
        }

        @Override
        public void confirmProtocol(String service) {
            confirmed.add(service);
        }

        @Override
        public void protocolViolation(String service, String reason) {
            violations.add(reason);
        }

        @Override
        public void weird(double ts, String name, String addl, String source) {
            weirds.add(name);
        }
    }

    // ---- message builders

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] u8(int v) {
        return new byte[] {(byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static byte[] u24(int v) {
        return new byte[] {(byte) (v >> 16), (byte) (v >> 8), (byte) v};
    }

    static byte[] vec16(byte[] b) {
        return cat(u16(b.length), b);
    }

    static byte[] ext(int type, byte[] data) {
        return cat(u16(type), vec16(data));
    }

    static byte[] record(int type, int version, byte[] body) {
        return cat(u8(type), u16(version), vec16(body));
    }

    static byte[] hs(int type, byte[] body) {
        return cat(u8(type), u24(body.length), body);
    }

    static byte[] sni(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        return ext(0, vec16(cat(u8(0), vec16(n))));
    }

    static byte[] clientHello(int version, byte[] sessionId, byte[]... exts) {
        return hs(1, cat(u16(version), new byte[32], u8(sessionId.length), sessionId,
                vec16(cat(u16(0xc02f), u16(0x1301))), u8(1), u8(0), vec16(cat(exts))));
    }

    static byte[] serverHello(int version, byte[] sessionId, int cipher, byte[]... exts) {
        return hs(2, cat(u16(version), new byte[32], u8(sessionId.length), sessionId, u16(cipher), u8(0),
                vec16(cat(exts))));
    }

    static byte[] certificate(byte[]... certs) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        for (byte[] c : certs) {
            l.writeBytes(u24(c.length));
            l.writeBytes(c);
        }
        return hs(11, cat(u24(l.size()), l.toByteArray()));
    }

    static byte[] ecdheKeyExchange(int curve) {
        return hs(12, cat(u8(3), u16(curve), u8(4), new byte[] {1, 2, 3, 4}, u16(0x0401), vec16(new byte[8])));
    }

    final LogCollector logs = new LogCollector();
    final Ctx ctx = new Ctx();

    SslAnalyzer analyzer() {
        return new SslAnalyzer(ctx, logs, new X509Log(logs));
    }

    static void feed(SslAnalyzer a, boolean isOrig, byte[] data, int chunk) {
        for (int i = 0; i < data.length; i += chunk) {
            int n = Math.min(chunk, data.length - i);
            a.deliver(isOrig, 10, data, i, n);
        }
    }

    LogRecord onlySsl() {
        assertEquals(1, logs.count("ssl"), "ssl rows");
        return logs.records("ssl").get(0);
    }

    // ---- tests

    @Test
    void tls12HandshakeSplitIntoSingleBytes() throws Exception {
        byte[] cert = TestCerts.generate(tmp, "RSA", "CN=www.example.com, O=Example, C=US",
                "san=dns:www.example.com");
        byte[] ca = TestCerts.generate(tmp, "RSA", "CN=Example CA, O=Example, C=US", "bc=ca:true");
        SslAnalyzer a = analyzer();
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0], sni("www.example.com"),
                ext(16, vec16(cat(u8(2), "h2".getBytes()))))), 1);
        // ServerHello + Certificate + ServerKeyExchange + ServerHelloDone in one record, then split across records
        byte[] flight = cat(serverHello(0x0303, new byte[0], 0xc02f, ext(16, vec16(cat(u8(2), "h2".getBytes())))),
                certificate(cert, ca), ecdheKeyExchange(29), hs(14, new byte[0]));
        byte[] r1 = record(22, 0x0303, java.util.Arrays.copyOfRange(flight, 0, 100));
        byte[] r2 = record(22, 0x0303, java.util.Arrays.copyOfRange(flight, 100, flight.length));
        feed(a, false, cat(r1, r2), 3);
        feed(a, true, cat(record(22, 0x0303, hs(16, vec16(new byte[64]))), record(20, 0x0303, u8(1)),
                record(22, 0x0303, new byte[40])), 7);
        assertEquals(0, logs.count("ssl"), "not established before the server's encrypted records");
        feed(a, false, cat(record(20, 0x0303, u8(1)), record(22, 0x0303, new byte[40])), 5);
        LogRecord r = onlySsl();
        assertEquals("TLSv12", r.get("version"));
        assertEquals("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", r.get("cipher"));
        assertEquals("x25519", r.get("curve"));
        assertEquals("www.example.com", r.get("server_name"));
        assertEquals("h2", r.get("next_protocol"));
        assertEquals(Boolean.TRUE, r.get("established"));
        assertEquals(Boolean.FALSE, r.get("resumed"));
        assertEquals("CsxknGIi", r.get("ssl_history"));
        assertEquals(List.of(X509Parser.sha256(cert), X509Parser.sha256(ca)), r.get("cert_chain_fps"));
        assertEquals(List.of(), r.get("client_cert_chain_fps"));
        assertEquals(Boolean.TRUE, r.get("sni_matches_cert"));
        assertEquals(List.of("ssl"), ctx.confirmed);
        assertEquals(2, logs.count("x509"));
        assertEquals(Boolean.TRUE, logs.records("x509").get(0).get("host_cert"));
        assertEquals(Boolean.FALSE, logs.records("x509").get(1).get("host_cert"));
        assertEquals("CN=www.example.com,O=Example,C=US", logs.records("x509").get(0).get("certificate.subject"));
        // detached after establishment: later data changes nothing
        feed(a, false, record(21, 0x0303, cat(u8(2), u8(40))), 100);
        a.connectionDone(20);
        assertEquals(1, logs.count("ssl"));
        assertTrue(ctx.violations.isEmpty(), ctx.violations.toString());
    }

    @Test
    void tls13ViaSupportedVersionsAndKeyShare() {
        SslAnalyzer a = analyzer();
        byte[] sid = new byte[32];
        sid[0] = 1;
        feed(a, true, record(22, 0x0301, clientHello(0x0303, sid, sni("a.example"),
                ext(43, cat(u8(4), u16(0x0304), u16(0x0303))), ext(51, vec16(cat(u16(29), vec16(new byte[32])))))),
                1000);
        feed(a, false, cat(record(22, 0x0303, serverHello(0x0303, sid, 0x1302, ext(43, u16(0x0304)),
                ext(51, cat(u16(23), vec16(new byte[65]))))), record(20, 0x0303, u8(1)),
                record(23, 0x0303, new byte[50])), 1000);
        assertEquals(0, logs.count("ssl"));
        feed(a, true, cat(record(20, 0x0303, u8(1)), record(23, 0x0303, new byte[50])), 1000);
        LogRecord r = onlySsl();
        assertEquals("TLSv13", r.get("version"));
        assertEquals("TLS_AES_256_GCM_SHA384", r.get("cipher"));
        assertEquals("secp256r1", r.get("curve"));
        assertEquals("a.example", r.get("server_name"));
        assertEquals(Boolean.FALSE, r.get("resumed"), "same session id does not mean resumption in TLS 1.3");
        assertEquals(Boolean.TRUE, r.get("established"));
        assertEquals("CsiI", r.get("ssl_history"));
        assertNull(r.get("cert_chain_fps"));
        assertNull(r.get("sni_matches_cert"));
    }

    @Test
    void resumptionByTicketAndBySessionId() {
        SslAnalyzer a = analyzer();
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0], ext(35, new byte[16]))), 1000);
        feed(a, false, cat(record(22, 0x0303, serverHello(0x0303, new byte[0], 0xc02f)),
                record(20, 0x0303, u8(1)), record(22, 0x0303, new byte[40])), 1000);
        feed(a, true, cat(record(20, 0x0303, u8(1)), record(22, 0x0303, new byte[40])), 1000);
        assertEquals(Boolean.TRUE, onlySsl().get("resumed"));
        assertEquals("CsiI", onlySsl().get("ssl_history"));

        logs.clear();
        SslAnalyzer b = analyzer();
        byte[] sid = new byte[32];
        new Random(1).nextBytes(sid);
        feed(b, true, record(22, 0x0301, clientHello(0x0303, sid)), 1000);
        feed(b, false, record(22, 0x0303, serverHello(0x0303, sid, 0x0005)), 1000);
        b.connectionDone(30);
        LogRecord r = onlySsl();
        assertEquals(Boolean.TRUE, r.get("resumed"));
        assertEquals(Boolean.FALSE, r.get("established"));
        assertEquals("TLS_RSA_WITH_RC4_128_SHA", r.get("cipher"));
    }

    @Test
    void alertBeforeServerHelloIsLoggedAtTheEnd() {
        SslAnalyzer a = analyzer();
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0])), 1000);
        feed(a, false, record(21, 0x0303, cat(u8(2), u8(40))), 1000);
        a.endOfData(true, 11);
        assertEquals(0, logs.count("ssl"));
        a.connectionDone(12);
        LogRecord r = onlySsl();
        assertEquals("handshake_failure", r.get("last_alert"));
        assertEquals("Cl", r.get("ssl_history"));
        assertNull(r.get("version"));
        assertEquals(Boolean.FALSE, r.get("established"));
    }

    @Test
    void sslv2ClientHello() {
        SslAnalyzer a = analyzer();
        byte[] body = cat(u8(1), u16(0x0301), u16(3), u16(0), u16(16), new byte[] {1, 0, (byte) 0x80},
                new byte[16]);
        byte[] rec = cat(u16(0x8000 | body.length), body);
        feed(a, true, rec, 2);
        a.connectionDone(12);
        assertEquals("C", onlySsl().get("ssl_history"));
        assertEquals(List.of("ssl"), ctx.confirmed);
    }

    @Test
    void malformedRecordsBecomeViolationsNotExceptions() {
        SslAnalyzer a = analyzer();
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0])), 1000);
        feed(a, false, record(22, 0x0999, new byte[4]), 1000);
        assertEquals(1, ctx.violations.size(), ctx.violations.toString());
        assertTrue(ctx.violations.get(0).startsWith("Invalid version late in TLS connection"));
        LogRecord r = onlySsl();
        assertEquals("C", r.get("ssl_history"));
        feed(a, false, record(22, 0x0303, serverHello(0x0303, new byte[0], 0xc02f)), 1000);
        a.connectionDone(20);
        assertEquals(1, logs.count("ssl"));

        Random rnd = new Random(7);
        for (int i = 0; i < 300; i++) {
            LogCollector l = new LogCollector();
            SslAnalyzer x = new SslAnalyzer(new Ctx(), l, new X509Log(l));
            byte[] junk = new byte[rnd.nextInt(200)];
            rnd.nextBytes(junk);
            if (junk.length > 3) {
                junk[0] = 22;
                junk[1] = 3;
                junk[2] = 1;
            }
            x.deliver(true, 1, junk, 0, junk.length);
            byte[] truncated = record(22, 0x0303, java.util.Arrays.copyOf(
                    clientHello(0x0303, new byte[0], sni("x")), rnd.nextInt(60)));
            x.deliver(false, 1, truncated, 0, truncated.length);
            x.connectionDone(2);
        }
    }

    @Test
    void truncatedHandshakeMessageIsAViolation() {
        SslAnalyzer a = analyzer();
        byte[] ch = clientHello(0x0303, new byte[0]);
        byte[] bad = java.util.Arrays.copyOf(ch, ch.length);
        bad[3] = (byte) (bad[3] - 10); // announced length shorter than the message
        feed(a, true, record(22, 0x0301, bad), 1000);
        assertFalse(ctx.violations.isEmpty());
    }

    @Test
    void unknownHandshakeMessageAndManyServerNames() {
        SslAnalyzer a = analyzer();
        byte[] two = ext(0, vec16(cat(u8(0), vec16("a".getBytes()), u8(0), vec16("b".getBytes()))));
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0], two)), 1000);
        assertEquals(List.of("SSL_many_server_names"), ctx.weirds);
        feed(a, false, record(22, 0x0303, hs(99, new byte[3])), 1000);
        assertEquals(1, ctx.violations.size());
        assertEquals("a", onlySsl().get("server_name"));
    }

    @Test
    void gapStopsTheAnalysis() {
        SslAnalyzer a = analyzer();
        feed(a, true, record(22, 0x0301, clientHello(0x0303, new byte[0])), 1000);
        a.gap(false, 11, 100);
        feed(a, false, record(22, 0x0303, serverHello(0x0303, new byte[0], 0xc02f)), 1000);
        a.connectionDone(12);
        assertEquals("C", onlySsl().get("ssl_history"));
    }

    @Test
    void detection() {
        byte[] ch = record(22, 0x0301, clientHello(0x0303, new byte[0]));
        byte[] sh = record(22, 0x0303, serverHello(0x0303, new byte[0], 0xc02f));
        SslAnalyzerFactory f = new SslAnalyzerFactory(logs, (ts, n, u, id, ad, s) -> { }, null);
        assertTrue(f.detect(TransportProto.TCP, true, ch, 0, ch.length));
        assertFalse(f.detect(TransportProto.TCP, false, ch, 0, ch.length));
        assertTrue(f.detect(TransportProto.TCP, false, sh, 0, sh.length));
        byte[] alertFirst = cat(record(21, 0x0303, cat(u8(1), u8(0))), sh);
        assertTrue(f.detect(TransportProto.TCP, false, alertFirst, 0, alertFirst.length));
        assertFalse(f.detect(TransportProto.TCP, true, "GET / HTTP/1.1\r\n".getBytes(), 0, 16));
        assertTrue(f.wellKnownPorts(TransportProto.TCP).containsAll(List.of(443, 465, 563, 585, 614, 636, 989,
                990, 992, 993, 995, 5223)));
        assertEquals("ssl", f.service());
    }

    @Test
    void hostnameMatching() {
        assertTrue(SslAnalyzer.checkHostname("www.example.com", "*.example.com"));
        assertTrue(SslAnalyzer.checkHostname("www.example.com", "w*.example.com"));
        assertFalse(SslAnalyzer.checkHostname("example.com", "*.com"));
        assertFalse(SslAnalyzer.checkHostname("a.b.example.com", "*.example.com"));
        assertFalse(SslAnalyzer.checkHostname("WWW.example.com", "www.example.com"));
    }

    static byte[] dtlsRecord(int type, int epoch, long seq, byte[] body) {
        return cat(u8(type), u16(0xFEFD), u16(epoch), new byte[] {0, 0, 0, 0, 0, (byte) seq}, vec16(body));
    }

    static byte[] dtlsFragment(byte[] message, int seq, int off, int len) {
        int type = message[0];
        int total = message.length - 4;
        return cat(u8(type), u24(total), u16(seq), u24(off), u24(len),
                java.util.Arrays.copyOfRange(message, 4 + off, 4 + off + len));
    }

    @Test
    void dtlsWithFragmentedClientHello() {
        SslAnalyzer a = analyzer().dtls();
        byte[] ch = clientHello(0xFEFD, new byte[0], sni("d.example"));
        // DTLS ClientHello has a cookie after the session id: rebuild with an empty cookie
        ch = hs(1, cat(u16(0xFEFD), new byte[32], u8(0), u8(0), vec16(u16(0xc02f)), u8(1), u8(0),
                vec16(sni("d.example"))));
        int half = (ch.length - 4) / 2;
        byte[] d1 = dtlsRecord(22, 0, 1, dtlsFragment(ch, 0, 0, half));
        byte[] d2 = dtlsRecord(22, 0, 2, dtlsFragment(ch, 0, half, ch.length - 4 - half));
        a.datagram(true, 1, d2, 0, d2.length);
        a.datagram(true, 1, d1, 0, d1.length);
        byte[] sh = serverHello(0xFEFD, new byte[0], 0xc02f);
        byte[] s1 = cat(dtlsRecord(22, 0, 1, dtlsFragment(sh, 0, 0, sh.length - 4)),
                dtlsRecord(20, 0, 2, u8(1)), dtlsRecord(22, 1, 3, new byte[30]));
        a.datagram(false, 2, s1, 0, s1.length);
        byte[] c2 = cat(dtlsRecord(20, 0, 3, u8(1)), dtlsRecord(22, 1, 4, new byte[30]));
        a.datagram(true, 3, c2, 0, c2.length);
        LogRecord r = onlySsl();
        assertEquals("DTLSv12", r.get("version"));
        assertEquals("d.example", r.get("server_name"));
        assertEquals("CsiI", r.get("ssl_history"));
        assertEquals(Boolean.TRUE, r.get("established"));
        assertEquals(List.of("dtls"), ctx.confirmed);
        SslAnalyzerFactory f = new SslAnalyzerFactory(logs, (ts, n, u, id, ad, s) -> { }, null);
        assertTrue(f.dtlsFactory().detect(TransportProto.UDP, false, d1, 0, d1.length));
        assertFalse(f.detect(TransportProto.UDP, false, d1, 0, d1.length));
        assertEquals("dtls", f.dtlsFactory().service());
    }
}
