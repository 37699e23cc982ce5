package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class RenderersTest {
    private final Renderers r = Renderers.defaults();

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    static Table table(int rows) {
        IntColumn i = IntColumn.create("n");
        StringColumn s = StringColumn.create("text");
        for (int k = 0; k < rows; k++) {
            i.append(k * 7);
            s.append("row " + k);
        }
        return Table.create("numbers", i, s);
    }

    @Test
    void shortTableShowsEveryRowWithIndexAndColumnTypes() {
        MimeBundle b = r.render(table(3));
        String html = b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("<caption>numbers (3 rows, 2 columns)</caption>"), html);
        assertTrue(html.contains("<th></th><th title=\"INTEGER\">n</th><th title=\"STRING\">text</th>"), html);
        assertTrue(html.contains("<tr><th>2</th><td>14</td><td>row 2</td></tr>"), html);
        assertEquals(3, count(html, "<tr><th>"));
        assertFalse(html.contains("&times;"), "no size line for a short table");
        assertEquals(table(3).print(), b.plainText());
    }

    @Test
    void longTableShowsHeadAndTailAndSize() {
        r.maxRows(10);
        String html = r.render(table(1000)).get(MimeBundle.TEXT_HTML);
        Matcher m = Pattern.compile("<tr><th>(\\d+)</th>").matcher(html);
        StringBuilder idx = new StringBuilder();
        while (m.find()) {
            idx.append(m.group(1)).append(' ');
        }
        assertEquals("0 1 2 3 4 995 996 997 998 999 ", idx.toString());
        assertEquals(1, count(html, "<tr><th>&hellip;</th>"));
        assertTrue(html.contains("<p>1000 rows &times; 2 columns</p>"), html);
        assertTrue(html.contains("<td>6993</td><td>row 999</td>"), html);
        assertThrows(IllegalArgumentException.class, () -> r.maxRows(1));
    }

    @Test
    void tableCellsAreEscapedAndCutAtTheColumnWidth() {
        r.maxColumnWidth(10);
        Table t = Table.create("<t>", StringColumn.create("a<b", "<script>alert('x')</script>", "a & \"q\""),
                LongColumn.create("len", 1, 2));
        String html = r.render(t).get(MimeBundle.TEXT_HTML);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("<caption>&lt;t&gt; (2 rows, 2 columns)</caption>"), html);
        assertTrue(html.contains("<th title=\"STRING\">a&lt;b</th>"), html);
        assertTrue(html.contains("<td title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\">&lt;script&gt;a&hellip;</td>"),
                html);
        assertTrue(html.contains("<td>a &amp; &quot;q&quot;</td>"), html);
    }

    @Test
    void workerResultsAreJsonTrees() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("md5", "d41d8cd98f00b204e9800998ecf8427e");
        result.put("file_size", 1234);
        result.put("tags", List.of("exe", "<packed>"));
        result.put("header", Map.of("version", 10, "compressed", true));
        result.put("missing", null);
        MimeBundle b = r.render(result);
        JsonNode json = new ObjectMapper().readTree(b.plainText());
        assertEquals(1234, json.get("file_size").asInt());
        assertEquals("<packed>", json.get("tags").get(1).asText());
        assertTrue(json.get("header").get("compressed").asBoolean());
        assertTrue(json.get("missing").isNull());
        assertTrue(b.plainText().contains("\n  \"md5\""), "long results are pretty-printed: " + b.plainText());
        String html = b.get(MimeBundle.TEXT_HTML);
        assertEquals(3, count(html, "<details"), "one <details> per object or array: " + html);
        assertTrue(html.contains("&quot;&lt;packed&gt;&quot;"), html);
        assertTrue(html.contains("5 keys</summary>"), html);
        assertEquals("{\"a\":1}", r.render(Map.of("a", 1)).plainText());

        record Hit(String rule, int offset) {
        }
        MimeBundle records = r.render(List.of(new Hit("UPX", 16), new Hit("MZ", 0)));
        assertEquals("[{\"rule\":\"UPX\",\"offset\":16},{\"rule\":\"MZ\",\"offset\":0}]", records.plainText());
        assertEquals("[1, 2]", r.render(List.of(1, 2)).plainText(), "plain collections stay text");
    }

    @Test
    void jsonTreeSurvivesCyclesAndBytes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("self", m);
        m.put("bytes", new byte[] {0x4d, 0x5a});
        assertEquals("{\"self\":\"<cycle>\",\"bytes\":\"4d5a\"}", r.render(m).plainText());
    }

    @Test
    void byteArraysAreHexDumps() {
        byte[] b = new byte[300];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        b[0] = 'M';
        b[1] = 'Z';
        MimeBundle d = r.render(b);
        List<String> lines = d.plainText().lines().toList();
        assertEquals(17, lines.size(), d.plainText());
        assertEquals("00000000  4d 5a 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |MZ..............|", lines.get(0));
        assertEquals("00000020  20 21 22 23 24 25 26 27  28 29 2a 2b 2c 2d 2e 2f  | !\"#$%&'()*+,-./|", lines.get(2));
        assertEquals("300 bytes, first 256 shown", lines.get(16));
        assertTrue(d.get(MimeBundle.TEXT_HTML).startsWith("<pre class=\"workbench-hexdump\">"));
        assertTrue(d.get(MimeBundle.TEXT_HTML).contains("|MZ..............|"));
        assertEquals("00000000  41 42 43                                          |ABC|\n3 bytes",
                HexDump.dump("ABC".getBytes(StandardCharsets.US_ASCII), 256));
    }

    @Test
    void markdownAndHtml() {
        MimeBundle md = r.render(Markdown.of("# Findings\n\n**3** files & <i>one</i> exe"));
        assertEquals("<h1>Findings</h1>\n<p><strong>3</strong> files &amp; &lt;i&gt;one&lt;/i&gt; exe</p>\n",
                md.get(MimeBundle.TEXT_HTML), "raw HTML (captured data quoted in Markdown) shows as text");
        assertEquals("<p>GET &lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
                r.render(Markdown.of("GET <script>alert(1)</script>")).get(MimeBundle.TEXT_HTML));
        assertEquals("# Findings\n\n**3** files & <i>one</i> exe", md.get(MimeBundle.TEXT_MARKDOWN));
        assertEquals(md.get(MimeBundle.TEXT_MARKDOWN), md.plainText());
        MimeBundle h = r.render(Html.of("<b>bad</b> &amp; <i>worse</i>"));
        assertEquals("<b>bad</b> &amp; <i>worse</i>", h.get(MimeBundle.TEXT_HTML));
        assertEquals("bad & worse", h.plainText());
    }

    @Test
    void imagesBecomeBase64OrSvg(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 2, Color.RED.getRGB());
        MimeBundle b = r.render(img);
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b.get(MimeBundle.IMAGE_PNG))));
        assertEquals(4, back.getWidth());
        assertEquals(Color.RED.getRGB(), back.getRGB(1, 2));
        assertTrue(b.plainText().contains("image/png"), b.plainText());

        byte[] png = Base64.getDecoder().decode(b.get(MimeBundle.IMAGE_PNG));
        Path file = dir.resolve("picture.dat");
        Files.write(file, png);
        MimeBundle fromFile = r.render(Image.of(file));
        assertEquals(b.get(MimeBundle.IMAGE_PNG), fromFile.get(MimeBundle.IMAGE_PNG));
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10};
        assertEquals(Base64.getEncoder().encodeToString(jpeg),
                r.render(Image.of(jpeg, "x.jpg")).get(MimeBundle.IMAGE_JPEG));
        String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"3\"/></svg>";
        assertEquals(svg, r.render(Image.of(svg.getBytes(StandardCharsets.UTF_8), "c.svg")).get(MimeBundle.IMAGE_SVG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Image.of(new byte[] {1, 2, 3}, "notes.txt"));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("010203"), e.getMessage());
    }

    @Test
    void registrationReplacesAndFailingRenderersAreReported() {
        Renderers x = Renderers.defaults();
        assertTrue(x.has(Table.class));
        x.register(Integer.class, i -> MimeBundle.text("int " + i));
        x.register(Integer.class, i -> MimeBundle.text("second " + i));
        assertEquals("second 3", x.render(3).plainText());
        x.register(Long.class, l -> {
            throw new IllegalStateException("broken");
        });
        assertTrue(x.render(5L).plainText().contains("display failed"));
        assertNull(new Renderers().render(Map.of()).get(MimeBundle.TEXT_HTML));
        assertNotNull(x.render(Map.of()).get(MimeBundle.TEXT_HTML));
    }
}
