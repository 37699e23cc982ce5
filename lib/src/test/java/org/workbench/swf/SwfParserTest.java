package org.workbench.swf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.workbench.swf.SwfTestFiles.body;
import static org.workbench.swf.SwfTestFiles.cat;
import static org.workbench.swf.SwfTestFiles.cws;
import static org.workbench.swf.SwfTestFiles.fws;
import static org.workbench.swf.SwfTestFiles.header;
import static org.workbench.swf.SwfTestFiles.standardTags;
import static org.workbench.swf.SwfTestFiles.tag;
import static org.workbench.swf.SwfTestFiles.u32;
import static org.workbench.swf.SwfTestFiles.zlib;
import static org.workbench.swf.SwfTestFiles.zws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.workbench.magic.SampleFiles;

class SwfParserTest {
    private final SwfParser parser = new SwfParser();

    private static void assertStandard(SwfDocument d, String sig, int version) {
        assertEquals(List.of(), d.errors());
        SwfHeader h = d.header();
        assertEquals(sig, h.signature());
        assertEquals(!sig.equals("FWS"), h.compressed());
        assertEquals(version, h.version());
        assertEquals(8 + body(standardTags()).length, h.fileLength());
        assertEquals(0, h.xmin());
        assertEquals(11000, h.xmax());
        assertEquals(8000, h.ymax());
        assertEquals("[xmin: 0 xmax: 550 ymin: 0 ymax: 400]", h.frameSizeText());
        assertEquals(24.0, h.frameRate());
        assertEquals(1, h.frameCount());
        List<String> names = d.tags().stream().map(SwfTag::name).toList();
        assertEquals(List.of("FileAttributes", "Metadata", "SetBackgroundColor", "DefineSprite", "FrameLabel",
                "DoABC", "DoABCDefine", "SymbolClass", "ShowFrame", "End"), names);
        Map<String, Object> fa = d.tags().get(0).details();
        assertEquals(true, fa.get("actionscript3"));
        assertEquals(true, fa.get("has_metadata"));
        assertEquals(true, fa.get("use_network"));
        assertEquals(false, fa.get("use_gpu"));
        assertEquals(false, fa.get("use_direct_blit"));
        assertEquals("<rdf:RDF>test</rdf:RDF>", d.tags().get(1).details().get("metadata"));
        assertEquals("#ff0080", d.tags().get(2).details().get("color"));
        SwfTag sprite = d.tags().get(3);
        assertEquals(39, sprite.code());
        assertEquals(5, sprite.details().get("sprite_id"));
        assertEquals(2, sprite.details().get("frame_count"));
        assertEquals(List.of("ShowFrame", "FrameLabel", "ShowFrame", "End"),
                sprite.tags().stream().map(SwfTag::name).toList());
        assertEquals("inner", sprite.tags().get(1).details().get("label"));
        assertEquals("main", d.tags().get(4).details().get("label"));
        SwfTag abc = d.tags().get(5);
        assertEquals(82, abc.code());
        assertEquals("frame1", abc.details().get("abc_name"));
        assertEquals(10, abc.details().get("abc_size"));
        assertEquals(true, abc.details().get("lazy_initialize"));
        assertEquals(4 + 7 + 10, abc.length());
        assertEquals(5, d.tags().get(6).details().get("abc_size"));
        assertEquals(List.of(Map.of("id", 0, "name", "Main"), Map.of("id", 5, "name", "Sprite5")),
                d.tags().get(7).details().get("symbols"));
        Map<String, Integer> counts = d.tagCounts();
        assertEquals(3, counts.get("ShowFrame"));
        assertEquals(2, counts.get("End"));
        assertEquals(2, counts.get("FrameLabel"));
        assertEquals(1, counts.get("DefineSprite"));
        // first tag right after the 8 + 9 + 4 header bytes
        assertEquals(21, d.tags().get(0).offset());
        Map<String, Object> m = d.toMap();
        assertFalse(m.containsKey("error"));
        @SuppressWarnings("unchecked")
        Map<String, Object> hm = (Map<String, Object>) m.get("header");
        assertEquals(Map.of("xmin", 0, "xmax", 11000, "ymin", 0, "ymax", 8000), hm.get("frame_size_twips"));
    }

    @Test
    void uncompressed() {
        assertStandard(parser.parse(fws(10, body(standardTags()))), "FWS", 10);
    }

    @Test
    void zlibCompressed() {
        assertStandard(parser.parse(cws(10, body(standardTags()))), "CWS", 10);
    }

    @Test
    void lzmaCompressed() {
        try {
            Class.forName("org.tukaani.xz.LZMAInputStream");
        } catch (ClassNotFoundException e) {
            fail("ZWS needs org.tukaani:xz (commons-compress's optional LZMA dependency) on the test classpath");
        }
        byte[] z = zws(13, body(standardTags()));
        assertStandard(parser.parse(z), "ZWS", 13);
        SwfDocument d = parser.parse(Arrays.copyOf(z, z.length - 15));
        assertTrue(String.join("; ", d.errors()).contains("broken LZMA stream"), d.errors().toString());
        d = parser.parse(Arrays.copyOf(z, 12));
        assertTrue(d.errors().get(0).contains("truncated ZWS header"), d.errors().toString());
        byte[] big = z.clone();
        System.arraycopy(u32(1L << 30), 0, big, 4, 4);
        d = parser.parse(big);
        String err = String.join("; ", d.errors());
        assertTrue(err.contains("above the limit"), err);
        assertEquals(10, d.tags().size(), err);
    }

    @Test
    void tagCodeTableIsComplete() {
        assertEquals("End", SwfTagCodes.name(0));
        assertEquals("SetBackgroundColor", SwfTagCodes.name(9));
        assertEquals("DefineSprite", SwfTagCodes.name(39));
        assertEquals("FileAttributes", SwfTagCodes.name(69));
        assertEquals("DoABC", SwfTagCodes.name(82));
        assertEquals("DefineBinaryData", SwfTagCodes.name(87));
        assertEquals("Unknown255", SwfTagCodes.name(255));
        assertEquals(SwfTagCodes.all().size(), SwfTagCodes.all().values().stream().distinct().count());
    }

    @Test
    void zeroBytesAndWrongMagic() {
        SwfDocument d = parser.parse(new byte[0]);
        assertNull(d.header());
        assertTrue(d.errors().get(0).contains("too short"), d.errors().toString());
        d = parser.parse("GIF89a....".getBytes());
        assertNull(d.header());
        assertTrue(d.errors().get(0).contains("not a SWF"), d.errors().toString());
        assertTrue(d.toMap().get("error").toString().contains("474946"));
        d = parser.parse("FWS\u0009\u0001".getBytes());
        assertTrue(d.errors().get(0).contains("truncated SWF header"), d.errors().toString());
        d = parser.parse(header("FWS", 9, 8));
        assertNotNull(d.header());
        assertNull(d.header().frameCount());
        assertTrue(d.toMap().get("error").toString().contains("frame size"));
    }

    @Test
    void truncatedTagKeepsTagsSoFar() {
        byte[] full = fws(10, body(standardTags()));
        // cut inside the DoABC tag
        byte[] cut = Arrays.copyOf(full, full.length - 45);
        SwfDocument d = parser.parse(cut);
        String err = String.join("; ", d.errors());
        assertTrue(err.contains("truncated tag DoABC (code 82)"), err);
        assertTrue(err.contains("declares file_length"), err);
        assertEquals(List.of("FileAttributes", "Metadata", "SetBackgroundColor", "DefineSprite", "FrameLabel"),
                d.tags().stream().map(SwfTag::name).toList());
        // the same cut in a CWS: a broken zlib stream
        byte[] z = cws(10, body(standardTags()));
        d = parser.parse(Arrays.copyOf(z, z.length - 20));
        err = String.join("; ", d.errors());
        assertTrue(err.contains("broken zlib stream"), err);
        assertFalse(d.tags().isEmpty());
    }

    @Test
    void missingEndTagAndHugeTagLength() {
        byte[] b = body(cat(tag(1, new byte[0])));
        SwfDocument d = parser.parse(fws(10, b));
        assertTrue(d.errors().get(0).contains("no End tag"), d.errors().toString());
        assertEquals(1, d.tags().size());
        byte[] huge = cat(new byte[] {(byte) (0x3f | 87 << 6), (byte) ((87 << 6) >> 8)}, u32(0xffffffffL));
        d = parser.parse(fws(10, body(huge)));
        assertTrue(d.errors().get(0).contains("declares 4294967295 bytes"), d.errors().toString());
    }

    @Test
    void gigabyteDeclaredLengthInSmallFile() {
        byte[] small = fws(10, body(standardTags()));
        System.arraycopy(u32(1L << 30), 0, small, 4, 4);
        SwfDocument d = parser.parse(small);
        String err = String.join("; ", d.errors());
        assertTrue(err.contains("above the limit"), err);
        assertTrue(err.contains("truncated SWF"), err);
        assertEquals(10, d.tags().size(), "all tags are still read");
        assertEquals(1L << 30, d.header().fileLength());

        byte[] z = cws(10, body(standardTags()));
        System.arraycopy(u32(1L << 30), 0, z, 4, 4);
        d = parser.parse(z);
        assertTrue(String.join("; ", d.errors()).contains("above the limit"));
        assertEquals(10, d.tags().size());
    }

    @Test
    void decompressionBombIsCut() {
        byte[] zeros = new byte[4 << 20];
        byte[] bomb = cat(header("CWS", 10, 8 + zeros.length), zlib(zeros));
        assertTrue(bomb.length < 10_000);
        SwfDocument d = new SwfParser(1 << 20, 1000).parse(bomb);
        String err = String.join("; ", d.errors());
        assertTrue(err.contains("exceeds the limit of 1048576"), err);
        // 4 MiB of zeros: RECT of 0 bits, then End tags
        assertTrue(err.contains("truncated") || d.tags().size() == 1, err);
    }

    @Test
    void tagLimit() {
        byte[] many = new byte[0];
        for (int i = 0; i < 50; i++) {
            many = cat(many, tag(1, new byte[0]));
        }
        SwfDocument d = new SwfParser(1 << 20, 20).parse(fws(10, body(cat(many, tag(0, new byte[0])))));
        assertEquals(20, d.tags().size());
        assertTrue(d.errors().get(0).contains("more than 20 tags"), d.errors().toString());
    }

    @Test
    void mutatedFilesNeverThrow() {
        java.util.Random rnd = new java.util.Random(42);
        byte[][] seeds = {fws(10, body(standardTags())), cws(10, body(standardTags()))};
        SwfParser small = new SwfParser(1 << 20, 10_000);
        for (int i = 0; i < 3000; i++) {
            byte[] b = seeds[i % 2].clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextBoolean()) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            }
            assertNotNull(small.parse(b).toMap());
        }
    }

    @Test
    void realSampleMatchesFile() throws IOException {
        Path swf = SampleFiles.samplesDir().resolve("swf/unknown.swf");
        assertTrue(Files.isRegularFile(swf), "missing sample " + swf);
        String fileSays = SampleFiles.fileCommand(List.of(), List.of(swf)).get(0);
        Matcher m = Pattern.compile("Macromedia Flash data \\((compressed)\\), version (\\d+)").matcher(fileSays);
        assertTrue(m.find(), fileSays);
        SwfDocument d = parser.parse(Files.readAllBytes(swf));
        assertEquals(List.of(), d.errors());
        assertEquals("CWS", d.header().signature());
        assertEquals(Integer.parseInt(m.group(2)), d.header().version());
        assertEquals(13215, d.header().fileLength());
        List<SwfTag> tags = d.tags();
        assertEquals("End", tags.get(tags.size() - 1).name());
        assertTrue(d.tagCounts().containsKey("DoABC"), d.tagCounts().toString());
        assertTrue(d.tagCounts().containsKey("SymbolClass"), d.tagCounts().toString());
        assertTrue(d.tagCounts().containsKey("FileAttributes"), d.tagCounts().toString());
        long sum = 0;
        for (SwfTag t : tags) {
            sum += (t.length() >= 0x3f || t.code() == 82 ? 6 : 2) + t.length();
        }
        assertTrue(sum > 0);
        // the last tag ends exactly at the declared file length
        SwfTag last = tags.get(tags.size() - 1);
        assertEquals(d.header().fileLength(), last.offset() + 2 + last.length());
    }
}
