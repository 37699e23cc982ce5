package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.cli.Main;

/**
 * Drives the kernel through real Jupyter: Debian's python3-jupyter-client and jupyter-nbconvert.
 * Fails (never skips) when those tools are missing.
 */
class JupyterKernelTest {
    static final String PYTHON = "/usr/bin/python3";
    static final String NBCONVERT = "/usr/bin/jupyter-nbconvert";
    static final String KERNEL = "workbench-java-test";

    @TempDir
    static Path home;

    @BeforeAll
    static void installKernelspec() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail("missing tool: " + PYTHON + " (Debian package python3) is needed for the Jupyter tests");
        }
        Result r = exec(List.of(PYTHON, "-c", "import jupyter_client, nbformat"), 60);
        if (r.code != 0) {
            fail("missing tool: python3 modules jupyter_client/nbformat (Debian packages python3-jupyter-client,"
                    + " python3-nbformat): " + r.output);
        }
        if (!Files.isExecutable(Path.of(NBCONVERT))) {
            fail("missing tool: " + NBCONVERT + " (Debian package jupyter-nbconvert)");
        }
        int rc = Main.run("kernel", "install", "--prefix", home.toString(), "--name", KERNEL);
        assertEquals(0, rc, "kernel install");
        assertTrue(Files.isRegularFile(home.resolve("share/jupyter/kernels/" + KERNEL + "/kernel.json")));
    }

    record Result(int code, String output) {
    }

    static Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (home != null) {
            Map<String, String> env = pb.environment();
            env.put("JUPYTER_PATH", home.resolve("share/jupyter").toString());
            env.put("JUPYTER_DATA_DIR", home.resolve("data").toString());
            env.put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
            env.put("JUPYTER_CONFIG_DIR", home.resolve("config").toString());
            env.put("JUPYTER_PLATFORM_DIRS", "1");
            pb.directory(home.toFile());
        }
        Process p = pb.start();
        InputStream in = p.getInputStream();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = in.readAllBytes();
            } catch (IOException e) {
                out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            fail(cmd + " did not finish in " + timeoutSeconds + " s; output:\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        reader.join(10000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }

    @Test
    void jupyterClientDrivesTheKernel() throws Exception {
        Path script = home.resolve("jupyter_kernel_check.py");
        try (InputStream s = JupyterKernelTest.class.getResourceAsStream("/jupyter_kernel_check.py")) {
            Files.write(script, s.readAllBytes());
        }
        Result r = exec(List.of(PYTHON, script.toString(), KERNEL), 300);
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("ALL OK"), r.output);
    }

    /**
     * kernel_info, complete (members, worker names), inspect (Javadoc), is_complete, history,
     * interrupts of an endless loop and of a long work request, restart closing the workbenches.
     */
    @Test
    void protocolRequests() throws Exception {
        String shared = System.getProperty("workbench.shared");
        if (shared == null || !Files.isDirectory(Path.of(shared, "data", "pcap"))) {
            fail("missing folder: " + shared + "/data/pcap (system property workbench.shared)");
        }
        Path capture = Path.of(shared, "data", "pcap", "kitchen_boss.pcap");
        Path script = home.resolve("jupyter_protocol_check.py");
        try (InputStream s = JupyterKernelTest.class.getResourceAsStream("/jupyter_protocol_check.py")) {
            Files.write(script, s.readAllBytes());
        }
        Path work = Files.createDirectories(home.resolve("protocol-work"));
        Result r = exec(List.of(PYTHON, script.toString(), KERNEL, capture.toString(), work.toString()), 600);
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("ALL OK"), r.output);
    }

    /** The installed kernelspec starts the JVM with the AppCDS archive made at install time, and it maps. */
    @Test
    void kernelspecUsesTheClassDataArchive() throws Exception {
        Path dir = home.resolve("share/jupyter/kernels/" + KERNEL);
        JsonNode argv = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile()).get("argv");
        List<String> cmd = new ArrayList<>();
        argv.forEach(a -> cmd.add(a.asText()));
        assertTrue(cmd.contains("-XX:SharedArchiveFile=" + dir.resolve(KernelSpecInstaller.CDS_ARCHIVE)), cmd.toString());
        assertTrue(Files.size(dir.resolve(KernelSpecInstaller.CDS_ARCHIVE)) > 1_000_000, "archive written");
        String cp = cmd.get(cmd.indexOf("-cp") + 1);
        for (String e : cp.split(java.io.File.pathSeparator)) {
            assertTrue(!Files.isDirectory(Path.of(e)), "CDS needs jars only, found directory " + e);
        }
        // same command, but -Xshare:on fails if the archive cannot be used, and class loading is logged
        cmd.set(cmd.size() - 1, KernelMain.CDS_TRAINING);
        cmd.add(1, "-Xshare:on");
        cmd.add(2, "-Xlog:class+load=info");
        Result r = exec(cmd, 300);
        assertEquals(0, r.code, r.output.lines().filter(l -> !l.contains("class,load")).toList().toString());
        assertTrue(r.output.contains("org.workbench.kernel.JavaEvaluator source: shared objects file (top)"),
                "kernel classes come from the dynamic archive");
        assertTrue(r.output.contains("com.sun.tools.javac.main.JavaCompiler source: shared objects file (top)"),
                "JShell's compiler classes come from the dynamic archive");
    }

    @Test
    void kernelExitsWhenItsParentDies() throws Exception {
        Path script = home.resolve("jupyter_orphan_check.py");
        try (InputStream s = JupyterKernelTest.class.getResourceAsStream("/jupyter_orphan_check.py")) {
            Files.write(script, s.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder(PYTHON, script.toString(), KERNEL).redirectErrorStream(true);
        pb.environment().put("JUPYTER_PATH", home.resolve("share/jupyter").toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", home.resolve("runtime").toString());
        Process parent = pb.start();
        long pid = -1;
        StringBuilder seen = new StringBuilder();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String line;
            while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("KERNEL_PID ")) {
                    pid = Long.parseLong(line.substring("KERNEL_PID ".length()).trim());
                    break;
                }
            }
            assertTrue(pid > 0, "kernel pid not reported: " + seen);
            ProcessHandle kernel = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("kernel not running"));
            assertTrue(kernel.isAlive());
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            try {
                kernel.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                kernel.destroyForcibly();
                fail("kernel " + pid + " still alive 30 s after its parent was killed");
            }
        } finally {
            parent.destroyForcibly();
        }
    }

    /**
     * Notebook with output, a value, a table, a map, a compile error, a runtime error and a refused
     * {@code System.exit} (the kernel must survive it: the last cell still runs).
     */
    static final String NOTEBOOK = """
            {"cells": [
              {"cell_type": "markdown", "metadata": {}, "source": "Compare nbconvert with the headless runner"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "int a = 2;\\nSystem.out.println(\\"hello\\");\\nSystem.err.println(\\"careful\\");\\na * 21"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "Table t = Table.create(\\"flows\\", StringColumn.create(\\"host\\", \\"a<b\\", \\"c\\"), IntColumn.create(\\"n\\", 1, 2));\\nt"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "Map<String, Integer> m = new TreeMap<>();\\nfor (int i = 0; i < 12; i++) m.put(\\"port\\" + i, i * 10);\\nm"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "System.out.println(\\"before\\");\\ndisplay(t.first(1));\\nm.size();"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "int k = 1;\\nString s = k;"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "List<Integer> xs = List.of(1, 2);\\nxs.get(5)"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "System.exit(0);"},
              {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
               "source": "a + 1"}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """;

    @Test
    void nbconvertMatchesTheHeadlessRunner() throws Exception {
        Path nb = home.resolve("compare.ipynb");
        Files.writeString(nb, NOTEBOOK);
        Result r = exec(List.of(NBCONVERT, "--to", "notebook", "--execute", "--allow-errors",
                "--ExecutePreprocessor.kernel_name=" + KERNEL, "--ExecutePreprocessor.timeout=120",
                "--output", "compare.nbconvert.ipynb", nb.toString()), 300);
        assertEquals(0, r.code, r.output);
        Path ours = home.resolve("compare.headless.ipynb");
        try (JavaEvaluator ev = new JavaEvaluator()) {
            new NotebookRunner(ev, null, true).run(nb, ours);
        }
        ObjectMapper json = new ObjectMapper();
        List<Map<String, String>> theirs = outputs(json.readTree(home.resolve("compare.nbconvert.ipynb").toFile()));
        List<Map<String, String>> mine = outputs(json.readTree(ours.toFile()));
        assertEquals(theirs, mine);
        // the comparison is only meaningful if the outputs are the interesting ones
        assertEquals("42", mine.get(1).get("execute_result text/plain"));
        assertEquals("hello\n", mine.get(1).get("stream stdout"));
        assertTrue(mine.get(2).get("execute_result text/html").contains("<td>a&lt;b</td>"), mine.get(2).toString());
        assertTrue(mine.get(3).get("execute_result text/plain").startsWith("{\n  \"port0\" : 0,"), mine.get(3).toString());
        assertEquals("before\n", mine.get(4).get("stream stdout"));
        assertTrue(mine.get(4).get("display_data text/html").contains("<td>a&lt;b</td>"), mine.get(4).toString());
        assertEquals(null, mine.get(4).get("execute_result text/plain"), "trailing semicolon: no result");
        assertEquals("CompileError", mine.get(5).get("error ename"));
        assertEquals("java.lang.IndexOutOfBoundsException", mine.get(6).get("error ename"));
        assertEquals(ExitGuard.ENAME, mine.get(7).get("error ename"));
        assertTrue(mine.get(7).get("error evalue").startsWith("System.exit(0) would end the kernel"), mine.get(7).toString());
        assertEquals("3", mine.get(8).get("execute_result text/plain"));
        // nbformat validation of our output by the reference implementation
        Result v = exec(List.of(PYTHON, "-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4))",
                ours.toString()), 60);
        assertEquals(0, v.code, "headless output is valid nbformat: " + v.output);
    }

    /** Per cell: stream text by name, execute_result text/plain and text/html, error fields. */
    static List<Map<String, String>> outputs(JsonNode nb) {
        List<Map<String, String>> cells = new ArrayList<>();
        for (JsonNode c : nb.get("cells")) {
            Map<String, String> m = new TreeMap<>();
            for (JsonNode o : c.path("outputs")) {
                String t = o.get("output_type").asText();
                switch (t) {
                    case "stream" -> m.merge("stream " + o.get("name").asText(), text(o.get("text")), String::concat);
                    case "execute_result", "display_data" -> {
                        for (String mime : List.of("text/plain", "text/html")) {
                            if (o.path("data").has(mime)) {
                                m.put(t + " " + mime, text(o.get("data").get(mime)));
                            }
                        }
                    }
                    case "error" -> {
                        m.put("error ename", o.get("ename").asText());
                        m.put("error evalue", o.get("evalue").asText());
                        m.put("error traceback", String.join("\n", lines(o.get("traceback"))));
                    }
                    default -> m.put("other", t);
                }
            }
            cells.add(m);
        }
        return cells;
    }

    static String text(JsonNode n) {
        return n.isArray() ? String.join("", lines(n)) : n.asText();
    }

    static List<String> lines(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.forEach(x -> l.add(x.asText()));
        return l;
    }
}
