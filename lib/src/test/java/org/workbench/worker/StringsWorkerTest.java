package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.InvalidInputException;
import org.workbench.Workbench;
import org.workbench.WorkerFailedException;
import org.workbench.magic.SampleFiles;

class StringsWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new StringsWorker());
    }

    @AfterEach
    void close() {
        wb.close();
    }

    static byte[] built() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {0, 1, 2});
        o.writeBytes("hello world".getBytes(StandardCharsets.US_ASCII));
        o.write(0);
        o.writeBytes("abc".getBytes(StandardCharsets.US_ASCII)); // too short
        o.write(0xff);
        o.write(7); // odd offset for the next UTF-16LE string
        o.writeBytes("Wide\tString".getBytes(StandardCharsets.UTF_16LE));
        o.writeBytes(new byte[] {0, 0});
        o.writeBytes("tab\there".getBytes(StandardCharsets.US_ASCII));
        o.write(0x80);
        o.writeBytes("http://evil.example.com/x".getBytes(StandardCharsets.UTF_16LE));
        o.write(1);
        o.writeBytes("end!".getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    @Test
    void builtInput() {
        String md5 = wb.storeSample(built(), "b.bin", "unknown");
        StringsResult r = StringsResult.from(wb.workRequest("strings", md5));
        assertEquals(List.of("hello world", "tab\there", "end!"), r.ascii());
        assertEquals(List.of("Wide\tString", "http://evil.example.com/x"), r.utf16le());
        assertEquals(3, r.asciiCount());
        assertEquals(2, r.utf16leCount());
        assertFalse(r.truncated());
        assertEquals(built().length, r.bytesScanned());

        r = StringsResult.from(wb.workRequest("strings", md5, Map.of("min_length", 3, "max_strings", 2)));
        assertEquals(List.of("hello world", "abc"), r.ascii());
        assertEquals(4, r.asciiCount());
        assertTrue(r.truncated());
        assertThrows(() -> wb.workRequest("strings", md5, Map.of("min_length", 0)));
    }

    private static void assertThrows(Runnable r) {
        try {
            r.run();
            fail("expected a rejection");
        } catch (InvalidInputException | WorkerFailedException expected) {
            // the setting is refused
        }
    }

    @Test
    void emptySample() {
        String md5 = wb.storeSample(new byte[0], "empty", "unknown");
        StringsResult r = StringsResult.from(wb.workRequest("strings", md5));
        assertEquals(List.of(), r.ascii());
        assertEquals(0, r.bytesScanned());
    }

    @Test
    void streamsHugeInputInBoundedMemory() throws IOException {
        long size = 128L << 20;
        InputStream huge = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'A' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'A');
                left -= n;
                return n;
            }
        };
        Map<String, Object> r = StringsWorker.scan(huge, 4, 10, 100);
        assertEquals(List.of("A".repeat(100)), r.get("ascii"));
        assertEquals(size, ((Number) r.get("bytes_scanned")).longValue());
    }

    @Test
    void realPeMatchesBinutilsStrings() throws Exception {
        Path pe = SampleFiles.samples("pe/good").get(0);
        String md5 = wb.storeSample(pe, "exe");
        StringsResult r = StringsResult.from(wb.workRequest("strings", md5));
        assertTrue(r.ascii().contains("!This program cannot be run in DOS mode."), r.ascii().subList(0, 5).toString());
        assertEquals(binutils(pe, "s"), r.ascii());
        List<String> wide = binutils(pe, "l");
        assertEquals(wide, r.utf16le());
    }

    private static List<String> binutils(Path file, String encoding) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("strings", "-a", "-n", "4", "-e", encoding, file.toString()).start();
        } catch (IOException e) {
            return fail("the `strings` command (Debian package binutils) is missing: " + e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = new ArrayList<>(List.of(new String(out, StandardCharsets.ISO_8859_1).split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }
}
