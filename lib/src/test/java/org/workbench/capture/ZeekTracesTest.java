package org.workbench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.packet.DecodedPacket;
import org.workbench.packet.PacketDecoder;

/**
 * Reads every trace of the Zeek conformance corpus ({@code zeek-conformance/cases/}{@code *}{@code /traces}) with
 * this reader and with libpcap (through pcap4j) and requires the same packets: count, timestamps, lengths, bytes.
 * The corpus mixes pcap (microsecond and nanosecond), pcapng (including per-packet link types), gzip-compressed
 * traces and link types Ethernet, Linux SLL, NULL, PPP, raw IPv4/IPv6 and FDDI. Every packet also goes through
 * the decoder, which must not fail internally.
 */
class ZeekTracesTest {
    @TempDir
    Path tmp;

    static List<Path> traces() throws IOException {
        String shared = System.getProperty("workbench.shared");
        assertNotNull(shared, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path cases = Paths.get(shared, "zeek-conformance", "cases");
        assertTrue(Files.isDirectory(cases), "missing conformance folder " + cases.toAbsolutePath());
        try (Stream<Path> s = Files.walk(cases)) {
            List<Path> l = s.filter(Files::isRegularFile)
                    .filter(p -> p.getParent() != null && p.toString().contains("/traces/"))
                    .sorted().collect(Collectors.toList());
            assertTrue(l.size() > 100, "expected the conformance traces under " + cases);
            return l;
        }
    }

    @Test
    void everyConformanceTraceMatchesLibpcap() throws Exception {
        List<String> names = new ArrayList<>();
        PacketDecoder decoder = new PacketDecoder((ts, n, u, id, a, s) -> names.add(n), true);
        DecodedPacket out = new DecodedPacket();
        int files = 0;
        long packets = 0;
        List<String> tsharkChecked = new ArrayList<>();
        for (Path trace : traces()) {
            Path plain = trace;
            if (trace.toString().endsWith(".gz")) {
                plain = tmp.resolve(trace.getFileName().toString().replaceAll("\\.gz$", ""));
                try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
                    Files.copy(in, plain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                // the stream entry point reads the compressed file directly
                try (CaptureReader r = CaptureReader.open(new GZIPInputStream(Files.newInputStream(trace)),
                        trace.getFileName().toString())) {
                    CaptureReaderTest.assertSame(CaptureReaderTest.readWithPcap4j(plain), CaptureReaderTest.readAll(r),
                            trace + " (gzip stream)");
                }
            }
            List<RawPacket> ours;
            try (CaptureReader r = CaptureReader.open(plain)) {
                ours = CaptureReaderTest.readAll(r);
                assertFalse(r.endedWithTruncatedRecord(), trace.toString());
            }
            List<CaptureReaderTest.Ref> ref;
            try {
                ref = CaptureReaderTest.readWithPcap4j(plain);
                CaptureReaderTest.assertSame(ref, ours, trace.toString());
            } catch (org.pcap4j.core.PcapNativeException e) {
                // libpcap rejects pcapng files whose interfaces differ in snapshot length or link type; Wireshark
                // reads them, so compare with tshark instead
                compareWithTshark(plain, ours);
                tsharkChecked.add(trace.getFileName().toString());
            }
            for (RawPacket p : ours) {
                decoder.decode(p, out);
            }
            files++;
            packets += ours.size();
        }
        assertTrue(files > 100 && packets > 1000, files + " files, " + packets + " packets");
        assertTrue(tsharkChecked.size() <= 2, "files libpcap could not read: " + tsharkChecked);
        assertFalse(names.contains("decoder_internal_error"));
    }

    /** Compares count, timestamps (ns) and lengths with {@code tshark -T fields}. */
    private static void compareWithTshark(Path file, List<RawPacket> ours) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/tshark", "-r", file.toString(), "-T", "fields", "-e",
                "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len").redirectError(
                ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().collect(Collectors.toList());
        assertEquals(0, p.waitFor(), "tshark failed on " + file);
        assertEquals(lines.size(), ours.size(), file + ": packet count (tshark)");
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            java.math.BigDecimal t = new java.math.BigDecimal(f[0]).movePointRight(9);
            assertEquals(t.longValueExact(), ours.get(i).timestampNanos(), file + " #" + i + " time");
            assertEquals(Integer.parseInt(f[1]), ours.get(i).capturedLength(), file + " #" + i + " cap_len");
            assertEquals(Integer.parseInt(f[2]), ours.get(i).originalLength(), file + " #" + i + " len");
        }
    }
}
