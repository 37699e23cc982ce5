package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.hash.Entropy;
import org.workbench.hash.FuzzyHasher;
import org.workbench.hash.SsdeepTool;
import org.workbench.magic.SampleFiles;

class MetaDeepWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private static String typeOf(Path f) {
        String p = f.toString();
        return p.contains("/pe/") ? "exe" : p.contains("/pdf/") ? "pdf" : p.contains("/swf/") ? "swf" : "zip";
    }

    @Test
    void hasMetaKeysSsdeepAndEntropy() {
        wb.registry().replace(new MetaDeepWorker());
        String md5 = wb.storeSample("hello world".getBytes(StandardCharsets.US_ASCII), "hw.txt", "unknown");
        Map<String, Object> r = wb.workRequest(MetaDeepWorker.NAME, md5);
        Map<String, Object> meta = wb.workRequest(MetaWorker.NAME, md5);
        for (String k : meta.keySet()) {
            assertEquals(meta.get(k), r.get(k), k);
        }
        assertEquals("3:iKFSMPn:rJPn", r.get("ssdeep"));
        assertEquals("libfuzzy", r.get("ssdeep_source"), "libfuzzy2 (libfuzzy.so.2) must be installed");
        assertEquals(Entropy.of("hello world".getBytes(StandardCharsets.US_ASCII)),
                ((Number) r.get("entropy")).doubleValue(), 1e-12);
        MetaDeepResult t = MetaDeepResult.from(r);
        assertEquals(md5, t.md5());
        assertEquals(11, t.fileSize());
        assertEquals("3:iKFSMPn:rJPn", t.ssdeep());
        assertEquals(2.845350936622437, t.entropy(), 1e-9);
    }

    @Test
    void emptySample() {
        wb.registry().replace(new MetaDeepWorker(FuzzyHasher.open(List.of())));
        String md5 = wb.storeSample(new byte[0], "empty", "unknown");
        MetaDeepResult r = MetaDeepResult.from(wb.workRequest(MetaDeepWorker.NAME, md5));
        assertEquals("3::", r.ssdeep());
        assertEquals("java", r.ssdeepSource());
        assertEquals(0.0, r.entropy());
    }

    /** Both ssdeep sources against {@code ssdeep -s -b} on every shared sample, through the worker. */
    @Test
    void bothSourcesEqualTheToolOnAllSamples() throws Exception {
        List<Path> samples = SsdeepTool.allSamples();
        Map<Path, String> expected = SsdeepTool.digests(samples);
        Path javaHome = home.resolve("java-home");
        try (Workbench wbJava = Workbench.open(javaHome)) {
            wb.registry().replace(new MetaDeepWorker(FuzzyHasher.open()));
            wbJava.registry().replace(new MetaDeepWorker(FuzzyHasher.open(List.of())));
            for (Path f : samples) {
                String md5 = wb.storeSample(f, typeOf(f));
                wbJava.storeSample(f, typeOf(f));
                Map<String, Object> lib = wb.workRequest(MetaDeepWorker.NAME, md5);
                Map<String, Object> java = wbJava.workRequest(MetaDeepWorker.NAME, md5);
                assertEquals("libfuzzy", lib.get("ssdeep_source"), "libfuzzy2 must be installed");
                assertEquals("java", java.get("ssdeep_source"));
                assertEquals(expected.get(f), lib.get("ssdeep"), "libfuzzy digest of " + f);
                assertEquals(expected.get(f), java.get("ssdeep"), "Java digest of " + f);
                double e = ((Number) lib.get("entropy")).doubleValue();
                assertEquals(Entropy.of(Files.readAllBytes(f)), e, 1e-12);
                assertEquals(e, ((Number) java.get("entropy")).doubleValue(), 1e-12);
            }
        }
    }

    /** Entropy against an independent computation by Python on a few samples. */
    @Test
    void entropyMatchesPython() throws Exception {
        wb.registry().replace(new MetaDeepWorker());
        List<Path> some = new ArrayList<>(SampleFiles.samples("swf"));
        some.add(SampleFiles.samples("pdf").get(0));
        some.add(SampleFiles.samples("pe").get(0));
        String script = "import sys,math,collections\n"
                + "for p in sys.argv[1:]:\n"
                + "  b=open(p,'rb').read(); c=collections.Counter(b); n=len(b)\n"
                + "  print(repr(-sum(v/n*math.log2(v/n) for v in c.values()) if n else 0.0))\n";
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        some.forEach(p -> cmd.add(p.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail("/usr/bin/python3 is missing: " + e);
            return;
        }
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        assertEquals(0, p.waitFor());
        for (int i = 0; i < some.size(); i++) {
            String md5 = wb.storeSample(some.get(i), typeOf(some.get(i)));
            double e = MetaDeepResult.from(wb.workRequest(MetaDeepWorker.NAME, md5)).entropy();
            assertEquals(Double.parseDouble(lines.get(i)), e, 1e-9, some.get(i).toString());
        }
    }

    /** The four files Zeek extracts from the Kitchen Boss capture, via {@code view_pcap_details}. */
    @Test
    @SuppressWarnings("unchecked")
    void kitchenBossExtractedFiles() {
        wb.registry().replace(new MetaDeepWorker());
        Path pcap = SampleFiles.samplesDir().getParent().resolve("pcap").resolve("kitchen_boss.pcap");
        assertTrue(Files.isRegularFile(pcap), "missing shared capture " + pcap);
        String pcapMd5 = wb.storeSample(pcap, "pcap");
        Map<String, Object> details = wb.workRequest("view_pcap_details", pcapMd5);
        List<Map<String, Object>> files = (List<Map<String, Object>>) details.get("extracted_files");
        Map<String, Path> paths = new LinkedHashMap<>();
        for (Map<String, Object> f : files) {
            String md5 = (String) f.get("md5");
            paths.put(md5, wb.store().path(md5));
        }
        assertEquals(4, paths.size(), "distinct extracted files: " + paths.keySet());
        Map<Path, String> expected = SsdeepTool.digests(new ArrayList<>(paths.values()));
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, Path> e : paths.entrySet()) {
            MetaDeepResult r = MetaDeepResult.from(wb.workRequest(MetaDeepWorker.NAME, e.getKey()));
            assertEquals(expected.get(e.getValue()), r.ssdeep(), e.getKey());
            assertTrue(r.entropy() > 0 && r.entropy() <= 8);
            seen.put(e.getKey().substring(0, 8), r.ssdeep());
        }
        for (String prefix : List.of("16cf037b", "c762b6ba", "40b8c3c9", "4410133f")) {
            assertTrue(seen.containsKey(prefix), "extracted " + prefix + "...: " + seen.keySet());
        }
        assertFalse(seen.containsValue(null));
    }
}
