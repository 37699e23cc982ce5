package org.workbench.graph;

import java.nio.file.Path;

/**
 * The embedded Neo4j database as {@link GraphStore} uses it: started through {@link GraphLibrary} (from the
 * class path or from the graph-lib directory in an isolating class loader), with the database's class loader
 * as the thread's context class loader while it starts and stops. Links no Neo4j server class itself.
 */
final class EmbeddedNeo4j implements AutoCloseable {
    private final EmbeddedServer server;
    private final ClassLoader loader;

    private EmbeddedNeo4j(EmbeddedServer server, ClassLoader loader) {
        this.server = server;
        this.loader = loader;
    }

    /**
     * Starts the database (creating its files on first use).
     *
     * @param directory the database home directory
     * @param pageCacheBytes the page cache, bytes
     * @param auth whether Bolt clients must authenticate (initial user {@code neo4j}, password {@code neo4j})
     * @return the running database
     * @throws GraphUnavailableException naming the directory when it cannot start (locked, unreadable, ...), or
     *         naming the graph-lib directory looked at when the Neo4j server's jars cannot be found
     */
    static EmbeddedNeo4j start(Path directory, long pageCacheBytes, boolean auth) {
        ClassLoader loader = GraphLibrary.serverLoader();
        EmbeddedServer s = GraphLibrary.withContextLoader(loader,
                () -> GraphLibrary.startServer(loader, directory, pageCacheBytes, auth));
        return new EmbeddedNeo4j(s, loader);
    }

    /** @return the Bolt URI, {@code bolt://127.0.0.1:PORT} */
    String uri() {
        return server.uri();
    }

    /** @return the database home directory */
    Path directory() {
        return server.directory();
    }

    /** Stops the database (flushes and closes its files, stops Bolt). */
    @Override
    public void close() {
        GraphLibrary.withContextLoader(loader, () -> {
            server.close();
            return null;
        });
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }
}
