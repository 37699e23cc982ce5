package org.workbench.graph;

import java.nio.file.Path;

/**
 * A running embedded graph database as the rest of the library sees it: its Bolt URI and directory, and a way
 * to stop it. Public only because the implementation ({@code EmbeddedNeo4jServer}) may be defined by another
 * class loader (see {@link GraphLibrary}), which can only implement public interfaces of this package; it is
 * not meant to be used outside the library.
 */
public interface EmbeddedServer extends AutoCloseable {
    /** @return the Bolt URI, {@code bolt://127.0.0.1:PORT} */
    String uri();

    /** @return the database home directory */
    Path directory();

    /** Stops the database (flushes and closes its files, stops Bolt). */
    @Override
    void close();
}
