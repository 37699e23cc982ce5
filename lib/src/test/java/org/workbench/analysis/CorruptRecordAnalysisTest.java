package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.capture.CaptureFormatException;
import org.workbench.capture.CaptureReader;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

/**
 * A capture damaged inside (a structurally impossible record header, an unsupported link type) is analysed, not
 * rejected: the corrupted captures are built here from the shared Kitchen Boss capture, and the oracle for a corrupt
 * record is the same capture cut at the corrupt record's offset, which must give the same rows (with the same
 * uids: same seed) in every log, plus the one weird naming the record and its offset.
 */
public class CorruptRecordAnalysisTest {
    /** 200 junk bytes 0, 1, ..., 199: as a pcap record header they claim 0x0b0a0908 captured bytes. */
    private static final byte[] JUNK = junk();

    @TempDir
    Path tmp;

    public static Path kitchenBoss() {
        String s = System.getProperty("workbench.shared");
        assertNotNull(s, "system property workbench.shared is not set");
        Path p = Path.of(s, "data", "pcap", "kitchen_boss.pcap");
        assertTrue(Files.isRegularFile(p), "missing " + p.toAbsolutePath());
        return p;
    }

    private static byte[] junk() {
        byte[] b = new byte[200];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    /** Offsets of the pcap records of a little-endian classic pcap (computed from the record headers). */
    public static List<Integer> recordOffsets(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(0), "a little-endian microsecond pcap");
        java.util.ArrayList<Integer> offsets = new java.util.ArrayList<>();
        for (int o = 24; o + 16 <= pcap.length; o += 16 + b.getInt(o + 8)) {
            offsets.add(o);
        }
        return offsets;
    }

    public static byte[] insert(byte[] whole, int at, byte[] what) {
        byte[] out = new byte[whole.length + what.length];
        System.arraycopy(whole, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(whole, at, out, at + what.length, whole.length - at);
        return out;
    }

    record Run(ZeekAnalysis.Summary summary, LogCollector logs) {
        int rows(String path) {
            return logs.count(path);
        }

        /** Data rows of a log as text, in order (the oracle comparison). */
        List<String> text(String path) {
            return logs.records(path).stream().map(LogRecord::toString).toList();
        }

        Set<String> uids(String path) {
            Set<String> s = new TreeSet<>();
            for (Object o : logs.column(path, "uid")) {
                if (o != null) {
                    s.add(o.toString());
                }
            }
            return s;
        }
    }

    Run analyse(byte[] capture, String name) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, capture);
        LogCollector logs = new LogCollector();
        ZeekAnalysis.Summary s = ZeekAnalysis.builder().verifyChecksums(false).uidSeed(7).build()
                .run(f, logs, ExtractedFileSink.discarding());
        return new Run(s, logs);
    }

    /** conn.log has every uid that http.log, dns.log and files.log name. */
    static void assertConsistent(Run r) {
        Set<String> conn = r.uids("conn");
        for (String log : List.of("http", "dns", "files")) {
            Set<String> missing = new TreeSet<>(r.uids(log));
            missing.removeAll(conn);
            assertTrue(missing.isEmpty(), log + ".log uids not in conn.log: " + missing);
        }
    }

    static LogRecord onlyWeird(Run r, String name) {
        List<LogRecord> w = r.logs.records("weird").stream().filter(x -> name.equals(x.get("name"))).toList();
        assertEquals(1, w.size(), "one " + name + " weird: " + r.logs.records("weird"));
        return w.get(0);
    }

    @Test
    void junkInTheMiddleEndsTheCaptureThereWithAWeird() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        List<Integer> offsets = recordOffsets(whole);
        // the record boundary nearest 906028 (the user's report), but computed, not assumed
        int index = 0;
        for (int i = 0; i < offsets.size(); i++) {
            if (Math.abs(offsets.get(i) - 906028) < Math.abs(offsets.get(index) - 906028)) {
                index = i;
            }
        }
        int at = offsets.get(index);
        assertTrue(index > 100 && index < offsets.size() - 100, "a boundary in the middle: " + index);

        Run damaged = analyse(insert(whole, at, JUNK), "garbage_mid.pcap");
        Run cut = analyse(Arrays.copyOf(whole, at), "cut.pcap");
        Run intact = analyse(whole, "whole.pcap");

        ZeekAnalysis.Summary s = damaged.summary;
        assertEquals(index, s.packets(), "every record before the corrupt one");
        assertEquals(cut.summary.packets(), s.packets());
        assertNotNull(s.corruptRecord());
        assertTrue(s.corruptRecord().contains("record " + index + " at offset " + at), s.corruptRecord());
        assertTrue(s.corruptRecord().contains("garbage_mid.pcap"), s.corruptRecord());
        assertFalse(s.truncated());
        assertTrue(s.unsupportedLinkTypes().isEmpty());
        assertNull(cut.summary.corruptRecord());
        assertTrue(intact.summary.packets() > s.packets(), "the damaged run lost the records after the junk");

        // the logs are those of the capture cut at the corrupt offset, row for row
        for (String log : List.of("conn", "dns", "http", "files")) {
            assertTrue(cut.rows(log) > 0, "the cut capture has " + log + " rows");
            assertEquals(cut.text(log), damaged.text(log), log + ".log equals that of the capture cut at " + at);
        }
        assertTrue(damaged.rows("http") < intact.rows("http"), "the cut lost requests (a real oracle)");
        assertConsistent(damaged);
        assertConsistent(cut);

        // weird.log: the cut capture's weirds plus the one naming the corrupt record
        LogRecord w = onlyWeird(damaged, CaptureReader.CORRUPT_CAPTURE_RECORD);
        String addl = String.valueOf(w.get("addl"));
        assertTrue(addl.contains("record " + index + " at offset " + at), addl);
        assertTrue(addl.contains(String.valueOf(0x0b0a0908)), "the impossible length: " + addl);
        assertEquals("capture", w.get("source"));
        assertEquals(cut.rows("weird") + 1, damaged.rows("weird"));
        assertEquals(cut.summary.lastTs(), (double) w.get("ts"), 1e-6, "at the time of the last good packet");
    }

    @Test
    void junkAsTheFirstRecordGivesNoPacketsAndOneWeird() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        Run r = analyse(insert(whole, 24, JUNK), "garbage_first.pcap");
        assertEquals(0, r.summary.packets());
        assertEquals(0, r.summary.connections());
        assertTrue(r.summary.corruptRecord().contains("record 0 at offset 24"), r.summary.corruptRecord());
        assertEquals(Set.of("weird"), r.logs.paths());
        assertEquals(1, r.rows("weird"));
        onlyWeird(r, CaptureReader.CORRUPT_CAPTURE_RECORD);
    }

    @Test
    void badMagicIsStillAnError() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        byte[] bad = whole.clone();
        bad[0] = 'X';
        Path f = tmp.resolve("bad_magic.pcap");
        Files.write(f, bad);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> ZeekAnalysis.builder().build()
                .run(f, new LogCollector(), ExtractedFileSink.discarding()));
        assertTrue(e.getMessage().startsWith(f + ": not a capture file"), e.getMessage());
    }

    @Test
    void pcapngWithAJunkBlockEndsThereLikeTheCutCapture() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        List<Integer> offsets = recordOffsets(whole);
        ByteBuffer b = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        int index = offsets.size() / 2;
        ByteArrayOutputStream ng = new ByteArrayOutputStream();
        ByteArrayOutputStream prefix = null;
        int junkAt = -1;
        writeBlock(ng, 0x0a0d0d0a, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1).array());
        writeBlock(ng, 1, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 1).putShort((short) 0).putInt(65535).array());
        for (int i = 0; i < offsets.size(); i++) {
            if (i == index) {
                prefix = new ByteArrayOutputStream();
                prefix.write(ng.toByteArray());
                junkAt = ng.size();
                ng.write(JUNK); // as a block: type 0x03020100, length 0x07060504 (over 16 MiB)
            }
            int o = offsets.get(i);
            int incl = b.getInt(o + 8);
            long micros = (b.getInt(o) & 0xffffffffL) * 1_000_000L + b.getInt(o + 4);
            ByteBuffer epb = ByteBuffer.allocate(20 + ((incl + 3) & ~3)).order(ByteOrder.LITTLE_ENDIAN);
            epb.putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(incl).putInt(b.getInt(o + 12));
            epb.put(whole, o + 16, incl);
            writeBlock(ng, 6, epb.array());
        }
        Run damaged = analyse(ng.toByteArray(), "garbage_mid.pcapng");
        Run cut = analyse(prefix.toByteArray(), "cut.pcapng");
        assertEquals("pcapng", damaged.summary.format());
        assertEquals(index, damaged.summary.packets());
        assertTrue(damaged.summary.corruptRecord().contains("record " + index + " at offset " + junkAt),
                damaged.summary.corruptRecord());
        for (String log : List.of("conn", "dns", "http", "files")) {
            assertEquals(cut.text(log), damaged.text(log), log + ".log equals that of the pcapng cut at " + junkAt);
        }
        assertConsistent(damaged);
        String addl = String.valueOf(onlyWeird(damaged, CaptureReader.CORRUPT_CAPTURE_RECORD).get("addl"));
        assertTrue(addl.contains("offset " + junkAt), addl);
        assertEquals(cut.rows("weird") + 1, damaged.rows("weird"));
    }

    private static void writeBlock(ByteArrayOutputStream out, int type, byte[] body) {
        int len = 12 + body.length;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(len).put(body).putInt(len);
        out.writeBytes(b.array());
    }

    @Test
    void unsupportedLinkTypeIsAWeirdAndCounted() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        byte[] lt = whole.clone();
        ByteBuffer.wrap(lt).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 147); // LINKTYPE_USER0
        Run r = analyse(lt, "linktype.pcap");
        Run intact = analyse(whole, "whole.pcap");
        ZeekAnalysis.Summary s = r.summary;
        assertEquals(147, s.linkType());
        assertEquals(intact.summary.packets(), s.packets());
        assertEquals(Map.of(147, intact.summary.packets()), new TreeMap<>(s.unsupportedLinkTypes()));
        assertEquals(s.packets(), s.undecodedPackets());
        assertEquals(0, s.connections());
        assertEquals(Set.of("weird"), r.logs.paths(), "nothing but the weird");
        LogRecord w = onlyWeird(r, ZeekAnalysis.UNSUPPORTED_LINK_TYPE);
        String addl = String.valueOf(w.get("addl"));
        assertTrue(addl.contains("link type 147") && addl.contains("linktype.pcap"), addl);
        assertEquals(intact.summary.firstTs(), (double) w.get("ts"), 1e-6, "at the first packet");
        assertTrue(intact.summary.unsupportedLinkTypes().isEmpty());
        assertEquals(0, intact.summary.undecodedPackets());
    }
}
