package org.workbench.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PdfKeywordScannerTest {
    private static PdfKeywordScanner.Result scan(String s) throws IOException {
        return PdfKeywordScanner.scan(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void countsWholeWordsOnly() throws IOException {
        PdfKeywordScanner.Result r = scan("%PDF-1.7\n1 0 obj<</Type/Pages/Kids[2 0 R]>>endobj\n"
                + "2 0 obj<</Type/Page/AA<</O 3 0 R>>/AAx 1>>endobj 3 0 obj<</JS(x)/JavaScript 1>>endobj\n"
                + "4 0 obj<</Length 3>>stream\nabc\nendstream endobj\nxref\ntrailer\nstartxref\n0\n%%EOF");
        assertEquals("1.7", r.headerVersion());
        assertEquals(0, r.headerOffset());
        assertEquals(4, r.count("obj"));
        assertEquals(4, r.count("endobj"));
        assertEquals(1, r.count("stream"));
        assertEquals(1, r.count("endstream"));
        assertEquals(1, r.count("/Page"), "/Pages is not /Page");
        assertEquals(1, r.count("/AA"), "/AAx is not /AA");
        assertEquals(1, r.count("/JS"));
        assertEquals(1, r.count("/JavaScript"));
        assertEquals(1, r.count("xref"));
        assertEquals(1, r.count("startxref"));
        assertEquals(1, r.eofMarkers());
        assertTrue(r.hexEscaped().isEmpty());
        assertEquals(PdfKeywordScanner.KEYWORDS, r.counts().keySet().stream().toList());
    }

    @Test
    void decodesHexEscapesInNames() throws IOException {
        PdfKeywordScanner.Result r = scan("%PDF-1.5 <</S/J#61vaScript/J#53 (x) /Open#41ction 1 /#4a#53 2"
                + " /JavaScript /J#zz /JavaScrip#74>>");
        assertEquals(3, r.count("/JavaScript"));
        assertEquals(2, r.hexEscaped().get("/JavaScript"));
        assertEquals(2, r.count("/JS"));
        assertEquals(2, r.hexEscaped().get("/JS"));
        assertEquals(1, r.count("/OpenAction"));
        assertEquals(Map.of("/JavaScript", 2L, "/JS", 2L, "/OpenAction", 1L), r.hexEscaped());
    }

    @Test
    void hashOutsideNamesIsNotAnEscape() throws IOException {
        // '#' only escapes inside names; "J#61vaScript" without a slash is two words.
        PdfKeywordScanner.Result r = scan("%PDF-1.1 J#61vaScript obj#6fbj");
        assertEquals(0, r.count("/JavaScript"));
        assertEquals(1, r.count("obj"));
    }

    @Test
    void headerWithinTheFirst1024Bytes() throws IOException {
        byte[] junk = new byte[1000];
        Arrays.fill(junk, (byte) 'x');
        String withHeader = new String(junk, StandardCharsets.ISO_8859_1) + "%PDF-1.3\n%%EOF%%EOF\n%%%EOF";
        PdfKeywordScanner.Result r = scan(withHeader);
        assertEquals(1000, r.headerOffset());
        assertEquals("1.3", r.headerVersion());
        assertEquals(3, r.eofMarkers());

        byte[] more = new byte[1100];
        Arrays.fill(more, (byte) ' ');
        PdfKeywordScanner.Result late = scan(new String(more, StandardCharsets.ISO_8859_1) + "%PDF-1.3");
        assertEquals(-1, late.headerOffset());
        assertNull(late.headerVersion());
        assertFalse(PdfKeywordScanner.hasPdfHeader(more));
        assertTrue(PdfKeywordScanner.hasPdfHeader("ab%PDF-1.0".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyAndGarbageInput() throws IOException {
        PdfKeywordScanner.Result empty = scan("");
        assertEquals(0, empty.bytesScanned());
        assertEquals(-1, empty.headerOffset());
        assertEquals(0, empty.count("obj"));

        byte[] random = new byte[300_000];
        new java.util.Random(7).nextBytes(random);
        PdfKeywordScanner.Result r = PdfKeywordScanner.scan(new ByteArrayInputStream(random));
        assertEquals(random.length, r.bytesScanned());

        String longWord = "/" + "A".repeat(PdfKeywordScanner.MAX_WORD + 10) + " /JS";
        assertEquals(1, scan(longWord).count("/JS"));
    }

    @Test
    void keywordsAcrossBufferBoundaries() throws IOException {
        // 64 KiB reads: put a keyword and an escape across the boundary.
        StringBuilder b = new StringBuilder("%PDF-1.4\n");
        while (b.length() < 65536 - 5) {
            b.append(' ');
        }
        b.append("/J#61vaScript /OpenAction %%E");
        b.append("OF");
        PdfKeywordScanner.Result r = scan(b.toString());
        assertEquals(1, r.count("/JavaScript"));
        assertEquals(1, r.hexEscaped().get("/JavaScript"));
        assertEquals(1, r.count("/OpenAction"));
        assertEquals(1, r.eofMarkers());
    }

    @Test
    void cancellationStopsEarly() throws IOException {
        byte[] big = new byte[1 << 20];
        InputStream in = new ByteArrayInputStream(big);
        PdfKeywordScanner.Result r = PdfKeywordScanner.scan(in, () -> true);
        assertEquals(0, r.bytesScanned());
    }
}
