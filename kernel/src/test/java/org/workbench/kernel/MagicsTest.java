package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Magics run by the in-process evaluator (the same code path the kernel and the headless runner use). */
class MagicsTest {
    static JavaEvaluator ev;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        ev = new JavaEvaluator();
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    static JavaEvaluatorTest.Capture out;

    static CellResult run(String code) {
        out = new JavaEvaluatorTest.Capture();
        return ev.execute(code, "m", out);
    }

    static CellError error(String code) {
        CellResult r = run(code);
        assertFalse(r.ok(), "expected an error from: " + code);
        return r.error().get();
    }

    static String value(String code) {
        CellResult r = run(code);
        assertTrue(r.ok(), () -> "cell failed: " + r.error());
        return r.value().orElseThrow(() -> new AssertionError("no value")).plainText();
    }

    @Test
    void shellCellStreamsOutputAndFailsOnNonZeroExit() {
        CellResult r = run("%%shell\necho one\necho two >&2\nfor i in 1 2 3; do echo n$i; done");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertEquals("one\nn1\nn2\nn3\n", out.out.toString());
        assertEquals("two\n", out.err.toString());
        CellError e = error("%%shell\necho partial\nexit 3");
        assertEquals("ShellError", e.ename());
        assertTrue(e.evalue().contains("status 3"), e.evalue());
        assertEquals("partial\n", out.out.toString());
        assertEquals("2", value("1 + 1"), "Java cells still run");
    }

    @Test
    void loadRunsAJavaFile() throws IOException {
        Path f = tmp.resolve("helpers.java");
        Files.writeString(f, "package ignored.here;\nint triple(int x) {\n    return 3 * x;\n}\nString loadedName = \"helpers\";\n");
        CellResult r = run("%load " + f + "\ntriple(14)");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertEquals("42", r.value().get().plainText());
        assertEquals("helpers", value("loadedName"));
        CellError e = error("%load " + tmp.resolve("missing.java"));
        assertEquals("MagicError", e.ename());
        assertTrue(e.evalue().contains("file not found") && e.evalue().contains("missing.java"), e.evalue());
    }

    @Test
    void classpathAddsJarsByGlob() throws Exception {
        Path libs = Files.createDirectories(tmp.resolve("cp-libs"));
        jar(libs.resolve("greeter.jar"), Map.of("cpt.Greeter",
                "package cpt; public class Greeter { public static String hi(String n) { return \"hi \" + n; } }"));
        CellError missing = error("cpt.Greeter.hi(\"x\")");
        assertEquals(CellError.COMPILE_ERROR, missing.ename());
        CellResult r = run("%classpath " + libs + "/*.jar\n");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertTrue(out.out.toString().contains("greeter.jar"), out.out.toString());
        assertEquals("hi analyst", value("cpt.Greeter.hi(\"analyst\")"));
        CellError none = error("%classpath " + libs + "/*.zip");
        assertEquals("MagicError", none.ename());
        assertTrue(none.evalue().contains("matches no file"), none.evalue());
    }

    @Test
    void lineMagicsKeepCellLineNumbers() {
        CellError e = error("int m1 = 1;\n%classpath " + tmp + "\nint m2 = m1;\nint m3 = m2 / (m1 - 1);");
        assertEquals("java.lang.ArithmeticException", e.ename());
        assertTrue(String.join("\n", e.traceback()).contains("<-- line 4"), e.traceback().toString());
        CellError c = error("int c1 = 1;\n%timeit -n 1 -r 1 c1 + 1\nString c2 = c1;");
        assertEquals(CellError.COMPILE_ERROR, c.ename());
        assertTrue(c.evalue().endsWith("(line 3)"), c.evalue());
        CellError unknown = error("int u = 1;\n%frobnicate now");
        assertEquals("MagicError", unknown.ename());
        assertTrue(unknown.evalue().contains("%frobnicate"), unknown.evalue());
        assertTrue(String.join("\n", unknown.traceback()).contains("<-- line 2"), unknown.traceback().toString());
    }

    static final Pattern TIMEIT = Pattern.compile("[0-9.]+ (ns|µs|ms|s) ± [0-9.]+ (ns|µs|ms|s) per loop "
            + "\\(mean ± std\\. dev\\. of (\\d+) runs?, (\\d+) loops? each\\), best [0-9.]+ (ns|µs|ms|s)\n");

    @Test
    void timeitRepeatsAndReportsMeanStdAndBest() {
        assertTrue(run("int ticks = 0;").ok());
        CellResult r = run("%timeit -n 10 -r 3 ticks++");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        var m = TIMEIT.matcher(out.out.toString());
        assertTrue(m.matches(), out.out.toString());
        assertEquals("3", m.group(3));
        assertEquals("10", m.group(4));
        assertEquals("30", value("ticks"), "10 loops x 3 runs");
        CellResult cell = run("%%timeit -n 5 -r 2\nint local = ticks;\nticks = local + 1;");
        assertTrue(cell.ok(), () -> String.valueOf(cell.error()));
        assertTrue(TIMEIT.matcher(out.out.toString()).matches(), out.out.toString());
        assertEquals("40", value("ticks"));
        // automatic loop count: a run lasts at least 0.2 s
        CellResult auto = run("%timeit Math.sqrt(ticks)");
        assertTrue(auto.ok(), () -> String.valueOf(auto.error()));
        var a = TIMEIT.matcher(out.out.toString());
        assertTrue(a.matches(), out.out.toString());
        assertTrue(Integer.parseInt(a.group(4)) >= 1000, "cheap code loops many times: " + out.out);
        // a constant expression the JIT could drop: the automatic loop count still ends, and times stay positive
        CellResult constant = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(120), () -> run("%timeit 1 + 1"));
        assertTrue(constant.ok(), () -> String.valueOf(constant.error()));
        var c = TIMEIT.matcher(out.out.toString());
        assertTrue(c.matches(), out.out.toString());
        assertTrue(Integer.parseInt(c.group(4)) <= TimeIt.MAX_LOOPS, out.out.toString());
        CellError bad = error("%timeit -n x 1");
        assertEquals("MagicError", bad.ename());
    }

    @Test
    void timeFormatting() {
        assertEquals("1.50 s", TimeIt.format(1.5));
        assertEquals("12.3 ms", TimeIt.format(0.01234));
        assertEquals("123 µs", TimeIt.format(0.0001234));
        assertEquals("5.00 ns", TimeIt.format(5e-9));
    }

    /** A file:// Maven repository with org.example.wbtest:alpha:1.0 depending on beta:1.0. */
    static Path mavenRepo() throws Exception {
        Path repo = tmp.resolve("m2-remote");
        if (Files.exists(repo)) {
            return repo;
        }
        Path beta = Files.createDirectories(repo.resolve("org/example/wbtest/beta/1.0"));
        jar(beta.resolve("beta-1.0.jar"), Map.of("wbtest.beta.Beta",
                "package wbtest.beta; public class Beta { public static int base() { return 40; } }"));
        Files.writeString(beta.resolve("beta-1.0.pom"), pom("beta", ""));
        Path alpha = Files.createDirectories(repo.resolve("org/example/wbtest/alpha/1.0"));
        Path betaJar = beta.resolve("beta-1.0.jar");
        jar(alpha.resolve("alpha-1.0.jar"), Map.of("wbtest.alpha.Alpha",
                "package wbtest.alpha; public class Alpha { public static int answer() { return wbtest.beta.Beta.base() + 2; } }"),
                betaJar);
        Files.writeString(alpha.resolve("alpha-1.0.pom"), pom("alpha",
                "<dependencies><dependency><groupId>org.example.wbtest</groupId><artifactId>beta</artifactId>"
                        + "<version>1.0</version></dependency></dependencies>"));
        return repo;
    }

    static String pom(String artifact, String deps) {
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.example.wbtest</groupId><artifactId>" + artifact + "</artifactId><version>1.0</version>"
                + deps + "</project>\n";
    }

    @Test
    void mavenResolvesAnArtifactWithItsDependencies() throws Exception {
        Path repo = mavenRepo();
        Path local = tmp.resolve("m2-local");
        ev.mavenResolver(new MavenResolver(local, List.of(repo.toUri().toString())));
        CellResult r = run("%maven org.example.wbtest:alpha:1.0");
        assertTrue(r.ok(), () -> String.valueOf(r.error()));
        assertTrue(out.out.toString().contains("org.example.wbtest:alpha:1.0 (2 jars)"), out.out.toString());
        assertEquals("42", value("wbtest.alpha.Alpha.answer()"));
        assertTrue(Files.isRegularFile(local.resolve("org/example/wbtest/beta/1.0/beta-1.0.jar")),
                "dependency cached in the local repository");

        CellError missing = error("%maven org.example.wbtest:gamma:9.9");
        assertEquals("MagicError", missing.ename());
        assertTrue(missing.evalue().contains("org.example.wbtest:gamma:9.9")
                && missing.evalue().contains("does not exist"), missing.evalue());

        CellError malformed = error("%maven not-a-coordinate");
        assertTrue(malformed.evalue().contains("is not a Maven coordinate"), malformed.evalue());
    }

    @Test
    void mavenOfflineErrorSaysTheRepositoryCannotBeReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MavenResolver offline = new MavenResolver(tmp.resolve("m2-offline"), List.of("http://127.0.0.1:" + port + "/maven2/"));
        try (JavaEvaluator own = new JavaEvaluator()) {
            own.mavenResolver(offline);
            CellResult r = own.execute("%maven org.example.wbtest:alpha:1.0", "o", CellOutput.DISCARD);
            assertFalse(r.ok());
            String msg = r.error().get().evalue();
            assertTrue(msg.contains("could not be reached (offline?") && msg.contains("127.0.0.1:" + port), msg);
        }
    }

    @Test
    void magicsRunInTheHeadlessNotebookRunner() throws Exception {
        Path nb = tmp.resolve("magics.ipynb");
        Files.writeString(nb, """
                {"cells": [
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                   "source": "%%shell\\necho from-bash"},
                  {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
                   "source": "int k = 2;\\n%timeit -n 2 -r 2 k * 2\\nk + 40"}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        Path outNb = tmp.resolve("magics.out.ipynb");
        try (JavaEvaluator own = new JavaEvaluator()) {
            new NotebookRunner(own, null, false).run(nb, outNb);
        }
        JsonNode cells = new ObjectMapper().readTree(outNb.toFile()).get("cells");
        assertEquals("from-bash\n", JupyterKernelTest.text(cells.get(0).get("outputs").get(0).get("text")));
        List<Map<String, String>> outs = JupyterKernelTest.outputs(new ObjectMapper().readTree(outNb.toFile()));
        assertEquals("42", outs.get(1).get("execute_result text/plain"));
        assertTrue(TIMEIT.matcher(outs.get(1).get("stream stdout")).matches(), outs.get(1).toString());
    }

    /** Compiles sources (class name to code) into a jar. */
    static void jar(Path jar, Map<String, String> sources, Path... classpath) throws Exception {
        Path src = Files.createTempDirectory(tmp, "src");
        Path classes = Files.createTempDirectory(tmp, "classes");
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        if (classpath.length > 0) {
            args.add("-cp");
            args.add(classpath[0].toString());
        }
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            args.add(f.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "test jar compiles");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             var walk = Files.walk(classes)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, (OutputStream) out);
                out.closeEntry();
            }
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
