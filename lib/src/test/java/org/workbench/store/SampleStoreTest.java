package org.workbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.CorruptSampleException;
import org.workbench.InvalidInputException;
import org.workbench.UnknownSampleException;
import org.workbench.WorkbenchException;

class SampleStoreTest {
    @TempDir
    Path home;

    private static String hex(String algorithm, byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private List<Path> tempFiles() throws IOException {
        return filesUnder(home).stream().filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                .collect(Collectors.toList());
    }

    @Test
    void storesBytesWithHashesAndMetadata() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        byte[] data = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Instant before = Instant.now().minusSeconds(1);
        String md5 = store.storeSample(data, "request.txt", "unknown");

        assertEquals(hex("MD5", data), md5);
        assertTrue(store.has(md5));
        SampleInfo info = store.info(md5);
        assertEquals(md5, info.md5());
        assertEquals(hex("SHA-1", data), info.sha1());
        assertEquals(hex("SHA-256", data), info.sha256());
        assertEquals(data.length, info.fileSize());
        assertEquals("request.txt", info.filename());
        assertEquals(List.of("request.txt"), info.filenames());
        assertEquals("unknown", info.typeTag());
        assertTrue(!info.importTime().isBefore(before) && !info.importTime().isAfter(Instant.now()));
        assertTrue(info.importTimeIso().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                info.importTimeIso());

        assertArrayEquals(data, store.bytes(md5));
        try (InputStream in = store.open(md5)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertArrayEquals(data, Files.readAllBytes(store.path(md5)));
        assertEquals(List.of(info), store.list());

        // Upper case MD5s are accepted; metadata is plain JSON with the documented keys.
        assertEquals(info, store.info(md5.toUpperCase()));
        String json = Files.readString(home.resolve("samples/info/" + md5 + ".json"));
        for (String key : List.of("\"md5\"", "\"sha1\"", "\"sha256\"", "\"file_size\"", "\"filename\"",
                "\"type_tag\"", "\"import_time\"")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void durableAcrossReopen() {
        String md5 = SampleStore.openAt(home).storeSample(new byte[] {1, 2, 3}, "a.bin", "exe");
        SampleStore again = SampleStore.openAt(home);
        assertTrue(again.has(md5));
        assertEquals("exe", again.info(md5).typeTag());
        assertArrayEquals(new byte[] {1, 2, 3}, again.bytes(md5));
    }

    @Test
    void sameBytesTwiceAreOneSampleKeepingTheFirstMetadata() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        byte[] data = "%PDF-1.4 tiny".getBytes(StandardCharsets.US_ASCII);
        String first = store.storeSample(data, "first.pdf", "pdf");
        SampleInfo before = store.info(first);
        Thread.sleep(5);
        String second = store.storeSample(data, "second.bin", "unknown");
        String third = store.storeSample(data, "first.pdf", "pdf");

        assertEquals(first, second);
        assertEquals(first, third);
        SampleInfo after = store.info(first);
        assertEquals("first.pdf", after.filename());
        assertEquals("pdf", after.typeTag());
        assertEquals(before.importTime(), after.importTime());
        assertEquals(List.of("first.pdf", "second.bin"), after.filenames());
        assertEquals(1, store.list().size());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void aSpecificTypeReplacesUnknownButNotAnotherSpecificType() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        byte[] data = "MZ not really".getBytes(StandardCharsets.US_ASCII);
        String md5 = store.storeSample(data, "blob.bin", TypeTags.UNKNOWN);
        assertEquals(TypeTags.UNKNOWN, store.info(md5).typeTag());
        store.storeSample(data, "blob.bin", TypeTags.EXE);
        assertEquals(TypeTags.EXE, store.info(md5).typeTag());
        assertEquals(List.of("blob.bin"), store.info(md5).filenames());
        store.storeSample(data, "blob.pdf", TypeTags.PDF);
        store.storeSample(data, "again.bin", TypeTags.UNKNOWN);
        SampleInfo after = SampleStore.openAt(home).info(md5);
        assertEquals(TypeTags.EXE, after.typeTag());
        assertEquals(List.of("blob.bin", "blob.pdf", "again.bin"), after.filenames());
    }

    @Test
    void storesFilesAndStreamsNamedAfterTheirSource() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        Path src = Files.writeString(home.resolve("capture.pcap"), "not really a pcap");
        String md5 = store.storeSample(src, "pcap");
        assertEquals("capture.pcap", store.info(md5).filename());
        assertEquals(hex("MD5", Files.readAllBytes(src)), md5);

        String md5b = store.storeSample(new java.io.ByteArrayInputStream(new byte[0]), "empty.bin", "unknown");
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", md5b);
        assertEquals(0, store.info(md5b).fileSize());
        assertArrayEquals(new byte[0], store.bytes(md5b));
    }

    @Test
    void badInputIsAClearErrorAndLosesNothing() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        byte[] data = {9, 8, 7};
        String md5 = store.storeSample(data, "keep.bin", "exe");

        assertMessage(InvalidInputException.class, () -> store.storeSample(data, null, "exe"), "filename");
        assertMessage(InvalidInputException.class, () -> store.storeSample(data, "  ", "exe"), "filename");
        assertMessage(InvalidInputException.class, () -> store.storeSample((byte[]) null, "x", "exe"), "null");
        assertMessage(InvalidInputException.class, () -> store.storeSample(data, "x", null), "type tag");
        assertMessage(InvalidInputException.class, () -> store.storeSample(data, "x", "Bad Tag"), "'Bad Tag'");
        assertMessage(InvalidInputException.class, () -> store.storeSample(home.resolve("missing.pcap"), "pcap"),
                "missing.pcap");
        assertMessage(InvalidInputException.class, () -> store.info("xyz"), "'xyz'");
        assertMessage(InvalidInputException.class, () -> store.has("0123"), "32 hex");
        assertMessage(InvalidInputException.class, () -> store.open(null), "null");
        String unknown = "0123456789abcdef0123456789abcdef";
        UnknownSampleException e = assertMessage(UnknownSampleException.class, () -> store.info(unknown), unknown);
        assertEquals(unknown, e.md5());
        assertMessage(UnknownSampleException.class, () -> store.open(unknown), unknown);
        assertMessage(UnknownSampleException.class, () -> store.path(unknown), unknown);
        assertFalse(store.has(unknown));

        assertEquals(List.of(md5), store.list().stream().map(SampleInfo::md5).collect(Collectors.toList()));
        assertArrayEquals(data, store.bytes(md5));
        assertEquals(List.of("keep.bin"), store.info(md5).filenames());
        assertEquals(List.of(), tempFiles());
    }

    private static <T extends Throwable> T assertMessage(Class<T> type, org.junit.jupiter.api.function.Executable call,
                                                         String fragment) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
        return e;
    }

    @Test
    void failingStreamLeavesNoSampleAndNoTemporaryFile() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        InputStream failing = new InputStream() {
            private int produced;

            @Override
            public int read() throws IOException {
                if (produced++ > 1_000_000) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> store.storeSample(failing, "partial.bin", "unknown"));
        assertTrue(e.getMessage().contains("partial.bin") && e.getMessage().contains("connection reset"),
                e.getMessage());
        assertEquals(List.of(), store.list());
        assertEquals(List.of(), filesUnder(home.resolve("samples/data")));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void processKilledMidWriteLeavesNoSample() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        String kept = store.storeSample(new byte[] {42}, "kept.bin", "unknown");
        Path marker = home.resolve("marker");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingWriter.class.getName(), home.toString(), marker.toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(marker)) {
                assertTrue(p.isAlive(), "the writer died early: " + Files.readString(home.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "the writer never started writing");
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        // The killed write left its temporary file (proof that it was mid-write), but no sample.
        List<Path> temps = tempFiles();
        assertEquals(1, temps.size(), "temporary files: " + temps);
        assertTrue(Files.size(temps.get(0)) > 3L * 1024 * 1024, "temporary file size " + Files.size(temps.get(0)));
        SampleStore reopened = SampleStore.openAt(home);
        assertEquals(List.of(kept), reopened.list().stream().map(SampleInfo::md5).collect(Collectors.toList()));
        assertArrayEquals(new byte[] {42}, reopened.bytes(kept));

        // A fresh leftover is kept (it might belong to a live writer); one older than an hour is removed.
        Files.setLastModifiedTime(temps.get(0), FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        SampleStore.openAt(home);
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void corruptedSampleIsAClearErrorNamingMd5AndPath() throws Exception {
        SampleStore store = SampleStore.openAt(home);
        byte[] data = "the original bytes of a sample".getBytes(StandardCharsets.US_ASCII);
        String md5 = store.storeSample(data, "orig.bin", "unknown");
        Path file = store.path(md5);

        byte[] damaged = data.clone();
        damaged[3] ^= 0x20;
        Files.write(file, damaged);
        CorruptSampleException e = assertThrows(CorruptSampleException.class, () -> store.bytes(md5));
        assertTrue(e.getMessage().contains(md5) && e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(md5, e.md5());
        assertEquals(file, e.path());
        assertThrows(CorruptSampleException.class, () -> store.verify(md5));
        try (InputStream in = store.open(md5)) {
            assertThrows(CorruptSampleException.class, in::readAllBytes);
        }

        Files.write(file, new byte[] {1, 2});
        CorruptSampleException size = assertThrows(CorruptSampleException.class, () -> store.open(md5));
        assertTrue(size.getMessage().contains("2 bytes"), size.getMessage());

        // Storing the original bytes again repairs a copy of the wrong size and keeps the first metadata.
        assertEquals(md5, store.storeSample(data, "again.bin", "unknown"));
        assertEquals("orig.bin", store.info(md5).filename());
        assertArrayEquals(data, store.bytes(md5));
    }

    @Test
    void largeStreamIsStoredWithoutLoadingItIntoMemory() throws Exception {
        long size = 64L * 1024 * 1024;
        MessageDigest expected = MessageDigest.getInstance("MD5");
        InputStream big = new InputStream() {
            private long produced;

            @Override
            public int read() {
                throw new UnsupportedOperationException("bulk reads only");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - produced);
                for (int i = 0; i < n; i++) {
                    long pos = produced + i;
                    b[off + i] = (byte) (pos ^ (pos >>> 11));
                }
                expected.update(b, off, n);
                produced += n;
                return n;
            }
        };
        SampleStore store = SampleStore.openAt(home);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(tid);
        String md5 = store.storeSample(big, "big.bin", "unknown");
        long allocated = threads.getThreadAllocatedBytes(tid) - allocatedBefore;

        assertEquals(HexFormat.of().formatHex(expected.digest()), md5);
        assertEquals(size, store.info(md5).fileSize());
        assertEquals(size, Files.size(store.path(md5)));
        assertTrue(allocated < 8L * 1024 * 1024,
                "storing a " + size + "-byte stream allocated " + allocated + " bytes");
    }

    @Test
    void concurrentStoresFromSeveralThreadsAndStores() throws Exception {
        int blobs = 12;
        int threads = 8;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < blobs; i++) {
            contents.add(("blob number " + i + " ").repeat(1000 + i).getBytes(StandardCharsets.US_ASCII));
        }
        SampleStore a = SampleStore.openAt(home);
        SampleStore b = SampleStore.openAt(home);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<Integer, Set<String>> namesUsed = new HashMap<>();
        List<Future<List<String>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                SampleStore store = t % 2 == 0 ? a : b;
                for (int i = 0; i < blobs; i++) {
                    namesUsed.computeIfAbsent(i, k -> new HashSet<>()).add("t" + thread + ".bin");
                }
                futures.add(pool.submit(() -> {
                    List<String> md5s = new ArrayList<>();
                    for (int i = 0; i < blobs; i++) {
                        int blob = (i + thread) % blobs;
                        md5s.add(store.storeSample(contents.get(blob), "t" + thread + ".bin", "unknown"));
                    }
                    return md5s;
                }));
            }
            for (Future<List<String>> f : futures) {
                assertEquals(blobs, f.get().size());
            }
        } finally {
            pool.shutdownNow();
        }
        List<SampleInfo> all = a.list();
        assertEquals(blobs, all.size());
        for (int i = 0; i < blobs; i++) {
            String md5 = hex("MD5", contents.get(i));
            assertArrayEquals(contents.get(i), b.bytes(md5));
            assertEquals(namesUsed.get(i), new HashSet<>(a.info(md5).filenames()), "filenames of blob " + i);
        }
        assertEquals(List.of(), tempFiles());
    }
}
