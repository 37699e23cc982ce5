package org.workbench.graph;

import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * An in-process Neo4j Community database (Neo4j 5.26) that listens for Bolt on a free port of 127.0.0.1 only,
 * with usage data collection off and a modest page cache. Authentication is off unless asked for (tests use it
 * to check refused credentials). The Netty quiet period of the Bolt server is set to zero so that shutdown
 * takes well under a second instead of about ten.
 *
 * <p>The only class of the library that links Neo4j server classes. {@link GraphLibrary} loads it either from
 * the application class path (when the server is there) or defines it in an isolating class loader over the
 * server's jars; so it may use only public classes of this package, and has no nested classes or lambdas
 * (those would be loaded by the parent loader, without the server's classes).
 */
final class EmbeddedNeo4jServer implements EmbeddedServer {
    private final Path directory;
    private final DatabaseManagementService service;
    private final String uri;

    private EmbeddedNeo4jServer(Path directory, DatabaseManagementService service, String uri) {
        this.directory = directory;
        this.service = service;
        this.uri = uri;
    }

    /**
     * Starts the database (creating its files on first use). Called reflectively by {@link GraphLibrary}.
     *
     * @param directory the database home directory
     * @param pageCacheBytes the page cache, bytes
     * @param auth whether Bolt clients must authenticate (initial user {@code neo4j}, password {@code neo4j})
     * @return the running database
     * @throws GraphUnavailableException naming the directory when it cannot start (locked, unreadable, ...)
     */
    static EmbeddedServer start(Path directory, long pageCacheBytes, boolean auth) {
        DatabaseManagementService service;
        try {
            service = new DatabaseManagementServiceBuilder(directory)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                    .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
                    .build();
        } catch (RuntimeException e) {
            throw new GraphUnavailableException("cannot start the embedded graph database in " + directory + ": "
                    + rootMessage(e), e);
        }
        try {
            GraphDatabaseAPI db = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            HostnamePort bolt = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                    .getLocalAddress(ConnectorType.BOLT);
            if (bolt == null) {
                throw new IllegalStateException("the Bolt connector did not start");
            }
            return new EmbeddedNeo4jServer(directory, service, "bolt://127.0.0.1:" + bolt.getPort());
        } catch (RuntimeException e) {
            service.shutdown();
            throw new GraphUnavailableException("the embedded graph database in " + directory + " did not start: "
                    + rootMessage(e), e);
        }
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        service.shutdown();
    }

    // a copy of EmbeddedNeo4j.rootMessage: this class may live in another runtime package (another loader),
    // where package-private members of the library are out of reach
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }
}
