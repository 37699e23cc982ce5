package org.workbench.kernel;

import java.io.File;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

/**
 * Resolves a Maven coordinate with its runtime dependencies to jar files, for the {@code %maven} magic.
 * Uses Apache Maven Resolver ({@code maven-resolver-supplier-mvn3}) with Maven 3's scope and conflict
 * rules: a local repository (default {@code ~/.m2/repository}, system property
 * {@value #LOCAL_PROPERTY}) caches downloads; remote repositories default to Maven Central
 * ({@value #CENTRAL}), or the comma-separated URLs of system property {@value #REMOTES_PROPERTY}.
 */
public final class MavenResolver {
    /** Maven Central's URL. */
    public static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
    /** System property: local repository directory. */
    public static final String LOCAL_PROPERTY = "workbench.maven.local";
    /** System property: comma-separated remote repository URLs, replacing Maven Central. */
    public static final String REMOTES_PROPERTY = "workbench.maven.remotes";
    /** Connection timeout to a remote repository, milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 10_000;

    private final Path localRepository;
    private final List<String> remotes;

    /**
     * @param localRepository local repository directory (created when needed)
     * @param remotes remote repository URLs ({@code https://...}, {@code file:///...}), searched in order
     */
    public MavenResolver(Path localRepository, List<String> remotes) {
        this.localRepository = Objects.requireNonNull(localRepository, "localRepository");
        this.remotes = List.copyOf(remotes);
    }

    /** @return a resolver configured from the system properties, see the class comment */
    public static MavenResolver fromSystemProperties() {
        String local = System.getProperty(LOCAL_PROPERTY);
        Path l = local == null || local.isBlank()
                ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(local);
        String r = System.getProperty(REMOTES_PROPERTY);
        List<String> remotes = r == null || r.isBlank() ? List.of(CENTRAL)
                : List.of(r.trim().split("\\s*,\\s*"));
        return new MavenResolver(l, remotes);
    }

    /** @return the local repository directory */
    public Path localRepository() {
        return localRepository;
    }

    /** @return the remote repository URLs searched, in order */
    public List<String> remotes() {
        return remotes;
    }

    /**
     * Resolves one coordinate and its runtime dependencies (compile and runtime scopes, transitively).
     *
     * @param coordinate {@code groupId:artifactId:version}, or
     *                   {@code groupId:artifactId:extension[:classifier]:version}
     * @param extraRemotes more repository URLs searched before the configured ones
     * @return the jar files, the requested artifact first
     * @throws IllegalArgumentException if the coordinate is malformed, does not exist in the
     *                                  repositories, or a repository cannot be reached (the message
     *                                  says which)
     */
    public List<Path> resolve(String coordinate, List<String> extraRemotes) {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + coordinate
                    + "' is not a Maven coordinate (expected groupId:artifactId:version)");
        }
        List<String> urls = new ArrayList<>(extraRemotes);
        urls.addAll(remotes);
        List<RemoteRepository> repos = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String id = urls.get(i).equals(CENTRAL) ? "central" : "repo" + (i + 1);
            repos.add(new RemoteRepository.Builder(id, "default", urls.get(i)).build());
        }
        RepositorySystem system = new RepositorySystemSupplier().get();
        try {
            RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(system).get();
            builder.withLocalRepositoryBaseDirectories(localRepository)
                    .setSystemProperties(System.getProperties())
                    // a failed look-up is not remembered: the next try asks the repository again
                    .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false))
                    .setConfigProperty(ConfigurationProperties.CONNECT_TIMEOUT, CONNECT_TIMEOUT_MS)
                    .setConfigProperty(ConfigurationProperties.REQUEST_TIMEOUT, 60_000);
            try (RepositorySystemSession.CloseableSession session = builder.build()) {
                CollectRequest collect = new CollectRequest(new Dependency(artifact, "runtime"), repos);
                DependencyRequest request = new DependencyRequest(collect,
                        DependencyFilterUtils.classpathFilter("runtime"));
                List<Path> jars = new ArrayList<>();
                for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
                    File f = r.getArtifact() == null ? null : r.getArtifact().getFile();
                    if (f != null) {
                        jars.add(f.toPath());
                    }
                }
                return jars;
            }
        } catch (DependencyResolutionException | RuntimeException e) {
            throw explain(coordinate, urls, e);
        } finally {
            system.shutdown();
        }
    }

    private IllegalArgumentException explain(String coordinate, List<String> urls, Exception e) {
        String where = String.join(", ", urls) + " (local repository " + localRepository + ")";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof ConnectException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return new IllegalArgumentException("cannot resolve " + coordinate + ": the repository could not"
                        + " be reached (offline? " + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "); searched " + where, e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactNotFoundException || String.valueOf(t.getMessage()).contains("Could not find")
                    || String.valueOf(t.getMessage()).contains("not found")) {
                return new IllegalArgumentException("cannot resolve " + coordinate + ": it does not exist in "
                        + where + " (" + firstLine(t.getMessage()) + ")", e);
            }
        }
        String causes = chain(e);
        return new IllegalArgumentException("cannot resolve " + coordinate + " from " + where + ": " + causes, e);
    }

    private static String chain(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            parts.add(firstLine(String.valueOf(t.getMessage())));
        }
        return parts.stream().distinct().collect(Collectors.joining(": "));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
