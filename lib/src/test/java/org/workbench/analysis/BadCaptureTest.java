package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.workbench.capture.CaptureFormatException;
import org.workbench.capture.CaptureReader;
import org.workbench.capture.PcapWriter;
import org.workbench.files.ExtractedFileSink;
import org.workbench.synth.DnsMessage;
import org.workbench.synth.DriveByCapture;
import org.workbench.synth.Host;
import org.workbench.synth.PacketFrames;
import org.workbench.synth.TcpSession;
import org.workbench.synth.Timeline;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

/**
 * Broken and hostile captures, built here byte by byte or with {@link PcapWriter}: whole-file problems must be a
 * {@link CaptureFormatException} with a one-line message naming the file and the problem; problems inside records
 * or packets must become weirds while the analysis goes on and logs what it can.
 */
class BadCaptureTest {
    private static final long T0 = 1_400_000_000_000_000_000L;
    private static final Host CLIENT = Host.of("02:00:00:00:00:01", "10.1.1.10");
    private static final Host SERVER = Host.of("02:00:00:00:00:02", "10.1.1.80");
    private static final Host RESOLVER = Host.of("02:00:00:00:00:03", "10.1.1.53");

    @TempDir
    Path dir;

    /** What a run gave: the logs, and the summary or the exception. */
    record Outcome(LogCollector logs, ZeekAnalysis.Summary summary, Throwable error) {
        List<String> weirdNames() {
            return logs.records("weird").stream().map(r -> (String) r.get("name")).toList();
        }

        boolean hasWeird(String name) {
            return weirdNames().contains(name);
        }
    }

    private static Outcome analyse(Path capture, boolean checksums) {
        LogCollector logs = new LogCollector();
        try {
            ZeekAnalysis.Summary s = ZeekAnalysis.builder().verifyChecksums(checksums).uidSeed(7).build()
                    .run(capture, logs, ExtractedFileSink.discarding());
            return new Outcome(logs, s, null);
        } catch (Throwable t) {
            return new Outcome(logs, null, t);
        }
    }

    /** The analysis completes; returns its outcome. */
    private static Outcome completes(Path capture, boolean checksums) {
        Outcome o = analyse(capture, checksums);
        if (o.error != null) {
            throw new AssertionError("analysis of " + capture + " failed instead of completing: " + o.error, o.error);
        }
        return o;
    }

    /** The analysis throws a CaptureFormatException with a one-line message naming the file; returns it. */
    private static CaptureFormatException rejected(Path capture) {
        Outcome o = analyse(capture, false);
        assertNotNull(o.error, capture + " was accepted: " + o.summary);
        if (!(o.error instanceof CaptureFormatException e)) {
            throw new AssertionError("expected a CaptureFormatException for " + capture + ", got " + o.error, o.error);
        }
        oneLineNaming(e.getMessage(), capture);
        return e;
    }

    private static void oneLineNaming(String message, Path capture) {
        assertNotNull(message);
        assertFalse(message.contains("\n") || message.contains("\r"), "message is not one line: " + message);
        assertTrue(message.contains(capture.toString()), "message does not name " + capture + ": " + message);
    }

    private static void contains(String message, String... any) {
        String m = message.toLowerCase();
        assertTrue(Arrays.stream(any).anyMatch(m::contains), "message '" + message + "' mentions none of "
                + Arrays.toString(any));
    }

    // ------------------------------------------------------------------ whole-file problems

    @Test
    void zeroLengthFile() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.pcap"));
        contains(rejected(p).getMessage(), "empty", "zero");
    }

    @Test
    void htmlFileIsNotACapture() throws Exception {
        Path p = dir.resolve("download.pcap");
        Files.writeString(p, "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                + "<body><h1>Not Found</h1></body></html>\n");
        CaptureFormatException e = rejected(p);
        contains(e.getMessage(), "not a capture", "magic");
    }

    @Test
    void textAndOtherFormatsAreNotCaptures() throws Exception {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("zip.pcap", new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0});
        inputs.put("zeros.pcap", new byte[64]);
        inputs.put("log.pcap", "#separator \\x09\n#set_separator\t,\n#path\tconn\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> in : inputs.entrySet()) {
            Path p = dir.resolve(in.getKey());
            Files.write(p, in.getValue());
            contains(rejected(p).getMessage(), "not a capture", "magic");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 10, 23})
    void truncatedFileHeader(int keep) throws Exception {
        byte[] whole = validCapture();
        Path p = dir.resolve("cut-header-" + keep + ".pcap");
        Files.write(p, Arrays.copyOf(whole, keep));
        contains(rejected(p).getMessage(), "truncated", "short", "header");
    }

    @Test
    void unsupportedVersion() throws Exception {
        byte[] b = validCapture();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 9);
        Path p = dir.resolve("version9.pcap");
        Files.write(p, b);
        contains(rejected(p).getMessage(), "version");
    }

    @Test
    void impossibleRecordLengthEndsTheCaptureWithAWeirdNamingTheRecord() throws Exception {
        byte[] b = validCapture();
        // the second record's incl_len (record 0 starts at 24; its header is 16 bytes)
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int second = 24 + 16 + bb.getInt(24 + 8);
        bb.putInt(second + 8, 0x7fff0000);
        Path p = dir.resolve("huge-record.pcap");
        Files.write(p, b);
        // the records before it are analysed; nothing after it is read
        Outcome o = completes(p, false);
        assertEquals(1, o.summary.packets(), o.summary.toString());
        assertTrue(o.hasWeird(CaptureReader.CORRUPT_CAPTURE_RECORD), "weirds: " + o.weirdNames());
        String detail = o.summary.corruptRecord();
        assertTrue(detail != null && detail.startsWith(p + ": record 1 at offset " + second + " claims")
                && detail.contains("corrupt capture"), detail);
    }

    // ------------------------------------------------------------------ record problems: weirds, not errors

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 15, 16, 17, 40})
    void truncatedLastPacket(int cut) throws Exception {
        byte[] whole = validCapture();
        int lastRecord = lastRecordOffset(whole);
        int lastLen = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getInt(lastRecord + 8);
        assertTrue(cut < 16 + lastLen, "test setup: cut " + cut + " must stay inside the last record");
        Path p = dir.resolve("cut-last-" + cut + ".pcap");
        Files.write(p, Arrays.copyOf(whole, whole.length - cut));
        Outcome o = completes(p, true);
        Outcome full = completes(write("whole.pcap", whole), true);
        assertTrue(o.summary.truncated(), "summary says the capture was truncated");
        assertEquals(full.summary.packets() - 1, o.summary.packets(), "all records but the cut one are read");
        assertTrue(o.hasWeird("truncated_capture_record"), "weirds: " + o.weirdNames());
        LogRecord w = o.logs.records("weird").stream().filter(r -> "truncated_capture_record".equals(r.get("name")))
                .findFirst().orElseThrow();
        assertNotNull(w.get("ts"), "the weird has a time");
        assertTrue(((Number) w.get("ts")).doubleValue() > T0 / 1e9 - 1, "the weird's time is the capture's: " + w);
        // the earlier connections are all logged: every DNS exchange, and the connections before the last one
        assertEquals(full.logs.count("dns"), o.logs.count("dns"), "dns.log");
        assertEquals(full.logs.count("conn"), o.logs.count("conn"), "conn.log rows (the cut packet is a last ACK)");
        assertEquals(full.logs.count("http"), o.logs.count("http"), "http.log rows");
        assertEquals(hosts(full.logs), hosts(o.logs));
    }

    @Test
    void truncatedCaptureOfDriveByKeepsEarlierConnections() throws Exception {
        Path whole = dir.resolve("driveby.pcap");
        DriveByCapture.write(whole);
        byte[] b = Files.readAllBytes(whole);
        // cut the file in the middle of the last HTTP response's data
        Path p = write("driveby-cut.pcap", Arrays.copyOf(b, b.length - 700));
        Outcome full = completes(whole, true);
        Outcome o = completes(p, true);
        assertTrue(o.summary.truncated());
        assertTrue(o.hasWeird("truncated_capture_record"), "weirds: " + o.weirdNames());
        assertEquals(full.logs.count("dns"), o.logs.count("dns"));
        assertEquals(full.logs.count("conn"), o.logs.count("conn"), "every connection still logged");
        Set<String> uris = o.logs.column("http", "uri").stream().map(String::valueOf).collect(Collectors.toSet());
        assertTrue(uris.containsAll(List.of("/", "/js/jquery.min.js", "/flash/banner.swf", "/applet/update.jar",
                "/docs/invoice.pdf")), "earlier requests logged: " + uris);
    }

    @Test
    void capturedLengthAboveWireLengthIsAWeird() throws Exception {
        Timeline t = new Timeline(T0, 1000);
        dns(t, 40000, 0x1111, "one.example", "192.0.2.1");
        List<Timeline.Frame> frames = t.frames();
        Path p = dir.resolve("incl-gt-orig.pcap");
        try (PcapWriter w = PcapWriter.create(p, PcapWriter.LINKTYPE_ETHERNET)) {
            byte[] q = frames.get(0).bytes();
            w.write(frames.get(0).timestampNanos(), q, 0, q.length, q.length - 10); // claims a shorter wire length
            w.write(frames.get(1).timestampNanos(), frames.get(1).bytes());
        }
        Outcome o = completes(p, true);
        assertEquals(2, o.summary.packets());
        assertTrue(o.summary.anomalies() >= 1, "anomalies counted");
        assertTrue(o.hasWeird("capture_len_exceeds_wire_len"), "weirds: " + o.weirdNames());
        assertEquals(List.of("one.example"), o.logs.column("dns", "query"), "the packet is still analysed");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomGarbageAfterAValidHeader(int seed) throws Exception {
        Random rnd = new Random(seed);
        byte[] header = Arrays.copyOf(validCapture(), 24);
        for (boolean withPackets : new boolean[]{false, true}) {
            byte[] body = withPackets ? validCapture() : header;
            byte[] junk = new byte[1 + rnd.nextInt(20_000)];
            rnd.nextBytes(junk);
            if (seed % 2 == 0) {
                // plausible record headers (small lengths) followed by random frames: exercises the decoders
                ByteBuffer b = ByteBuffer.wrap(junk).order(ByteOrder.LITTLE_ENDIAN);
                int off = 0;
                while (off + 16 + 1500 < junk.length) {
                    int len = rnd.nextInt(1500);
                    b.putInt(off, (int) (T0 / 1_000_000_000L)).putInt(off + 4, rnd.nextInt(1_000_000))
                            .putInt(off + 8, len).putInt(off + 12, len);
                    if (len > 14) {
                        junk[off + 16 + 12] = 0x08; // IPv4 ethertype, often
                        junk[off + 16 + 13] = 0x00;
                        junk[off + 16 + 14] = 0x45;
                    }
                    off += 16 + len;
                }
            }
            byte[] all = new byte[body.length + junk.length];
            System.arraycopy(body, 0, all, 0, body.length);
            System.arraycopy(junk, 0, all, body.length, junk.length);
            Path p = write("garbage-" + seed + "-" + withPackets + ".pcap", all);
            for (boolean checksums : new boolean[]{true, false}) {
                Outcome o = analyse(p, checksums);
                if (o.error != null) {
                    if (!(o.error instanceof CaptureFormatException e)) {
                        throw new AssertionError("garbage in " + p + " gave " + o.error + " instead of a weird or a "
                                + "CaptureFormatException", o.error);
                    }
                    oneLineNaming(e.getMessage(), p);
                } else {
                    assertTrue(o.summary.packets() >= (withPackets ? 1 : 0));
                }
            }
        }
    }

    // ------------------------------------------------------------------ malformed packets: weirds, no exception

    /**
     * One malformed frame and the weird Zeek 9 logs for it (read from Zeek's source: packet_analysis/protocol/ip,
     * tcp, udp, ethernet; Frag.cc; analyzer/protocol/dns and http; base/frameworks/notice/weird.zeek).
     *
     * @param zeekWeird the weird's name; {@code "*"} when Zeek logs some weird whose name depends on details;
     *                  null when Zeek silently ignores the problem (then only "no exception" is checked)
     * @param checksums whether the expectation holds with checksums verified (false: with {@code -C}, so that a
     *                  header made invalid is judged on its structure, not on its now wrong checksum)
     */
    record Case(String label, byte[] frame, String zeekWeird, boolean checksums) {
    }

    @Test
    void malformedIpHeaders() throws Exception {
        byte[] good = udpFrame(CLIENT, 40001, RESOLVER, 53, DnsMessage.query(1, "ok.example", 1).build());
        checkCases(List.of(
                new Case("ip version 7", mutate(good, f -> f[14] = 0x75), "unknown_ip_version", false),
                new Case("ip header length 0", mutate(good, f -> f[14] = 0x40), "IPv4_min_header_size", false),
                new Case("ip header length 3 words", mutate(good, f -> f[14] = 0x43), "IPv4_min_header_size", false),
                new Case("ip header longer than the datagram", mutate(good, f -> f[14] = 0x4f),
                        "invalid_IP_header_size", false),
                new Case("ip total length beyond the frame", mutate(good, f -> putShort(f, 16, 1400)),
                        "truncated_IP_len", false),
                new Case("ip total length below the header", mutate(good, f -> putShort(f, 16, 12)),
                        "invalid_IP_header_size", false),
                new Case("ip total length 0 (segmentation offload)", mutate(good, f -> putShort(f, 16, 0)),
                        "ip_hdr_len_zero", false),
                new Case("frame cut inside the ip header", Arrays.copyOf(good, 14 + 9), "truncated_IP", false),
                new Case("ethernet frame cut", Arrays.copyOf(good, 10), "truncated_ethernet_frame", false),
                new Case("bad ip checksum", mutate(good, f -> f[24] ^= 0x55), "bad_IP_checksum", true),
                new Case("ip fragment beyond 64k", mutate(good, f -> putShort(f, 20, 0x1fff)),
                        "excessively_large_fragment", false),
                // Zeek does not parse IPv4 options: a broken one goes unnoticed
                new Case("ip option length overrun", mutate(withIpOptions(good), f -> {
                    f[14 + 20] = (byte) 0x83;
                    f[14 + 21] = (byte) 0xff;
                }), null, false)));
    }

    @Test
    void malformedTcpAndUdpHeaders() throws Exception {
        byte[] syn = tcpFrame(CLIENT, 40002, SERVER, 80, 1000, 0, 0x02, new byte[0]);
        byte[] udp = udpFrame(CLIENT, 40003, RESOLVER, 53, DnsMessage.query(2, "ok.example", 1).build());
        int l4 = 14 + 20;
        checkCases(List.of(
                new Case("tcp data offset 2 words", mutate(syn, f -> f[l4 + 12] = 0x20), "bad_TCP_header_len", false),
                new Case("tcp data offset beyond the segment", mutate(syn, f -> f[l4 + 12] = (byte) 0xf0),
                        "truncated_header", false),
                new Case("tcp header cut", ipPayloadCut(syn, 10), "truncated_header", false),
                new Case("bad tcp checksum", mutate(syn, f -> f[l4 + 16] ^= 0x5a), "bad_TCP_checksum", true),
                // Zeek stops parsing options at a zero length ("trashed length field") without a weird
                new Case("tcp option length 0", mutate(syn, f -> {
                    f[l4 + 20] = 2;
                    f[l4 + 21] = 0;
                }), null, false),
                new Case("udp length beyond the datagram", mutate(udp, f -> putShort(f, l4 + 4, 900)),
                        "UDP_datagram_length_mismatch", false),
                new Case("udp length below 8", mutate(udp, f -> putShort(f, l4 + 4, 3)),
                        "UDP_datagram_length_mismatch", false),
                new Case("udp header cut", ipPayloadCut(udp, 5), "truncated_header", false),
                new Case("bad udp checksum", mutate(udp, f -> f[l4 + 6] ^= 0x5a), "bad_UDP_checksum", true)));
    }

    @Test
    void malformedDnsMessages() throws Exception {
        byte[] q = DnsMessage.query(0x2222, "name.example", 1).build();
        byte[] r = DnsMessage.response(0x3333, "name.example", 1).a("name.example", 60, "192.0.2.7").build();
        byte[] junk = new byte[300];
        new Random(5).nextBytes(junk);
        Map<String, Object[]> payloads = new LinkedHashMap<>();
        payloads.put("dns shorter than its header", new Object[]{new byte[]{0x22, 0x22, 1},
            "DNS_truncated_len_lt_hdr_len"});
        payloads.put("dns claims questions it lacks", new Object[]{mutate(Arrays.copyOf(q, 12),
                m -> putShort(m, 4, 5)), "dns_invalid_name"});
        payloads.put("dns label beyond the message", new Object[]{mutate(q, m -> m[12] = 60), "DNS_label_len_gt_pkt"});
        payloads.put("dns compression pointer to itself", new Object[]{concat(Arrays.copyOf(q, 12),
                new byte[]{(byte) 0xc0, 12, 0, 1, 0, 1}), "DNS_label_forward_compress_offset"});
        payloads.put("dns forward compression pointer", new Object[]{concat(Arrays.copyOf(q, 12),
                new byte[]{(byte) 0xc0, 40, 0, 1, 0, 1}), "DNS_label_forward_compress_offset"});
        payloads.put("dns question cut", new Object[]{Arrays.copyOf(q, q.length - 3),
            "DNS_truncated_quest_too_short"});
        payloads.put("dns answer rdlength beyond the message", new Object[]{mutate(r, m -> putShort(m, m.length - 6,
                400)), "DNS_truncated_RR_rdlength_lt_len"});
        payloads.put("dns answer cut", new Object[]{Arrays.copyOf(r, r.length - 5), "*"});
        payloads.put("dns claims 65535 answers", new Object[]{mutate(r, m -> putShort(m, 6, 0xffff)),
            "dns_invalid_name"});
        payloads.put("dns random bytes", new Object[]{junk, "*"});
        List<Case> cases = new ArrayList<>();
        int port = 41000;
        for (Map.Entry<String, Object[]> e : payloads.entrySet()) {
            cases.add(new Case(e.getKey(), udpFrame(CLIENT, port++, RESOLVER, 53, (byte[]) e.getValue()[0]),
                    (String) e.getValue()[1], true));
        }
        checkCases(cases);
    }

    @Test
    void malformedHttpExchanges() throws Exception {
        String get = "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n";
        // label, request, response, Zeek's weird
        Object[][] exchanges = {
            {"binary junk to port 80", bytes(0, 0xff, 0x13, 0x37, 0, 0, 0x80, 10, 13, 10), null, "*"},
            {"request line without uri", ascii("GET\r\n\r\n"), null, "bad_HTTP_request"},
            // a header line without a colon is dropped silently by Zeek's MIME header parser
            {"header without colon", ascii("GET / HTTP/1.1\r\nHost example\r\n\r\n"),
                ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), null},
            {"bad content length", ascii(get), ascii("HTTP/1.1 200 OK\r\nContent-Length: -17x\r\n\r\nbody"),
                "HTTP_bad_content_length"},
            {"bad chunk size", ascii(get), ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\nabc\r\n0\r\n\r\n"), "HTTP_bad_chunk_size"},
            {"huge chunk size", ascii(get), ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "ffffffffffffffffff\r\nabc\r\n"), null},
            {"bad gzip body", ascii(get), ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n"
                + "Content-Length: 12\r\n\r\n\u001f\u008bnot gzip!!"), "inflate_failed"},
            {"bad status line", ascii(get), ascii("HTTP/1.1 OK-ish\r\n\r\n"), null},
            {"header line of 100k", ascii("GET / HTTP/1.1\r\nX-Long: " + "a".repeat(100_000) + "\r\n\r\n"), null,
                null},
            {"response without request", null, ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"), null},
        };
        List<String> problems = new ArrayList<>();
        int port = 42000;
        for (Object[] x : exchanges) {
            String label = (String) x[0];
            Timeline t = new Timeline(T0, 500);
            TcpSession s = new TcpSession(t, CLIENT, port++, SERVER, 80, 1460, 5000, 9000).handshake();
            if (x[1] != null) {
                s.send(true, (byte[]) x[1]);
            }
            if (x[2] != null) {
                s.send(false, (byte[]) x[2]);
            }
            s.close(true);
            Path p = dir.resolve(label.replace(' ', '_') + ".pcap");
            t.writePcap(p, PcapWriter.LINKTYPE_ETHERNET);
            Outcome o = completes(p, true);
            assertEquals(t.frames().size(), o.summary.packets(), label);
            assertEquals(1, o.logs.count("conn"), label + ": the connection is logged");
            String problem = weirdProblem(label, (String) x[3], o);
            if (problem != null) {
                problems.add(problem + "; http.log " + o.logs.records("http"));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyMalformedFrameInOneCaptureWithGoodTrafficAround() throws Exception {
        // a DNS exchange, then a burst of assorted broken frames, then another DNS exchange: both are logged
        Timeline t = new Timeline(T0, 1000);
        dns(t, 43000, 0x4444, "before.example", "192.0.2.10");
        Random rnd = new Random(11);
        byte[] good = tcpFrame(CLIENT, 43001, SERVER, 80, 1, 0, 0x02, new byte[0]);
        for (int i = 0; i < 2000; i++) {
            byte[] f = good.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                f[14 + rnd.nextInt(f.length - 14)] = (byte) rnd.nextInt(256);
            }
            t.add(rnd.nextInt(5) == 0 ? Arrays.copyOf(f, 14 + rnd.nextInt(f.length - 14)) : f);
        }
        dns(t, 43002, 0x5555, "after.example", "192.0.2.11");
        Path p = dir.resolve("mixed.pcap");
        t.writePcap(p, PcapWriter.LINKTYPE_ETHERNET);
        for (boolean checksums : new boolean[]{true, false}) {
            Outcome o = completes(p, checksums);
            assertEquals(t.frames().size(), o.summary.packets());
            List<Object> queries = o.logs.column("dns", "query");
            assertTrue(queries.contains("before.example") && queries.contains("after.example"), "dns " + queries);
            assertFalse(o.weirdNames().isEmpty());
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Each case's frame is written with a good DNS query after it; the analysis completes in both checksum modes,
     * the good query is logged, and in the case's mode the weird Zeek logs is there.
     */
    private void checkCases(List<Case> cases) throws IOException {
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Case c : cases) {
            Path p = dir.resolve("case" + (n++) + ".pcap");
            try (PcapWriter w = PcapWriter.create(p, PcapWriter.LINKTYPE_ETHERNET)) {
                w.write(T0, c.frame);
                w.write(T0 + 1_000_000, udpFrame(CLIENT, 39999, RESOLVER, 53,
                        DnsMessage.query(0x7777, "next.example", 1).build()));
            }
            for (boolean checksums : new boolean[]{true, false}) {
                Outcome o = completes(p, checksums);
                assertEquals(2, o.summary.packets(), c.label);
                assertTrue(o.logs.column("dns", "query").contains("next.example"), c.label
                        + ": the good packet after it is analysed; dns " + o.logs.column("dns", "query"));
                if (checksums == c.checksums) {
                    String problem = weirdProblem(c.label + (checksums ? "" : " (-C)"), c.zeekWeird, o);
                    if (problem != null) {
                        problems.add(problem);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Null when the outcome has the expected weird, else a description of the difference. */
    private static String weirdProblem(String label, String expected, Outcome o) {
        List<String> names = o.weirdNames();
        if (expected == null || (expected.equals("*") ? !names.isEmpty() : names.contains(expected))) {
            return null;
        }
        return label + ": expected weird " + (expected.equals("*") ? "(any)" : expected) + ", got " + names;
    }

    private static byte[] validCapture() throws IOException {
        Timeline t = new Timeline(T0, 1000);
        dns(t, 40100, 0x0101, "first.example", "192.0.2.20");
        TcpSession s = new TcpSession(t, CLIENT, 40101, SERVER, 80, 1460, 100, 200).handshake();
        s.send(true, ascii("GET /a HTTP/1.1\r\nHost: first.example\r\n\r\n"));
        s.send(false, ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        s.close(true);
        dns(t, 40102, 0x0202, "second.example", "192.0.2.21");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, PcapWriter.LINKTYPE_ETHERNET)) {
            t.writeTo(w);
        }
        return out.toByteArray();
    }

    /** Offset of the last record header in a little-endian microsecond pcap. */
    private static int lastRecordOffset(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        int off = 24;
        int last = -1;
        while (off + 16 <= pcap.length) {
            last = off;
            off += 16 + b.getInt(off + 8);
        }
        return last;
    }

    private static Set<String> hosts(LogCollector logs) {
        return logs.column("conn", "id.resp_h").stream().map(a -> a instanceof InetAddress ia ? ia.getHostAddress()
                : String.valueOf(a)).collect(Collectors.toSet());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void dns(Timeline t, int port, int id, String name, String answer) {
        t.add(udpFrame(CLIENT, port, RESOLVER, 53, DnsMessage.query(id, name, DnsMessage.TYPE_A).build()));
        t.add(udpFrame(RESOLVER, 53, CLIENT, port, DnsMessage.response(id, name, DnsMessage.TYPE_A)
                .a(name, 60, answer).build()));
    }

    private static byte[] udpFrame(Host src, int sport, Host dst, int dport, byte[] payload) {
        return PacketFrames.udpFrame(src, sport, dst, dport, 1, payload);
    }

    private static byte[] tcpFrame(Host src, int sport, Host dst, int dport, long seq, long ack, int flags,
                                   byte[] payload) {
        byte[] tcp = PacketFrames.tcp(src.address(), dst.address(), sport, dport, seq, ack, flags, 65535, payload);
        return PacketFrames.ethernet(src, dst, PacketFrames.ip(src, dst, PacketFrames.PROTO_TCP, 1, tcp));
    }

    /** The frame with its IPv4 payload cut to {@code keep} bytes (IP total length adjusted, so only L4 is short). */
    private static byte[] ipPayloadCut(byte[] frame, int keep) {
        byte[] f = Arrays.copyOf(frame, 14 + 20 + keep);
        putShort(f, 16, 20 + keep);
        return f;
    }

    /** The frame with 4 bytes of IPv4 options (NOPs) inserted; header length and total length adjusted. */
    private static byte[] withIpOptions(byte[] frame) {
        byte[] f = new byte[frame.length + 4];
        System.arraycopy(frame, 0, f, 0, 34);
        f[34] = f[35] = f[36] = f[37] = 1;
        System.arraycopy(frame, 34, f, 38, frame.length - 34);
        f[14] = 0x46;
        putShort(f, 16, ((frame[16] & 0xff) << 8 | (frame[17] & 0xff)) + 4);
        return f;
    }

    interface Mutation {
        void apply(byte[] b);
    }

    private static byte[] mutate(byte[] in, Mutation m) {
        byte[] b = in.clone();
        m.apply(b);
        return b;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
