package org.workbench.graph;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The embedded Neo4j database as {@link GraphStore} uses it: started through {@link GraphLibrary} (from the
 * class path or from the graph-lib directory in an isolating class loader), with the database's class loader
 * as the thread's context class loader while it starts and stops. Links no Neo4j server class itself.
 */
final class EmbeddedNeo4j implements AutoCloseable {
    /** The file in the database home that the workbench locks while a database runs there. */
    static final String LOCK_FILE = "workbench.lock";

    private final EmbeddedServer server;
    private final ClassLoader loader;
    private final FileChannel lockChannel;

    private EmbeddedNeo4j(EmbeddedServer server, ClassLoader loader, FileChannel lockChannel) {
        this.server = server;
        this.loader = loader;
        this.lockChannel = lockChannel;
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
        // Neo4j finds its own store lock only after seconds of start-up: take ours first and fail at once
        FileChannel lock = lock(directory);
        try {
            ClassLoader loader = GraphLibrary.serverLoader();
            EmbeddedServer s = GraphLibrary.withContextLoader(loader,
                    () -> GraphLibrary.startServer(loader, directory, pageCacheBytes, auth));
            return new EmbeddedNeo4j(s, loader, lock);
        } catch (RuntimeException | Error e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Locks {@value #LOCK_FILE} in the database home (an OS file lock, released when the channel closes or the
     * process ends).
     *
     * @throws GraphUnavailableException when another process, or another store of this one, holds it
     */
    private static FileChannel lock(Path directory) {
        FileChannel ch;
        try {
            Files.createDirectories(directory);
            ch = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new GraphUnavailableException("cannot start the embedded graph database in " + directory + ": "
                    + rootMessage(e), e);
        }
        FileLock held;
        try {
            held = ch.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            held = null;
        }
        if (held == null) {
            closeQuietly(ch);
            throw new GraphUnavailableException("the embedded graph database in " + directory + " is in use by"
                    + " another process or store (a kernel, a notebook run, another workbench command): close it"
                    + " there (Workbench.close() or a kernel restart), or set WORKBENCH_GRAPH_URI to a Neo4j server"
                    + " that several processes can share", null);
        }
        return ch;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the lock goes with the channel or the process
        }
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
        try {
            GraphLibrary.withContextLoader(loader, () -> {
                server.close();
                return null;
            });
        } finally {
            closeQuietly(lockChannel);
        }
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
