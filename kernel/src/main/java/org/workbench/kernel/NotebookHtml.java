package org.workbench.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Writes an executed notebook (nbformat 4 JSON, as {@link NotebookRunner} writes it) as one standalone HTML page
 * that needs nothing else: no external style sheet, script, font or image; everything is inline.
 *
 * <ul>
 *   <li>Markdown cells are rendered with commonmark-java (CommonMark plus GitHub-style tables).</li>
 *   <li>Code cells show their source in a {@code <pre>} with the prompt {@code In [n]:} (the execution count).</li>
 *   <li>Outputs: {@code stream} as preformatted text ({@code stderr} marked), {@code error} as a styled block with
 *       the exception name, message and traceback (ANSI colour codes removed), {@code execute_result} (prompt
 *       {@code Out[n]:}) and {@code display_data} by MIME priority: {@code text/html} inserted as is (so its
 *       scripts run), {@code image/svg+xml} inline, {@code image/png} and {@code image/jpeg} as base64
 *       {@code data:} images, {@code text/markdown} rendered, {@code application/json} and {@code text/plain}
 *       escaped in a {@code <pre>}.</li>
 * </ul>
 *
 * <p>Whatever the outputs themselves reference is kept as is: the page is self-contained when the outputs are
 * (the kernel's renderers inline everything they need).
 */
public final class NotebookHtml {
    /** MIME types shown, best first. */
    public static final List<String> MIME_PRIORITY = List.of("text/html", "image/svg+xml", "image/png", "image/jpeg",
            "text/markdown", "application/json", "text/plain");

    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*[A-Za-z]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Parser parser;
    private final HtmlRenderer markdown;
    /** For Markdown that cells output (often built from captured data): raw HTML in it is shown as text. */
    private final HtmlRenderer outputMarkdown;

    /** A writer with CommonMark and GitHub-style tables. */
    public NotebookHtml() {
        List<Extension> ext = List.of(TablesExtension.create());
        this.parser = Parser.builder().extensions(ext).build();
        this.markdown = HtmlRenderer.builder().extensions(ext).build();
        this.outputMarkdown = HtmlRenderer.builder().extensions(ext).escapeHtml(true).build();
    }

    /**
     * Writes a notebook file as an HTML page.
     *
     * @param notebook an nbformat 4 notebook file
     * @param html     the page to write (parent directories are created)
     * @throws IOException              when a file cannot be read or written
     * @throws IllegalArgumentException when the notebook is not nbformat 4 JSON
     */
    public void write(Path notebook, Path html) throws IOException {
        JsonNode nb = NotebookRunner.read(notebook);
        String name = notebook.getFileName().toString().replaceFirst("(\\.out)?\\.ipynb$", "");
        Path parent = html.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(html, render(nb, name), StandardCharsets.UTF_8);
    }

    /**
     * Renders a notebook as an HTML page.
     *
     * @param nb           the notebook JSON (nbformat 4)
     * @param defaultTitle the page title when the notebook has no level-1 markdown heading
     * @return the whole page, {@code <!DOCTYPE html>} to {@code </html>}
     * @throws IllegalArgumentException when the JSON is not an nbformat 4 notebook with a cells list
     */
    public String render(JsonNode nb, String defaultTitle) {
        if (nb.path("nbformat").asInt(0) != 4 || !nb.path("cells").isArray()) {
            throw new IllegalArgumentException("not an nbformat 4 notebook (nbformat 4 with a cells list)");
        }
        String title = null;
        StringBuilder body = new StringBuilder(64 * 1024);
        for (JsonNode cell : nb.get("cells")) {
            String type = cell.path("cell_type").asText();
            String src = text(cell.get("source"));
            String id = cell.path("id").asText("");
            String idAttr = id.isEmpty() ? "" : " id=\"cell-" + esc(id) + "\" data-cell-id=\"" + esc(id) + "\"";
            switch (type) {
                case "markdown" -> {
                    Node doc = parser.parse(src);
                    if (title == null) {
                        title = firstHeading(doc);
                    }
                    body.append("<div class=\"cell markdown\"").append(idAttr).append(">\n")
                            .append(markdown.render(doc)).append("</div>\n");
                }
                case "code" -> code(body, cell, src, idAttr);
                default -> body.append("<div class=\"cell raw\"").append(idAttr).append("><pre>").append(esc(src))
                        .append("</pre></div>\n");
            }
        }
        StringBuilder page = new StringBuilder(body.length() + 4096);
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"Workbench for Java notebook run --html\">\n")
                .append("<title>").append(esc(title != null ? title : defaultTitle)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main class=\"notebook\">\n")
                .append(body).append("</main>\n</body>\n</html>\n");
        return page.toString();
    }

    private void code(StringBuilder b, JsonNode cell, String src, String idAttr) {
        JsonNode count = cell.get("execution_count");
        String n = count == null || count.isNull() ? " " : count.asText();
        b.append("<div class=\"cell code\"").append(idAttr).append(">\n<div class=\"input\"><div class=\"prompt\">In [")
                .append(esc(n)).append("]:</div><pre class=\"source\"><code class=\"language-java\">").append(esc(src))
                .append("</code></pre></div>\n");
        JsonNode outputs = cell.path("outputs");
        if (outputs.isArray() && !outputs.isEmpty()) {
            b.append("<div class=\"outputs\">\n");
            for (JsonNode o : outputs) {
                output(b, o);
            }
            b.append("</div>\n");
        }
        b.append("</div>\n");
    }

    private void output(StringBuilder b, JsonNode o) {
        String type = o.path("output_type").asText();
        switch (type) {
            case "stream" -> {
                String name = o.path("name").asText("stdout");
                b.append("<div class=\"output stream ").append(esc(name)).append("\"><pre>")
                        .append(esc(ANSI.matcher(text(o.get("text"))).replaceAll(""))).append("</pre></div>\n");
            }
            case "error" -> {
                StringBuilder tb = new StringBuilder();
                for (JsonNode line : o.path("traceback")) {
                    tb.append(line.asText()).append('\n');
                }
                b.append("<div class=\"output error\"><div class=\"ename\">").append(esc(o.path("ename").asText()))
                        .append(": ").append(esc(o.path("evalue").asText())).append("</div>");
                if (tb.length() > 0) {
                    b.append("<pre>").append(esc(ANSI.matcher(tb).replaceAll(""))).append("</pre>");
                }
                b.append("</div>\n");
            }
            case "execute_result", "display_data" -> {
                boolean result = type.equals("execute_result");
                b.append("<div class=\"output ").append(result ? "execute-result" : "display-data").append("\">");
                if (result) {
                    JsonNode c = o.get("execution_count");
                    b.append("<div class=\"prompt out\">Out[").append(c == null || c.isNull() ? " " : esc(c.asText()))
                            .append("]:</div>");
                }
                b.append("<div class=\"data\">");
                data(b, o.path("data"));
                b.append("</div></div>\n");
            }
            default -> b.append("<div class=\"output unknown\"><pre>").append(esc(o.toString()))
                    .append("</pre></div>\n");
        }
    }

    private void data(StringBuilder b, JsonNode data) {
        for (String mime : MIME_PRIORITY) {
            JsonNode v = data.get(mime);
            if (v == null || v.isNull()) {
                continue;
            }
            switch (mime) {
                case "text/html" -> b.append(text(v));
                case "image/svg+xml" -> b.append(text(v));
                case "image/png", "image/jpeg" -> b.append("<img alt=\"\" src=\"data:").append(mime)
                        .append(";base64,").append(text(v).replaceAll("\\s", "")).append("\">");
                case "text/markdown" -> b.append("<div class=\"markdown\">")
                        .append(outputMarkdown.render(parser.parse(text(v))))
                        .append("</div>");
                case "application/json" -> b.append("<pre>").append(esc(v.isTextual() ? v.asText()
                        : v.toPrettyString())).append("</pre>");
                default -> b.append("<pre>").append(esc(text(v))).append("</pre>");
            }
            return;
        }
    }

    /** nbformat multiline strings: a string, or a list of strings joined as they are. */
    static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            StringBuilder s = new StringBuilder();
            v.forEach(x -> s.append(x.asText()));
            return s.toString();
        }
        return v.asText();
    }

    private static String firstHeading(Node doc) {
        for (Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Heading h && h.getLevel() == 1) {
                StringBuilder s = new StringBuilder();
                collect(h, s);
                return s.toString();
            }
        }
        return null;
    }

    private static void collect(Node n, StringBuilder s) {
        for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
            if (c instanceof Text t) {
                s.append(t.getLiteral());
            } else if (c instanceof org.commonmark.node.Code code) {
                s.append(code.getLiteral());
            } else {
                collect(c, s);
            }
        }
    }

    private static String esc(String s) {
        return Renderers.escape(s);
    }

    private static final String STYLE = """
            body { margin: 0; background: #fff; color: #1b1b1b; font: 15px/1.5 system-ui, sans-serif; }
            main.notebook { max-width: 1200px; margin: 0 auto; padding: 1.5em 2em 4em; }
            .cell { margin: 0.8em 0; }
            .cell.markdown table { border-collapse: collapse; }
            .cell.markdown th, .cell.markdown td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
            .prompt { font: 12px/1.4 monospace; color: #30609f; margin-bottom: 0.1em; }
            .prompt.out { color: #a0302f; }
            pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.45 monospace; }
            pre.source { background: #f5f6f8; border: 1px solid #dde1e6; border-radius: 4px; padding: 0.5em 0.7em; }
            .outputs { margin: 0.3em 0 0 0; padding-left: 0.7em; border-left: 3px solid #e8eaee; }
            .output { margin: 0.3em 0; overflow-x: auto; }
            .output.stream.stderr pre { background: #fff3f3; }
            .output.error { background: #fdecec; border: 1px solid #e6a5a5; border-radius: 4px; padding: 0.5em 0.7em; }
            .output.error .ename { font-weight: bold; color: #8b1a1a; }
            .output table { border-collapse: collapse; font-size: 13px; }
            .output th, .output td { border: 1px solid #d0d4da; padding: 0.15em 0.5em; text-align: left;
                vertical-align: top; max-width: 40em; overflow-wrap: break-word; }
            .output thead th { background: #eef1f5; }
            .output caption { caption-side: top; text-align: left; color: #555; padding: 0.2em 0; }
            .output img { max-width: 100%; }
            """;
}
