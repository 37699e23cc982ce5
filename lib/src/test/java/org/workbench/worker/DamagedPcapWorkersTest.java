package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.analysis.CorruptRecordAnalysisTest;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.capture.CaptureReader;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogStream;

/**
 * {@code pcap_zeek} and {@code view_pcap_details} on stored captures damaged inside (built here from the shared
 * Kitchen Boss capture): the work succeeds, the weird is in the stored weird log, and {@code notes} says what the
 * logs do not cover.
 */
class DamagedPcapWorkersTest {
    @TempDir
    java.nio.file.Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private List<LogRecord> weirds(Map<String, Object> result) throws Exception {
        Object md5 = result.get("weird_log");
        assertNotNull(md5, "a weird log: " + result.keySet());
        List<LogRecord> rows = new ArrayList<>();
        try (LogStream s = wb.streamSample(md5.toString())) {
            s.forEach(rows::add);
        }
        return rows;
    }

    @Test
    @SuppressWarnings("unchecked")
    void corruptRecordInTheMiddle() throws Exception {
        byte[] whole = Files.readAllBytes(CorruptRecordAnalysisTest.kitchenBoss());
        List<Integer> offsets = CorruptRecordAnalysisTest.recordOffsets(whole);
        int index = offsets.size() * 2 / 5;
        int at = offsets.get(index);
        byte[] junk = new byte[200];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) i;
        }
        String md5 = wb.storeSample(CorruptRecordAnalysisTest.insert(whole, at, junk), "garbage_mid.pcap", "pcap");
        Map<String, Object> zeek = wb.workRequest("pcap_zeek", md5);
        assertEquals((long) index, ((Number) zeek.get("packets")).longValue());
        List<String> notes = (List<String>) zeek.get("notes");
        assertEquals(1, notes.size(), "" + notes);
        String note = notes.get(0);
        assertTrue(note.startsWith("'garbage_mid.pcap': record " + index + " at offset " + at + " claims"), note);
        assertTrue(note.contains(CaptureReader.CORRUPT_CAPTURE_RECORD), note);
        assertFalse(note.contains(home.toString()), "the store's path is not shown: " + note);
        List<LogRecord> w = weirds(zeek).stream()
                .filter(r -> CaptureReader.CORRUPT_CAPTURE_RECORD.equals(r.get("name"))).toList();
        assertEquals(1, w.size());
        assertTrue(String.valueOf(w.get(0).get("addl")).contains("record " + index + " at offset " + at),
                "" + w.get(0));
        for (String log : List.of("conn_log", "dns_log", "http_log", "files_log")) {
            assertTrue(zeek.containsKey(log), log + " in " + zeek.keySet());
        }

        Map<String, Object> view = wb.workRequest("view_pcap_details", md5);
        assertEquals(notes, view.get("notes"));
        assertEquals(zeek.get("conn_log"), view.get("conn_log"));
        assertEquals(zeek.get("weird_log"), view.get("weird_log"));
        assertFalse(((List<?>) view.get("extracted_files")).isEmpty(), "files before the damage are extracted");
    }

    @Test
    @SuppressWarnings("unchecked")
    void unsupportedLinkType() throws Exception {
        byte[] whole = Files.readAllBytes(CorruptRecordAnalysisTest.kitchenBoss());
        ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 147);
        int packets = CorruptRecordAnalysisTest.recordOffsets(whole).size();
        String md5 = wb.storeSample(whole, "linktype.pcap", "pcap");
        Map<String, Object> zeek = wb.workRequest("pcap_zeek", md5);
        assertEquals((long) packets, ((Number) zeek.get("undecoded_packets")).longValue());
        List<String> notes = (List<String>) zeek.get("notes");
        assertEquals(List.of("'linktype.pcap': link type 147 is not supported: its " + packets
                + " packets were not analysed (weird " + ZeekAnalysis.UNSUPPORTED_LINK_TYPE + ")"), notes);
        List<LogRecord> w = weirds(zeek);
        assertEquals(1, w.size(), "" + w);
        assertEquals(ZeekAnalysis.UNSUPPORTED_LINK_TYPE, w.get(0).get("name"));
        assertFalse(zeek.containsKey("conn_log"));

        Map<String, Object> view = wb.workRequest("view_pcap_details", md5);
        assertEquals(notes, view.get("notes"));
        assertEquals(zeek.get("weird_log"), view.get("weird_log"));
        assertEquals(List.of(), view.get("extracted_files"));
    }

    @Test
    void anIntactCaptureHasNoNotes() throws Exception {
        String md5 = wb.storeSample(Files.readAllBytes(CorruptRecordAnalysisTest.kitchenBoss()), "kb.pcap", "pcap");
        Map<String, Object> zeek = wb.workRequest("pcap_zeek", md5);
        assertEquals(List.of(), zeek.get("notes"));
        assertEquals(0L, ((Number) zeek.get("undecoded_packets")).longValue());
        assertFalse(wb.workRequest("view_pcap_details", md5).containsKey("notes"));
    }
}
