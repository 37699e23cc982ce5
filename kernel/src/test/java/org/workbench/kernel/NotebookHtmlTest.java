package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.cli.Main;
import picocli.CommandLine;

/** The standalone HTML page of an executed notebook ({@link NotebookHtml}) and {@code notebook run --html}. */
class NotebookHtmlTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Attribute values and CSS that make a browser load something. */
    private static final Pattern LOADING_ATTR = Pattern.compile(
            "(?i)\\s(src|href|srcset|poster|data|action|formaction|xlink:href|background|manifest)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+)");
    private static final Pattern CSS_URL = Pattern.compile("(?i)url\\(\\s*['\"]?([^'\")\\s]+)|@import\\s+['\"]([^'\"]+)");
    private static final Pattern EXTERNAL = Pattern.compile("(?i)^\\s*(https?:|ftp:|wss?:|//)");

    /**
     * Every reference in a page that points outside it: attribute values such as {@code src}/{@code href} and CSS
     * {@code url(...)}/{@code @import} with an http(s), ftp, ws(s) or protocol-relative URL. Text that merely
     * mentions a URL (a table cell, a string in a script) is not a reference.
     *
     * @param html the page
     * @return the external references found, empty when the page is self-contained
     */
    static List<String> externalReferences(String html) {
        List<String> out = new ArrayList<>();
        // script bodies are code, not markup: their strings are checked by the browser test's request listener
        String markup = html.replaceAll("(?is)<script\\b[^>]*>.*?</script>", "<script></script>");
        Matcher m = LOADING_ATTR.matcher(markup);
        while (m.find()) {
            String v = m.group(2).replaceAll("^[\"']|[\"']$", "");
            if (EXTERNAL.matcher(v).find()) {
                out.add(m.group(1) + "=" + v);
            }
        }
        // CSS: style elements and style attributes (text content that mentions url(...) is not CSS)
        StringBuilder css = new StringBuilder();
        Matcher st = Pattern.compile("(?is)<style\\b[^>]*>(.*?)</style>").matcher(html);
        while (st.find()) {
            css.append(st.group(1)).append('\n');
        }
        Matcher sa = Pattern.compile("(?i)\\sstyle\\s*=\\s*(\"[^\"]*\"|'[^']*')").matcher(markup);
        while (sa.find()) {
            css.append(sa.group(1)).append('\n');
        }
        Matcher c = CSS_URL.matcher(css);
        while (c.find()) {
            String v = c.group(1) != null ? c.group(1) : c.group(2);
            if (EXTERNAL.matcher(v).find()) {
                out.add("css " + v);
            }
        }
        Matcher s = Pattern.compile("(?i)<script\\b[^>]*\\ssrc\\s*=\\s*[\"']?([^\"'\\s>]+)").matcher(html);
        while (s.find()) {
            if (EXTERNAL.matcher(s.group(1)).find()) {
                out.add("script src=" + s.group(1));
            }
        }
        return out;
    }

    static ObjectNode notebook() {
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        nb.putObject("metadata");
        return nb;
    }

    static ObjectNode cell(ObjectNode nb, String type, String id, String source) {
        ArrayNode cells = nb.has("cells") ? (ArrayNode) nb.get("cells") : nb.putArray("cells");
        ObjectNode c = cells.addObject();
        c.put("cell_type", type);
        c.put("id", id);
        c.putObject("metadata");
        // nbformat multiline string: a list of lines
        ArrayNode src = c.putArray("source");
        for (String line : source.split("(?<=\n)")) {
            src.add(line);
        }
        if (type.equals("code")) {
            c.putArray("outputs");
        }
        return c;
    }

    @Test
    void rendersEveryKindOfCellAndOutput() {
        ObjectNode nb = notebook();
        cell(nb, "markdown", "md", "# Title & more\n\nSome *text* and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        ObjectNode code = cell(nb, "code", "c1", "int x = 1 < 2 ? 3 : 4;\nx");
        code.put("execution_count", 7);
        ArrayNode outs = (ArrayNode) code.get("outputs");
        outs.addObject().put("output_type", "stream").put("name", "stdout").put("text", "printed <b>\n");
        outs.addObject().put("output_type", "stream").put("name", "stderr").put("text", "warned\n");
        ObjectNode html = outs.addObject().put("output_type", "display_data");
        html.putObject("data").put("text/plain", "plain twin").put("text/html",
                "<div class=\"mine\"><script>document.title += ' ran';</script></div>");
        html.putObject("metadata");
        ObjectNode svg = outs.addObject().put("output_type", "display_data");
        svg.putObject("data").put("text/plain", "svg").put("image/svg+xml", "<svg class=\"pic\" width=\"10\" height=\"10\"></svg>");
        ObjectNode png = outs.addObject().put("output_type", "display_data");
        png.putObject("data").put("text/plain", "png").put("image/png", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}) + "\n");
        ObjectNode mdOut = outs.addObject().put("output_type", "display_data");
        mdOut.putObject("data").put("text/plain", "md").put("text/markdown", "**bold**");
        ObjectNode result = outs.addObject().put("output_type", "execute_result").put("execution_count", 7);
        result.putObject("data").put("text/plain", "3 < 4 & \"q\"");
        ObjectNode err = outs.addObject().put("output_type", "error").put("ename", "java.lang.RuntimeException")
                .put("evalue", "boom <x>");
        err.putArray("traceback").add("\u001b[31mjava.lang.RuntimeException: boom\u001b[0m").add("\tat line 2");
        cell(nb, "code", "c2", "not run");

        String page = new NotebookHtml().render(nb, "fallback");
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        assertTrue(page.contains("<title>Title &amp; more</title>"), "title from the first heading");
        assertTrue(page.contains("<em>text</em>") && page.contains("<code>code</code>"), "markdown rendered");
        assertTrue(page.contains("<table>") && page.contains("<td>1</td>"), "markdown tables rendered");
        assertTrue(page.contains("In [7]:") && page.contains("In [ ]:"), "prompts with execution counts");
        assertTrue(page.contains("int x = 1 &lt; 2 ? 3 : 4;\nx</code></pre>"), "source escaped in a pre");
        assertTrue(page.contains("printed &lt;b&gt;"), "stdout escaped");
        assertTrue(page.contains("class=\"output stream stderr\""), "stderr marked");
        assertTrue(page.contains("<div class=\"mine\"><script>document.title += ' ran';</script></div>"),
                "text/html as is");
        assertFalse(page.contains("plain twin"), "text/plain not shown beside text/html");
        assertTrue(page.contains("<svg class=\"pic\""), "svg inline");
        assertTrue(page.contains("src=\"data:image/png;base64,AQID\""), "png as a data URL");
        assertTrue(page.contains("<strong>bold</strong>"), "text/markdown rendered");
        assertTrue(page.contains("Out[7]:") && page.contains("3 &lt; 4 &amp; &quot;q&quot;"), "result escaped");
        assertTrue(page.contains("java.lang.RuntimeException: boom &lt;x&gt;"), "error block");
        assertFalse(page.contains("\u001b"), "ANSI codes removed");
        assertEquals(List.of(), externalReferences(page));
    }

    @Test
    void externalReferencesAreFound() {
        assertEquals(List.of("src=https://cdn.example/x.js"), externalReferences("<img src=\"https://cdn.example/x.js\">"));
        assertEquals(List.of("href=//fonts.example/css"), externalReferences("<link rel=stylesheet href='//fonts.example/css'>"));
        assertEquals(List.of("css http://x/y.png"), externalReferences("<div style=\"background: url(http://x/y.png)\">"));
        assertEquals(List.of("script src=https://cdn.plot.ly/plotly.js"),
                externalReferences("<script src=\"https://cdn.plot.ly/plotly.js\"></script>"));
        assertEquals(List.of("css https://fonts.example/f.woff"),
                externalReferences("<style>@font-face { src: url('https://fonts.example/f.woff'); }</style>"));
        assertEquals(List.of(), externalReferences("<td>body { background: url(http://x/y.png) }</td>"
                + "<td>http://kitchenboss.com.au/</td><img src=\"data:image/png;base64,AA\">"
                + "<script>var u = 'https://not.loaded';</script>"));
    }

    @Test
    void rejectsWhatIsNotANotebook() {
        ObjectNode bad = JSON.createObjectNode();
        bad.put("nbformat", 3);
        assertThrows(IllegalArgumentException.class, () -> new NotebookHtml().render(bad, "x"));
    }

    @Test
    void notebookRunWritesHtmlAndTheExecutedCopyBesideIt() throws Exception {
        ObjectNode nb = notebook();
        cell(nb, "markdown", "m", "# Sums");
        cell(nb, "code", "a", "int a = 20 + 22;\nSystem.out.println(\"a=\" + a);\na");
        Path in = tmp.resolve("sums.ipynb");
        JSON.writeValue(in.toFile(), nb);
        Path html = tmp.resolve("out/report.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("notebook", "run", in.toString(), "--html", html.toString());
        assertEquals(0, code, out + "\n" + err);
        Path executed = tmp.resolve("out/report.ipynb");
        assertTrue(Files.isRegularFile(executed), "executed notebook beside the page");
        assertTrue(JSON.readTree(executed.toFile()).at("/cells/1/outputs").toString().contains("42"));
        String page = Files.readString(html);
        assertTrue(page.contains("a=42") && page.contains("Out[1]:"), page);
        assertTrue(page.contains("<title>Sums</title>"));

        Path other = tmp.resolve("elsewhere.ipynb");
        Path html2 = tmp.resolve("r2.html");
        assertEquals(0, cl.execute("notebook", "run", in.toString(), "--html", html2.toString(), "-o", other.toString()),
                err.toString());
        assertTrue(Files.isRegularFile(other) && Files.isRegularFile(html2));
        assertFalse(Files.exists(tmp.resolve("r2.ipynb")), "-o wins over the place beside the page");
    }
}
