package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotebookRunnerTest {
    /** A small notebook: markdown, output + value, table, failing cell, a cell after it. */
    static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": ["int a = 2;\\n", "System.out.println(\\"hello\\");\\n", "System.out.println(\\"again\\");\\n", "a * 21"]},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "Table t = Table.create(\\"t\\", IntColumn.create(\\"n\\", 1, 2));\\nt"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "stale"}],
               "source": "int ok = 1;\\nint x = ok / 0;"},
              {"cell_type": "code", "execution_count": 9, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": "stale"}],
               "source": "a"}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """;

    @Test
    void runsCellsAndStopsAtTheFirstError(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("small.ipynb");
        Files.writeString(in, NOTEBOOK);
        Path out = NotebookRunner.defaultOutput(in);
        assertEquals(dir.resolve("small.out.ipynb"), out);
        NotebookRunner.Report report;
        try (JavaEvaluator ev = new JavaEvaluator()) {
            report = new NotebookRunner(ev, Duration.ofSeconds(60), false).run(in, out);
        }
        assertEquals(3, report.executedCells());
        assertEquals(1, report.failures().size());
        assertEquals(3, report.failures().get(0).cellIndex());

        JsonNode nb = new ObjectMapper().readTree(out.toFile());
        assertEquals(4, nb.get("nbformat").asInt());
        assertEquals("java", nb.at("/metadata/language_info/name").asText());
        assertEquals("workbench-java", nb.at("/metadata/kernelspec/name").asText());
        JsonNode cells = nb.get("cells");
        assertEquals("# Title", cells.get(0).get("source").get(0).asText());
        assertTrue(cells.get(0).has("id"), "nbformat 4.5 cells get ids");

        JsonNode c1 = cells.get(1);
        assertEquals(1, c1.get("execution_count").asInt());
        JsonNode o = c1.get("outputs");
        assertEquals(2, o.size(), o.toString());
        assertEquals("stream", o.get(0).get("output_type").asText());
        assertEquals("stdout", o.get(0).get("name").asText());
        assertEquals("hello\nagain\n", o.get(0).get("text").asText());
        assertEquals("execute_result", o.get(1).get("output_type").asText());
        assertEquals(1, o.get(1).get("execution_count").asInt());
        assertEquals("42", o.get(1).at("/data/text~1plain").asText());

        JsonNode table = cells.get(2).get("outputs").get(0);
        assertTrue(table.at("/data/text~1html").asText().contains("<td>2</td>"));
        assertTrue(table.at("/data/text~1plain").asText().contains("n"));

        JsonNode err = cells.get(3).get("outputs");
        assertEquals(1, err.size(), "stale outputs replaced: " + err);
        assertEquals("error", err.get(0).get("output_type").asText());
        assertEquals("java.lang.ArithmeticException", err.get(0).get("ename").asText());
        assertEquals("/ by zero", err.get(0).get("evalue").asText());
        assertTrue(err.get(0).get("traceback").toString().contains("<-- line 2"), err.toString());

        JsonNode after = cells.get(4);
        assertTrue(after.get("execution_count").isNull());
        assertEquals(0, after.get("outputs").size());
    }

    @Test
    void allowErrorsRunsEveryCell(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("small.ipynb");
        Files.writeString(in, NOTEBOOK);
        Path out = dir.resolve("x.ipynb");
        try (JavaEvaluator ev = new JavaEvaluator()) {
            NotebookRunner.Report r = new NotebookRunner(ev, null, true).run(in, out);
            assertFalse(r.ok());
            assertEquals(4, r.executedCells());
        }
        JsonNode last = new ObjectMapper().readTree(out.toFile()).get("cells").get(4);
        assertEquals("2", last.at("/outputs/0/data/text~1plain").asText());
    }

    @Test
    void timeoutInterruptsACell(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("loop.ipynb");
        Files.writeString(in, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": "while (true) {}"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
                """);
        try (JavaEvaluator ev = new JavaEvaluator()) {
            NotebookRunner.Report r = new NotebookRunner(ev, Duration.ofSeconds(2), false).run(in, dir.resolve("o.ipynb"));
            CellError e = r.failures().get(0).error();
            assertEquals("Interrupted", e.ename());
            assertTrue(e.evalue().contains("timed out after 2 s"), e.evalue());
        }
    }

    @Test
    void rejectsFilesThatAreNotNotebooks(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("bad.ipynb");
        Files.writeString(in, "{\"nbformat\": 3}");
        try (JavaEvaluator ev = new JavaEvaluator()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new NotebookRunner(ev, null, false).run(in, dir.resolve("o.ipynb")));
            assertTrue(e.getMessage().contains("not an nbformat 4 notebook"), e.getMessage());
            Path empty = Files.createFile(dir.resolve("empty.ipynb"));
            e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new NotebookRunner(ev, null, false).run(empty, dir.resolve("o.ipynb")));
            assertEquals(empty + " is empty (0 bytes), not a notebook", e.getMessage());
        }
    }
}
