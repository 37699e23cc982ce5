package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook with two charts and a graph picture, run by {@link NotebookRunner} and exported with
 * Debian's {@code jupyter nbconvert --to html}: the page carries plotly.js and cytoscape.js once each
 * and keeps every chart div and the static SVG, so it draws offline. (Drawing itself is checked in a
 * browser by the browser tests.)
 */
class NbconvertExportTest {
    static final List<String> CELLS = List.of(
            "Table http = Table.create(\"http\", StringColumn.create(\"host\", \"a.example\", \"b.example\"),\n"
                    + "    LongColumn.create(\"response_body_len\", 100, 5000));\nCharts.bytesPerHost(http)",
            "display(Charts.bytesPerHost(http));\nMarkdown.of(\"**two** charts\")",
            "import org.workbench.graph.*;\n"
                    + "new Graph(List.of(new GraphNode(\"1\", List.of(\"host\"), Map.of(\"name\", \"192.168.1.2\")),\n"
                    + "    new GraphNode(\"2\", List.of(\"domain\"), Map.of(\"name\", \"kitchenboss.com.au\"))),\n"
                    + "  List.of(new GraphRelationship(\"r1\", \"DNS_QUERY\", \"1\", \"2\", Map.of())))");

    @Test
    void exportedPageCarriesEachLibraryOnceAndEveryPicture(@TempDir Path dir) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode nb = m.createObjectNode();
        nb.put("nbformat", 4).put("nbformat_minor", 5);
        nb.putObject("metadata");
        ArrayNode cells = nb.putArray("cells");
        for (String c : CELLS) {
            ObjectNode cell = cells.addObject();
            cell.put("cell_type", "code").put("source", c).putNull("execution_count");
            cell.putObject("metadata");
            cell.putArray("outputs");
        }
        Path in = dir.resolve("tiny.ipynb");
        Path out = dir.resolve("tiny.out.ipynb");
        m.writeValue(in.toFile(), nb);
        try (JavaEvaluator ev = new JavaEvaluator()) {
            NotebookRunner.Report report = new NotebookRunner(ev, Duration.ofMinutes(2), false).run(in, out);
            assertTrue(report.ok(), report.toString());
        }
        String nbconvert = "/usr/bin/jupyter-nbconvert";
        assertTrue(Files.isExecutable(Path.of(nbconvert)), nbconvert + " is missing: apt-get install jupyter-nbconvert");
        Process p = new ProcessBuilder(nbconvert, "--to", "html", out.toString(), "--output", "tiny")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nbconvert did not finish");
        assertEquals(0, p.exitValue(), log);
        String html = Files.readString(dir.resolve("tiny.html"));
        assertEquals(1, RenderersTest.count(html, "plotly.js v2.35.3"), "plotly.js inlined once");
        assertEquals(1, RenderersTest.count(html, "data-workbench-library=\"cytoscape\""), "cytoscape inlined once");
        assertEquals(2, RenderersTest.count(html, "class=\"plotly-graph-div workbench-chart\""), "both charts");
        assertEquals(1, RenderersTest.count(html, "class=\"workbench-graph\" data-node-count=\"2\""), "static SVG");
        assertEquals(1, RenderersTest.count(html, "class=\"workbench-graph-interactive\" data-node-count=\"2\""));
        assertEquals(2, RenderersTest.count(html, "class=\"wb-node\""));
        assertTrue(html.indexOf("plotly.js v2.35.3") < html.indexOf("plotly-graph-div workbench-chart"));
        assertTrue(html.contains("<strong>two</strong> charts"), "Markdown output kept");
    }
}
