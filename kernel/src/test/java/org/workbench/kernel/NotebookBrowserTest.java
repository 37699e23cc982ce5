package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.workbench.kernel.CaseStudyRuns.HtmlTable;
import org.workbench.kernel.CaseStudyRuns.Run;

/**
 * Opens the HTML reports of the case studies ({@code notebook run --html}) in headless Chromium and checks what a
 * reader would see. Debian's {@code /usr/bin/chromium} is driven by playwright-core from
 * {@code kernel/src/test/browser} ({@code npm ci} there when its {@code node_modules} is missing; no browser is
 * ever downloaded) through {@code check-pages.mjs}, which gets one JSON spec with per-notebook expectations built
 * here from the executed notebooks' outputs and answers with what it found and what failed.
 *
 * <p>Checked per page: every table of the outputs is rendered with the caption and number of rows of the executed
 * notebook's output; one progress bar per progress output; plotly charts present as in the outputs, each with data
 * traces; no console error; no request leaving the page (only file:, data:, blob:, about:); a full-page
 * screenshot (saved as {@code kernel/target/notebook-html/NAME.png}) that is not blank. Specific expectations for
 * a notebook go into {@link #expectations(Run)} (see the keys documented in {@code check-pages.mjs}).
 */
class NotebookBrowserTest {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final List<String> NOTEBOOKS = List.of("PCAP_DriveBy", "PCAP_to_Dataframe", "PE_Static_Analysis",
            "PCAP_to_Graph");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path browserDir;
    static final Map<String, Run> runs = new LinkedHashMap<>();
    static JsonNode results;

    @BeforeAll
    static void renderAll() throws Exception {
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            fail("missing " + CHROMIUM + " (Debian package chromium; bin/setup installs it)");
        }
        browserDir = CaseStudyRuns.root().resolve("kernel/src/test/browser");
        npmCi();
        for (String name : NOTEBOOKS) {
            // PCAP_to_Graph is checked when the project has it
            if (!name.equals("PCAP_to_Graph") || Files.isRegularFile(CaseStudyRuns.root().resolve("notebooks/" + name + ".ipynb"))) {
                runs.put(name, CaseStudyRuns.run(name));
            }
        }
        ObjectNode spec = JSON.createObjectNode();
        spec.put("chromium", CHROMIUM);
        ArrayNode pages = spec.putArray("pages");
        for (Run r : runs.values()) {
            ObjectNode p = pages.addObject();
            p.put("name", r.name());
            p.put("html", r.html().toString());
            p.put("screenshot", screenshot(r).toString());
            p.set("expect", expectations(r));
        }
        Path specFile = CaseStudyRuns.outDir().resolve("browser-spec.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(specFile.toFile(), spec);
        long t0 = System.nanoTime();
        TsharkOracle.Result res = TsharkOracle.exec(List.of("node", "check-pages.mjs", specFile.toString()), Map.of(),
                browserDir, null, Duration.ofMinutes(5));
        System.out.printf("NotebookBrowserTest: Chromium checked %d pages in %.1f s%n", runs.size(),
                (System.nanoTime() - t0) / 1e9);
        assertEquals(0, res.code(), "check-pages.mjs failed:\n" + res.stdout() + res.stderr());
        results = JSON.readTree(res.stdout());
        Files.writeString(CaseStudyRuns.outDir().resolve("browser-results.json"), res.stdout());
    }

    /** {@code npm ci} in the browser folder when playwright-core is not installed there yet. */
    static void npmCi() throws Exception {
        if (Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))) {
            return;
        }
        TsharkOracle.Result r = TsharkOracle.exec(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), browserDir,
                null, Duration.ofMinutes(5));
        assertEquals(0, r.code(), "npm ci in " + browserDir + " failed (node and npm must be on the PATH):\n"
                + r.stdout() + r.stderr());
    }

    static Path screenshot(Run r) throws Exception {
        return CaseStudyRuns.outDir().resolve(r.name() + ".png");
    }

    /**
     * What the page must show, from the executed notebook: every table of the outputs (caption and rows: all rows
     * up to the renderer's limit, else its head, an ellipsis row and its tail), the progress bars, and at least as
     * many plotly charts as outputs that carry one. Add notebook-specific expectations here by name.
     */
    static ObjectNode expectations(Run r) {
        ObjectNode e = JSON.createObjectNode();
        ArrayNode tables = e.putArray("tables");
        int progress = 0;
        int charts = 0;
        for (JsonNode cell : r.nb().get("cells")) {
            for (JsonNode o : cell.path("outputs")) {
                String html = CaseStudyRuns.text(o.path("data").get("text/html"));
                if (html == null) {
                    continue;
                }
                for (HtmlTable t : HtmlTable.parseAll(html)) {
                    ObjectNode x = tables.addObject();
                    x.put("caption", t.caption());
                    int n = t.captionRows();
                    x.put("rows", n <= Renderers.MAX_HTML_ROWS ? n : Renderers.MAX_HTML_ROWS + 1);
                }
                if (html.contains("class=\"workbench-progress\"")) {
                    progress++;
                }
                if (html.contains("plotly-graph-div")) {
                    charts++;
                }
            }
        }
        e.putArray("selectors").addObject().put("selector", "div.workbench-progress").put("count", progress);
        e.putObject("plotly").put("min", charts);
        if (r.name().equals("PCAP_DriveBy")) {
            driveByExpectations(r.nb(), e);
        }
        return e;
    }

    /**
     * The walkthrough's pictures: the timeline chart holds one trace per kind (DNS lookups, file downloads) with as
     * many points as the timeline table has rows of that kind; the picture of the whole graph has as many nodes as
     * {@code pcap_graph} reported, the picture of the file paths one node per file plus the victim.
     */
    static void driveByExpectations(JsonNode nb, ObjectNode e) {
        DriveByNotebookTest.TextTable timeline = DriveByNotebookTest.TextTable.parse(
                CaseStudyRuns.text(DriveByNotebookTest.result(nb, "timeline").get("text/plain")));
        long dnsRows = timeline.column("_path").stream().filter("dns"::equals).count();
        long fileRows = timeline.column("_path").stream().filter("files"::equals).count();
        assertTrue(dnsRows > 0 && fileRows > 0, "the timeline has both kinds of rows");
        ObjectNode chart = e.putArray("plotlyTraces").addObject();
        chart.put("index", outputIndex(nb, "timeline_chart", "plotly-graph-div"));
        chart.put("traces", 2);
        chart.putArray("names").add("dns").add("file");
        chart.putArray("points").add(dnsRows).add(fileRows);

        ArrayNode graphs = e.putArray("graphs");
        int nodes = builtNodes(CaseStudyRuns.text(DriveByNotebookTest.result(nb, "graph_build").get("text/plain")));
        graphs.addObject().put("index", outputIndex(nb, "graph_all", "workbench-graph")).put("nodeCount", nodes);
        String paths = CaseStudyRuns.text(DriveByNotebookTest.result(nb, "graph_paths").get("text/plain"));
        DriveByNotebookTest.TextTable p = DriveByNotebookTest.TextTable.parse(paths.substring(0, paths.indexOf("\nGraph:")));
        graphs.addObject().put("index", outputIndex(nb, "graph_paths", "workbench-graph"))
                .put("nodeCount", new java.util.TreeSet<>(p.column("md5")).size() + 1);
    }

    /** The {@code "nodes"} count of a {@code pcap_graph} result shown as JSON text. */
    static int builtNodes(String text) {
        try {
            return JSON.readTree(text).get("nodes").asInt();
        } catch (java.io.IOException ex) {
            throw new AssertionError("pcap_graph result is not JSON: " + text, ex);
        }
    }

    /** Position, among all outputs whose HTML contains {@code marker}, of the first such output of the tagged cell. */
    static int outputIndex(JsonNode nb, String tag, String marker) {
        int index = 0;
        for (JsonNode cell : nb.get("cells")) {
            boolean tagged = false;
            for (JsonNode t : cell.path("metadata").path("tags")) {
                tagged |= t.asText().equals(tag);
            }
            for (JsonNode o : cell.path("outputs")) {
                String html = CaseStudyRuns.text(o.path("data").get("text/html"));
                if (html != null && html.contains(marker)) {
                    if (tagged) {
                        return index;
                    }
                    index++;
                }
            }
        }
        throw new AssertionError("no output containing " + marker + " in the cell tagged " + tag);
    }

    static JsonNode page(String name) {
        for (JsonNode p : results.get("pages")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no result for page " + name + ": " + results);
    }

    @Test
    void everyPageRendersItsOutputsWithoutErrorsOrRequests() {
        List<String> problems = new ArrayList<>();
        for (String name : runs.keySet()) {
            JsonNode p = page(name);
            p.get("failures").forEach(f -> problems.add(name + ": " + f.asText()));
            assertTrue(p.at("/facts/tables").size() > 0, name + ": tables rendered");
        }
        assertEquals(List.of(), problems, "browser checks");
    }

    @Test
    void screenshotsAreNotBlank() throws Exception {
        for (Run r : runs.values()) {
            BufferedImage img = ImageIO.read(screenshot(r).toFile());
            assertTrue(img != null, "a PNG screenshot of " + r.name());
            double height = page(r.name()).at("/facts/height").asDouble();
            assertTrue(img.getHeight() >= Math.min(height, 16384) - 2, r.name() + ": full-page screenshot "
                    + img.getHeight() + " px for a page of " + height + " px");
            // luminance variance and the share of non-background pixels, sampled on a grid
            double sum = 0;
            double sq = 0;
            long n = 0;
            long ink = 0;
            int step = 3;
            for (int y = 0; y < img.getHeight(); y += step) {
                for (int x = 0; x < img.getWidth(); x += step) {
                    int rgb = img.getRGB(x, y);
                    double l = 0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff);
                    sum += l;
                    sq += l * l;
                    n++;
                    if (l < 200) {
                        ink++;
                    }
                }
            }
            double mean = sum / n;
            double variance = sq / n - mean * mean;
            System.out.printf("NotebookBrowserTest: %s screenshot %dx%d, luminance variance %.0f, ink %.1f%%%n",
                    r.name(), img.getWidth(), img.getHeight(), variance, 100.0 * ink / n);
            assertTrue(variance > 100, r.name() + ": screenshot is blank (luminance variance " + variance + ")");
            assertTrue(ink > n / 100, r.name() + ": screenshot has almost no text (" + ink + " of " + n + ")");
        }
    }

    @Test
    void pagesAreSelfContained() throws Exception {
        for (Run r : runs.values()) {
            String html = Files.readString(r.html());
            assertEquals(List.of(), NotebookHtmlTest.externalReferences(html), r.name() + ": external references");
        }
    }
}
