package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.progress.ProgressDefaults;

/**
 * Live progress bars in notebook cells ({@link NotebookProgress}): a cell that makes a long work request ends with
 * exactly one progress output, in its final state (done = total, elapsed seconds), updated in place rather than
 * appended; a batch shows samples done of the batch; a cached request shows none.
 */
class NotebookProgressTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static JsonNode executed;
    static Path capture;
    static List<Path> samples;

    @BeforeAll
    static void run() throws Exception {
        Path shared = CaseStudyRuns.shared();
        capture = shared.resolve("data/pcap/speedup_computer.pcap");
        try (Stream<Path> s = Files.list(shared.resolve("data/samples/pe/good"))) {
            samples = s.sorted().toList();
        }
        ObjectNode nb = JSON.createObjectNode();
        nb.put("nbformat", 4);
        nb.put("nbformat_minor", 5);
        ArrayNode cells = nb.putArray("cells");
        code(cells, "open", "Workbench wb = Workbench.open(Path.of(\"" + tmp.resolve("home") + "\"));\n"
                + "String md5 = wb.storeSample(Path.of(\"" + capture + "\"), \"pcap\");");
        code(cells, "analyze", "wb.workRequest(\"view_pcap_details\", md5).size()");
        code(cells, "cached", "wb.workRequest(\"pcap_zeek\", md5).size()");
        code(cells, "batch", "List<String> md5s = new ArrayList<>();\n"
                + "try (var s = Files.list(Path.of(\"" + samples.get(0).getParent() + "\"))) {\n"
                + "    for (Path f : s.sorted().toList()) { md5s.add(wb.storeSample(f, \"exe\")); }\n"
                + "}\n"
                + "wb.batchWorkRequest(\"meta_deep\", md5s).collect(Collectors.toList()).size()");
        NotebookProgress.install();
        try (JavaEvaluator evaluator = new JavaEvaluator()) {
            NotebookRunner.Report r = new NotebookRunner(evaluator, null, false).run(nb);
            assertTrue(r.ok(), "cells ran: " + r.failures());
        }
        executed = nb;
    }

    @AfterAll
    static void uninstall() {
        ProgressDefaults.setFactory(null);
    }

    static void code(ArrayNode cells, String id, String src) {
        ObjectNode c = cells.addObject();
        c.put("cell_type", "code");
        c.put("id", id);
        c.putObject("metadata");
        c.put("source", src);
        c.putArray("outputs");
    }

    static List<JsonNode> progressOutputs(String id) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : executed.get("cells")) {
            if (c.get("id").asText().equals(id)) {
                for (JsonNode o : c.get("outputs")) {
                    if (o.path("data").path("text/html").asText().contains("class=\"workbench-progress\"")) {
                        out.add(o);
                    }
                }
            }
        }
        return out;
    }

    static String attr(String html, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), name + " in " + html);
        return m.group(1);
    }

    @Test
    void longRequestEndsWithOneFinishedBar() throws Exception {
        List<JsonNode> bars = progressOutputs("analyze");
        assertEquals(1, bars.size(), "exactly one progress output: " + bars);
        JsonNode bar = bars.get(0);
        assertEquals("display_data", bar.get("output_type").asText());
        String html = bar.at("/data/text~1html").asText();
        long size = Files.size(capture);
        assertEquals("true", attr(html, "data-finished"), html);
        assertEquals("false", attr(html, "data-failed"));
        assertEquals(String.valueOf(size), attr(html, "data-done"), "bytes read = the capture's size");
        assertEquals(String.valueOf(size), attr(html, "data-total"));
        assertTrue(html.contains("<progress") && html.contains("value=\"" + size + "\""), html);
        String text = bar.at("/data/text~1plain").asText();
        assertTrue(text.matches("pcap_zeek speedup_computer\\.pcap: done, .* in \\d+\\.\\d s"), text);
        assertTrue(Double.parseDouble(attr(html, "data-elapsed")) > 0, "elapsed seconds");
    }

    @Test
    void cachedRequestShowsNoBar() {
        assertEquals(List.of(), progressOutputs("cached"));
    }

    @Test
    void batchShowsSamplesDoneOfTotal() {
        List<JsonNode> bars = progressOutputs("batch");
        assertEquals(1, bars.size(), "exactly one progress output: " + bars);
        String html = bars.get(0).at("/data/text~1html").asText();
        assertEquals(String.valueOf(samples.size()), attr(html, "data-total"));
        assertEquals(String.valueOf(samples.size()), attr(html, "data-done"));
        assertEquals("samples", attr(html, "data-unit"));
        assertEquals("true", attr(html, "data-finished"));
    }
}
