package org.workbench.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SsdeepTest {
    @TempDir
    Path dir;

    @Test
    void knownDigests() {
        assertEquals("3::", Ssdeep.hash(new byte[0]));
        assertEquals("3:E:E", Ssdeep.hash("a".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("3:iKFSMPn:rJPn", Ssdeep.hash("hello world".getBytes(StandardCharsets.US_ASCII)));
    }

    /** Inputs of many sizes and shapes, built here, against {@code ssdeep -s -b}. */
    @Test
    void equalsTheToolOnGeneratedInputs() throws IOException {
        Random rnd = new Random(20061);
        List<Path> files = new ArrayList<>();
        int[] sizes = {0, 1, 2, 6, 7, 8, 63, 64, 191, 192, 193, 500, 1000, 4096, 6143, 6145, 20_000, 65_536,
            100_000, 250_000, 777_777, 1_500_000, 3_300_000};
        int k = 0;
        for (int size : sizes) {
            for (String shape : List.of("random", "text", "zeros", "pattern", "lowalpha")) {
                byte[] b = new byte[size];
                switch (shape) {
                    case "random" -> rnd.nextBytes(b);
                    case "text" -> {
                        String words = "the quick brown fox jumps over the lazy dog 0123456789\n";
                        for (int i = 0; i < size; i++) {
                            b[i] = (byte) words.charAt((i * 7 + i / 13) % words.length());
                        }
                    }
                    case "pattern" -> {
                        for (int i = 0; i < size; i++) {
                            b[i] = (byte) (i % 251 ^ i >> 9);
                        }
                    }
                    case "lowalpha" -> {
                        for (int i = 0; i < size; i++) {
                            b[i] = (byte) ('a' + rnd.nextInt(3));
                        }
                    }
                    default -> {
                    }
                }
                Path f = dir.resolve(String.format("g%03d_%s_%d", k++, shape, size));
                Files.write(f, b);
                files.add(f);
            }
        }
        Map<Path, String> expected = SsdeepTool.digests(files);
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            assertEquals(expected.get(f), Ssdeep.hash(b), "digest of " + f.getFileName());
        }
    }

    @Test
    void equalsTheToolOnAllSamples() throws IOException {
        List<Path> samples = SsdeepTool.allSamples();
        Map<Path, String> expected = SsdeepTool.digests(samples);
        for (Path f : samples) {
            assertEquals(expected.get(f), Ssdeep.hash(Files.readAllBytes(f)), "digest of " + f);
        }
    }

    @Test
    void streamingInOddChunksGivesTheSameDigest() throws IOException {
        byte[] b = new byte[300_000];
        new Random(7).nextBytes(b);
        String whole = Ssdeep.hash(b);
        Ssdeep s = new Ssdeep();
        Random r = new Random(8);
        for (int off = 0; off < b.length; ) {
            int n = Math.min(b.length - off, r.nextInt(5000));
            s.update(b, off, n);
            off += n;
        }
        assertEquals(whole, s.digest());
        assertEquals(whole, Ssdeep.hash(new ByteArrayInputStream(b)));
        assertEquals(b.length, s.size());
    }

    @Test
    void digestsHaveTheDocumentedShape() {
        byte[] b = new byte[1_000_000];
        new Random(3).nextBytes(b);
        String d = Ssdeep.hash(b);
        String[] parts = d.split(":", -1);
        assertEquals(3, parts.length, d);
        assertTrue(parts[1].length() <= 64 && parts[2].length() <= 32, d);
        assertTrue(d.length() < Ssdeep.FUZZY_MAX_RESULT);
    }
}
