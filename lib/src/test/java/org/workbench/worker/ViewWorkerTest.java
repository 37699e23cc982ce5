package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.magic.SampleFiles;

class ViewWorkerTest {
    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new ViewWorker(wb.registry()));
        wb.registry().replace(new ViewDeepWorker(wb.registry()));
        wb.registry().replace(new MetaDeepWorker());
    }

    @AfterEach
    void close() {
        wb.close();
    }

    /** A stand-in for a worker another helper writes: answers {@code {"fake": name, "md5": ...}}. */
    static final class Fake implements Worker {
        final String name;
        final String version;
        final AtomicInteger runs = new AtomicInteger();
        RuntimeException failure;

        Fake(String name, String version) {
            this.name = name;
            this.version = version;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public Map<String, Object> execute(WorkerContext ctx) {
            runs.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return Map.of("fake", name, "md5", ctx.md5());
        }
    }

    private void registerFakes() {
        for (String n : List.of("pe_indicators", "swf_meta", "pdf_meta", "unzip")) {
            wb.registry().replace(new Fake(n, "1"));
        }
    }

    private String store(String text, String type) {
        return wb.storeSample(text.getBytes(StandardCharsets.US_ASCII), "s." + type, type);
    }

    @Test
    void dispatchesByTypeTag() {
        registerFakes();
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("exe", List.of("meta", "pe_indicators"));
        expected.put("swf", List.of("swf_meta"));
        expected.put("pdf", List.of("pdf_meta"));
        expected.put("jar", List.of("unzip"));
        expected.put("zip", List.of("unzip"));
        expected.put("unknown", List.of("meta"));
        expected.put("zeek_log", List.of("meta"));
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            String md5 = store("sample of type " + e.getKey(), e.getKey());
            ViewResult v = ViewResult.from(wb.workRequest("view", md5));
            assertEquals(md5, v.md5());
            assertEquals(e.getKey(), v.typeTag());
            assertEquals(e.getValue(), v.workers(), e.getKey());
            assertEquals(e.getValue(), List.copyOf(v.results().keySet()));
            assertTrue(v.ok(), v.errors().toString());
            for (String w : e.getValue()) {
                if (w.equals("meta")) {
                    assertEquals(md5, v.result(w).get("md5"));
                    assertTrue(v.result(w).containsKey("file_type"));
                } else {
                    assertEquals(w, v.result(w).get("fake"));
                }
            }
            List<String> deep = e.getValue().stream().map(w -> w.equals("meta") ? "meta_deep" : w).toList();
            ViewResult d = ViewResult.from(wb.workRequest("view_deep", md5));
            assertEquals(deep, d.workers(), e.getKey());
            if (deep.contains("meta_deep")) {
                assertTrue(((String) d.result("meta_deep").get("ssdeep")).startsWith("3:"));
            }
        }
    }

    @Test
    void failingPartGivesAnErrorEntryAndIsNotServedStaleLater() {
        // "MZ pretend" is no PE: the real pe_indicators worker reports that as its error entry
        String md5 = store("MZ pretend", "exe");
        ViewResult v = ViewResult.from(wb.workRequest("view", md5));
        assertFalse(v.ok());
        assertEquals(List.of("meta", "pe_indicators"), v.workers());
        assertTrue(((String) v.result("pe_indicators").get("error")).contains("not a PE file"), v.toString());
        assertTrue(v.errors().get(0).startsWith("pe_indicators: "), v.errors().toString());
        assertEquals(md5, v.result("meta").get("md5"));
        // Once the worker is replaced, the view is computed afresh rather than read from the cache.
        wb.registry().replace(new Fake("pe_indicators", "1"));
        ViewResult again = ViewResult.from(wb.workRequest("view", md5));
        assertTrue(again.ok(), again.errors().toString());
        assertEquals("pe_indicators", again.result("pe_indicators").get("fake"));
    }

    @Test
    void versionFollowsTheSummarizedWorkers() {
        Worker view = wb.registry().get("view");
        String v0 = view.version();
        assertTrue(v0.startsWith("1.0+"));
        assertEquals(v0, view.version());
        wb.registry().replace(new Fake("swf_meta", "1"));
        String v1 = view.version();
        assertNotEquals(v0, v1);
        wb.registry().replace(new Fake("swf_meta", "2"));
        assertNotEquals(v1, view.version());
        // meta_deep's version is part of view_deep's, not of view's.
        String deep = wb.registry().get("view_deep").version();
        wb.registry().replace(new Fake("meta_deep", "9"));
        assertNotEquals(deep, wb.registry().get("view_deep").version());
    }

    @Test
    void failingWorkerGivesAnErrorEntryNotACrash() {
        registerFakes();
        Fake pdf = (Fake) wb.registry().get("pdf_meta");
        pdf.failure = new IllegalStateException("boom in pdf");
        String md5 = store("%PDF-1.4 pretend", "pdf");
        ViewResult v = ViewResult.from(wb.workRequest("view", md5));
        assertFalse(v.ok());
        String err = (String) v.result("pdf_meta").get("error");
        assertTrue(err.contains("pdf_meta") && err.contains("boom in pdf"), err);
    }

    @Test
    void transientPartMakesTheViewUncached() throws Exception {
        Fake swf = new Fake("swf_meta", "1");
        swf.failure = new UncachedResultException("service down", Map.of("error", "service down"));
        wb.registry().replace(swf);
        String md5 = store("FWS pretend", "swf");
        UncachedResultException e = assertThrows(UncachedResultException.class,
                () -> wb.engine().run("view", md5, Map.of()));
        ViewResult v = ViewResult.from(e.result());
        assertEquals(e.result(), wb.workRequest("view", md5), "the facade returns the uncached result");
        assertEquals(List.of("swf_meta: service down"), v.errors());
        assertFalse(Files.exists(home.resolve("results").resolve("view")), "nothing cached for the view");
        swf.failure = null;
        assertTrue(ViewResult.from(wb.workRequest("view", md5)).ok());
        assertEquals(3, swf.runs.get());
    }

    /** The Kitchen Boss capture and the files extracted from it, each viewed by type. */
    @Test
    @SuppressWarnings("unchecked")
    void kitchenBossCaptureAndItsFiles() {
        registerFakes();
        Path pcap = SampleFiles.samplesDir().getParent().resolve("pcap").resolve("kitchen_boss.pcap");
        assertTrue(Files.isRegularFile(pcap), "missing shared capture " + pcap);
        String pcapMd5 = wb.storeSample(pcap, "pcap");
        ViewResult v = ViewResult.from(wb.workRequest("view", pcapMd5));
        assertEquals(List.of("view_pcap_details"), v.workers());
        assertTrue(v.ok(), v.errors().toString());
        List<Map<String, Object>> files = (List<Map<String, Object>>) v.result("view_pcap_details")
                .get("extracted_files");
        Map<String, String> typeByPrefix = new LinkedHashMap<>();
        for (Map<String, Object> f : files) {
            String md5 = (String) f.get("md5");
            String type = wb.sampleInfo(md5).typeTag();
            typeByPrefix.put(md5.substring(0, 8), type);
            ViewResult fv = ViewResult.from(wb.workRequest("view_deep", md5));
            assertEquals(ViewWorker.workersFor(type, "meta_deep"), fv.workers());
            assertTrue(fv.ok(), fv.errors().toString());
        }
        assertEquals(Map.of("16cf037b", "swf", "c762b6ba", "jar", "40b8c3c9", "pdf", "4410133f", "exe"),
                typeByPrefix);
    }
}
