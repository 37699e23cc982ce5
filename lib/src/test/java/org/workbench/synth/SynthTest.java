package org.workbench.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.capture.CaptureReader;
import org.workbench.capture.RawPacket;
import org.workbench.packet.DecodedPacket;
import org.workbench.packet.PacketDecoder;

class SynthTest {
    @TempDir
    Path tmp;

    static final Host C = Host.of("02:00:00:00:00:01", "10.0.0.1");
    static final Host S = Host.of("02:00:00:00:00:02", "10.0.0.2");

    /** Decodes every frame of a timeline; fails on any weird or bad checksum. */
    static List<DecodedPacket> decodeAll(Timeline t) {
        PacketDecoder dec = new PacketDecoder((ts, n, u, id, a, s) -> fail("weird " + n), true);
        List<DecodedPacket> out = new ArrayList<>();
        long i = 0;
        for (Timeline.Frame f : t.frames()) {
            DecodedPacket p = new DecodedPacket();
            assertTrue(dec.decode(new RawPacket(i++, f.timestampNanos(), 1, f.bytes().length, f.bytes().length,
                    f.bytes()), p));
            assertTrue(p.transportChecksumValid);
            out.add(p);
        }
        return out;
    }

    @Test
    void tcpSessionSequenceNumbers() {
        Timeline t = new Timeline(1_000_000_000_000_000_000L, 100);
        byte[] data = new byte[2500];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        TcpSession s = new TcpSession(t, C, 40000, S, 80, 1000, 0xfffffe00L, 5000);
        s.handshake().send(true, "hello".getBytes(StandardCharsets.US_ASCII)).send(false, data).close(true);
        List<DecodedPacket> p = decodeAll(t);
        // SYN, SYN-ACK, ACK, "hello", ACK, 3 data segments, ACK, client FIN, server FIN, last ACK
        assertEquals(12, p.size());
        assertEquals(DecodedPacket.TCP_SYN, p.get(0).tcpFlags);
        assertEquals(0xfffffe00L, p.get(0).seq);
        assertEquals(DecodedPacket.TCP_SYN | DecodedPacket.TCP_ACK, p.get(1).tcpFlags);
        assertEquals(0xfffffe01L, p.get(1).ack);
        assertEquals(5, p.get(3).payloadLength);
        assertEquals(0xfffffe06L, p.get(4).ack);
        assertEquals(5001, p.get(5).seq);
        assertEquals(6001, p.get(6).seq);
        assertEquals(7001, p.get(7).seq);
        assertEquals(500, p.get(7).payloadLength);
        assertTrue((p.get(7).tcpFlags & DecodedPacket.TCP_PSH) != 0);
        assertEquals(7501, p.get(8).ack);
        assertEquals(DecodedPacket.TCP_FIN | DecodedPacket.TCP_ACK, p.get(9).tcpFlags);
        assertEquals(0xfffffe06L, p.get(9).seq);
        // sequence space wraps past 2^32 for the client
        assertEquals(0xfffffe07L, p.get(10).ack);
        assertEquals(0xfffffe07L, p.get(11).seq);
        assertEquals(7502L, p.get(11).ack);
        assertEquals(1_000_000_000_000_000_000L + 11 * 100_000L, p.get(11).raw.timestampNanos());
    }

    @Test
    void tcpFaultsAndReset() {
        Timeline t = new Timeline(0, 10);
        TcpSession s = new TcpSession(t, C, 40001, S, 80, 100, 1, 1000);
        s.handshake().send(false, new byte[500], TcpSession.Faults.none().drop(1).retransmit(2).swapWithNext(3))
                .reset(true);
        List<DecodedPacket> p = decodeAll(t);
        List<Long> dataSeqs = new ArrayList<>();
        for (DecodedPacket d : p) {
            if (d.payloadLength > 0) {
                dataSeqs.add(d.seq);
            }
        }
        // segments 0..4 at 1001, 1101, ...; 1 dropped, 2 twice, 3 and 4 swapped
        assertEquals(List.of(1001L, 1201L, 1201L, 1401L, 1301L), dataSeqs);
        DecodedPacket last = p.get(p.size() - 1);
        assertEquals(DecodedPacket.TCP_RST | DecodedPacket.TCP_ACK, last.tcpFlags);
        assertEquals(DecodedPacket.TCP_ACK, p.get(p.size() - 2).tcpFlags);
        assertEquals(1501L, p.get(p.size() - 2).ack, "the receiver acknowledges everything, gap included");
    }

    @Test
    void dnsMessagesWithAndWithoutCompression() throws Exception {
        byte[] q = DnsMessage.query(0xbeef, "www.example.com", DnsMessage.TYPE_A).build();
        assertEquals("beef0100000100000000000003777777076578616d706c6503636f6d0000010001",
                HexFormat.of().formatHex(q));
        DnsMessage r = DnsMessage.response(0xbeef, "www.example.com", DnsMessage.TYPE_A)
                .cname("www.example.com", 300, "cdn.example.com").a("cdn.example.com", 60, "192.0.2.1");
        byte[] c = r.build();
        byte[] u = DnsMessage.response(0xbeef, "www.example.com", DnsMessage.TYPE_A)
                .cname("www.example.com", 300, "cdn.example.com").a("cdn.example.com", 60, "192.0.2.1")
                .compress(false).build();
        assertTrue(c.length < u.length);
        // header: response, RD+RA, 1 question, 2 answers
        assertEquals("beef818000010002", HexFormat.of().formatHex(c, 0, 8));
        // first answer name is a pointer to the question name at offset 12
        int afterQuestion = 12 + 17 + 4;
        assertEquals((byte) 0xc0, c[afterQuestion]);
        assertEquals(12, c[afterQuestion + 1]);
        // the CNAME target "cdn" + pointer to "example.com" (offset 16)
        int rdata = afterQuestion + 2 + 10;
        assertEquals("0363646ec010", HexFormat.of().formatHex(c, rdata, rdata + 6));
        byte[] ptr = DnsMessage.response(1, "1.2.0.192.in-addr.arpa", DnsMessage.TYPE_PTR)
                .ptr("1.2.0.192.in-addr.arpa", 10, "host.example").build();
        assertTrue(new String(ptr, StandardCharsets.US_ASCII).contains("host"));
        assertEquals(1, ptr[7]);
    }

    @Test
    void ipv6UdpAndVlanFramesDecode() {
        Host a = Host.of("02:00:00:00:00:03", "2001:db8::1");
        Host b = Host.of("02:00:00:00:00:04", "2001:db8::2");
        Timeline t = new Timeline(0, 1);
        t.add(PacketFrames.udpFrame(a, 1234, b, 53, 1, DnsMessage.query(1, "x.example", 28).build()));
        byte[] ip = PacketFrames.ip(C, S, PacketFrames.PROTO_UDP, 9, PacketFrames.udp(C.address(), S.address(), 1, 2, new byte[3]));
        t.add(PacketFrames.ethernet(C, S, ip, 10, 20));
        List<DecodedPacket> p = decodeAll(t);
        assertEquals(6, p.get(0).ipVersion);
        assertEquals(53, p.get(0).dstPort);
        assertEquals(10, p.get(1).vlan);
        assertEquals(20, p.get(1).innerVlan);
    }

    @Test
    void driveByCaptureIsDeterministicAndComplete() throws Exception {
        Path a = tmp.resolve("a.pcap");
        Path b = tmp.resolve("b.pcap");
        DriveByCapture.write(a);
        DriveByCapture.write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same bytes every time");

        // Reassemble each TCP connection's server-to-client stream (seq-ordered, duplicates dropped).
        PacketDecoder dec = new PacketDecoder((ts, n, u, id, x, s) -> fail("weird " + n), true);
        Map<Integer, TreeMap<Long, byte[]>> streams = new TreeMap<>();
        int dnsResponses = 0;
        long first = -1;
        try (CaptureReader r = CaptureReader.open(a)) {
            DecodedPacket p = new DecodedPacket();
            for (RawPacket raw; (raw = r.next()) != null; ) {
                if (first < 0) {
                    first = raw.timestampNanos();
                }
                assertTrue(dec.decode(raw, p));
                assertTrue(p.transportChecksumValid);
                if (p.ipProto == 17 && p.srcPort == 53) {
                    dnsResponses++;
                }
                if (p.ipProto == 6 && p.srcPort == 80 && p.payloadLength > 0) {
                    streams.computeIfAbsent(p.dstPort, k -> new TreeMap<>()).putIfAbsent(p.seq,
                            java.util.Arrays.copyOfRange(p.buffer, p.payloadOffset, p.payloadOffset + p.payloadLength));
                }
            }
        }
        assertEquals(DriveByCapture.START_SECONDS * 1_000_000_000L, first);
        assertEquals(3, dnsResponses);
        assertEquals(6, streams.size());
        Map<String, byte[]> bodies = new TreeMap<>();
        for (TreeMap<Long, byte[]> segs : streams.values()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            segs.values().forEach(all::writeBytes);
            byte[] resp = all.toByteArray();
            String text = new String(resp, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            byte[] body = java.util.Arrays.copyOfRange(resp, split + 4, resp.length);
            String type = head.replaceAll("(?s).*Content-Type: ([^;\r\n]+).*", "$1");
            int len = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            assertEquals(len, body.length, type + " body length");
            if (head.contains("Content-Encoding: gzip")) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            bodies.put(type, body);
        }
        assertEquals(List.of("application/java-archive", "application/javascript", "application/pdf",
                "application/x-msdownload", "application/x-shockwave-flash", "text/html"),
                new ArrayList<>(bodies.keySet()));
        assertEquals("FWS", new String(bodies.get("application/x-shockwave-flash"), 0, 3, StandardCharsets.US_ASCII));
        assertEquals("%PDF-", new String(bodies.get("application/pdf"), 0, 5, StandardCharsets.US_ASCII));
        byte[] pe = bodies.get("application/x-msdownload");
        assertEquals("MZ", new String(pe, 0, 2, StandardCharsets.US_ASCII));
        assertEquals("PE", new String(pe, 0x80, 2, StandardCharsets.US_ASCII));
        List<String> entries = new ArrayList<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(bodies.get("application/java-archive")))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                entries.add(e.getName());
            }
        }
        assertEquals(List.of("META-INF/MANIFEST.MF", "a/Loader.class"), entries);
        assertTrue(new String(bodies.get("text/html"), StandardCharsets.US_ASCII).contains(DriveByCapture.DGA1));
        assertFalse(bodies.get("application/javascript").length == 0);
    }
}
