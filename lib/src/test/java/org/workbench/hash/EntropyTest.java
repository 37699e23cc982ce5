package org.workbench.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntropyTest {
    @Test
    void boundaries() {
        assertEquals(0.0, Entropy.of(new byte[0]));
        assertEquals(0.0, Entropy.of(new byte[1000]));
        byte[] all = new byte[256 * 10];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertEquals(8.0, Entropy.of(all), 1e-12);
        assertEquals(1.0, Entropy.of(new byte[] {1, 2, 1, 2}), 1e-12);
        assertEquals(2.0, Entropy.of(new byte[] {1, 2, 3, 4}), 1e-12);
    }

    @Test
    void streamingEqualsOneShot() throws IOException {
        byte[] b = new byte[200_000];
        new Random(1).nextBytes(b);
        Entropy e = new Entropy();
        for (int off = 0; off < b.length; off += 777) {
            e.update(b, off, Math.min(777, b.length - off));
        }
        assertEquals(Entropy.of(b), e.bitsPerByte(), 1e-12);
        assertEquals(Entropy.of(b), Entropy.of(new ByteArrayInputStream(b)), 1e-12);
        assertTrue(e.bitsPerByte() > 7.99 && e.bitsPerByte() <= 8.0);
        assertEquals(b.length, e.size());
    }

    @Test
    void samplesAreWithinRange() throws IOException {
        for (Path f : SsdeepTool.allSamples()) {
            double h = Entropy.of(Files.readAllBytes(f));
            assertTrue(h >= 0 && h <= 8, f + ": " + h);
        }
    }
}
