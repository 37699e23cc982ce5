package org.workbench.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapHandle.TimestampPrecision;
import org.pcap4j.core.Pcaps;

class CaptureReaderTest {

    @TempDir
    Path tmp;

    static Path sharedPcapDir() {
        String shared = System.getProperty("workbench.shared");
        assertNotNull(shared, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path dir = Paths.get(shared, "data", "pcap");
        assertTrue(Files.isDirectory(dir), "missing shared capture folder " + dir.toAbsolutePath());
        return dir;
    }

    static List<Path> sharedCaptures() throws IOException {
        try (Stream<Path> s = Files.list(sharedPcapDir())) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".pcap")).sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no .pcap files in " + sharedPcapDir());
            return files;
        }
    }

    /** One packet as pcap4j/libpcap sees it. */
    record Ref(long tsNanos, int capLen, int origLen, byte[] data) {
    }

    static List<Ref> readWithPcap4j(Path file) throws Exception {
        List<Ref> out = new ArrayList<>();
        PcapHandle h = Pcaps.openOffline(file.toString(), TimestampPrecision.NANO);
        try {
            while (true) {
                byte[] d;
                try {
                    d = h.getNextRawPacketEx();
                } catch (EOFException e) {
                    break;
                }
                java.sql.Timestamp ts = h.getTimestamp();
                long nanos = TimeUnit.MILLISECONDS.toNanos(Math.floorDiv(ts.getTime(), 1000L) * 1000L) + ts.getNanos();
                out.add(new Ref(nanos, d.length, h.getOriginalLength(), d));
            }
        } finally {
            h.close();
        }
        return out;
    }

    static List<RawPacket> readAll(CaptureReader r) throws IOException {
        List<RawPacket> out = new ArrayList<>();
        for (RawPacket p; (p = r.next()) != null; ) {
            out.add(p);
        }
        return out;
    }

    static void assertSame(List<Ref> ref, List<RawPacket> ours, String what) {
        assertEquals(ref.size(), ours.size(), what + ": packet count");
        for (int i = 0; i < ref.size(); i++) {
            Ref r = ref.get(i);
            RawPacket p = ours.get(i);
            assertEquals(i, p.index(), what + " #" + i + " index");
            assertEquals(r.tsNanos(), p.timestampNanos(), what + " #" + i + " timestamp");
            assertEquals(r.capLen(), p.capturedLength(), what + " #" + i + " captured length");
            assertEquals(r.origLen(), p.originalLength(), what + " #" + i + " original length");
            assertArrayEquals(r.data(), p.data(), what + " #" + i + " bytes");
        }
    }

    @Test
    void everySharedCaptureMatchesLibpcap() throws Exception {
        for (Path f : sharedCaptures()) {
            List<Ref> ref = readWithPcap4j(f);
            List<RawPacket> ours;
            List<String> anomalies = new ArrayList<>();
            try (CaptureReader r = CaptureReader.open(f, (p, n, d) -> anomalies.add(n + " " + d))) {
                assertEquals("pcap", r.format());
                assertEquals(1, r.linkType(), f + " link type");
                ours = readAll(r);
                assertFalse(r.endedWithTruncatedRecord());
            }
            assertTrue(ref.size() > 0, f + " has packets");
            assertSame(ref, ours, f.getFileName().toString());
            assertEquals(List.of(), anomalies, f + " anomalies");
        }
    }

    @Test
    void kitchenBossFirstPacketTimestamp() throws Exception {
        Path f = sharedPcapDir().resolve("kitchen_boss.pcap");
        assertTrue(Files.exists(f), "missing " + f);
        try (CaptureReader r = CaptureReader.open(f)) {
            RawPacket p = r.next();
            assertNotNull(p);
            assertEquals(0, p.index());
            assertEquals(1, p.linkType());
            // microsecond file: nanos are a multiple of 1000
            assertEquals(0, p.timestampNanos() % 1000);
        }
    }

    @Test
    void pcapngFromEditcapMatchesLibpcap() throws Exception {
        Path editcap = Paths.get("/usr/bin/editcap");
        Path src = sharedPcapDir().resolve("http.pcap");
        List<Path> variants = new ArrayList<>();
        List<Path> fromEditcap = new ArrayList<>();
        if (Files.isExecutable(editcap)) {
            Path ng = tmp.resolve("http.pcapng");
            run(editcap.toString(), "-F", "pcapng", src.toString(), ng.toString());
            variants.add(ng);
            fromEditcap.add(ng);
        }
        // Always also check one built byte by byte (both byte orders, two sections).
        List<Ref> ref = readWithPcap4j(src);
        for (ByteOrder bo : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path built = tmp.resolve("built-" + bo + ".pcapng");
            Files.write(built, PcapngBuilder.fromRefs(ref, bo, 6, false));
            variants.add(built);
        }
        for (Path ng : variants) {
            List<RawPacket> ours;
            try (CaptureReader r = CaptureReader.open(ng)) {
                assertEquals("pcapng", r.format());
                ours = readAll(r);
            }
            assertSame(ref, ours, ng.getFileName().toString());
            if (fromEditcap.contains(ng)) {
                assertSame(readWithPcap4j(ng), ours, ng.getFileName() + " vs libpcap");
            }
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Test
    void pcapngResolutionsSectionsAndBlockKinds() throws Exception {
        // Section 1 (big-endian): IDB with if_tsresol = 2^-20, an EPB, an unknown block, an SPB, an obsolete PB.
        // Section 2 (little-endian): IDB with nanosecond resolution (10^-9) and link type 101.
        PcapngBuilder b = new PcapngBuilder(ByteOrder.BIG_ENDIAN);
        b.section();
        b.interfaceBlock(1, 0, 0x80 | 20);
        long ts1 = (1_700_000_000L << 20) | (1L << 19); // x.5 s
        b.enhancedPacket(0, ts1, new byte[]{1, 2, 3, 4, 5}, 60);
        b.unknownBlock(0x0BAD, new byte[]{9, 9, 9, 9, 9, 9, 9, 9});
        b.simplePacket(new byte[]{7, 7, 7});
        b.obsoletePacket(0, ts1 + (1L << 18), new byte[]{6, 6}, 2);
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.section();
        b.interfaceBlock(101, 65535, 9);
        b.enhancedPacket(0, 1_700_000_001_123_456_789L, new byte[]{0x45, 0}, 2);
        Path f = tmp.resolve("mixed.pcapng");
        Files.write(f, b.bytes());

        List<String> anomalies = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(f, (p, n, d) -> anomalies.add(n))) {
            RawPacket a = r.next();
            assertEquals(1_700_000_000_500_000_000L, a.timestampNanos());
            assertEquals(5, a.capturedLength());
            assertEquals(60, a.originalLength());
            assertEquals(1, a.linkType());
            RawPacket s = r.next();
            assertArrayEquals(new byte[]{7, 7, 7}, s.data());
            assertEquals(a.timestampNanos(), s.timestampNanos(), "SPB takes the previous timestamp");
            RawPacket o = r.next();
            assertEquals(1_700_000_000_750_000_000L, o.timestampNanos());
            assertArrayEquals(new byte[]{6, 6}, o.data());
            RawPacket n = r.next();
            assertEquals(1_700_000_001_123_456_789L, n.timestampNanos());
            assertEquals(101, n.linkType());
            assertEquals(3, n.index());
            assertNull(r.next());
            assertNull(r.next());
            assertFalse(r.endedWithTruncatedRecord());
        }
        assertEquals(List.of(), anomalies);
    }

    @Test
    void pcapngPacketForUndeclaredInterfaceIsSkipped() throws Exception {
        PcapngBuilder b = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN);
        b.section();
        b.interfaceBlock(1, 0, 6);
        b.enhancedPacket(3, 1_000_000L, new byte[]{1}, 1);
        b.enhancedPacket(0, 2_000_000L, new byte[]{2}, 1);
        List<String> names = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(b.bytes()), "ng",
                (p, n, d) -> names.add(n + ": " + d))) {
            RawPacket p = r.next();
            assertArrayEquals(new byte[]{2}, p.data());
            assertEquals(0, p.index());
            assertEquals(2_000_000_000L, p.timestampNanos());
            assertNull(r.next());
        }
        assertEquals(List.of(CaptureReader.CAPTURE_BAD_INTERFACE
                + ": ng: record 0 at offset 60 refers to interface 3, but the section declares 1"), names);
    }

    @Test
    void bothByteOrdersAndNanosecondPcap() throws Exception {
        for (ByteOrder bo : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            for (boolean nano : new boolean[]{false, true}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (PcapWriter w = new PcapWriter(bytes, 101, 65535, nano, bo)) {
                    w.write(1_234_567_890_123_456_789L, new byte[]{0x45, 1, 2});
                    w.write(1_234_567_891_000_000_001L, new byte[40], 0, 40, 1500);
                }
                Path file = tmp.resolve("rw-" + bo + "-" + nano + ".pcap");
                Files.write(file, bytes.toByteArray());
                try (CaptureReader r = CaptureReader.open(file)) {
                    assertSame(readWithPcap4j(file), readAll(r), file.getFileName() + " vs libpcap");
                }
                try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(bytes.toByteArray()), "mem")) {
                    assertEquals(101, r.linkType());
                    assertEquals(65535, r.snapLength());
                    RawPacket a = r.next();
                    assertEquals(nano ? 1_234_567_890_123_456_789L : 1_234_567_890_123_456_000L, a.timestampNanos(),
                            bo + " nano=" + nano);
                    assertArrayEquals(new byte[]{0x45, 1, 2}, a.data());
                    RawPacket b = r.next();
                    assertEquals(40, b.capturedLength());
                    assertEquals(1500, b.originalLength());
                    assertNull(r.next());
                }
            }
        }
    }

    @Test
    void gzipStreamAndLibpcapAgreeOnSharedCapture() throws Exception {
        Path src = sharedPcapDir().resolve("http.pcap");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            Files.copy(src, o);
        }
        List<RawPacket> ours;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.toByteArray()));
             CaptureReader r = CaptureReader.open(in, "http.pcap.gz")) {
            ours = readAll(r);
        }
        assertSame(readWithPcap4j(src), ours, "gzip stream");
        // a compressed file opened by path is decompressed on the fly
        Path gzFile = tmp.resolve("http.pcap.gz");
        Files.write(gzFile, gz.toByteArray());
        try (CaptureReader r = CaptureReader.open(gzFile)) {
            assertSame(readWithPcap4j(src), readAll(r), "gzip file");
        }
        // Opening the compressed bytes directly says what is wrong.
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> CaptureReader.open(new ByteArrayInputStream(gz.toByteArray()), "http.pcap.gz"));
        assertTrue(e.getMessage().startsWith("http.pcap.gz: not a capture file (magic 0x1f8b"), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void modifiedPcapRecordsAndFcsBitsInLinkType() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + 24 + 3).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2cd34).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(0x14000001); // Ethernet with the "FCS present, 4 bytes" bits set
        b.putInt(100).putInt(5).putInt(3).putInt(3).putInt(7).putShort((short) 0x800).put((byte) 0).put((byte) 0);
        b.put(new byte[]{1, 2, 3});
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(b.array()), "kuznetzov")) {
            assertEquals(1, r.linkType());
            RawPacket p = r.next();
            assertEquals(100_000_005_000L, p.timestampNanos());
            assertArrayEquals(new byte[]{1, 2, 3}, p.data());
            assertNull(r.next());
            assertFalse(r.endedWithTruncatedRecord());
        }
    }

    @Test
    void emptyFile() throws Exception {
        Path f = tmp.resolve("empty.pcap");
        Files.write(f, new byte[0]);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertEquals(f + ": empty file (zero length), not a capture", e.getMessage());
    }

    @Test
    void wrongMagic() throws Exception {
        Path f = tmp.resolve("page.html");
        Files.writeString(f, "<html><body>not a capture</body></html>");
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertEquals(f + ": not a capture file (magic 0x3c68746d)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void truncatedFileHeader() throws Exception {
        byte[] full = pcapBytes(ByteOrder.LITTLE_ENDIAN, 1);
        Path f = tmp.resolve("short.pcap");
        Files.write(f, Arrays.copyOf(full, 10));
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertEquals(f + ": truncated pcap file header (10 of 24 bytes)", e.getMessage());
        Files.write(f, Arrays.copyOf(full, 3));
        e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertTrue(e.getMessage().contains("truncated file header"), e.getMessage());
        // pcapng section header cut short
        byte[] ng = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN).section().bytes();
        Files.write(f, Arrays.copyOf(ng, 20));
        e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertTrue(e.getMessage().contains("truncated pcapng section header"), e.getMessage());
    }

    @Test
    void unsupportedVersion() throws Exception {
        byte[] b = pcapBytes(ByteOrder.LITTLE_ENDIAN, 1);
        b[4] = 3; // major version 3
        Path f = tmp.resolve("v3.pcap");
        Files.write(f, b);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.open(f));
        assertEquals(f + ": unsupported pcap version 3.4 (only 2.x is defined)", e.getMessage());
    }

    @Test
    void truncatedLastPacketIsAnAnomalyNotAnError() throws Exception {
        byte[] b = pcapBytes(ByteOrder.BIG_ENDIAN, 3);
        Path f = tmp.resolve("cut.pcap");
        Files.write(f, Arrays.copyOf(b, b.length - 5));
        List<String> names = new ArrayList<>();
        List<String> details = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(f, (p, n, d) -> {
            assertNull(p);
            names.add(n);
            details.add(d);
        })) {
            assertNotNull(r.next());
            assertNotNull(r.next());
            assertNull(r.next());
            assertTrue(r.endedWithTruncatedRecord());
            assertEquals(1, r.anomalyCount());
            assertEquals(2, r.packetCount());
        }
        assertEquals(List.of(CaptureReader.TRUNCATED_CAPTURE_RECORD), names);
        assertTrue(details.get(0).contains("record 2 at offset"), details.get(0));
        // cut inside a record header
        Files.write(f, Arrays.copyOf(b, 24 + 16 + 20 + 7));
        try (CaptureReader r = CaptureReader.open(f)) {
            assertNotNull(r.next());
            assertNull(r.next());
            assertTrue(r.endedWithTruncatedRecord());
        }
    }

    @Test
    void capturedLongerThanWire() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, 1)) {
            w.write(1_000_000_000L, new byte[60], 0, 60, 50);
        }
        List<String> names = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(bytes.toByteArray()), "x",
                (p, n, d) -> {
                    assertNotNull(p);
                    names.add(n);
                })) {
            RawPacket p = r.next();
            assertEquals(60, p.capturedLength());
            assertEquals(50, p.originalLength());
            assertNull(r.next());
        }
        assertEquals(List.of(CaptureReader.CAPTURE_LEN_EXCEEDS_WIRE_LEN), names);
    }

    @Test
    void absurdRecordLengthEndsReadingWithAnAnomaly() throws Exception {
        byte[] b = pcapBytes(ByteOrder.LITTLE_ENDIAN, 3);
        int rec2 = 24 + 16 + 20;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(rec2 + 8, 300_000);
        Path f = tmp.resolve("huge.pcap");
        Files.write(f, b);
        List<String> seen = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(f, (p, n, d) -> seen.add(n + " " + (p == null) + " " + d))) {
            assertNotNull(r.next());
            assertNull(r.corruptRecordDetail());
            assertNull(r.next(), "reading ends at the corrupt record (the third record is not resynchronised)");
            assertNull(r.next());
            String detail = f + ": record 1 at offset " + rec2 + " claims 300000 captured bytes (more than 262144):"
                    + " corrupt capture, not read past it";
            assertEquals(detail, r.corruptRecordDetail());
            assertEquals(rec2, r.corruptRecordOffset());
            assertEquals(1, r.corruptRecordIndex());
            assertEquals(1, r.packetCount());
            assertEquals(1, r.anomalyCount());
            assertFalse(r.endedWithTruncatedRecord());
            assertEquals(List.of(CaptureReader.CORRUPT_CAPTURE_RECORD + " true " + detail), seen);
        }
        // a negative length, in the very first record: no packets, one anomaly
        byte[] first = pcapBytes(ByteOrder.BIG_ENDIAN, 2);
        ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).putInt(24 + 8, -5);
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(first), "neg")) {
            assertNull(r.next());
            assertEquals("neg: record 0 at offset 24 claims 4294967291 captured bytes (more than 262144): corrupt"
                    + " capture, not read past it", r.corruptRecordDetail());
            assertEquals(0, r.packetCount());
        }
    }

    @Test
    void corruptPcapngBlocksEndReadingWithAnAnomaly() throws Exception {
        byte[] ip = new byte[20];
        ip[0] = 0x45;
        PcapngBuilder good = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN).section();
        good.interfaceBlock(101, 65535, 6);
        good.enhancedPacket(0, 1_000_000L, ip, 20);
        int second = good.bytes().length;
        good.enhancedPacket(0, 2_000_000L, ip, 20);
        good.enhancedPacket(0, 3_000_000L, ip, 20);
        byte[] base = good.bytes();
        int epbLen = 12 + 20 + 20;
        record Case(String label, int at, int value, String expected) { }
        List<Case> cases = List.of(
                new Case("length not a multiple of 4", second + 4, 50, "with impossible length 50"),
                new Case("length under 12", second + 4, 8, "with impossible length 8"),
                new Case("over 16 MiB", second + 4, 0x7000000, "claiming 117440512 bytes (more than 16777216)"),
                new Case("captured length", second + 20, 400_000, "claims 400000 captured bytes (more than 262144)"),
                new Case("trailer", second + epbLen - 4, 56, "whose trailing length 56 differs from its length 52"),
                new Case("unknown type, absurd length", second, 0x03020100, null));
        for (Case c : cases) {
            byte[] b = base.clone();
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            if (c.expected == null) { // junk: type 0x03020100, length 0x07060504
                bb.putInt(second, 0x03020100).putInt(second + 4, 0x07060504);
            } else {
                bb.putInt(c.at, c.value);
            }
            List<String> names = new ArrayList<>();
            try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(b), "ng", (p, n, d) -> names.add(n))) {
                assertNotNull(r.next(), c.label);
                assertNull(r.next(), c.label);
                String d = r.corruptRecordDetail();
                assertNotNull(d, c.label);
                assertTrue(d.startsWith("ng: record 1 at offset " + second + " is a pcapng block")
                        || d.startsWith("ng: record 1 at offset " + second + " claims"), c.label + ": " + d);
                assertTrue(c.expected == null || d.contains(c.expected), c.label + ": " + d);
                assertEquals(List.of(CaptureReader.CORRUPT_CAPTURE_RECORD), names, c.label);
                assertEquals(second, r.corruptRecordOffset(), c.label);
            }
        }
        // a broken later section header ends reading too; a broken first one is still an error
        byte[] twoSections = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN).section().bytes();
        byte[] withPackets = base.clone();
        byte[] joined = new byte[withPackets.length + twoSections.length];
        System.arraycopy(withPackets, 0, joined, 0, withPackets.length);
        System.arraycopy(twoSections, 0, joined, withPackets.length, twoSections.length);
        ByteBuffer.wrap(joined).order(ByteOrder.LITTLE_ENDIAN).putInt(withPackets.length + 8, 0x11223344);
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(joined), "ng2")) {
            assertEquals(3, readAll(r).size());
            assertTrue(r.corruptRecordDetail().contains("bad byte-order magic"), r.corruptRecordDetail());
        }
        byte[] firstBroken = base.clone();
        ByteBuffer.wrap(firstBroken).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x11223344);
        assertThrows(CaptureFormatException.class,
                () -> CaptureReader.open(new ByteArrayInputStream(firstBroken), "ng3"));
    }

    /** A small pcap: n raw-IP records of 20 bytes each. */
    static byte[] pcapBytes(ByteOrder bo, int n) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, 101, 65535, false, bo)) {
            for (int i = 0; i < n; i++) {
                byte[] d = new byte[20];
                d[0] = 0x45;
                d[19] = (byte) i;
                w.write(1_600_000_000_000_000_000L + i * 1000L, d);
            }
        }
        return bytes.toByteArray();
    }

    /** Builds pcapng bytes block by block (draft-ietf-opsawg-pcapng). */
    static final class PcapngBuilder {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        PcapngBuilder(ByteOrder order) {
            this.order = order;
        }

        static byte[] fromRefs(List<Ref> refs, ByteOrder bo, int tsresol, boolean unused) {
            PcapngBuilder b = new PcapngBuilder(bo);
            b.section();
            b.interfaceBlock(1, 65535, tsresol);
            // split in two sections to exercise section changes
            int half = refs.size() / 2;
            for (int i = 0; i < refs.size(); i++) {
                if (i == half) {
                    b.order(bo == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                    b.section();
                    b.interfaceBlock(1, 65535, 9);
                }
                Ref r = refs.get(i);
                long ts = i >= half ? r.tsNanos() : r.tsNanos() / 1000;
                b.enhancedPacket(0, ts, r.data(), r.origLen());
            }
            return b.bytes();
        }

        PcapngBuilder order(ByteOrder o) {
            this.order = o;
            return this;
        }

        private void block(int type, byte[] body) {
            int padded = (body.length + 3) & ~3;
            ByteBuffer bb = ByteBuffer.allocate(12 + padded).order(order);
            bb.putInt(type).putInt(12 + padded).put(body);
            bb.position(8 + padded);
            bb.putInt(12 + padded);
            out.writeBytes(bb.array());
        }

        PcapngBuilder section() {
            ByteBuffer bb = ByteBuffer.allocate(16).order(order);
            bb.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1L);
            block(0x0a0d0d0a, bb.array());
            return this;
        }

        void interfaceBlock(int linkType, int snap, int tsresol) {
            ByteBuffer bb = ByteBuffer.allocate(8 + 8 + 4).order(order);
            bb.putShort((short) linkType).putShort((short) 0).putInt(snap);
            bb.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            bb.putShort((short) 0).putShort((short) 0); // opt_endofopt
            block(1, bb.array());
        }

        void enhancedPacket(int ifId, long ts, byte[] data, int origLen) {
            ByteBuffer bb = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
            bb.putInt(ifId).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length).putInt(origLen).put(data);
            block(6, bb.array());
        }

        void obsoletePacket(int ifId, long ts, byte[] data, int origLen) {
            ByteBuffer bb = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
            bb.putShort((short) ifId).putShort((short) 0).putInt((int) (ts >>> 32)).putInt((int) ts)
                    .putInt(data.length).putInt(origLen).put(data);
            block(2, bb.array());
        }

        void simplePacket(byte[] data) {
            ByteBuffer bb = ByteBuffer.allocate(4 + ((data.length + 3) & ~3)).order(order);
            bb.putInt(data.length).put(data);
            block(3, bb.array());
        }

        void unknownBlock(int type, byte[] body) {
            block(type, body);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
