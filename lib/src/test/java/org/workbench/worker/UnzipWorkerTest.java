package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.WrongSampleKindException;
import org.workbench.archive.EntryNames;
import org.workbench.store.TypeTags;

class UnzipWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new UnzipWorker(wb.store()));
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private UnzipResult unzip(byte[] zip, String name, String tag, Map<String, ?> config) {
        String md5 = wb.storeSample(zip, name, tag);
        UnzipResult r = UnzipResult.from(wb.workRequest(UnzipWorker.NAME, md5, config));
        assertEquals(md5, r.parent());
        return r;
    }

    private UnzipResult unzip(byte[] zip) {
        return unzip(zip, "test.zip", TypeTags.ZIP, Map.of());
    }

    // ------------------------------------------------------------------------------------------------ builders

    /** A ZIP of the given members (in order), deflated or stored. */
    static byte[] zip(Map<String, byte[]> members, boolean deflate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCompressedSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                }
                z.putNextEntry(e);
                z.write(m.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] one(String name, byte[] data, boolean deflate) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(name, data);
        return zip(m, deflate);
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static final byte[] CENTRAL = {'P', 'K', 1, 2};
    static final byte[] LOCAL = {'P', 'K', 3, 4};

    static void putLe32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Rewrites the uncompressed size of the first central directory entry (APPNOTE 4.3.12, offset 24). */
    static byte[] declareSize(byte[] zip, long size) {
        byte[] b = zip.clone();
        int cd = indexOf(b, CENTRAL, 0);
        assertTrue(cd > 0);
        putLe32(b, cd + 24, size);
        int local = indexOf(b, LOCAL, 0);
        if ((b[local + 6] & 8) == 0) { // no data descriptor: the local header has sizes too (offset 22)
            putLe32(b, local + 22, size);
        }
        return b;
    }

    /** Sets general purpose bit 0 (encrypted) in every local and central header. */
    static byte[] flagEncrypted(byte[] zip) {
        byte[] b = zip.clone();
        for (int i = indexOf(b, LOCAL, 0); i >= 0; i = indexOf(b, LOCAL, i + 4)) {
            b[i + 6] |= 1;
        }
        for (int i = indexOf(b, CENTRAL, 0); i >= 0; i = indexOf(b, CENTRAL, i + 4)) {
            b[i + 8] |= 1;
        }
        return b;
    }

    static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void jarWithManifestAndClasses() throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "com.example.Main");
        mf.getMainAttributes().putValue("Created-By", "UnzipWorkerTest");
        byte[] mainClass = concat(new byte[]{(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}, random(500, 1));
        byte[] helper = concat(new byte[]{(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe}, random(300, 2));
        byte[] config = "key=value\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream j = new JarOutputStream(out, mf)) {
            j.putNextEntry(new JarEntry("com/example/"));
            j.closeEntry();
            for (Map.Entry<String, byte[]> e : Map.of("com/example/Main.class", mainClass,
                    "com/example/util/Helper$Inner.class", helper, "config.properties", config).entrySet()) {
                j.putNextEntry(new JarEntry(e.getKey()));
                j.write(e.getValue());
                j.closeEntry();
            }
        }
        byte[] jar = out.toByteArray();
        UnzipResult r = unzip(jar, "app.jar", TypeTags.JAR, Map.of());
        assertEquals("jar", r.format());
        assertEquals("central_directory", r.reader());
        assertNull(r.error());
        assertFalse(r.truncated());
        assertEquals("com.example.Main", r.manifest().get("Main-Class"));
        assertEquals("UnzipWorkerTest", r.manifest().get("Created-By"));
        assertEquals(2, r.classCount());
        assertEquals(List.of("com.example.Main", "com.example.util.Helper$Inner"),
                r.classes().stream().sorted().toList());
        assertEquals(namesByJavaUtilZip(jar), r.names());
        assertEquals(4, r.children().size()); // manifest, two classes, config; not the directory
        Map<String, byte[]> expected = Map.of("com/example/Main.class", mainClass,
                "com/example/util/Helper$Inner.class", helper, "config.properties", config);
        for (UnzipResult.Child c : r.children()) {
            assertEquals(r.parent(), c.parent());
            assertEquals(1, c.depth());
            byte[] stored = wb.getSample(c.md5());
            assertEquals(stored.length, c.size());
            assertEquals(c.name(), wb.sampleInfo(c.md5()).filename());
            if (expected.containsKey(c.name())) {
                assertArrayEquals(expected.get(c.name()), stored, c.name());
                assertEquals(md5(expected.get(c.name())), c.md5());
            } else {
                assertEquals("META-INF/MANIFEST.MF", c.name());
            }
        }
        for (UnzipResult.Entry e : r.entries()) {
            if (!e.directory()) {
                assertEquals(Boolean.TRUE, e.crcOk(), e.name());
                assertEquals("DEFLATED", e.methodName());
                assertNull(e.error());
            }
        }
        // The same bytes tagged zip are still recognised as a JAR by content.
        assertEquals("jar", unzip(jar, "app.zip", TypeTags.ZIP, Map.of()).format());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static List<String> namesByJavaUtilZip(byte[] zip) throws IOException {
        Path tmp = Files.createTempFile("unzip-test", ".zip");
        try {
            Files.write(tmp, zip);
            return namesByJavaUtilZip(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** The independent reader: java.util.zip's central directory listing. */
    static List<String> namesByJavaUtilZip(Path zip) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            return z.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void highlyCompressedBombIsRefusedByDeclaredRatio() throws Exception {
        byte[] bomb = one("zeros.bin", new byte[64 << 20], true);
        assertTrue(bomb.length < 200_000, "deflated zeros: " + bomb.length);
        UnzipResult r = unzip(bomb);
        UnzipResult.Entry e = r.entries().get(0);
        assertFalse(e.extracted());
        assertTrue(e.error().contains("declared compression ratio"), e.error());
        assertEquals(0, r.totalUncompressedBytes());
        assertTrue(r.children().isEmpty());
    }

    @Test
    void bombWithLyingSizesIsStoppedWhileInflating() throws Exception {
        byte[] bomb = declareSize(one("zeros.bin", new byte[64 << 20], true), 1000);
        UnzipResult r = unzip(bomb);
        UnzipResult.Entry e = r.entries().get(0);
        assertEquals(1000L, e.size());
        assertFalse(e.extracted());
        assertTrue(e.error().contains("compression ratio over max_ratio"), e.error());
        assertTrue(r.totalUncompressedBytes() < 4 << 20, "read " + r.totalUncompressedBytes());
        assertTrue(r.children().isEmpty());
    }

    @Test
    void oneGigabyteDeclaredInATinyFile() throws Exception {
        byte[] tiny = declareSize(one("big.bin", "small".getBytes(StandardCharsets.US_ASCII), false), 1L << 30);
        assertTrue(tiny.length < 1024);
        UnzipResult r = unzip(tiny);
        UnzipResult.Entry e = r.entries().get(0);
        assertEquals(1L << 30, e.size());
        assertTrue(e.error().contains("max_entry_bytes"), e.error());
        assertFalse(e.extracted());
    }

    @Test
    void perEntryLimitWhileInflating() throws Exception {
        byte[] data = random(3 << 20, 5);
        UnzipResult r = unzip(declareSize(one("r.bin", data, true), 10), "x.zip", TypeTags.ZIP,
                Map.of("max_entry_bytes", 1 << 20));
        assertTrue(r.entries().get(0).error().contains("max_entry_bytes"), r.entries().get(0).error());
        assertTrue(r.children().isEmpty());
    }

    @Test
    void nestedBombHitsTheSharedTotalLimit() throws Exception {
        Map<String, byte[]> outer = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            outer.put("inner" + i + ".zip", one("zeros" + i + ".bin", new byte[8 << 20], true));
        }
        byte[] zip = zip(outer, false);
        UnzipResult r = unzip(zip, "nested.zip", TypeTags.ZIP,
                Map.of("max_ratio", 5000, "max_total_bytes", 20 << 20));
        assertTrue(r.truncated());
        assertTrue(r.error().contains("max_total_bytes"), r.error());
        assertTrue(r.totalUncompressedBytes() <= (20 << 20) + (1 << 20), "read " + r.totalUncompressedBytes());
        long nestedExtracted = r.children().stream().filter(c -> c.depth() == 2).count();
        assertEquals(2, nestedExtracted, r.children().toString());
        UnzipResult.Child inner = r.children().stream().filter(c -> c.depth() == 2).findFirst().orElseThrow();
        assertEquals(r.children().get(0).md5(), inner.parent());
        assertEquals("inner0.zip!/zeros0.bin", inner.path());

        // Depth limit: the inner archives are stored but not opened.
        UnzipResult shallow = unzip(zip, "nested.zip", TypeTags.ZIP, Map.of("max_depth", 1));
        assertEquals(5, shallow.entries().size());
        assertTrue(shallow.entries().stream().allMatch(e -> "depth_limit".equals(e.nested())));
        assertFalse(shallow.truncated());
    }

    @Test
    void nestedArchivesAreListed() throws Exception {
        byte[] inner = one("deep/readme.txt", "hello".getBytes(StandardCharsets.US_ASCII), true);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a.zip", inner);
        m.put("b.zip", inner); // same bytes: listed once
        UnzipResult r = unzip(zip(m, true));
        assertEquals(List.of("a.zip", "b.zip", "deep/readme.txt"),
                r.entries().stream().map(UnzipResult.Entry::name).sorted().toList());
        assertEquals("central_directory", r.entries().get(0).nested());
        assertEquals("already_listed", r.entries().stream().filter(e -> e.name().equals("b.zip")).findFirst()
                .orElseThrow().nested());
        assertEquals(TypeTags.ZIP, r.entries().get(0).typeTag());
    }

    @Test
    void pathTraversalNamesAreReportedAndNeverUsedAsPaths() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("../../etc/passwd", "root:x:0:0".getBytes(StandardCharsets.US_ASCII));
        m.put("/etc/shadow", "abs".getBytes(StandardCharsets.US_ASCII));
        m.put("..\\..\\windows\\win.ini", "bs".getBytes(StandardCharsets.US_ASCII));
        m.put("C:\\boot.ini", "drive".getBytes(StandardCharsets.US_ASCII));
        m.put("fine/ok.txt", "ok".getBytes(StandardCharsets.US_ASCII));
        UnzipResult r = unzip(zip(m, true));
        assertNull(r.error());
        assertEquals(List.of("../../etc/passwd", "/etc/shadow", "..\\..\\windows\\win.ini", "C:\\boot.ini"),
                r.suspiciousNames());
        assertEquals(List.of(EntryNames.PARENT_TRAVERSAL), r.entries().get(0).nameIssues());
        assertEquals(List.of(EntryNames.ABSOLUTE), r.entries().get(1).nameIssues());
        assertEquals(List.of(EntryNames.DRIVE_LETTER, EntryNames.BACKSLASH), r.entries().get(3).nameIssues());
        assertEquals(5, r.children().size());
        assertEquals("root:x:0:0", new String(wb.getSample(r.children().get(0).md5()), StandardCharsets.US_ASCII));
        // Nothing was written where the names point.
        for (Path base : List.of(home, home.getParent(), Path.of(System.getProperty("java.io.tmpdir")))) {
            try (Stream<Path> s = Files.walk(base, 6)) {
                assertTrue(s.noneMatch(p -> p.getFileName() != null
                        && (p.getFileName().toString().equals("passwd") && p.getParent().endsWith("etc")
                        || p.getFileName().toString().contains("win.ini")
                        || p.getFileName().toString().contains("boot.ini"))), "a member escaped into " + base);
            } catch (java.io.UncheckedIOException ignored) {
                // unreadable folders of other processes
            }
        }
    }

    @Test
    void encryptedEntriesAreReportedNotFailed() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("secret.txt", random(100, 3));
        m.put("plain.txt", "plain".getBytes(StandardCharsets.US_ASCII));
        byte[] enc = flagEncrypted(zip(m, false));
        // plain.txt: clear its flag again so one member stays readable
        int cd2 = indexOf(enc, CENTRAL, indexOf(enc, CENTRAL, 0) + 4);
        enc[cd2 + 8] &= ~1;
        int l2 = indexOf(enc, LOCAL, 4);
        enc[l2 + 6] &= ~1;
        UnzipResult r = unzip(enc);
        assertNull(r.error());
        assertEquals(1, r.encryptedEntries());
        UnzipResult.Entry secret = r.entries().get(0);
        assertTrue(secret.encrypted());
        assertEquals("encrypted", secret.skipped());
        assertNull(secret.error());
        assertFalse(secret.extracted());
        UnzipResult.Entry plain = r.entries().get(1);
        assertTrue(plain.extracted());
        assertEquals(Boolean.TRUE, plain.crcOk());
        assertEquals(1, r.children().size());
    }

    @Test
    void truncatedZipFallsBackToLocalHeaders() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("one.bin", random(20_000, 11));
        m.put("two.bin", random(20_000, 12));
        m.put("three.bin", random(20_000, 13));
        for (boolean deflate : new boolean[]{false, true}) {
            byte[] whole = zip(m, deflate);
            byte[] cut = Arrays.copyOf(whole, whole.length / 2);
            UnzipResult r = unzip(cut, "cut.zip", TypeTags.ZIP, Map.of());
            assertEquals("local_headers", r.reader());
            assertNotNull(r.error());
            assertTrue(r.error().contains("central directory unreadable"), r.error());
            // Independent reader: java.util.zip's streaming ZipInputStream on the same bytes.
            List<String> reference = new ArrayList<>();
            boolean referenceFailed = false;
            try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(cut))) {
                ZipEntry e;
                while ((e = z.getNextEntry()) != null) {
                    reference.add(e.getName());
                    z.transferTo(java.io.OutputStream.nullOutputStream());
                }
            } catch (IOException e) {
                referenceFailed = true;
            }
            assertTrue(referenceFailed);
            assertEquals(reference, r.names(), "deflate=" + deflate);
            assertEquals(List.of("one.bin", "two.bin"), r.names());
            assertTrue(r.entries().get(0).extracted());
            assertEquals(Boolean.TRUE, r.entries().get(0).crcOk(), "deflate=" + deflate);
            assertNull(r.entries().get(0).error(), "deflate=" + deflate);
            assertArrayEquals(m.get("one.bin"), wb.getSample(r.entries().get(0).md5()));
            assertFalse(r.entries().get(1).extracted());
            assertNotNull(r.entries().get(1).error());
        }
    }

    @Test
    void nestedArchiveInsideATruncatedOne() throws Exception {
        Map<String, byte[]> inner = new LinkedHashMap<>();
        inner.put("x.txt", "x".repeat(5000).getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("inner.zip", zip(inner, true));
        outer.put("pad.bin", random(50_000, 21));
        byte[] whole = zip(outer, true);
        UnzipResult r = unzip(Arrays.copyOf(whole, whole.length - 30_000));
        assertEquals("local_headers", r.reader());
        assertEquals(List.of("inner.zip", "pad.bin"), r.names());
        UnzipResult.Entry innerZip = r.entries().get(0);
        assertEquals("central_directory", innerZip.nested());
        assertEquals(Boolean.TRUE, innerZip.crcOk());
        UnzipResult.Entry x = r.entries().stream().filter(e -> e.depth() == 2).findFirst().orElseThrow();
        assertEquals("inner.zip!/x.txt", x.path());
        assertEquals(Boolean.TRUE, x.crcOk());
        assertEquals(innerZip.md5(), x.container());
        assertFalse(r.entries().get(2).extracted());
    }

    @Test
    void zeroBytesAndWrongMagic() {
        UnzipResult empty = unzip(new byte[0]);
        assertTrue(empty.entries().isEmpty());
        assertNotNull(empty.error());
        UnzipResult text = unzip("this is not a zip file at all".getBytes(StandardCharsets.US_ASCII));
        assertTrue(text.entries().isEmpty());
        assertTrue(text.error().contains("no ZIP entries"), text.error());
        UnzipResult garbage = unzip(concat(LOCAL, random(5000, 9)));
        assertNotNull(garbage.error());
    }

    @Test
    void listingWithoutStoring() throws Exception {
        byte[] zip = one("a.txt", "abc".getBytes(StandardCharsets.US_ASCII), true);
        UnzipResult r = unzip(zip, "a.zip", TypeTags.ZIP, Map.of("store_members", false));
        assertTrue(r.children().isEmpty());
        assertEquals(Boolean.TRUE, r.entries().get(0).crcOk());
        assertEquals(3L, r.entries().get(0).readBytes());
        assertFalse(r.entries().get(0).extracted());
    }

    @Test
    void crcMismatchIsReported() throws Exception {
        byte[] zip = one("a.txt", "abcdef".getBytes(StandardCharsets.US_ASCII), false);
        int local = indexOf(zip, LOCAL, 0);
        zip[local + 30 + "a.txt".length()] = 'X'; // first data byte
        UnzipResult r = unzip(zip);
        assertEquals(Boolean.FALSE, r.entries().get(0).crcOk());
        assertTrue(r.entries().get(0).error().contains("CRC mismatch"));
    }

    @Test
    void entryCountLimit() throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            m.put("f" + i, new byte[]{(byte) i});
        }
        UnzipResult r = unzip(zip(m, true), "many.zip", TypeTags.ZIP, Map.of("max_entries", 10));
        assertEquals(10, r.entries().size());
        assertTrue(r.truncated());
        assertTrue(r.error().contains("max_entries"));
    }

    @Test
    void acceptsUntaggedZipsByMagicOnly() throws Exception {
        String zip = wb.storeSample(one("a.txt", new byte[]{1}, true), "blob", TypeTags.UNKNOWN);
        assertEquals(1, UnzipResult.from(wb.workRequest(UnzipWorker.NAME, zip)).entries().size());
        String other = wb.storeSample("%PDF-1.4".getBytes(StandardCharsets.US_ASCII), "p", TypeTags.UNKNOWN);
        assertThrows(WrongSampleKindException.class, () -> wb.workRequest(UnzipWorker.NAME, other));
        assertFalse(new UnzipWorker().accepts(wb.sampleInfo(zip)));
    }

    // ---------------------------------------------------------------------------------------------- shared data

    @Test
    void sharedZipSamples() throws Exception {
        Path dir = PdfMetaWorkerTest.samplesDir().resolve("zip");
        List<Path> zips = PdfMetaWorkerTest.files(dir);
        assertTrue(zips.stream().anyMatch(p -> p.getFileName().toString().equals("good.zip")), zips.toString());
        for (Path p : zips) {
            byte[] data = Files.readAllBytes(p);
            UnzipResult r = unzip(data, p.getFileName().toString(), TypeTags.ZIP, Map.of());
            assertEquals(namesByJavaUtilZip(p), r.names(), p.toString());
            assertNull(r.error(), p + ": " + r.error());
            for (UnzipResult.Entry e : r.entries()) {
                assertEquals(Boolean.TRUE, e.crcOk(), p + "!" + e.name());
                assertTrue(e.extracted(), p + "!" + e.name());
                // The shared samples are named by their MD5.
                String base = e.name().substring(e.name().lastIndexOf('/') + 1);
                if (base.matches("[0-9a-f]{32}")) {
                    assertEquals(base, e.md5(), p + "!" + e.name());
                }
            }
        }
        UnzipResult good = unzip(Files.readAllBytes(dir.resolve("good.zip")), "good.zip", TypeTags.ZIP, Map.of());
        assertTrue(good.suspiciousNames().stream().anyMatch(n -> n.startsWith("../")), good.suspiciousNames().toString());
        assertTrue(good.children().stream().allMatch(c -> TypeTags.EXE.equals(c.typeTag())), good.children().toString());
    }

    @Test
    void kitchenBossJar() throws Exception {
        Path pcap = PdfMetaWorkerTest.samplesDir().getParent().resolve("pcap/kitchen_boss.pcap");
        if (!Files.isRegularFile(pcap)) {
            fail("missing " + pcap);
        }
        String capture = wb.storeSample(pcap, TypeTags.PCAP);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) wb.workRequest("view_pcap_details", capture)
                .get("extracted_files");
        List<String> jars = files.stream().filter(f -> TypeTags.JAR.equals(f.get("type_tag")))
                .map(f -> (String) f.get("md5")).distinct().toList();
        assertEquals(1, jars.size(), "JARs extracted from kitchen_boss: " + files);
        assertTrue(jars.get(0).startsWith("c762b6ba"), jars.get(0));
        UnzipResult r = UnzipResult.from(wb.workRequest(UnzipWorker.NAME, jars.get(0)));
        assertEquals("jar", r.format());
        assertEquals(namesByJavaUtilZip(wb.store().path(jars.get(0))), r.names());
        assertTrue(r.classCount() > 0);
        assertEquals(r.classCount(), r.classes().size());
        for (UnzipResult.Entry e : r.entries()) {
            if (!e.directory() && e.skipped() == null) {
                assertEquals(Boolean.TRUE, e.crcOk(), e.name());
                assertTrue(wb.hasSample(e.md5()));
            }
        }
        System.out.println("kitchen_boss JAR: " + r.names() + " manifest=" + r.manifest() + " error=" + r.error());
    }
}
