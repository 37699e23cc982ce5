package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.graph.GraphConfig;
import org.workbench.graph.GraphLibrary;
import org.workbench.graph.GraphStore;

/**
 * The embedded graph database started from the graph-lib directory ({@code kernel/target/graph-lib}, written by
 * the build before the tests) in an isolating class loader, as the kernel and {@code bin/workbench} do: child JVMs
 * whose class path is this module's class path without the Neo4j server's jars. One opens the graph, writes and
 * reads, closes it and returns from {@code main}; one leaves it open (the watcher must stop it so the JVM ends);
 * the graph is then reopened here. Without a graph-lib directory the child gets the clear error.
 */
class GraphLibIsolationTest {
    static final long TIMEOUT_SECONDS = 180;

    @TempDir
    static Path tmp;

    static Path graphLib;
    static String childClassPath;

    @BeforeAll
    static void classPathWithoutServer() throws IOException {
        String root = System.getProperty("workbench.root");
        assertNotNull(root, "system property workbench.root is not set (surefire sets it to the project root)");
        graphLib = Path.of(root, "kernel", "target", GraphLibrary.DIRECTORY_NAME).toAbsolutePath().normalize();
        Set<String> serverJars;
        try (Stream<Path> s = Files.list(graphLib)) {
            serverJars = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError("missing graph-lib directory " + graphLib + " (mvn process-classes writes it)", e);
        }
        assertTrue(serverJars.size() > 100, "graph-lib holds the server and its dependencies: " + serverJars.size());
        assertTrue(serverJars.stream().anyMatch(n -> n.startsWith("neo4j-kernel-")), serverJars.toString());
        assertFalse(serverJars.stream().anyMatch(n -> n.startsWith("neo4j-java-driver")),
                "the driver stays on the class path, not in graph-lib: " + serverJars);
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (Path p : KernelSpecInstaller.currentClasspath()) {
            if (serverJars.contains(p.getFileName().toString())) {
                removed++;
            } else {
                kept.add(p.toString());
            }
        }
        assertTrue(removed > 100, "the test class path held the server's jars (scope provided): " + removed);
        // nothing left on the child's class path holds the server's API
        for (String e : kept) {
            if (e.endsWith(".jar")) {
                try (JarFile j = new JarFile(e)) {
                    assertEquals(null, j.getEntry("org/neo4j/dbms/api/DatabaseManagementServiceBuilder.class"), e);
                }
            } else {
                assertFalse(Files.exists(Path.of(e, "org/neo4j/dbms/api/DatabaseManagementServiceBuilder.class")), e);
            }
        }
        childClassPath = String.join(File.pathSeparator, kept);
    }

    @Test
    void embeddedGraphStartsFromGraphLibInAnIsolatingLoader() throws Exception {
        Path dir = tmp.resolve("graph");
        Result closed = child(List.of("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib), dir, "10.0.0.1", "close");
        assertEquals(0, closed.code, closed.output);
        assertTrue(closed.output.contains("server on class path: false"), closed.output);
        assertTrue(closed.output.contains("attached: false") && closed.output.contains("nodes 1"), closed.output);
        // the threads Neo4j starts itself (its job scheduler, Bolt) run with the isolating loader as their context
        // loader, so its service lookups from them find the graph-lib jars. Fork/join workers (the Cypher cache's)
        // are the exception: the JDK gives every ForkJoinWorkerThread the system class loader.
        assertTrue(closed.output.contains("neo4j thread neo4j.Scheduler loader: workbench-graph-lib"), closed.output);
        assertTrue(closed.output.contains("neo4j thread neo4j.BoltWorker loader: workbench-graph-lib"),
                closed.output);
        assertTrue(closed.output.contains("closed"), closed.output);

        Result left = child(List.of("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib), dir, "10.0.0.2", "leave");
        assertEquals(0, left.code, left.output);
        assertTrue(left.output.contains("nodes 2"), left.output);
        assertFalse(left.output.contains("closed"), left.output);

        // both runs stopped the database cleanly: reopened here (the server is on this JVM's class path)
        try (GraphStore g = GraphStore.open(GraphConfig.embedded(dir))) {
            assertEquals(2, g.nodeCount());
            assertEquals(List.of("10.0.0.1", "10.0.0.2"), g.query("MATCH (h:host) RETURN h.name AS ip ORDER BY ip")
                    .table().stringColumn("ip").asList());
            // while this JVM runs the database, another process attaches to it over Bolt instead of failing
            Result attached = child(List.of("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib), dir, "10.0.0.3",
                    "close");
            assertEquals(0, attached.code, attached.output);
            assertTrue(attached.output.contains("attached: true") && attached.output.contains("nodes 3"),
                    attached.output);
            assertEquals(3, g.nodeCount(), "the database here still runs after the other process closed its store");
        }
    }

    @Test
    void withoutGraphLibTheErrorSaysWhatToSet() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty-graph-lib"));
        Result r = child(List.of("-D" + GraphLibrary.LIB_PROPERTY + "=" + empty), tmp.resolve("no-graph"), "10.0.0.9",
                "close");
        assertNotEquals(0, r.code, r.output);
        assertTrue(r.output.contains("GraphUnavailableException"), r.output);
        assertTrue(r.output.contains("graph-lib directory " + empty + " (no jars in it)"), r.output);
        assertTrue(r.output.contains(GraphLibrary.LIB_PROPERTY) && r.output.contains(GraphLibrary.LIB_ENV), r.output);
        assertTrue(r.output.contains(GraphConfig.URI_PROPERTY), r.output);
        assertFalse(Files.exists(tmp.resolve("no-graph").resolve("data")), "no database files were made");
    }

    @Test
    void kernelspecInstalledWithoutTheServerNamesTheGraphLib() throws Exception {
        Path prefix = tmp.resolve("prefix");
        Result r = run(List.of("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib, "-cp", childClassPath,
                "org.workbench.cli.Main", "kernel", "install", "--prefix", prefix.toString(), "--name", "iso",
                "--no-cds"));
        assertEquals(0, r.code, r.output);
        List<String> argv = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(prefix.resolve("share/jupyter/kernels/iso/kernel.json").toFile()).get("argv")
                .forEach(a -> argv.add(a.asText()));
        assertTrue(argv.contains("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib), argv.toString());
        assertTrue(argv.indexOf("-D" + GraphLibrary.LIB_PROPERTY + "=" + graphLib) < argv.indexOf("-cp"),
                argv.toString());
        assertFalse(argv.get(argv.indexOf("-cp") + 1).contains("neo4j-kernel-"), "server jars stay off the path");
    }

    record Result(int code, String output) {
    }

    /** Runs {@link Child} with the class path without the server, {@code WORKBENCH_GRAPH_*} unset. */
    static Result child(List<String> jvmOptions, Path dir, String ip, String mode) throws Exception {
        List<String> args = new ArrayList<>(jvmOptions);
        args.addAll(List.of("-cp", childClassPath, Child.class.getName(), dir.toString(), ip, mode));
        return run(args);
    }

    /** Runs {@code java ARGS} with {@code WORKBENCH_GRAPH_*} unset; fails when it does not end in time. */
    static Result run(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KernelSpecInstaller.currentJava()));
        cmd.addAll(args);
        Path log = Files.createTempFile(tmp, "child", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("WORKBENCH_GRAPH_"));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("the child JVM did not end in " + TIMEOUT_SECONDS + " s (threads left running?):\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * The child JVM: opens the embedded graph in directory {@code args[0]}, adds host {@code args[1]}, prints what
     * it sees, then closes the store ({@code args[2]} = {@code close}) or leaves it open ({@code leave}), and
     * returns from {@code main} without {@code System.exit}.
     */
    public static final class Child {
        private Child() {
        }

        /** @param args directory, IP, close|leave */
        public static void main(String[] args) {
            System.out.println("server on class path: " + GraphLibrary.serverOnClassPath());
            GraphStore g = GraphStore.open(GraphConfig.embedded(Path.of(args[0])));
            g.write("MERGE (h:host {name: $ip})", Map.of("ip", args[1]));
            System.out.println("attached: " + g.isAttached());
            System.out.println("nodes " + g.nodeCount());
            // one line per Neo4j thread kind ("neo4j.BoltWorker-3" -> "neo4j.BoltWorker"), sorted
            java.util.SortedSet<String> kinds = new java.util.TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ClassLoader cl = t.getContextClassLoader();
                if (t.getName().startsWith("neo4j.")) {
                    kinds.add("neo4j thread " + t.getName().replaceAll("-\\d+$", "") + " loader: "
                            + (cl == null ? "bootstrap" : cl.getName()));
                }
            }
            kinds.forEach(System.out::println);
            if (args[2].equals("close")) {
                g.close();
                System.out.println("closed");
            }
        }
    }
}
