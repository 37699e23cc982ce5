package org.workbench.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.workbench.WorkbenchException;

class FileMagicTest {
    private static FileMagic magic;

    @BeforeAll
    static void load() {
        magic = FileMagic.open();
        assertTrue(magic.usesLibmagic(), "libmagic did not load (Debian package libmagic1): " + magic.fallbackReason());
        assertEquals(FileMagic.SOURCE_LIBMAGIC, magic.source());
        assertTrue(magic.libmagicVersion() > 500, "libmagic version " + magic.libmagicVersion());
    }

    @AfterAll
    static void close() {
        magic.close();
    }

    private static List<Path> allSamples() {
        List<Path> files = new ArrayList<>();
        files.addAll(SampleFiles.samples("pe"));
        files.addAll(SampleFiles.samples("pdf"));
        files.addAll(SampleFiles.samples("swf"));
        files.addAll(SampleFiles.samples("zip"));
        return files;
    }

    @Test
    void describeMatchesFileCommandOnPePdfSwfZipSamples() {
        List<Path> files = allSamples();
        List<String> descriptions = SampleFiles.fileCommand(List.of(), files);
        List<String> mimeTypes = SampleFiles.fileCommand(List.of("--mime-type"), files);
        List<String> encodings = SampleFiles.fileCommand(List.of("--mime-encoding"), files);
        for (int i = 0; i < files.size(); i++) {
            MagicResult r = magic.describe(files.get(i));
            String f = files.get(i).toString();
            assertEquals(descriptions.get(i), r.description(), "description of " + f);
            assertEquals(mimeTypes.get(i), r.mimeType(), "MIME type of " + f);
            assertEquals(encodings.get(i), r.encoding(), "encoding of " + f);
            assertEquals("libmagic", r.source());
        }
        // The samples cover the three kinds the brief names.
        assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("PE32 executable")), descriptions.toString());
        assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("PDF document")), descriptions.toString());
        assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("Macromedia Flash data")), descriptions.toString());
    }

    @Test
    void describeBytesAgreesWithDescribeFile() throws IOException {
        for (Path f : allSamples()) {
            assertEquals(magic.describe(f), magic.describe(Files.readAllBytes(f)), "buffer vs file for " + f);
        }
    }

    @Test
    void textAndEmptyBuffers() {
        MagicResult text = magic.describe("hello world\n".getBytes());
        assertEquals("ASCII text", text.description());
        assertEquals("text/plain", text.mimeType());
        assertEquals("us-ascii", text.encoding());
        MagicResult empty = magic.describe(new byte[0]);
        assertEquals("empty", empty.description());
        assertEquals("application/x-empty", empty.mimeType());
    }

    @Test
    void missingFileIsAClearError() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> magic.describe(Path.of("/nonexistent/sample.bin")));
        assertTrue(e.getMessage().contains("/nonexistent/sample.bin"), e.getMessage());
    }

    @Test
    void safeFromSeveralThreads() throws Exception {
        List<Path> files = allSamples();
        List<MagicResult> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(magic.describe(f));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<MagicResult>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<MagicResult> got = new ArrayList<>();
                    for (Path f : files) {
                        got.add(magic.describe(f));
                    }
                    return got;
                }));
            }
            for (Future<List<MagicResult>> f : futures) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fallsBackToTikaWhenLibmagicCannotLoad() {
        try (FileMagic tika = FileMagic.open(List.of("no_such_magic_library_xyz"))) {
            assertFalse(tika.usesLibmagic());
            assertEquals("tika", tika.source());
            assertNotNull(tika.fallbackReason());
            assertTrue(tika.fallbackReason().contains("no_such_magic_library_xyz"), tika.fallbackReason());
            assertEquals(-1, tika.libmagicVersion());

            MagicResult pdf = tika.describe(SampleFiles.samples("pdf").get(0));
            assertEquals("application/pdf", pdf.mimeType());
            assertEquals("tika", pdf.source());
            assertEquals("binary", pdf.encoding(), pdf.toString());

            MagicResult swf = tika.describe(SampleFiles.samples("swf").get(0));
            assertEquals("application/x-shockwave-flash", swf.mimeType());
            MagicResult pe = tika.describe(SampleFiles.samples("pe").get(0));
            assertTrue(pe.mimeType().startsWith("application/x-msdownload"), pe.toString());
            assertEquals("binary", pe.encoding());

            MagicResult text = tika.describe("plain words\n".getBytes());
            assertEquals("text/plain", text.mimeType());
            assertEquals("us-ascii", text.encoding());
        }
    }

    @Test
    void encodingHeuristicOfTheFallback() {
        assertEquals("binary", FileMagic.guessEncoding(new byte[] {1, 2, 0}));
        assertEquals("us-ascii", FileMagic.guessEncoding("abc\n".getBytes()));
        assertEquals("utf-8", FileMagic.guessEncoding("caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("unknown-8bit", FileMagic.guessEncoding(new byte[] {'a', (byte) 0xe9, 'b'}));
    }

    @Test
    void closedInstanceRefusesWork() {
        FileMagic m = FileMagic.open();
        m.close();
        m.close();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> m.describe(new byte[] {1}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
