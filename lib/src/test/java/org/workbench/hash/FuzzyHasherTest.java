package org.workbench.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.WorkbenchException;

class FuzzyHasherTest {
    @TempDir
    Path dir;

    private static FuzzyHasher libfuzzy() {
        FuzzyHasher h = FuzzyHasher.open();
        assertTrue(h.usesLibfuzzy(), "libfuzzy is missing (Debian package libfuzzy2, libfuzzy.so.2): "
                + h.fallbackReason());
        return h;
    }

    @Test
    void probesLibfuzzy() {
        FuzzyHasher h = libfuzzy();
        assertEquals(FuzzyHasher.SOURCE_LIBFUZZY, h.source());
        assertNull(h.fallbackReason());
    }

    @Test
    void fallsBackToJavaWithAReason() {
        FuzzyHasher none = FuzzyHasher.open(List.of());
        assertFalse(none.usesLibfuzzy());
        assertEquals(FuzzyHasher.SOURCE_JAVA, none.source());
        assertTrue(none.fallbackReason().contains("no libfuzzy"));
        FuzzyHasher missing = FuzzyHasher.open(List.of("no_such_fuzzy_lib"));
        assertEquals(FuzzyHasher.SOURCE_JAVA, missing.source());
        assertTrue(missing.fallbackReason().contains("no_such_fuzzy_lib"), missing.fallbackReason());
    }

    /** Both paths, files and buffers, against {@code ssdeep -s -b} on every shared sample. */
    @Test
    void bothPathsEqualTheToolOnAllSamples() throws IOException {
        List<Path> samples = SsdeepTool.allSamples();
        Map<Path, String> expected = SsdeepTool.digests(samples);
        FuzzyHasher lib = libfuzzy();
        FuzzyHasher java = FuzzyHasher.open(List.of());
        for (Path f : samples) {
            byte[] b = Files.readAllBytes(f);
            assertEquals(expected.get(f), lib.hashFile(f), "libfuzzy file digest of " + f);
            assertEquals(expected.get(f), lib.hash(b), "libfuzzy buffer digest of " + f);
            assertEquals(expected.get(f), java.hashFile(f), "Java file digest of " + f);
            assertEquals(expected.get(f), java.hash(b), "Java buffer digest of " + f);
        }
    }

    @Test
    void emptyInputAndMissingFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty"));
        for (FuzzyHasher h : List.of(libfuzzy(), FuzzyHasher.open(List.of()))) {
            assertEquals("3::", h.hash(new byte[0]), h.source());
            assertEquals("3::", h.hashFile(empty), h.source());
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> h.hashFile(dir.resolve("nope")));
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
        }
    }
}
