package org.workbench.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.SecurityException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.workbench.InvalidInputException;
import org.workbench.WorkbenchException;

/**
 * The workbench's property graph: every read and write goes through the Neo4j Java driver over Bolt, to an
 * embedded Neo4j Community database started on demand (the default; see {@link GraphConfig#embedded}) or to a
 * configured server or cluster ({@link GraphConfig#server}). Safe for use by several threads.
 *
 * <pre>{@code
 * try (GraphStore g = GraphStore.open(GraphConfig.embedded(Path.of("/tmp/g")))) {
 *     g.write("MERGE (h:host {name: $ip})", Map.of("ip", "10.0.0.1"));
 *     GraphResult r = g.query("MATCH (h:host) RETURN h.name AS ip, h");
 *     r.table();   // columns ip (string) and h (the node's caption)
 *     r.graph();   // the host nodes
 * }
 * }</pre>
 *
 * <p>Errors: {@link GraphUnavailableException} (a {@link WorkbenchException}) when the server is unreachable, refuses
 * the credentials or the embedded database cannot start, naming the URI or directory and the cause;
 * {@link GraphQueryException} for a statement the database rejects (syntax, unknown parameter, constraint).
 */
public final class GraphStore implements AutoCloseable {
    private static final int MAX_STATEMENT_CHARS = 200;

    private final GraphConfig config;
    private final EmbeddedNeo4j embedded;
    /** Whether this store talks to an embedded database another process or store runs in the same directory. */
    private final boolean attached;
    private final Driver driver;
    private final String uri;
    private volatile boolean closed;
    private Thread shutdownHook;

    private GraphStore(GraphConfig config, EmbeddedNeo4j embedded, boolean attached, Driver driver, String uri) {
        this.config = config;
        this.embedded = embedded;
        this.attached = attached;
        this.driver = driver;
        this.uri = uri;
    }

    /**
     * For an embedded database: a shutdown hook that stops it cleanly when the JVM exits while it is open, and a
     * daemon watcher that closes it once the only live non-daemon threads left are the database's own (Bolt's
     * network threads are not daemons), so a program that forgets {@link #close()} still ends.
     */
    private void guardJvmExit() {
        if (embedded == null) {
            return;
        }
        shutdownHook = new Thread(this::closeQuietly, "workbench-graph-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread watcher = new Thread(() -> {
            try {
                while (!closed) {
                    Thread.sleep(500);
                    if (onlyDatabaseThreadsLeft()) {
                        closeQuietly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "workbench-graph-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static boolean onlyDatabaseThreadsLeft() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.isAlive() || t.isDaemon()) {
                continue;
            }
            String n = t.getName();
            if (!(n.startsWith("neo4j.") || n.startsWith("globalEventExecutor") || n.equals("DestroyJavaVM"))) {
                return false;
            }
        }
        return true;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // the JVM is ending; nothing to report to
        }
    }

    /**
     * Opens the graph store: starts the embedded database (about 3-5 s the first time in a JVM) or connects to
     * the configured server, and checks that the connection works.
     *
     * <p>When the embedded database's directory is already in use by another process or store that runs it (a
     * kernel with the graph open, say), this store connects to that database's published loopback Bolt URI
     * instead ({@link #isAttached()}): the graph is shared, and closing this store leaves the database running.
     * When the other side is still starting it, or does not answer, the error says so at once.
     *
     * @param config where the graph lives
     * @return the open store; close it to stop the embedded database
     * @throws GraphUnavailableException naming the URI (or directory) and the cause when the server is
     *         unreachable, refuses the credentials, or the embedded database cannot start
     */
    public static GraphStore open(GraphConfig config) {
        Objects.requireNonNull(config, "config");
        EmbeddedNeo4j emb = null;
        String uri;
        AuthToken auth;
        boolean attached = false;
        if (config.isEmbedded()) {
            try {
                emb = EmbeddedNeo4j.start(config.directory(), config.pageCacheBytes(), false);
                uri = emb.uri();
            } catch (EmbeddedNeo4j.InUseException e) {
                if (e.runningUri() == null) {
                    throw e;
                }
                uri = e.runningUri();
                attached = true;
            }
            auth = AuthTokens.none();
        } else {
            uri = config.uri().toString();
            auth = config.user() == null ? AuthTokens.none() : AuthTokens.basic(config.user(), config.password());
        }
        Driver d = null;
        try {
            d = GraphDatabase.driver(uri, auth, Config.builder()
                    .withLogging(Logging.none())
                    .withConnectionTimeout(15, TimeUnit.SECONDS)
                    .withMaxTransactionRetryTime(15, TimeUnit.SECONDS)
                    .withUserAgent("workbench")
                    .build());
            d.verifyConnectivity();
            GraphStore g = new GraphStore(config, emb, attached, d, uri);
            g.guardJvmExit();
            return g;
        } catch (RuntimeException e) {
            if (d != null) {
                try {
                    d.close();
                } catch (RuntimeException ignored) {
                    // already failing
                }
            }
            if (emb != null) {
                emb.close();
            }
            if (attached) {
                throw new EmbeddedNeo4j.InUseException(config.directory(), uri, e);
            }
            throw unavailable(uri, config, e);
        }
    }

    private static GraphUnavailableException unavailable(String uri, GraphConfig config, RuntimeException e) {
        String cause = EmbeddedNeo4j.rootMessage(e);
        if (e instanceof AuthenticationException || e instanceof SecurityException) {
            return new GraphUnavailableException("graph server " + uri + " refused the credentials"
                    + (config.user() == null ? " (none given)" : " of user '" + config.user() + "'") + ": "
                    + cause, e);
        }
        if (e instanceof ServiceUnavailableException || e instanceof SessionExpiredException) {
            return new GraphUnavailableException("graph server " + uri + " is unreachable: " + cause, e);
        }
        return new GraphUnavailableException("cannot use graph server " + uri + ": " + cause, e);
    }

    /** @return the Bolt URI the driver talks to (for an embedded database, {@code bolt://127.0.0.1:PORT}) */
    public String uri() {
        return uri;
    }

    /** @return the configuration this store was opened with */
    public GraphConfig config() {
        return config;
    }

    /** @return whether the database is the embedded one (running in this JVM) */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * @return whether this store is connected to an embedded database that another process or store runs in
     *         the configured directory (see {@link #open}); closing it leaves that database running
     */
    public boolean isAttached() {
        return attached;
    }

    /**
     * The driver, for what this class does not offer (async or reactive sessions, explicit bookmarks). Do not
     * close it; {@link #close()} does.
     *
     * @return the driver
     */
    public Driver driver() {
        return driver;
    }

    /**
     * Runs a Cypher statement without parameters. See {@link #query(String, Map)}.
     *
     * @param cypher the statement
     * @return the records as a table, plus the graph and paths they hold
     */
    public GraphResult query(String cypher) {
        return query(cypher, Map.of());
    }

    /**
     * Runs one Cypher statement (read or write, in its own auto-commit transaction) and returns all its records:
     * a Tablesaw table with one column per returned key (long, double, boolean or string columns; nodes shown by
     * their {@link GraphNode#caption() caption}, relationships as {@code :TYPE}, paths as
     * {@code (a)-[:T]->(b)}, lists and maps as text), the nodes and relationships the records hold (also those
     * inside paths and lists) and the paths.
     *
     * @param cypher the statement, e.g. {@code MATCH (h:host {name: $ip}) RETURN h}
     * @param params its parameters ({@code $name} in the statement): strings, numbers, booleans, lists, maps
     * @return the result (zero rows for a statement that returns nothing)
     * @throws GraphQueryException when the database rejects or fails the statement
     * @throws GraphUnavailableException when the database cannot be reached
     */
    public GraphResult query(String cypher, Map<String, ?> params) {
        checkStatement(cypher);
        Map<String, Object> p = params(params);
        return call(cypher, () -> {
            try (Session s = driver.session()) {
                Result r = s.run(cypher, p);
                List<String> keys = r.keys();
                List<Record> records = r.list();
                return GraphResults.of(keys, records);
            }
        });
    }

    /**
     * Runs one Cypher statement (auto-commit, like {@link #query(String, Map)}) and returns its records as
     * JSON-like maps, one per record with the returned keys in order: strings, numbers, booleans, null, lists and
     * maps as they are; a node as {@code {id, labels, properties}}, a relationship as
     * {@code {id, type, start, end, properties}} ({@code start}/{@code end} the nodes' ids), a path as
     * {@code {nodes, relationships}}; temporal values and points as their text, byte arrays as hex.
     *
     * @param cypher the statement
     * @param params its parameters
     * @return the records
     * @throws GraphQueryException when the database rejects or fails the statement
     */
    public List<Map<String, Object>> records(String cypher, Map<String, ?> params) {
        checkStatement(cypher);
        Map<String, Object> p = params(params);
        return call(cypher, () -> {
            try (Session s = driver.session()) {
                List<Map<String, Object>> out = new ArrayList<>();
                s.run(cypher, p).forEachRemaining(r -> out.add(GraphResults.plain(r)));
                return out;
            }
        });
    }

    /**
     * Runs one write statement in a write transaction (retried on transient errors, so it should be idempotent,
     * e.g. {@code MERGE}).
     *
     * @param cypher the statement
     * @param params its parameters
     * @return what the statement changed
     * @throws GraphQueryException when the database rejects or fails the statement
     */
    public WriteCounts write(String cypher, Map<String, ?> params) {
        checkStatement(cypher);
        Map<String, Object> p = params(params);
        return call(cypher, () -> {
            try (Session s = driver.session()) {
                return s.executeWrite(tx -> WriteCounts.of(tx.run(cypher, p).consume().counters()));
            }
        });
    }

    /**
     * Writes rows in batches: runs {@code cypher} once per batch of at most {@code batchSize} rows, each in its
     * own write transaction, with the batch as the list parameter {@code $rows} (write the statement as
     * {@code UNWIND $rows AS r MERGE ...}) and {@code params} as further parameters.
     *
     * @param cypher the statement, using {@code $rows}
     * @param rows the rows (maps of strings, numbers, booleans, lists)
     * @param batchSize rows per transaction, at least 1 (a few thousand is typical)
     * @param params further parameters (not {@code rows}); may be empty
     * @return what the batches changed, summed
     * @throws GraphQueryException when the database rejects or fails a batch; earlier batches stay written
     */
    public WriteCounts writeBatches(String cypher, List<? extends Map<String, ?>> rows, int batchSize,
            Map<String, ?> params) {
        checkStatement(cypher);
        if (batchSize < 1) {
            throw new InvalidInputException("batch size must be at least 1, got " + batchSize);
        }
        Map<String, Object> base = params(params);
        if (base.containsKey("rows")) {
            throw new InvalidInputException("parameter 'rows' is reserved for the batch rows");
        }
        WriteCounts total = WriteCounts.NONE;
        for (int from = 0; from < rows.size(); from += batchSize) {
            List<Object> batch = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + batchSize)));
            Map<String, Object> p = new LinkedHashMap<>(base);
            p.put("rows", batch);
            total = total.plus(call(cypher, () -> {
                try (Session s = driver.session()) {
                    return s.executeWrite(tx -> WriteCounts.of(tx.run(cypher, p).consume().counters()));
                }
            }));
        }
        return total;
    }

    /**
     * Runs work in one write transaction (retried on transient errors, so the work must be idempotent); the
     * transaction commits when {@code work} returns and rolls back when it throws.
     *
     * @param work what to run, given the transaction
     * @param <T> the work's result type
     * @return the work's result
     * @throws GraphQueryException when the database rejects or fails a statement
     */
    public <T> T inWriteTransaction(Function<TransactionContext, T> work) {
        Objects.requireNonNull(work, "work");
        return call("(write transaction)", () -> {
            try (Session s = driver.session()) {
                return s.executeWrite(work::apply);
            }
        });
    }

    /** @return the number of nodes in the graph */
    public long nodeCount() {
        return count("MATCH (n) RETURN count(n)");
    }

    /** @return the number of relationships in the graph */
    public long relationshipCount() {
        return count("MATCH ()-[r]->() RETURN count(r)");
    }

    private long count(String cypher) {
        return call(cypher, () -> {
            try (Session s = driver.session()) {
                return s.executeRead(tx -> tx.run(cypher).single().get(0).asLong());
            }
        });
    }

    /**
     * Deletes every node and relationship of the graph (of every capture, on a shared server too), in
     * transactions of 10,000 nodes. Indexes and constraints stay.
     *
     * @return the number of nodes deleted
     */
    public long deleteAll() {
        String cypher = "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS";
        return call(cypher, () -> {
            try (Session s = driver.session()) {
                return s.run(cypher).consume().counters().nodesDeleted();
            }
        });
    }

    /**
     * Closes the driver and stops the embedded database (which flushes its files; the graph is there when the
     * same directory is opened again); an attached store ({@link #isAttached()}) only closes its driver. Idempotent. An embedded database left open is also stopped when the JVM
     * exits, or when nothing but the database's own threads would keep the JVM running.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down
            }
        }
        try {
            driver.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** @return {@code GraphStore[URI, embedded DIR]} or {@code GraphStore[URI as USER]} */
    @Override
    public String toString() {
        return "GraphStore[" + uri + (embedded != null ? ", embedded " + embedded.directory()
                : attached ? ", attached to embedded " + config.directory()
                : config.user() == null ? "" : " as " + config.user()) + (closed ? ", closed" : "") + "]";
    }

    private void checkStatement(String cypher) {
        if (cypher == null || cypher.isBlank()) {
            throw new InvalidInputException("a Cypher statement is required, got " + (cypher == null ? "null"
                    : "a blank string"));
        }
        if (closed) {
            throw new WorkbenchException("the graph store " + uri + " is closed");
        }
    }

    private static Map<String, Object> params(Map<String, ?> params) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (params != null) {
            p.putAll(params);
        }
        return p;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String cypher, Call<T> c) {
        if (closed) {
            throw new WorkbenchException("the graph store " + uri + " is closed");
        }
        try {
            return c.run();
        } catch (ServiceUnavailableException | SessionExpiredException | SecurityException e) {
            throw unavailable(uri, config, e);
        } catch (Neo4jException e) {
            throw new GraphQueryException("graph query failed (" + uri + "): " + oneLine(e.getMessage())
                    + " in: " + shorten(cypher), e.code(), e);
        } catch (IllegalArgumentException e) {
            throw new GraphQueryException("graph query failed (" + uri + "): " + oneLine(e.getMessage())
                    + " in: " + shorten(cypher), null, e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static String shorten(String cypher) {
        String s = oneLine(cypher);
        return s.length() <= MAX_STATEMENT_CHARS ? s : s.substring(0, MAX_STATEMENT_CHARS - 3) + "...";
    }
}
