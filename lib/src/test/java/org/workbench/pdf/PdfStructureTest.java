package org.workbench.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfStructureTest {
    @TempDir
    Path dir;

    private Path twoPages() throws Exception {
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.addPage(new PDPage());
            doc.getDocumentInformation().setProducer("PdfStructureTest");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            Path p = dir.resolve("two.pdf");
            Files.write(p, out.toByteArray());
            return p;
        }
    }

    @Test
    void readsWithinTheTimeLimit() throws Exception {
        Map<String, Object> r = PdfStructure.read(twoPages(), 1 << 20, 60);
        assertEquals(true, r.get("opened"));
        assertEquals(2, r.get("page_count"));
        assertEquals(false, r.get("encrypted"));
        assertNull(r.get("structure_error"));
        assertEquals("PdfStructureTest", ((Map<?, ?>) r.get("info")).get("producer"));
    }

    @Test
    void givesUpAfterTheTimeLimit() throws Exception {
        // a named pipe nobody writes to: PDFBox blocks on it for ever, so the limit must end the wait
        Path fifo = dir.resolve("never-written.pdf");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor(), "mkfifo");
        Map<String, Object> r = PdfStructure.read(fifo, 1 << 20, 0.2);
        assertEquals(false, r.get("opened"));
        assertTrue(String.valueOf(r.get("structure_error")).contains("gave up"), String.valueOf(r));
    }

    @Test
    void missingOrBrokenFilesBecomeErrors() throws Exception {
        Map<String, Object> r = PdfStructure.read(dir.resolve("absent.pdf"), 1 << 20);
        assertEquals(false, r.get("opened"));
        assertTrue(String.valueOf(r.get("structure_error")).startsWith("PDFBox could not parse it"));
        Path junk = dir.resolve("junk.pdf");
        Files.writeString(junk, "%PDF-1.4\n1 0 obj <<");
        Map<String, Object> j = PdfStructure.read(junk, 1 << 20);
        assertEquals(false, j.get("opened"));
        assertTrue(j.get("structure_error") != null);
    }
}
