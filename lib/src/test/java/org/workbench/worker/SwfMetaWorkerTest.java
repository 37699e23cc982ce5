package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.workbench.swf.SwfTestFiles.body;
import static org.workbench.swf.SwfTestFiles.cws;
import static org.workbench.swf.SwfTestFiles.fws;
import static org.workbench.swf.SwfTestFiles.standardTags;
import static org.workbench.swf.SwfTestFiles.u32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.WrongSampleKindException;
import org.workbench.magic.SampleFiles;

class SwfMetaWorkerTest {
    private static final String KITCHEN_BOSS_SWF = "16cf037b8c8caad6759afc8c309de0f9";

    @TempDir
    Path home;
    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
        wb.registry().replace(new SwfMetaWorker(wb.store()));
    }

    @AfterEach
    void close() {
        wb.close();
    }

    @Test
    void builtFileOfAnyTypeTag() {
        String md5 = wb.storeSample(cws(10, body(standardTags())), "movie.bin", "unknown");
        SwfMeta m = SwfMeta.from(wb.workRequest("swf_meta", md5));
        assertNull(m.error());
        assertEquals("CWS", m.header().signature());
        assertTrue(m.header().compressed());
        assertEquals(10, m.header().version());
        assertEquals("[xmin: 0 xmax: 550 ymin: 0 ymax: 400]", m.header().frameSize());
        assertEquals(11000, m.header().xmax());
        assertEquals(24.0, m.header().frameRate());
        assertEquals(1, m.header().frameCount());
        assertEquals(10, m.tags().size());
        assertEquals(14, m.allTags().size());
        SwfMeta.Tag sprite = m.tags().get(3);
        assertEquals("DefineSprite", sprite.name());
        assertEquals(4, sprite.tags().size());
        assertEquals("#ff0080", m.tags().get(2).details().get("color"));
        assertEquals("frame1", m.tags().get(5).details().get("abc_name"));
        assertEquals(3, m.tagCounts().get("ShowFrame"));
        // cached: the same result again
        assertEquals(wb.workRequest("swf_meta", md5), wb.workRequest("swf_meta", md5));
    }

    @Test
    void otherFilesAreNotAccepted() {
        String md5 = wb.storeSample("just text".getBytes(), "a.txt", "unknown");
        assertThrows(WrongSampleKindException.class, () -> wb.workRequest("swf_meta", md5));
        SwfMetaWorker byTagOnly = new SwfMetaWorker();
        assertFalse(byTagOnly.accepts(wb.sampleInfo(wb.storeSample(fws(9, body(standardTags())), "x", "unknown"))));
    }

    @Test
    void badInputsGiveErrorEntries() {
        byte[] good = fws(10, body(standardTags()));
        byte[] gig = good.clone();
        System.arraycopy(u32(1L << 30), 0, gig, 4, 4);
        Map<String, byte[]> cases = Map.of(
                "not a SWF", "GIF89a, not a SWF at all".getBytes(),
                "too short", new byte[] {'F'},
                "truncated tag", Arrays.copyOf(good, good.length - 45),
                "above the limit", gig);
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            String md5 = wb.storeSample(c.getValue(), c.getKey(), "swf");
            Map<String, Object> r = wb.workRequest("swf_meta", md5);
            assertNotNull(r.get("error"), c.getKey());
            assertTrue(r.get("error").toString().contains(c.getKey()), r.get("error").toString());
            SwfMeta.from(r);
        }
        String empty = wb.storeSample(new byte[0], "empty.swf", "swf");
        assertTrue(wb.workRequest("swf_meta", empty).get("error").toString().contains("too short"));
    }

    @Test
    void settings() {
        String md5 = wb.storeSample(fws(10, body(standardTags())), "m.swf", "swf");
        Map<String, Object> r = wb.workRequest("swf_meta", md5, Map.of("max_tags", 3));
        assertEquals(3, ((List<?>) r.get("tags")).size());
        assertTrue(r.get("error").toString().contains("more than 3 tags"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void realSampleAndKitchenBossExtract() throws Exception {
        Path swf = SampleFiles.samplesDir().resolve("swf/unknown.swf");
        String md5 = wb.storeSample(Files.readAllBytes(swf), "unknown.swf", "swf");
        assertEquals(KITCHEN_BOSS_SWF, md5);
        String fileSays = SampleFiles.fileCommand(List.of(), List.of(swf)).get(0);
        Matcher v = Pattern.compile("Macromedia Flash data \\(compressed\\), version (\\d+)").matcher(fileSays);
        assertTrue(v.find(), fileSays);
        Map<String, Object> direct = wb.workRequest("swf_meta", md5);
        SwfMeta m = SwfMeta.from(direct);
        assertNull(m.error());
        assertEquals("CWS", m.header().signature());
        assertEquals(Integer.parseInt(v.group(1)), m.header().version());
        assertEquals(13215, m.header().fileLength());
        assertEquals("End", m.tags().get(m.tags().size() - 1).name());
        assertTrue(m.tagCounts().containsKey("DoABC"), m.tagCounts().toString());

        // the same file as Zeek extracts it from the Kitchen Boss capture, in a fresh workbench
        try (Workbench other = Workbench.open(home.resolve("other"))) {
            other.registry().replace(new SwfMetaWorker(other.store()));
            Path pcap = SampleFiles.samplesDir().getParent().resolve("pcap/kitchen_boss.pcap");
            assertTrue(Files.isRegularFile(pcap), "missing capture " + pcap);
            String pcapMd5 = other.storeSample(pcap, "pcap");
            Map<String, Object> details = other.workRequest("view_pcap_details", pcapMd5);
            String extracted = null;
            for (Object o : (List<Object>) details.get("extracted_files")) {
                Map<String, Object> f = (Map<String, Object>) o;
                if ("swf".equals(f.get("type_tag"))) {
                    extracted = (String) f.get("md5");
                }
            }
            assertEquals(KITCHEN_BOSS_SWF, extracted, "the SWF extracted from kitchen_boss: " + details);
            Map<String, Object> fromCapture = other.workRequest("swf_meta", extracted);
            assertEquals(direct, fromCapture);
        }
    }
}
