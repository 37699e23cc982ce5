package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.kernel.KernelSpecInstaller;

class MainTest {
    /** Runs Main, returning exit code and captured stderr. */
    static String[] run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.run(args);
            return new String[] {String.valueOf(rc), err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
    }

    @Test
    void kernelInstallWritesAKernelspec(@TempDir Path dir) throws Exception {
        String[] r = run("kernel", "install", "--prefix", dir.toString(), "--name", "wb-test", "--jvm-option=-Xmx1g",
                "--no-cds");
        assertEquals("0", r[0], r[1]);
        Path json = dir.resolve("share/jupyter/kernels/wb-test/kernel.json");
        JsonNode spec = new ObjectMapper().readTree(json.toFile());
        assertEquals("Java (Workbench)", spec.get("display_name").asText());
        assertEquals("java", spec.get("language").asText());
        assertEquals("message", spec.get("interrupt_mode").asText());
        JsonNode argv = spec.get("argv");
        assertTrue(argv.get(0).asText().endsWith("/bin/java"), argv.toString());
        assertEquals("-Xmx1g", argv.get(1).asText());
        assertEquals("-cp", argv.get(2).asText());
        String cp = argv.get(3).asText();
        for (String e : cp.split(":")) {
            assertTrue(Path.of(e).isAbsolute(), e);
        }
        assertTrue(cp.contains("picocli-"), cp);
        assertEquals("org.workbench.kernel.KernelMain", argv.get(4).asText());
        assertEquals("{connection_file}", argv.get(5).asText());
    }

    @Test
    void userDataDirFollowsJupyterRules() {
        Path probed = Path.of("/probed/jupyter");
        assertEquals(Path.of("/x/data"), KernelSpecInstaller.userDataDir(Map.of("JUPYTER_DATA_DIR", "/x/data"),
                () -> Optional.of(probed)));
        assertEquals(probed, KernelSpecInstaller.userDataDir(Map.of("HOME", "/h"), () -> Optional.of(probed)));
        assertEquals(Path.of("/xdg/jupyter"), KernelSpecInstaller.userDataDir(Map.of("XDG_DATA_HOME", "/xdg"),
                Optional::empty));
        assertEquals(Path.of("/h/.local/share/jupyter"), KernelSpecInstaller.userDataDir(Map.of("HOME", "/h"),
                Optional::empty));
    }

    @Test
    void errorsAreOneLineWithoutStackTrace(@TempDir Path dir) {
        String[] r = run("notebook", "run", dir.resolve("missing.ipynb").toString());
        assertEquals("1", r[0]);
        assertEquals("workbench: notebook not found: " + dir.resolve("missing.ipynb") + "\n", r[1]);

        r = run("kernel", "install", "--prefix", dir.toString(), "--name", "bad name");
        assertEquals("1", r[0]);
        assertFalse(r[1].contains("\tat "), r[1]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);

        r = run("kernel", "install", "--prefix", dir.toString(), "--name", "bad name", "--debug");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("\tat "), "--debug prints the trace: " + r[1]);

        r = run("notebook", "frobnicate");
        assertEquals("2", r[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].startsWith("workbench: "), r[1]);
    }

    @Test
    void notebookRunExitsNonZeroOnAFailingCell(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("f.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": "throw new IllegalStateException(\\"nope\\");"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
                """);
        String[] r = run("notebook", "run", nb.toString(), "-o", dir.resolve("o.ipynb").toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("java.lang.IllegalStateException: nope"), r[1]);
        assertTrue(Files.exists(dir.resolve("o.ipynb")));
    }

    @Test
    void allowErrorsRunsOnAndSucceedsWithTheErrorsInTheNotebook(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("f.ipynb");
        Files.writeString(nb, """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": "throw new IllegalStateException(\\"nope\\");"},
                           {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": "40 + 2"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
                """);
        String[] r = run("notebook", "run", nb.toString(), "-o", dir.resolve("o.ipynb").toString(), "--allow-errors");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("IllegalStateException: nope"), "the failure is reported: " + r[1]);
        String out = Files.readString(dir.resolve("o.ipynb"));
        assertTrue(out.contains("\"42\"") && out.contains("\"ename\""), "both cells ran: " + out);
    }

    @Test
    void htmlBesideTheNotebookNeverReplacesTheNotebook(@TempDir Path dir) throws Exception {
        Path nb = dir.resolve("n.ipynb");
        String source = """
                {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                            "source": "1 + 1"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
                """;
        Files.writeString(nb, source);
        String[] r = run("notebook", "run", nb.toString(), "--html", dir.resolve("n.html").toString());
        assertEquals("0", r[0], r[1]);
        assertEquals(source, Files.readString(nb), "the notebook that ran is untouched");
        assertTrue(Files.readString(dir.resolve("n.out.ipynb")).contains("\"2\""), "the executed copy");
        assertTrue(Files.isRegularFile(dir.resolve("n.html")));

        r = run("notebook", "run", nb.toString(), "--html", dir.toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("is a directory"), r[1]);
    }
}
