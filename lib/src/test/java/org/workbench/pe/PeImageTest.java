package org.workbench.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PeImage}, {@link PeIndicatorRules} and {@link PeFeatureExtractor} on images the test builds. */
class PeImageTest {

    private static List<String> labels(PeImage.ImportedDll d) {
        return d.functions().stream().map(PeImage.ImportedFunction::label).toList();
    }

    private static void checkMinimal(boolean pe32Plus) throws Exception {
        byte[] bytes = PeTestImages.build(pe32Plus, PeTestImages.sampleImports());
        PeImage pe = PeImage.parse(bytes);
        assertEquals(pe32Plus, pe.isPe32Plus());
        assertEquals(pe32Plus ? 0x8664 : 0x14c, pe.machine());
        assertEquals(pe32Plus ? 0x180000000L : 0x400000L, pe.imageBase());
        assertEquals(PeTestImages.TIMESTAMP, pe.timeDateStamp());
        assertEquals(1, pe.sections().size());
        PeImage.Section s = pe.sections().get(0);
        assertEquals(".text", s.name());
        assertEquals(PeTestImages.SECTION_RVA, s.virtualAddress());
        assertEquals(bytes.length - PeTestImages.SECTION_DATA, s.sizeOfRawData());
        assertTrue(s.isCode());
        assertTrue(s == pe.entryPointSection());
        assertEquals(2, pe.imports().size());
        assertEquals("KERNEL32.dll", pe.imports().get(0).dll());
        assertEquals(List.of("IsDebuggerPresent", "WriteProcessMemory", "CreateRemoteThread", "GetTickCount"),
                labels(pe.imports().get(0)));
        assertEquals(List.of("WSAStartup", "#23"), labels(pe.imports().get(1)));
        assertEquals(Integer.valueOf(1), pe.imports().get(0).functions().get(1).hint());
        assertEquals(6, pe.importedFunctionCount());
        assertEquals(pe.declaredChecksum(), pe.computedChecksum());
        assertTrue(pe.declaredChecksum() != 0);
        assertEquals(0, pe.overlaySize());
        assertEquals(0, pe.exportCount());
        assertEquals(0, pe.resources().count());
        assertTrue(pe.damage().isEmpty(), pe.damage().toString());

        Map<String, Object> f = PeFeatureExtractor.features(pe);
        assertEquals(pe32Plus ? "PE32+" : "PE32", f.get("pe_type"));
        assertEquals(0x1000L, f.get("entry_point"));
        assertEquals(0x200L, f.get("file_alignment"));
        assertEquals(0x1000L, f.get("section_alignment"));
        assertEquals(0x100000L, f.get("size_of_stack_reserve"));
        assertEquals(3, f.get("subsystem"));
        assertEquals(2, f.get("import_dll_count"));
        assertEquals(6, f.get("imported_function_count"));
        assertEquals(f.get("checksum_declared"), f.get("checksum_computed"));

        List<Map<String, Object>> ind = PeIndicatorRules.indicators(pe, Instant.parse("2020-01-01T00:00:00Z"), 7.0,
                10);
        List<String> cats = ind.stream().map(m -> (String) m.get("category")).toList();
        assertTrue(cats.containsAll(List.of("ANTI_DEBUG", "PROCESS_MANIPULATION", "SYSTEM_PROBE", "NETWORK")),
                cats.toString());
        Map<String, Object> pm = ind.get(cats.indexOf("PROCESS_MANIPULATION"));
        assertEquals(3, pm.get("severity"));
        assertEquals(List.of("WriteProcessMemory", "CreateRemoteThread"), pm.get("attributes"));
        assertTrue(ind.stream().anyMatch(m -> ((String) m.get("description")).startsWith("Few imports")));
        assertFalse(cats.contains("MALFORMED"), ind.toString());
    }

    @Test
    void minimalPe32() throws Exception {
        checkMinimal(false);
    }

    @Test
    void minimalPe32Plus() throws Exception {
        checkMinimal(true);
    }

    @Test
    void highPe32ImageBaseIsUnsigned() throws Exception {
        byte[] b = PeTestImages.withInt(PeTestImages.build(false, PeTestImages.sampleImports()),
                PeTestImages.OPTIONAL_OFFSET + 28, 0x80010000);
        PeImage pe = PeImage.parse(b);
        assertEquals(0x80010000L, pe.imageBase());
        assertEquals(0x80010000L, PeFeatureExtractor.features(pe).get("image_base"));
    }

    @Test
    void structuralIndicators() throws Exception {
        byte[] ok = PeTestImages.build(false, PeTestImages.sampleImports());
        int sh = PeTestImages.sectionHeaderOffset(false);
        // rename the section, break the checksum, zero the timestamp, move the entry point out, add an overlay
        byte[] b = Arrays.copyOf(ok, ok.length + 100);
        System.arraycopy("UPX0\0\0\0\0".getBytes(), 0, b, sh, 8);
        b = PeTestImages.withInt(b, PeTestImages.OPTIONAL_OFFSET + 64, 0x1234);
        b = PeTestImages.withInt(b, PeTestImages.COFF_OFFSET + 4, 0);
        b = PeTestImages.withInt(b, PeTestImages.OPTIONAL_OFFSET + 16, 0x90000);
        PeImage pe = PeImage.parse(b);
        List<Map<String, Object>> ind = PeIndicatorRules.indicators(pe, Instant.now(), 7.0, 3);
        List<String> d = ind.stream().map(m -> (String) m.get("description")).toList();
        assertTrue(d.contains("Non-standard section names"), d.toString());
        assertTrue(d.contains("Checksum in the optional header does not match the file"), d.toString());
        assertTrue(d.contains("Timestamp is zero"), d.toString());
        assertTrue(d.contains("Entry point outside every section"), d.toString());
        assertTrue(d.contains("Data appended after the last section (overlay)"), d.toString());
        assertEquals(100, pe.overlaySize());
        assertFalse(d.stream().anyMatch(x -> x.startsWith("Few imports")), d.toString());

        // an Authenticode signature after the last section is not flagged
        byte[] signed = Arrays.copyOf(ok, ok.length + 104);
        signed = PeTestImages.withInt(signed, PeTestImages.OPTIONAL_OFFSET + 96 + 32, ok.length);
        signed = PeTestImages.withInt(signed, PeTestImages.OPTIONAL_OFFSET + 96 + 36, 100);
        PeImage sig = PeImage.parse(signed);
        assertTrue(sig.overlayIsCertificate());
        assertEquals(104, sig.overlaySize());
        assertTrue(PeIndicatorRules.indicators(sig, Instant.now(), 7.0, 10).stream()
                .noneMatch(m -> ((String) m.get("description")).startsWith("Data appended")));
        assertFalse(pe.overlayIsCertificate());

        // raw size 0 with a virtual size; high entropy; future timestamp
        int future = (int) (Instant.now().getEpochSecond() + 86400 * 400L);
        byte[] c = PeTestImages.withInt(ok, PeTestImages.COFF_OFFSET + 4, future);
        Random r = new Random(1);
        byte[] noise = new byte[ok.length - 0x300];
        r.nextBytes(noise);
        System.arraycopy(noise, 0, c, 0x300, noise.length);
        PeImage high = PeImage.parse(c);
        List<String> d2 = PeIndicatorRules.indicators(high, Instant.now(), 7.0, 10).stream()
                .map(m -> (String) m.get("description")).toList();
        assertTrue(high.sections().get(0).entropy() > 7.0);
        assertTrue(d2.stream().anyMatch(x -> x.startsWith("High-entropy sections")), d2.toString());
        assertTrue(d2.contains("Timestamp after the sample was stored"), d2.toString());
        byte[] e = PeTestImages.withInt(ok, sh + 16, 0);
        List<String> d3 = PeIndicatorRules.indicators(PeImage.parse(e), Instant.now(), 7.0, 10).stream()
                .map(m -> (String) m.get("description")).toList();
        assertTrue(d3.contains("Sections with no raw data but a virtual size (filled at run time)"), d3.toString());
    }

    @Test
    void badInputsAreNamed() {
        byte[] ok = PeTestImages.build(false, PeTestImages.sampleImports());
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(new byte[0])).getMessage()
                .contains("too short"));
        byte[] wrong = ok.clone();
        wrong[0] = 'Z';
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(wrong)).getMessage()
                .contains("wrong magic"));
        byte[] noPe = ok.clone();
        noPe[PeTestImages.PE_OFFSET] = 'N';
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(noPe)).getMessage()
                .contains("no PE signature"));
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(Arrays.copyOf(ok, 0x60)))
                .getMessage().contains("optional header truncated"));
        byte[] farLfanew = PeTestImages.withInt(ok, 0x3c, 0x7fffff00);
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(farLfanew)).getMessage()
                .contains("e_lfanew"));
        byte[] badMagic = PeTestImages.withInt(ok, PeTestImages.OPTIONAL_OFFSET, 0x777);
        assertTrue(assertThrows(PeFormatException.class, () -> PeImage.parse(badMagic)).getMessage()
                .contains("optional header magic"));
    }

    @Test
    void truncatedAndHugeDeclarationsAreDamageNotCrashes() throws Exception {
        byte[] ok = PeTestImages.build(false, PeTestImages.sampleImports());
        int sh = PeTestImages.sectionHeaderOffset(false);
        PeImage cutTable = PeImage.parse(Arrays.copyOf(ok, sh + 20));
        assertTrue(cutTable.damage().get(0).contains("section table truncated"), cutTable.damage().toString());
        assertTrue(cutTable.sections().isEmpty());

        PeImage cutData = PeImage.parse(Arrays.copyOf(ok, 0x300));
        assertTrue(cutData.damage().get(0).contains("past the end"), cutData.damage().toString());

        // 1 GB declared sizes in a 1 KB file: raw size, virtual size, import directory size, section count
        byte[] small = Arrays.copyOf(ok, 1024);
        byte[] huge = PeTestImages.withInt(small, sh + 16, 1 << 30);
        huge = PeTestImages.withInt(huge, sh + 8, 1 << 30);
        huge = PeTestImages.withInt(huge, PeTestImages.OPTIONAL_OFFSET + 96 + 12, 1 << 30);
        huge = PeTestImages.withInt(huge, PeTestImages.OPTIONAL_OFFSET + 96 + 16, 0x1000);
        huge = PeTestImages.withInt(huge, PeTestImages.OPTIONAL_OFFSET + 96 + 20, 1 << 30);
        PeImage h = PeImage.parse(huge);
        assertTrue(h.damage().get(0).contains("1073741824"), h.damage().toString());
        assertEquals(0, h.resources().count());
        byte[] manySections = small.clone();
        manySections[PeTestImages.COFF_OFFSET + 2] = (byte) 0xff;
        manySections[PeTestImages.COFF_OFFSET + 3] = (byte) 0xff;
        PeImage m = PeImage.parse(manySections);
        assertFalse(m.damage().isEmpty());
        assertTrue(m.sections().size() <= PeImage.MAX_SECTIONS);
        assertNull(PeImage.parse(PeTestImages.withInt(ok, PeTestImages.OPTIONAL_OFFSET + 16, 0x7000000))
                .entryPointSection());
    }

    @Test
    void randomCorruptionNeverThrowsAnythingElse() {
        Random r = new Random(42);
        List<byte[]> bases = new ArrayList<>();
        bases.add(PeTestImages.build(false, PeTestImages.sampleImports()));
        bases.add(PeTestImages.build(true, PeTestImages.sampleImports()));
        for (int i = 0; i < 3000; i++) {
            byte[] b = bases.get(i % 2).clone();
            int n = 1 + r.nextInt(12);
            for (int k = 0; k < n; k++) {
                // aim at the headers and the import tables most of the time
                int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.min(b.length, 0x400));
                b[at] = (byte) r.nextInt(256);
            }
            if (r.nextInt(5) == 0) {
                b = Arrays.copyOf(b, r.nextInt(b.length));
            }
            try {
                PeImage pe = PeImage.parse(b);
                PeFeatureExtractor.features(pe);
                PeIndicatorRules.indicators(pe, Instant.now(), 7.0, 10);
            } catch (PeFormatException expected) {
                assertFalse(expected.getMessage().isBlank());
            }
        }
    }
}
