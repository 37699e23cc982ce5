package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cells that would end the JVM ({@code System.exit}, {@code Runtime.halt}) are refused: by {@link ExitGuard}, in the
 * {@link JavaEvaluator} (which the Jupyter kernel uses; see also {@code JupyterKernelTest}'s notebook) and in a
 * headless {@code workbench notebook run} in a child JVM, where a call that got through would end the run with the
 * call's status and no notebook written.
 */
class ExitGuardTest {
    static JavaEvaluator ev;

    @BeforeAll
    static void start() {
        ev = new JavaEvaluator();
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    static String call(String code) {
        return ExitGuard.find(code).map(ExitGuard.Found::call).orElse(null);
    }

    @Test
    void findsDirectCallsWrittenAnyWay() {
        assertEquals("System.exit(3)", call("System.exit(3);"));
        assertEquals("java.lang.System.exit(0)", call("int a = 1;\njava.lang.System.exit(0);"));
        assertEquals("System.exit(a + 1)", call("System . exit (\n  a + 1 );"));
        assertEquals("System.exit(1)", call("System./* why */exit(1);"));
        assertEquals("Runtime.getRuntime().exit(2)", call("Runtime.getRuntime().exit(2);"));
        assertEquals("Runtime.getRuntime().halt(9)", call("if (x) { Runtime.getRuntime()\n    .halt(9); }"));
        assertEquals("java.lang.Runtime.getRuntime().halt(0)", call("java.lang.Runtime.getRuntime().halt(0)"));
        assertEquals("System::exit", call("IntConsumer c = System::exit;"));
        assertEquals("Runtime.getRuntime()::halt", call("IntConsumer c = Runtime.getRuntime()::halt;"));
        assertEquals("java.lang.System.exit", call("import static java.lang.System.exit;"));
        assertEquals("System.exit(Integer.parseInt(\"3\"))", call("System.exit(Integer.parseInt(\"3\"));"));
        String longArgs = call("System.exit(" + "x".repeat(100) + ");");
        assertEquals("System.exit(" + "x".repeat(ExitGuard.MAX_ARGS) + "...)", longArgs);
        // inside a method body: the method is refused as a whole
        assertEquals("System.exit(code)", call("void quit(int code) {\n    System.out.println(\"bye\");\n"
                + "    System.exit(code);\n}"));
        assertEquals(6, ExitGuard.find("int a;System.exit(1);").orElseThrow().offset());
        // a parenthesised receiver, and unicode escapes (the compiler translates them before anything else)
        assertTrue(call("(Runtime.getRuntime()).halt(3);").endsWith(".halt(3)"), call("(Runtime.getRuntime()).halt(3);"));
        assertEquals("System.exit(4)", call("System.\\u0065xit(4);"));
        assertEquals("System.exit(5)", call("System.\\uu0065xit(5);"));
        assertEquals("String s = \"\\\\u0065\";", ExitGuard.unicodeEscapesTranslated("String s = \"\\\\u0065\";"),
                "an escaped backslash starts no unicode escape");
    }

    @Test
    void ignoresCommentsLiteralsAndOtherMethods() {
        for (String code : List.of(
                "String s = \"System.exit(1)\";",
                "String s = \"say \\\"System.exit(1)\\\" twice\";",
                "// System.exit(1)\nint a = 1;",
                "/* Runtime.getRuntime().halt(0); */ int a = 1;",
                "String t = \"\"\"\n    System.exit(1);\n    \"\"\";",
                "char c = '\"'; String s = \"System.exit(1)\";",
                "char q = '\\''; int exit = 1;",
                "MySystem.exit(1);",
                "System.exitCode(1);",
                "System.out.println(\"exit\");",
                "Runtime.getRuntime().availableProcessors();",
                "int exit(int a) { return a; }\nexit(3);")) {
            assertEquals(Optional.empty(), ExitGuard.find(code), code);
        }
    }

    @Test
    void evaluatorRefusesTheSnippetAndKeepsRunning() {
        CellResult r = ev.execute("int before = 1;\nSystem.exit(3);\nint after = 2;", "1", CellOutput.DISCARD);
        CellError e = r.error().orElseThrow();
        assertEquals(ExitGuard.ENAME, e.ename());
        assertTrue(e.evalue().startsWith("System.exit(3) would end the kernel") && e.evalue().endsWith("(line 2)"),
                e.evalue());
        assertFalse(e.evalue().contains("\n"), "one line: " + e.evalue());
        assertTrue(e.traceback().contains("    2 | System.exit(3);"), e.traceback().toString());
        assertEquals(" ".repeat("    2 | ".length()) + "^", e.traceback().get(e.traceback().size() - 1),
                "a caret under the call: " + e.traceback());
        // the snippets before the refused one ran, the ones after did not
        assertEquals("1", value("before"));
        CellError after = ev.execute("after", "2", CellOutput.DISCARD).error().orElseThrow();
        assertEquals(CellError.COMPILE_ERROR, after.ename(), "after was not declared: " + after);
    }

    @Test
    void aMethodCallingExitIsNotDefined() {
        CellResult r = ev.execute("void quit(int code) {\n    System.exit(code);\n}", "3", CellOutput.DISCARD);
        CellError e = r.error().orElseThrow();
        assertEquals(ExitGuard.ENAME, e.ename());
        assertTrue(e.evalue().startsWith("System.exit(code) would end the kernel"), e.evalue());
        assertTrue(e.evalue().endsWith("(line 2)"), e.evalue());
        CellError undefined = ev.execute("quit(0)", "4", CellOutput.DISCARD).error().orElseThrow();
        assertEquals(CellError.COMPILE_ERROR, undefined.ename(), "quit was not declared: " + undefined);
    }

    @Test
    void textAboutExitRuns() {
        CellResult r = ev.execute("// System.exit(1) would end the kernel\n"
                + "String advice = \"never call System.exit(1) in a cell\";\nadvice.length()", "5", CellOutput.DISCARD);
        assertTrue(r.ok(), r.error().toString());
        assertEquals("35", r.value().orElseThrow().data().get("text/plain"));
    }

    @Test
    void magicsAreCheckedToo() {
        CellError e = ev.execute("%timeit -n 1 -r 1 Runtime.getRuntime().halt(0)", "6", CellOutput.DISCARD)
                .error().orElseThrow();
        assertEquals(ExitGuard.ENAME, e.ename(), e.toString());
    }

    private static String value(String expr) {
        CellResult r = ev.execute(expr, "v", CellOutput.DISCARD);
        assertTrue(r.ok(), expr + ": " + r.error());
        return r.value().orElseThrow().data().get("text/plain");
    }

    /** The same notebook in the headless runner, in-process: the cell fails, the run stops there. */
    @Test
    void notebookRunnerStopsAtTheRefusedCell(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("exit.ipynb");
        Files.writeString(in, NOTEBOOK);
        Path out = dir.resolve("exit.out.ipynb");
        NotebookRunner.Report report;
        try (JavaEvaluator own = new JavaEvaluator()) {
            report = new NotebookRunner(own, Duration.ofSeconds(60), false).run(in, out);
        }
        assertEquals(2, report.executedCells());
        assertEquals(1, report.failures().size());
        assertEquals(ExitGuard.ENAME, report.failures().get(0).error().ename());
        JsonNode cells = new ObjectMapper().readTree(out.toFile()).get("cells");
        assertEquals("before\n", cells.get(1).at("/outputs/0/text").asText(), "the snippet before the call ran");
        assertEquals("error", cells.get(1).at("/outputs/1/output_type").asText());
        assertTrue(cells.get(2).get("execution_count").isNull(), "the cell after it did not run");
    }

    static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "String note = \\"System.exit(1) is refused\\"; // System.exit(2)\\nnote"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "System.out.println(\\"before\\");\\nSystem.exit(3);"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "System.out.println(\\"after\\");"}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """;

    /**
     * {@code workbench notebook run NB --html OUT.html} in a child JVM: exit status 1 (a failed cell, not the 3 of
     * the call), both files written with the error; with {@code --allow-errors} status 0 and the last cell ran.
     */
    @Test
    void headlessRunFailsTheCellInsteadOfExiting(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("exit.ipynb");
        Files.writeString(in, NOTEBOOK);
        String cp = KernelSpecInstaller.currentClasspath().stream().map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Map<String, String> env = Map.of("WORKBENCH_HOME", dir.resolve("home").toString(), "WORKBENCH_NO_BUILD", "1");
        for (boolean allow : List.of(false, true)) {
            Path html = dir.resolve(allow ? "allow.html" : "stop.html");
            List<String> cmd = new java.util.ArrayList<>(List.of(KernelSpecInstaller.currentJava(), "-cp", cp,
                    "org.workbench.cli.Main", "notebook", "run", in.toString(), "--html", html.toString()));
            if (allow) {
                cmd.add("--allow-errors");
            }
            TsharkOracle.Result r = TsharkOracle.exec(cmd, env, dir, null, Duration.ofMinutes(3));
            String all = r.stdout() + r.stderr();
            assertEquals(allow ? 0 : 1, r.code(), all);
            assertTrue(all.contains("System.exit(3) would end the kernel"), "the error is reported: " + all);
            Path executed = dir.resolve(allow ? "allow.ipynb" : "stop.ipynb");
            assertTrue(Files.isRegularFile(html) && Files.isRegularFile(executed), "both files written: " + all);
            assertTrue(Files.readString(html).contains(ExitGuard.ENAME), "the page shows the error");
            JsonNode cells = new ObjectMapper().readTree(executed.toFile()).get("cells");
            assertEquals("System.exit(1) is refused", cells.get(0).at("/outputs/0/data/text~1plain").asText());
            assertEquals(ExitGuard.ENAME, cells.get(1).at("/outputs/1/ename").asText(), cells.get(1).toString());
            assertEquals(allow ? "after\n" : "", cells.get(2).at("/outputs/0/text").asText(), cells.get(2).toString());
        }
        // a call the check cannot see still ends the JVM, but not in silence
        Path hidden = dir.resolve("hidden.ipynb");
        Files.writeString(hidden, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
                 {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "execution_count": null,
                  "source": ["Runtime rt = Runtime.getRuntime();\\n", "rt.exit(6);"]}]}
                """);
        TsharkOracle.Result r = TsharkOracle.exec(List.of(KernelSpecInstaller.currentJava(), "-cp", cp,
                "org.workbench.cli.Main", "notebook", "run", hidden.toString()), env, dir, null, Duration.ofMinutes(3));
        assertEquals(6, r.code(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("workbench: a cell of " + hidden + " ended the process"), r.stderr());
    }
}
