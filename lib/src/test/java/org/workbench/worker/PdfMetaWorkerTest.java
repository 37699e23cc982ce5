package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.WrongSampleKindException;
import org.workbench.store.TypeTags;

class PdfMetaWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new PdfMetaWorker(wb.store()));
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private Map<String, Object> run(byte[] pdf, String tag) {
        String md5 = wb.storeSample(pdf, "test.pdf", tag);
        Map<String, Object> r = wb.workRequest(PdfMetaWorker.NAME, md5);
        PdfMeta.from(r); // every result has the typed view's shape
        return r;
    }

    private PdfMeta meta(byte[] pdf) {
        return PdfMeta.from(run(pdf, TypeTags.PDF));
    }

    /** A one-page PDF with an /OpenAction running JavaScript, with a correct cross-reference table. */
    static byte[] javascriptPdf(boolean hexEscaped) {
        String js = hexEscaped ? "/S /J#61vaScript /J#53" : "/S /JavaScript /JS";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
                "<< " + js + " (app.alert\\('hello'\\);) >>");
        StringBuilder b = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(b.length());
            b.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = b.length();
        b.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        for (int off : offsets) {
            b.append(String.format("%010d 00000 n \n", off));
        }
        b.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] threePagePdf() throws IOException {
        return threePagePdf(false);
    }

    /** @param objectStreams whether PDFBox may pack objects into compressed object streams (its default) */
    static byte[] threePagePdf(boolean objectStreams) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < 3; i++) {
                doc.addPage(new PDPage());
            }
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle("Three pages");
            info.setAuthor("Workbench test");
            info.setCreator("PdfMetaWorkerTest");
            java.util.Calendar c = java.util.Calendar.getInstance(java.util.TimeZone.getTimeZone("UTC"));
            c.setTimeInMillis(1_391_607_420_000L);
            info.setCreationDate(c);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, objectStreams ? CompressParameters.DEFAULT_COMPRESSION
                    : CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        }
    }

    static byte[] encryptedPdf(String userPassword) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.addPage(new PDPage());
            StandardProtectionPolicy p = new StandardProtectionPolicy("owner-secret", userPassword,
                    new AccessPermission());
            p.setEncryptionKeyLength(128);
            doc.protect(p);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void javascriptOpenActionPdf() {
        PdfMeta m = meta(javascriptPdf(false));
        assertEquals("1.4", m.version());
        assertEquals(0L, m.headerOffset());
        assertTrue(m.opened(), String.valueOf(m.structureError()));
        assertNull(m.error());
        assertNull(m.structureError());
        assertEquals(1, m.pageCount());
        assertFalse(m.encrypted());
        assertEquals(4, m.count("obj"));
        assertEquals(4, m.count("endobj"));
        assertEquals(1, m.count("/Page"));
        assertEquals(1, m.count("/JavaScript"));
        assertEquals(1, m.count("/JS"));
        assertEquals(1, m.count("/OpenAction"));
        assertEquals(0, m.count("/Launch"));
        assertEquals(List.of("/JS", "/JavaScript", "/OpenAction"), m.risky());
        assertEquals(1, m.eofMarkers());
        assertTrue(m.hexEscaped().isEmpty());
    }

    @Test
    void hexEscapedNamesCountLikePdfid() {
        PdfMeta m = meta(javascriptPdf(true));
        assertEquals(1, m.count("/JavaScript"));
        assertEquals(1, m.count("/JS"));
        assertEquals(Map.of("/JavaScript", 1L, "/JS", 1L), m.hexEscaped());
        assertTrue(m.opened());
    }

    @Test
    void pdfboxMadeThreePages() throws IOException {
        byte[] pdf = threePagePdf();
        PdfMeta m = meta(pdf);
        assertTrue(m.opened());
        assertEquals(3, m.pageCount());
        assertEquals(3, m.count("/Page"));
        assertEquals(new String(pdf, 5, 3, StandardCharsets.US_ASCII), m.version());
        assertEquals("Three pages", m.title());
        assertEquals("Workbench test", m.author());
        assertEquals("PdfMetaWorkerTest", m.creator());
        assertEquals("2014-02-05T13:37:00Z", m.info().get("creation_date"));
        assertNull(m.info().get("mod_date"));
        assertNull(m.error());
        assertNull(m.structureError());
        assertEquals(0, m.count("/ObjStm"));
    }

    @Test
    void objectStreamsHideKeywordsFromTheRawScanButNotFromPdfbox() throws IOException {
        PdfMeta m = meta(threePagePdf(true));
        assertEquals(3, m.pageCount());
        assertTrue(m.count("/ObjStm") > 0);
        assertTrue(m.risky().contains("/ObjStm"));
        assertTrue(m.count("/Page") < 3, "pages packed in object streams are invisible to a raw scan");
    }

    @Test
    void encryptedWithUserPasswordIsReportedNotFailed() throws IOException {
        PdfMeta m = meta(encryptedPdf("user-secret"));
        assertTrue(m.encrypted());
        assertFalse(m.opened());
        assertNotNull(m.structureError());
        assertTrue(m.structureError().contains("password"), m.structureError());
        assertEquals(1, m.count("/Encrypt"));
        assertTrue(m.risky().contains("/Encrypt"));
        assertTrue(m.count("obj") > 0);
        assertNull(m.error());
    }

    @Test
    void encryptedWithOwnerPasswordOnlyOpens() throws IOException {
        PdfMeta m = meta(encryptedPdf(""));
        assertTrue(m.encrypted());
        assertTrue(m.opened(), String.valueOf(m.structureError()));
        assertEquals(2, m.pageCount());
        assertEquals("Standard", m.encryption().get("filter"));
        assertEquals(128, ((Number) m.encryption().get("length_bits")).intValue());
    }

    @Test
    void truncatedPdfStillGetsCounts() throws IOException {
        byte[] whole = javascriptPdf(false);
        byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
        PdfMeta m = meta(cut);
        assertTrue(m.error() != null && m.error().contains("%%EOF"), String.valueOf(m.error()));
        assertEquals(1, m.count("/OpenAction"));
        assertTrue(m.count("obj") >= 2);
        // PDFBox may or may not rebuild it; either way the result says so.
        assertTrue(m.opened() || m.structureError() != null);

        byte[] three = threePagePdf();
        PdfMeta m3 = meta(Arrays.copyOf(three, 40));
        assertEquals(0, m3.eofMarkers());
        assertNotNull(m3.error());
    }

    @Test
    void zeroBytes() {
        PdfMeta m = meta(new byte[0]);
        assertEquals(0, m.fileSize());
        assertTrue(m.error().contains("empty"), m.error());
        assertFalse(m.opened());
        assertNull(m.version());
        assertNull(m.pageCount());
        assertEquals(0, m.count("obj"));
        assertNotNull(m.structureError());
    }

    @Test
    void wrongMagic() {
        byte[] text = "<html><body>/JavaScript not a pdf obj endobj</body></html>"
                .getBytes(StandardCharsets.US_ASCII);
        PdfMeta m = meta(text);
        assertTrue(m.error().contains("no %PDF- header"), m.error());
        assertFalse(m.opened());
        assertNull(m.headerOffset());
        assertEquals(1, m.count("/JavaScript"));
        assertEquals(1, m.count("obj"));
        assertTrue(m.structureError().contains("not parsed"));
    }

    @Test
    void malformedBody() {
        byte[] garbage = ("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R /AA << /O 7 0 R >> \n"
                + "2 0 obj [[[[[ /Launch ( unterminated\nstream\n\u0000\u00ff\u0001garbage\n"
                + "3 0 obj << /Length 999999999 >> stream\nxx\nendstream\ntrailer << /Root 1 0 R /Size -4 >>\n%%EOF")
                .getBytes(StandardCharsets.ISO_8859_1);
        PdfMeta m = meta(garbage);
        assertEquals("1.7", m.version());
        assertEquals(1, m.count("/Launch"));
        assertEquals(1, m.count("/AA"));
        assertEquals(2, m.count("stream"));
        assertTrue(m.opened() || m.structureError() != null);
        assertTrue(m.risky().contains("/Launch"));
    }

    @Test
    void structureCanBeSkipped() {
        String md5 = wb.storeSample(javascriptPdf(false), "js.pdf", TypeTags.PDF);
        PdfMeta m = PdfMeta.from(wb.workRequest(PdfMetaWorker.NAME, md5, Map.of("structure", false)));
        assertFalse(m.opened());
        assertNull(m.pageCount());
        assertNull(m.structureError());
        assertEquals(1, m.count("/JavaScript"));
    }

    @Test
    void acceptsUntaggedPdfsByHeaderOnly() {
        String pdf = wb.storeSample(javascriptPdf(false), "x.bin", TypeTags.UNKNOWN);
        assertEquals(1L, ((Number) ((Map<?, ?>) wb.workRequest(PdfMetaWorker.NAME, pdf).get("keywords"))
                .get("/JavaScript")).longValue());
        String other = wb.storeSample("MZ not a pdf".getBytes(StandardCharsets.US_ASCII), "y.bin",
                TypeTags.UNKNOWN);
        assertThrows(WrongSampleKindException.class, () -> wb.workRequest(PdfMetaWorker.NAME, other));
        assertFalse(new PdfMetaWorker().accepts(wb.sampleInfo(pdf)));
    }

    // ---------------------------------------------------------------------------------------------- shared data

    static Path samplesDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (surefire sets it to ../shared of the project)");
        }
        Path dir = Path.of(shared, "data", "samples");
        if (!Files.isDirectory(dir)) {
            fail("shared samples folder is missing: " + dir.toAbsolutePath());
        }
        return dir;
    }

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            fail("shared samples folder is missing: " + dir.toAbsolutePath());
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(Files::isRegularFile).sorted().toList();
            assertFalse(l.isEmpty(), "no samples in " + dir);
            return l;
        }
    }

    /** Independent count of plain (unescaped) occurrences of a name token, by regular expression. */
    static long grep(byte[] data, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "(?![A-Za-z0-9#])")
                .matcher(new String(data, StandardCharsets.ISO_8859_1));
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void sharedPdfSamples() throws IOException {
        List<Path> all = new ArrayList<>(files(samplesDir().resolve("pdf/good")));
        all.addAll(files(samplesDir().resolve("pdf/bad")));
        int opened = 0;
        for (Path p : all) {
            byte[] data = Files.readAllBytes(p); // bytes only: never opened by a viewer
            String md5 = wb.storeSample(data, p.getFileName().toString(), TypeTags.PDF);
            PdfMeta m = PdfMeta.from(wb.workRequest(PdfMetaWorker.NAME, md5));
            assertEquals(data.length, m.fileSize());
            for (String k : List.of("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile")) {
                long hex = m.hexEscaped().getOrDefault(k, 0L);
                assertEquals(grep(data, k), m.count(k) - hex, p + ": " + k);
            }
            Integer reference = null;
            try (PDDocument d = Loader.loadPDF(data)) {
                reference = d.getNumberOfPages();
            } catch (IOException e) {
                // PDFBox cannot open it: neither can the worker
            }
            if (reference != null) {
                opened++;
                assertTrue(m.opened(), p + ": " + m.structureError());
                assertEquals(reference, m.pageCount(), p.toString());
            } else {
                assertFalse(m.opened(), p.toString());
                assertNotNull(m.structureError(), p.toString());
            }
        }
        assertTrue(opened >= all.size() / 2, "PDFBox opened only " + opened + " of " + all.size());
    }

    @Test
    void kitchenBossPdf() throws IOException {
        Path pcap = samplesDir().getParent().resolve("pcap/kitchen_boss.pcap");
        assertTrue(Files.isRegularFile(pcap), "missing " + pcap);
        String capture = wb.storeSample(pcap, TypeTags.PCAP);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) wb.workRequest("view_pcap_details", capture)
                .get("extracted_files");
        List<String> pdfs = files.stream().filter(f -> TypeTags.PDF.equals(f.get("type_tag")))
                .map(f -> (String) f.get("md5")).distinct().toList();
        assertEquals(1, pdfs.size(), "PDFs extracted from kitchen_boss: " + files);
        assertTrue(pdfs.get(0).startsWith("40b8c3c9"), pdfs.get(0));
        PdfMeta m = PdfMeta.from(wb.workRequest(PdfMetaWorker.NAME, pdfs.get(0)));
        assertEquals("1.6", m.version());
        assertNull(m.error());
        byte[] data = wb.getSample(pdfs.get(0));
        assertEquals(grep(data, "/JavaScript"), m.count("/JavaScript") - m.hexEscaped().getOrDefault("/JavaScript", 0L));
        try (PDDocument d = Loader.loadPDF(data)) {
            assertTrue(m.opened());
            assertEquals(d.getNumberOfPages(), m.pageCount());
        } catch (IOException e) {
            assertFalse(m.opened());
        }
        System.out.println("kitchen_boss PDF: " + m);
    }
}
