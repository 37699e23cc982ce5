package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.WrongSampleKindException;
import org.workbench.pe.PeImage;
import org.workbench.pe.PeTestImages;

/** The {@code pe_indicators} and {@code pe_features} workers through the workbench. */
class PeWorkersTest {
    @TempDir
    Path home;

    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new PeIndicatorsWorker(wb.store()));
        wb.registry().replace(new PeFeaturesWorker(wb.store()));
    }

    @AfterEach
    void close() {
        wb.close();
    }

    @Test
    void minimalImages() {
        for (boolean plus : new boolean[]{false, true}) {
            String md5 = wb.storeSample(PeTestImages.build(plus, PeTestImages.sampleImports()), "min.exe", "exe");
            PeIndicators ind = PeIndicators.from(wb.workRequest(PeIndicatorsWorker.NAME, md5));
            assertNull(ind.error());
            assertEquals(List.of("WriteProcessMemory", "CreateRemoteThread"),
                    ind.byCategory("PROCESS_MANIPULATION").get(0).attributes());
            assertEquals(List.of("IsDebuggerPresent"), ind.byCategory("ANTI_DEBUG").get(0).attributes());
            assertEquals(List.of("WSAStartup"), ind.byCategory("NETWORK").get(0).attributes());
            assertEquals(3, ind.maxSeverity());
            assertTrue(ind.byCategory("MALFORMED").isEmpty(), ind.toString());

            PeFeatures f = PeFeatures.from(wb.workRequest(PeFeaturesWorker.NAME, md5));
            assertTrue(f.isPe());
            assertNull(f.error());
            assertEquals(plus, f.isPe32Plus());
            assertEquals(plus ? 0x180000000L : 0x400000L, f.imageBase());
            assertEquals(plus ? 0x8664 : 0x14c, f.machine());
            assertEquals(PeTestImages.TIMESTAMP, f.timestamp());
            assertEquals(1, f.numberOfSections());
            assertEquals(".text", f.sections().get(0).name());
            assertEquals(2, f.importDllCount());
            assertEquals(6, f.importedFunctionCount());
            assertEquals(f.checksumDeclared(), f.checksumComputed());
            assertEquals(0, f.overlaySize());
        }
    }

    @Test
    void acceptsExeTagsAndMzMagic() {
        byte[] pe = PeTestImages.build(false, PeTestImages.sampleImports());
        String unknown = wb.storeSample(pe, "blob.bin", "unknown");
        assertNull(PeIndicators.from(wb.workRequest(PeIndicatorsWorker.NAME, unknown)).error());
        String pdf = wb.storeSample("%PDF-1.4\n%%EOF\n".getBytes(), "x.pdf", "pdf");
        assertThrows(WrongSampleKindException.class, () -> wb.workRequest(PeIndicatorsWorker.NAME, pdf));
        assertThrows(WrongSampleKindException.class, () -> wb.workRequest(PeFeaturesWorker.NAME, pdf));
        // without the store only the exe tag counts
        try (Workbench other = Workbench.open(home.resolve("other"))) {
            other.registry().replace(new PeFeaturesWorker());
            String u = other.storeSample(pe, "blob.bin", "unknown");
            assertThrows(WrongSampleKindException.class, () -> other.workRequest(PeFeaturesWorker.NAME, u));
            String e = other.storeSample(PeTestImages.build(true, PeTestImages.sampleImports()), "a.exe", "exe");
            assertTrue(PeFeatures.from(other.workRequest(PeFeaturesWorker.NAME, e)).isPe());
        }
    }

    @Test
    void settings() {
        String md5 = wb.storeSample(PeTestImages.build(false, PeTestImages.sampleImports()), "min.exe", "exe");
        PeIndicators few = PeIndicators.from(wb.workRequest(PeIndicatorsWorker.NAME, md5, Map.of("few_imports", 3)));
        assertTrue(few.indicators().stream().noneMatch(i -> i.description().startsWith("Few imports")));
        PeIndicators low = PeIndicators.from(wb.workRequest(PeIndicatorsWorker.NAME, md5,
                Map.of("entropy_threshold", 0.01)));
        assertTrue(low.indicators().stream().anyMatch(i -> i.description().startsWith("High-entropy")));
        Map<String, Object> tooBig = wb.workRequest(PeFeaturesWorker.NAME, md5, Map.of("max_bytes", 100));
        assertTrue(((String) tooBig.get("error")).contains("max_bytes"), tooBig.toString());
    }

    @Test
    void badInputsGiveErrorEntries() {
        byte[] ok = PeTestImages.build(false, PeTestImages.sampleImports());
        int sh = PeTestImages.sectionHeaderOffset(false);
        byte[] wrongMagic = ok.clone();
        wrongMagic[1] = 'X';
        byte[] huge = PeTestImages.withInt(Arrays.copyOf(ok, 1024), sh + 16, 1 << 30);
        huge = PeTestImages.withInt(huge, sh + 8, 1 << 30);
        Object[][] cases = {
            {new byte[0], "empty"},
            {wrongMagic, "wrong magic"},
            {Arrays.copyOf(ok, 10), "too short"},
            {Arrays.copyOf(ok, 0x50), "e_lfanew"},
            {Arrays.copyOf(ok, 0x70), "optional header truncated"},
            {Arrays.copyOf(ok, sh + 10), "section table truncated"},
            {Arrays.copyOf(ok, 0x300), "past the end"},
            {huge, "1073741824"},
        };
        for (Object[] c : cases) {
            String md5 = wb.storeSample((byte[]) c[0], "bad.exe", "exe");
            Map<String, Object> ind = wb.workRequest(PeIndicatorsWorker.NAME, md5);
            Map<String, Object> feat = wb.workRequest(PeFeaturesWorker.NAME, md5);
            assertTrue(String.valueOf(ind.get("error")).contains((String) c[1]), c[1] + ": " + ind);
            assertTrue(String.valueOf(feat.get("error")).contains((String) c[1]), c[1] + ": " + feat);
            PeIndicators.from(ind);
            PeFeatures.from(feat);
        }
    }

    @Test
    void sharedSamplesAndKitchenBoss() throws Exception {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (surefire sets it to ../shared)");
        }
        Path pcap = Path.of(shared, "data", "pcap", "kitchen_boss.pcap");
        Path peDir = Path.of(shared, "data", "samples", "pe");
        if (!Files.isRegularFile(pcap) || !Files.isDirectory(peDir)) {
            fail("shared data missing: " + pcap + " or " + peDir);
        }
        List<String> md5s = new ArrayList<>();
        for (String kind : List.of("good", "bad")) {
            try (Stream<Path> s = Files.list(peDir.resolve(kind))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    md5s.add(wb.storeSample(p, "exe"));
                }
            }
        }
        String kb = null;
        Map<String, Object> details = wb.workRequest("view_pcap_details", wb.storeSample(pcap, "pcap"));
        for (Object o : (List<?>) details.get("extracted_files")) {
            Map<?, ?> f = (Map<?, ?>) o;
            if (((String) f.get("md5")).startsWith("4410133f")) {
                kb = (String) f.get("md5");
            }
        }
        assertTrue(kb != null, "kitchen_boss.pcap's PE was not extracted: " + details);
        md5s.add(kb);
        List<PeIndicators> all = wb.batchWorkRequest(PeIndicatorsWorker.NAME, md5s).map(PeIndicators::from).toList();
        List<PeFeatures> feats = wb.batchWorkRequest(PeFeaturesWorker.NAME, md5s).map(PeFeatures::from).toList();
        for (int i = 0; i < md5s.size(); i++) {
            PeImage pe = PeImage.parse(wb.getSample(md5s.get(i)));
            assertEquals(pe.imports().size(), feats.get(i).importDllCount(), md5s.get(i));
            assertEquals(pe.sections().size(), feats.get(i).sections().size(), md5s.get(i));
            assertFalse(all.get(i).indicators().isEmpty(), md5s.get(i));
        }
        PeIndicators kbInd = all.get(all.size() - 1);
        System.out.println("PeWorkersTest: kitchen_boss PE " + kb + " indicators:");
        kbInd.indicators().forEach(i -> System.out.println("  " + i));
        long errors = all.stream().filter(i -> i.error() != null).count();
        System.out.println("PeWorkersTest: " + md5s.size() + " PE samples, " + errors + " with an error entry");
    }
}
