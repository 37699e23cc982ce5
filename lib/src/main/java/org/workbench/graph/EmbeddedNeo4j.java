package org.workbench.graph;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * The embedded Neo4j database as {@link GraphStore} uses it: started through {@link GraphLibrary} (from the
 * class path or from the graph-lib directory in an isolating class loader), with the database's class loader
 * as the thread's context class loader while it starts and stops. Links no Neo4j server class itself.
 *
 * <p>While it runs, the database home holds {@value #BOLT_URI_FILE} with its Bolt URI (loopback only), so that
 * another process (a {@code workbench cypher} command while a notebook has the graph open) can connect to it
 * through the driver instead of failing on the lock; see {@link InUseException}.
 */
final class EmbeddedNeo4j implements AutoCloseable {
    /** The file in the database home that the workbench locks while a database runs there. */
    static final String LOCK_FILE = "workbench.lock";
    /** The file in the database home that holds the running database's Bolt URI (one line). */
    static final String BOLT_URI_FILE = "bolt.uri";
    private static final Pattern LOOPBACK_BOLT = Pattern.compile("bolt://127\\.0\\.0\\.1:[0-9]{1,5}");

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
            // a URI left by a process that died holding the lock is stale now
            Files.deleteIfExists(directory.resolve(BOLT_URI_FILE));
            ClassLoader loader = GraphLibrary.serverLoader();
            EmbeddedServer s = GraphLibrary.withContextLoader(loader,
                    () -> GraphLibrary.startServer(loader, directory, pageCacheBytes, auth));
            publishUri(directory, s.uri());
            return new EmbeddedNeo4j(s, loader, lock);
        } catch (IOException e) {
            closeQuietly(lock);
            throw new GraphUnavailableException("cannot start the embedded graph database in " + directory + ": "
                    + rootMessage(e), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(lock);
            throw e;
        }
    }

    /**
     * Locks {@value #LOCK_FILE} in the database home (an OS file lock, released when the channel closes or the
     * process ends).
     *
     * @throws InUseException when another process, or another store of this one, holds it
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
            throw new InUseException(directory, runningUri(directory), null);
        }
        return ch;
    }

    /**
     * The Bolt URI that the database running in {@code directory} published, if it is a loopback
     * {@code bolt://127.0.0.1:PORT} URI.
     *
     * @return the URI, or null when there is none (not running, still starting) or the file holds anything else
     */
    static String runningUri(Path directory) {
        try {
            String s = Files.readString(directory.resolve(BOLT_URI_FILE), StandardCharsets.US_ASCII).strip();
            return LOOPBACK_BOLT.matcher(s).matches() ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Writes {@value #BOLT_URI_FILE} atomically (a reader sees no file or the whole line). */
    private static void publishUri(Path directory, String uri) throws IOException {
        Path tmp = Files.createTempFile(directory, BOLT_URI_FILE, ".tmp");
        try {
            Files.writeString(tmp, uri + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, directory.resolve(BOLT_URI_FILE), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, directory.resolve(BOLT_URI_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The database home is locked by another process or store. {@link #runningUri()} is the Bolt URI that
     * database published, or null while it is still starting (or when it published none).
     */
    static final class InUseException extends GraphUnavailableException {
        private static final long serialVersionUID = 1L;
        private final transient String runningUri;

        InUseException(Path directory, String runningUri, Throwable cause) {
            super("the embedded graph database in " + directory + " is in use by another process or store (a"
                    + " kernel, a notebook run, another workbench command)" + (runningUri == null
                    ? ", which is still starting it or did not publish its address" : " and did not answer at "
                    + runningUri) + ": try again, close it there (Workbench.close() or a kernel restart), or set"
                    + " WORKBENCH_GRAPH_URI to a Neo4j server that several processes can share", cause);
            this.runningUri = runningUri;
        }

        /** @return the published Bolt URI of the database holding the lock, or null */
        String runningUri() {
            return runningUri;
        }
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
            Files.deleteIfExists(server.directory().resolve(BOLT_URI_FILE));
        } catch (IOException ignored) {
            // a stale file is removed by the next start (under the lock) and never followed without the lock held
        }
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
