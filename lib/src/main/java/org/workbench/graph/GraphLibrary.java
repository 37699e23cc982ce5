package org.workbench.graph;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where the embedded Neo4j server's classes come from. The library depends on Neo4j only optionally: an
 * application with the server on its class path (the library's own tests, any program that adds
 * {@code org.neo4j:neo4j}) starts it from there; the Workbench kernel and command line keep the server's ~240
 * jars off their class path (a long class path makes every kernel start slower: JShell's compiler opens each
 * jar) and load them, only when an embedded graph is opened, from the graph-lib directory in an isolating class
 * loader. That directory is, in order: the system property {@value #LIB_PROPERTY}, the environment variable
 * {@value #LIB_ENV}, or {@code ../graph-lib} next to the directory of the running workbench-lib jar (the build
 * writes {@code kernel/target/graph-lib} beside {@code kernel/target/lib}).
 *
 * <p>The isolating loader is a {@link URLClassLoader} over the directory's jars whose parent is the loader of
 * this library; it delegates to the parent first (so the Neo4j driver, Netty and this library are shared),
 * except for the one class that links the server's API ({@code EmbeddedNeo4jServer}), which it defines itself
 * from the parent's class file so that it resolves the server classes in the graph-lib jars. One loader per
 * directory is kept for the life of the JVM (a database can be reopened without loading its classes again).
 */
public final class GraphLibrary {
    /** System property naming the graph-lib directory (the embedded Neo4j server's jars). */
    public static final String LIB_PROPERTY = "workbench.graph.lib";
    /** Environment variable naming the graph-lib directory, used when {@value #LIB_PROPERTY} is not set. */
    public static final String LIB_ENV = "WORKBENCH_GRAPH_LIB";
    /** Name of the default graph-lib directory, a sibling of the directory holding the workbench-lib jar. */
    public static final String DIRECTORY_NAME = "graph-lib";

    static final String SERVER_CLASS = "org.workbench.graph.EmbeddedNeo4jServer";
    static final String BUILDER_CLASS = "org.neo4j.dbms.api.DatabaseManagementServiceBuilder";

    private static final Map<Path, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private GraphLibrary() {
    }

    /** @return whether the Neo4j server (its {@code DatabaseManagementServiceBuilder}) is on this library's class path */
    public static boolean serverOnClassPath() {
        try {
            Class.forName(BUILDER_CLASS, false, GraphLibrary.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The graph-lib directory this JVM would use: the {@value #LIB_PROPERTY} system property, else the
     * {@value #LIB_ENV} environment variable, else {@value #DIRECTORY_NAME} next to the directory of the
     * workbench-lib jar. It need not exist.
     *
     * @return the absolute, normalized directory, or empty when nothing is set and the library does not run
     *         from a jar
     */
    public static Optional<Path> libDirectory() {
        return libDirectory(System.getProperty(LIB_PROPERTY), System.getenv(LIB_ENV), libraryJar());
    }

    static Optional<Path> libDirectory(String property, String env, Path libraryJar) {
        for (String s : new String[] {property, env}) {
            if (s != null && !s.isBlank()) {
                return Optional.of(Path.of(s.strip()).toAbsolutePath().normalize());
            }
        }
        if (libraryJar != null && libraryJar.getParent() != null && libraryJar.getParent().getParent() != null) {
            return Optional.of(libraryJar.getParent().resolveSibling(DIRECTORY_NAME).toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    /**
     * The graph-lib directory if it exists and holds jars (see {@link #libDirectory()}).
     *
     * @return the directory, or empty
     */
    public static Optional<Path> locate() {
        return libDirectory().filter(d -> !jars(d).isEmpty());
    }

    /** @return the workbench-lib jar this class was loaded from, or null (a class directory, unknown) */
    private static Path libraryJar() {
        try {
            CodeSource cs = GraphLibrary.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null || !"file".equals(cs.getLocation().getProtocol())) {
                return null;
            }
            Path p = Path.of(cs.getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static List<Path> jars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The class loader to start the embedded server with: this library's own when the server is on its class
     * path, else the isolating loader over the graph-lib directory.
     *
     * @throws GraphUnavailableException naming the {@value #LIB_PROPERTY} property and the directory looked at
     *         when the server is neither on the class path nor in a graph-lib directory
     */
    static ClassLoader serverLoader() {
        ClassLoader own = GraphLibrary.class.getClassLoader();
        if (serverOnClassPath()) {
            return own;
        }
        Optional<Path> dir = libDirectory();
        List<Path> jars = dir.map(GraphLibrary::jars).orElse(List.of());
        if (jars.isEmpty()) {
            throw new GraphUnavailableException("the embedded graph database needs the Neo4j server's jars, which"
                    + " are not on the class path and not in "
                    + dir.map(d -> "the graph-lib directory " + d + (Files.isDirectory(d) ? " (no jars in it)"
                            : " (missing)")).orElse("a graph-lib directory (none set; the library is not run"
                            + " from a jar)")
                    + ": set the system property " + LIB_PROPERTY + " (or the environment variable " + LIB_ENV
                    + ") to the directory holding them (the build writes kernel/target/" + DIRECTORY_NAME
                    + "), or use a graph server instead of the embedded database by setting "
                    + GraphConfig.URI_PROPERTY + " (or " + GraphConfig.URI_ENV + ") to its bolt:// or neo4j:// URI",
                    null);
        }
        return LOADERS.computeIfAbsent(dir.get(), d -> new IsolatingLoader(urls(jars), own));
    }

    private static URL[] urls(List<Path> jars) {
        List<URL> out = new ArrayList<>();
        for (Path j : jars) {
            try {
                out.add(j.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("jar path " + j + " is not a URL: " + e.getMessage(), e);
            }
        }
        return out.toArray(URL[]::new);
    }

    /**
     * Starts the embedded server with the given loader's {@code EmbeddedNeo4jServer}.
     *
     * @throws GraphUnavailableException when the database cannot start, or the loader's Neo4j classes are
     *         incomplete (a graph-lib directory of another build)
     */
    static EmbeddedServer startServer(ClassLoader loader, Path directory, long pageCacheBytes, boolean auth) {
        try {
            Class<?> c = Class.forName(SERVER_CLASS, true, loader);
            Method start = c.getDeclaredMethod("start", Path.class, long.class, boolean.class);
            start.setAccessible(true);
            return (EmbeddedServer) start.invoke(null, directory, pageCacheBytes, auth);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof LinkageError l) {
                throw incomplete(loader, l);
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new GraphUnavailableException("cannot start the embedded graph database in " + directory + ": "
                    + EmbeddedNeo4j.rootMessage(t), t);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw incomplete(loader, e);
        }
    }

    private static GraphUnavailableException incomplete(ClassLoader loader, Throwable e) {
        String where = loader instanceof IsolatingLoader il ? "the graph-lib jars (" + il.describe() + ")"
                : "the class path";
        return new GraphUnavailableException("the Neo4j server classes in " + where + " are incomplete or of"
                + " another version than this library expects: " + e, e);
    }

    /**
     * Runs {@code action} with {@code loader} as the current thread's context class loader (the threads the
     * database starts inherit it; Neo4j finds its services through it).
     */
    static <T> T withContextLoader(ClassLoader loader, Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Parent first, except for the server class, which it defines from the parent's class file. */
    static final class IsolatingLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        IsolatingLoader(URL[] urls, ClassLoader parent) {
            super("workbench-graph-lib", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(SERVER_CLASS)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes;
                    String file = name.replace('.', '/') + ".class";
                    try (InputStream in = getParent().getResourceAsStream(file)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name + " (no " + file + " in the parent loader)");
                        }
                        bytes = in.readAllBytes();
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name + ": " + e.getMessage(), e);
                    }
                    c = defineClass(name, bytes, 0, bytes.length, GraphLibrary.class.getProtectionDomain());
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        String describe() {
            URL[] u = getURLs();
            return u.length + " jars, e.g. " + (u.length == 0 ? "none" : u[0].getPath());
        }
    }
}
