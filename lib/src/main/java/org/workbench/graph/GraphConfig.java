package org.workbench.graph;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.workbench.InvalidInputException;

/**
 * Where the graph store lives: an embedded Neo4j Community database in a directory (the default, started on
 * demand, no server needed) or an existing Neo4j server or cluster reached by a {@code bolt://}, {@code bolt+s://},
 * {@code bolt+ssc://}, {@code neo4j://}, {@code neo4j+s://} or {@code neo4j+ssc://} URI with a user name and
 * password. Either way every read and write goes through the Neo4j Java driver over Bolt.
 *
 * <p>{@link #resolve(Path)} reads the configuration the way the workbench does: the system properties
 * {@value #URI_PROPERTY}, {@value #USER_PROPERTY}, {@value #PASSWORD_PROPERTY} win over the environment
 * variables {@value #URI_ENV}, {@value #USER_ENV}, {@value #PASSWORD_ENV}; with no URI at all the graph is
 * embedded in the given directory.
 *
 * <p>Instances are immutable. {@link #toString()} never shows the password.
 */
public final class GraphConfig {
    /** System property: the Bolt URI of an existing server; unset means embedded. */
    public static final String URI_PROPERTY = "workbench.graph.uri";
    /** System property: the user name for {@value #URI_PROPERTY}. */
    public static final String USER_PROPERTY = "workbench.graph.user";
    /** System property: the password for {@value #URI_PROPERTY}. */
    public static final String PASSWORD_PROPERTY = "workbench.graph.password";
    /** Environment variable: the Bolt URI, used when {@value #URI_PROPERTY} is unset. */
    public static final String URI_ENV = "WORKBENCH_GRAPH_URI";
    /** Environment variable: the user name, used when {@value #USER_PROPERTY} is unset. */
    public static final String USER_ENV = "WORKBENCH_GRAPH_USER";
    /** Environment variable: the password, used when {@value #PASSWORD_PROPERTY} is unset. */
    public static final String PASSWORD_ENV = "WORKBENCH_GRAPH_PASSWORD";
    /** Page cache of the embedded database, bytes (32 MiB: the graphs of a few captures fit many times). */
    public static final long DEFAULT_PAGE_CACHE_BYTES = 32L * 1024 * 1024;

    private final Path directory;
    private final URI uri;
    private final String user;
    private final String password;
    private final long pageCacheBytes;

    private GraphConfig(Path directory, URI uri, String user, String password, long pageCacheBytes) {
        this.directory = directory;
        this.uri = uri;
        this.user = user;
        this.password = password;
        this.pageCacheBytes = pageCacheBytes;
    }

    /**
     * An embedded database whose files live in {@code directory} (created when absent); reopening the same
     * directory later finds the same graph.
     *
     * @param directory the database home directory
     * @return the configuration
     */
    public static GraphConfig embedded(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return new GraphConfig(directory.toAbsolutePath().normalize(), null, null, null, DEFAULT_PAGE_CACHE_BYTES);
    }

    /**
     * An existing server or cluster.
     *
     * @param uri a {@code bolt://} or {@code neo4j://} URI (also {@code +s} and {@code +ssc} variants), e.g.
     *            {@code bolt://localhost:7687}
     * @param user the user name, or null for a server with authentication off
     * @param password the password (null is read as empty when a user is given)
     * @return the configuration
     * @throws InvalidInputException when the URI is malformed or has another scheme
     */
    public static GraphConfig server(String uri, String user, String password) {
        Objects.requireNonNull(uri, "uri");
        URI u;
        try {
            u = new URI(uri.strip());
        } catch (URISyntaxException e) {
            throw new InvalidInputException("graph URI '" + uri + "' is malformed: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.matches("(bolt|neo4j)(\\+s|\\+ssc)?") || u.getHost() == null) {
            throw new InvalidInputException("graph URI '" + uri + "' must be bolt://HOST[:PORT] or neo4j://HOST[:PORT]");
        }
        String usr = user == null || user.isBlank() ? null : user;
        return new GraphConfig(null, u, usr, usr == null ? null : (password == null ? "" : password),
                DEFAULT_PAGE_CACHE_BYTES);
    }

    /**
     * The configuration from system properties and environment (see the class comment), embedded in
     * {@code embeddedDirectory} when no URI is configured.
     *
     * @param embeddedDirectory the embedded database's directory (the workbench uses {@code HOME/graph})
     * @return the configuration
     * @throws InvalidInputException when a configured URI is malformed
     */
    public static GraphConfig resolve(Path embeddedDirectory) {
        return resolve(embeddedDirectory, System.getenv());
    }

    /**
     * As {@link #resolve(Path)} with the given environment instead of the process's (for tests and tools).
     *
     * @param embeddedDirectory the embedded database's directory
     * @param env environment variables
     * @return the configuration
     */
    public static GraphConfig resolve(Path embeddedDirectory, Map<String, String> env) {
        String uri = setting(URI_PROPERTY, URI_ENV, env);
        if (uri == null) {
            return embedded(embeddedDirectory);
        }
        return server(uri, setting(USER_PROPERTY, USER_ENV, env), setting(PASSWORD_PROPERTY, PASSWORD_ENV, env));
    }

    private static String setting(String property, String envName, Map<String, String> env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = env.get(envName);
        }
        return v == null || v.isBlank() ? null : v;
    }

    /**
     * @param bytes the embedded database's page cache, bytes (at least 1 MiB)
     * @return a copy with that page cache (ignored for a server)
     */
    public GraphConfig withPageCache(long bytes) {
        if (bytes < 1024 * 1024) {
            throw new InvalidInputException("graph page cache must be at least 1 MiB, got " + bytes + " bytes");
        }
        return new GraphConfig(directory, uri, user, password, bytes);
    }

    /** @return whether this is an embedded database */
    public boolean isEmbedded() {
        return uri == null;
    }

    /** @return the embedded database's directory, or null for a server */
    public Path directory() {
        return directory;
    }

    /** @return the server URI, or null for an embedded database (whose URI is known once it runs) */
    public URI uri() {
        return uri;
    }

    /** @return the user name, or null for no authentication */
    public String user() {
        return user;
    }

    /** @return the password, or null for no authentication */
    String password() {
        return password;
    }

    /** @return the embedded page cache, bytes */
    public long pageCacheBytes() {
        return pageCacheBytes;
    }

    /** @return {@code embedded DIR} or {@code URI as USER}; never the password */
    @Override
    public String toString() {
        return isEmbedded() ? "embedded " + directory : uri + (user == null ? "" : " as " + user);
    }
}
