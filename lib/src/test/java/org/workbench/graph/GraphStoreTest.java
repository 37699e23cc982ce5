package org.workbench.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.WorkbenchException;
import tech.tablesaw.api.ColumnType;

/** The graph store through the driver: embedded start, queries, restart, shutdown, and its two errors. */
class GraphStoreTest {
    @TempDir
    Path dir;

    private static Set<Thread> nonDaemon() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void embeddedStoreAnswersQueriesSurvivesRestartAndLeavesNoThreads() throws Exception {
        Set<Thread> before = nonDaemon();
        try (GraphStore g = GraphStore.open(GraphConfig.embedded(dir.resolve("g")))) {
            assertTrue(g.isEmbedded());
            assertTrue(g.uri().startsWith("bolt://127.0.0.1:"), g.uri());
            WriteCounts w = g.writeBatches("UNWIND $rows AS r MERGE (a:host {name: r.a}) MERGE (b:domain {name: r.b}) "
                    + "MERGE (a)-[q:DNS_QUERY]->(b) SET q.n = $n",
                    List.of(Map.of("a", "10.0.0.1", "b", "x.example"), Map.of("a", "10.0.0.1", "b", "y.example"),
                            Map.of("a", "10.0.0.2", "b", "x.example")), 2, Map.of("n", 7));
            assertEquals(4, w.nodesCreated());
            assertEquals(3, w.relationshipsCreated());
            GraphResult r = g.query("MATCH p = (h:host)-[q:DNS_QUERY]->(d:domain) WHERE h.name = $ip "
                    + "RETURN h.name AS ip, d, q, q.n AS n, 1.5 AS f, true AS b, [d.name] AS l, p ORDER BY d.name",
                    Map.of("ip", "10.0.0.1"));
            assertEquals(2, r.rowCount());
            assertEquals(List.of("ip", "d", "q", "n", "f", "b", "l", "p"), r.table().columnNames());
            assertEquals(ColumnType.STRING, r.table().column("ip").type());
            assertEquals(ColumnType.LONG, r.table().column("n").type());
            assertEquals(ColumnType.DOUBLE, r.table().column("f").type());
            assertEquals(ColumnType.BOOLEAN, r.table().column("b").type());
            assertEquals("x.example", r.table().stringColumn("d").get(0));
            assertEquals(":DNS_QUERY", r.table().stringColumn("q").get(0));
            assertEquals("[\"x.example\"]", r.table().stringColumn("l").get(0));
            assertEquals("(10.0.0.1)-[:DNS_QUERY]->(x.example)", r.table().stringColumn("p").get(0));
            assertEquals(3, r.graph().nodes().size());
            assertEquals(2, r.graph().relationships().size());
            assertEquals(2, r.paths().size());
            assertEquals("10.0.0.1", r.paths().get(0).start().caption());
            assertEquals(List.of("host"), r.paths().get(0).start().labels());
            // re-running an idempotent write creates nothing
            WriteCounts again = g.write("MERGE (a:host {name: $a})", Map.of("a", "10.0.0.1"));
            assertEquals(0, again.nodesCreated());
            GraphQueryException bad = assertThrows(GraphQueryException.class, () -> g.query("MATCH (n RETURN n"));
            assertTrue(bad.getMessage().contains("MATCH (n RETURN n") && bad.getMessage().contains("Invalid input"),
                    bad.getMessage());
            assertEquals("Neo.ClientError.Statement.SyntaxError", bad.code());
        }
        long t0 = System.nanoTime();
        // the same directory again: the graph is still there
        try (GraphStore g = GraphStore.open(GraphConfig.embedded(dir.resolve("g")))) {
            assertEquals(4, g.nodeCount());
            assertEquals(3, g.relationshipCount());
            t0 = System.nanoTime();
        }
        double shutdownSeconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(shutdownSeconds < 3, "shutdown took " + shutdownSeconds + " s");
        // Netty's GlobalEventExecutor thread is non-daemon but ends by itself after a 1 s quiet period
        Set<String> left = Set.of();
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; Thread.sleep(100)) {
            Set<Thread> after = nonDaemon();
            after.removeAll(before);
            left = after.stream().map(Thread::getName).collect(Collectors.toSet());
            if (left.isEmpty()) {
                break;
            }
        }
        assertEquals(Set.of(), left, "non-daemon threads still running 5 s after close");
    }

    @Test
    void aForgottenEmbeddedStoreDoesNotKeepTheJvmAlive() throws Exception {
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = dir.resolve("child.txt");
        Process p = new ProcessBuilder(javaExe.toString(), "-cp", System.getProperty("java.class.path"),
                UnclosedStoreMain.class.getName(), dir.resolve("child-graph").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = java.nio.file.Files.readString(log);
        assertTrue(ended, "the JVM did not end with an unclosed store:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("opened bolt://127.0.0.1:"), out);
        // stopped cleanly: the node is there when the directory is opened again
        try (GraphStore g = GraphStore.open(GraphConfig.embedded(dir.resolve("child-graph")))) {
            assertEquals(1, g.nodeCount());
        }
    }

    @Test
    void aSecondStoreOnARunningGraphDirectoryAttachesToIt() {
        Path shared = dir.resolve("shared");
        try (GraphStore first = GraphStore.open(GraphConfig.embedded(shared))) {
            assertEquals(first.uri() + "\n", readString(shared.resolve(EmbeddedNeo4j.BOLT_URI_FILE)));
            try (GraphStore second = GraphStore.open(GraphConfig.embedded(shared))) {
                assertTrue(second.isAttached() && !second.isEmbedded(), second.toString());
                assertEquals(first.uri(), second.uri());
                assertTrue(second.toString().contains("attached to embedded " + shared), second.toString());
                second.write("MERGE (h:host {name: $ip})", Map.of("ip", "10.9.9.9"));
                assertEquals(1, first.nodeCount(), "one graph, seen from both");
            }
            assertFalse(first.isAttached());
            assertEquals(1L, first.query("RETURN 1 AS one").table().longColumn("one").get(0),
                    "closing the attached store leaves the database running");
        }
        assertFalse(Files.exists(shared.resolve(EmbeddedNeo4j.BOLT_URI_FILE)), "the URI goes with the database");
        try (GraphStore again = GraphStore.open(GraphConfig.embedded(shared))) {
            assertTrue(again.isEmbedded());
            assertEquals(1, again.nodeCount());
        }
    }

    @Test
    void aGraphDirectoryLockedWithoutAnAnsweringDatabaseFailsAtOnceWithAHint() throws Exception {
        Path locked = Files.createDirectories(dir.resolve("locked"));
        try (FileChannel ch = FileChannel.open(locked.resolve(EmbeddedNeo4j.LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            // still starting: no URI published yet. Our lock is taken before the database starts, so the
            // message is ours, not Neo4j's store_lock one.
            long t0 = System.nanoTime();
            GraphUnavailableException e = assertThrows(GraphUnavailableException.class,
                    () -> GraphStore.open(GraphConfig.embedded(locked)));
            assertTrue(e.getMessage().contains("in use by another process or store")
                    && e.getMessage().contains("still starting it")
                    && e.getMessage().contains("WORKBENCH_GRAPH_URI"), e.getMessage());
            assertFalse(e.getMessage().contains("store_lock"), e.getMessage());
            // a published URI where nothing answers (the holder hung or lost its port)
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.writeString(locked.resolve(EmbeddedNeo4j.BOLT_URI_FILE), "bolt://127.0.0.1:" + port + "\n");
            e = assertThrows(GraphUnavailableException.class, () -> GraphStore.open(GraphConfig.embedded(locked)));
            assertTrue(e.getMessage().contains("did not answer at bolt://127.0.0.1:" + port), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 20, "fails at once, not after Neo4j's own start-up");
            // anything but a loopback Bolt URI is never followed
            Files.writeString(locked.resolve(EmbeddedNeo4j.BOLT_URI_FILE), "bolt://192.0.2.1:7687\n");
            assertEquals(null, EmbeddedNeo4j.runningUri(locked));
        }
        // a stale URI file left behind is replaced when the directory is opened again
        try (GraphStore g = GraphStore.open(GraphConfig.embedded(locked))) {
            assertTrue(g.isEmbedded());
            assertEquals(g.uri() + "\n", readString(locked.resolve(EmbeddedNeo4j.BOLT_URI_FILE)));
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void unreachableServerIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String uri = "bolt://127.0.0.1:" + port;
        GraphUnavailableException e = assertThrows(GraphUnavailableException.class,
                () -> GraphStore.open(GraphConfig.server(uri, "neo4j", "secret")));
        assertInstanceOf(WorkbenchException.class, e);
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("unreachable"), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("connection refused")
                || e.getMessage().toLowerCase().contains("unable to connect"), e.getMessage());
    }

    @Test
    void refusedCredentialsAreAClearError() {
        try (EmbeddedNeo4j secured = EmbeddedNeo4j.start(dir.resolve("secured"), 8L << 20, true)) {
            GraphUnavailableException e = assertThrows(GraphUnavailableException.class,
                    () -> GraphStore.open(GraphConfig.server(secured.uri(), "neo4j", "not-the-password")));
            assertTrue(e.getMessage().contains(secured.uri()) && e.getMessage().contains("refused the credentials")
                    && e.getMessage().contains("'neo4j'"), e.getMessage());
            assertTrue(e.getMessage().contains("authentication failure"), e.getMessage());
            assertTrue(!e.getMessage().contains("not-the-password"), e.getMessage());
        }
    }

    @Test
    void configComesFromPropertiesOrEnvironment() {
        GraphConfig none = GraphConfig.resolve(dir, Map.of());
        assertTrue(none.isEmbedded());
        assertEquals(dir.toAbsolutePath().normalize(), none.directory());
        GraphConfig env = GraphConfig.resolve(dir, Map.of(GraphConfig.URI_ENV, "neo4j://db.example:7687",
                GraphConfig.USER_ENV, "analyst", GraphConfig.PASSWORD_ENV, "pw"));
        assertEquals("neo4j://db.example:7687", env.uri().toString());
        assertEquals("analyst", env.user());
        assertEquals("neo4j://db.example:7687 as analyst", env.toString());
        String old = System.getProperty(GraphConfig.URI_PROPERTY);
        System.setProperty(GraphConfig.URI_PROPERTY, "bolt://other:7688");
        try {
            GraphConfig prop = GraphConfig.resolve(dir, Map.of(GraphConfig.URI_ENV, "neo4j://db.example:7687"));
            assertEquals("bolt://other:7688", prop.uri().toString());
        } finally {
            if (old == null) {
                System.clearProperty(GraphConfig.URI_PROPERTY);
            } else {
                System.setProperty(GraphConfig.URI_PROPERTY, old);
            }
        }
        WorkbenchException bad = assertThrows(WorkbenchException.class, () -> GraphConfig.server("http://x", null, null));
        assertTrue(bad.getMessage().contains("http://x"), bad.getMessage());
    }
}
