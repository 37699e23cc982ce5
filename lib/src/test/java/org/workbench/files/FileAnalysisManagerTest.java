package org.workbench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.flow.ConnId;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;

class FileAnalysisManagerTest {
    @TempDir
    Path tmp;

    private final List<LogRecord> records = new ArrayList<>();
    private final List<String> weirds = new ArrayList<>();
    private final List<ExtractedFile> extracted = new ArrayList<>();
    private final List<Path> stored = new ArrayList<>();
    private int n;

    private FileAnalysisManager manager(ExtractionPolicy policy) {
        return new FileAnalysisManager(records::add, (ts, name, uid, id, addl, src) -> weirds.add(name),
                () -> "F" + (++n), policy, (file, content) -> {
                    extracted.add(file);
                    Path dest = tmp.resolve(file.extractedName());
                    Files.move(content, dest);
                    stored.add(dest);
                }).tempDirectory(tmp);
    }

    private static ConnId id() throws Exception {
        return new ConnId(InetAddress.getByName("192.168.1.2"), 5000, InetAddress.getByName("8.8.8.8"), 80,
                TransportProto.TCP);
    }

    private void transfer(FileAnalysisManager m, byte[] content) throws Exception {
        AnalyzedFile f = m.newFile(10.0, "Cx", id(), "HTTP", false);
        f.data(10.5, content, 0, content.length);
        f.end(11.0);
    }

    @Test
    void dataAtPlacesPiecesByOffsetAndHandlesNameOneFile() throws Exception {
        FileAnalysisManager m = manager(ExtractionPolicy.none());
        AnalyzedFile f = m.fileByHandle("k", 1.0, "Cx", id(), "HTTP", false);
        assertTrue(f == m.fileByHandle("k", 1.5, "Cx", id(), "HTTP", false));
        byte[] d = "abcdef".getBytes(StandardCharsets.US_ASCII);
        f.dataAt(2.0, 10, d, 0, 4);  // bytes 10..13: 10 missing before
        f.dataAt(2.1, 12, d, 0, 6);  // 12..17 overlaps 12..13: only 14..17 are new
        f.dataAt(2.2, 0, d, 0, 3);   // wholly before the current end: dropped
        f.end(3.0);
        LogRecord r = records.get(0);
        assertEquals(8L, r.get("seen_bytes"));
        assertEquals(10L, r.get("missing_bytes"));
        assertNull(r.get("md5"));
        // once ended, the handle names a new file
        assertFalse(f == m.fileByHandle("k", 4.0, "Cx", id(), "HTTP", false));
    }

    @Test
    void hashAnalyzersCanBeLeftOutOfTheLog() throws Exception {
        FileAnalysisManager m = manager(ExtractionPolicy.none()).logHashes(false);
        transfer(m, "hello".getBytes(StandardCharsets.US_ASCII));
        LogRecord r = records.get(0);
        assertEquals(List.of(), new ArrayList<>((java.util.Collection<?>) r.get("analyzers")));
        assertNull(r.get("md5"));
        assertNull(r.get("sha256"));
    }

    @Test
    void defaultPolicyExtractsExecutablesAndContainersOnly() {
        ExtractionPolicy p = ExtractionPolicy.defaults();
        for (String yes : List.of("application/x-dosexec", "application/x-executable",
                "application/x-mach-o-executable", "application/pdf", "application/zip", "application/java-archive",
                "application/x-java-applet", "application/x-shockwave-flash", "application/vnd.ms-cab-compressed",
                "application/x-rar", "application/x-7z-compressed", "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")) {
            assertTrue(p.shouldExtract(yes), yes);
        }
        for (String no : List.of("text/html", "text/plain", "application/javascript", "text/json",
                "application/xml", "image/png", "image/gif", "image/jpeg", "text/x-shellscript",
                "application/vnd.ms-fontobject")) {
            assertFalse(p.shouldExtract(no), no);
        }
        assertFalse(p.shouldExtract(null));
        assertTrue(ExtractionPolicy.ofMimeTypes(Set.of("Image/PNG")).shouldExtract("image/png"));
        assertTrue(ExtractionPolicy.of(m -> m == null).shouldExtract(null));
        assertFalse(ExtractionPolicy.none().shouldExtract("application/x-dosexec"));
        assertTrue(ExtractionPolicy.all().shouldExtract(null));
    }

    @Test
    void extractsAllowedTypeAndHashesEverything() throws Exception {
        FileAnalysisManager m = manager(ExtractionPolicy.defaults());
        byte[] pe = new byte[10000];
        pe[0] = 'M';
        pe[1] = 'Z';
        pe[9999] = 42;
        transfer(m, pe);
        transfer(m, "<html><body>not extracted</body></html>".getBytes(StandardCharsets.US_ASCII));
        assertEquals(2, records.size());
        LogRecord exe = records.get(0);
        assertEquals("application/x-dosexec", exe.get("mime_type"));
        assertEquals(List.of("MD5", "SHA1", "SHA256", "EXTRACT"), exe.get("analyzers"));
        assertEquals("extract-10.500000-HTTP-F1", exe.get("extracted"));
        assertEquals(false, exe.get("extracted_cutoff"));
        assertNull(exe.get("extracted_size"));
        assertEquals(0.5, (Double) exe.get("duration"), 1e-9);
        assertEquals(false, exe.get("local_orig"));
        assertEquals(1, extracted.size());
        ExtractedFile x = extracted.get(0);
        assertEquals(10000, x.size());
        assertEquals(exe.get("md5"), x.md5());
        assertEquals(exe.get("sha1"), x.sha1());
        assertEquals(exe.get("sha256"), x.sha256());
        assertEquals(64, x.sha256().length());
        assertEquals("application/x-dosexec", x.mimeType());
        byte[] back = Files.readAllBytes(stored.get(0));
        assertEquals(java.util.Arrays.hashCode(pe), java.util.Arrays.hashCode(back));
        LogRecord html = records.get(1);
        assertEquals("text/html", html.get("mime_type"));
        assertEquals(List.of("MD5", "SHA1", "SHA256"), html.get("analyzers"));
        assertNull(html.get("extracted"));
        assertTrue(html.get("md5") instanceof String);
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void extractLimitCutsOff() throws Exception {
        FileAnalysisManager m = manager(ExtractionPolicy.all()).extractLimit(100);
        transfer(m, new byte[5000]);
        LogRecord r = records.get(0);
        assertEquals(true, r.get("extracted_cutoff"));
        assertEquals(100L, r.get("extracted_size"));
        assertEquals(100, Files.size(stored.get(0)));
        assertTrue(r.get("md5") instanceof String, "hashing continues past the extraction limit");
    }

    @Test
    void gapsAndTimeouts() throws Exception {
        FileAnalysisManager m = manager(ExtractionPolicy.none());
        AnalyzedFile f = m.newFile(1.0, "Cx", id(), "HTTP", true);
        f.setTotalBytes(100);
        f.setFilename("a.txt");
        byte[] d = "some plain text content".getBytes(StandardCharsets.US_ASCII);
        f.data(1.0, d, 0, d.length);
        f.gap(2.0, 10);
        assertEquals(1, m.openFiles());
        m.closeAll(5.0);
        assertEquals(0, m.openFiles());
        LogRecord r = records.get(0);
        assertEquals(true, r.get("timedout"));
        assertEquals(true, r.get("local_orig"));
        assertEquals(true, r.get("is_orig"));
        assertEquals(10L, r.get("missing_bytes"));
        assertEquals((long) d.length, r.get("seen_bytes"));
        assertEquals(100L, r.get("total_bytes"));
        assertEquals("a.txt", r.get("filename"));
        assertEquals("text/plain", r.get("mime_type"));
        assertNull(r.get("md5"));
        assertTrue(extracted.isEmpty());
    }

    @Test
    void failingSinkBecomesWeirdAndTempFileIsDeleted() throws Exception {
        FileAnalysisManager m = new FileAnalysisManager(records::add,
                (ts, name, uid, id, addl, src) -> weirds.add(name), () -> "F1", ExtractionPolicy.all(),
                (file, content) -> {
                    throw new java.io.IOException("disk full");
                }).tempDirectory(tmp);
        transfer(m, new byte[100]);
        assertEquals(List.of("file_extraction_failed"), weirds);
        assertEquals(1, records.size());
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.count());
        }
    }
}
