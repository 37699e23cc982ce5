package org.workbench.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * Writes the Jupyter kernelspec of the Workbench kernel: a directory {@code NAME} holding
 * {@code kernel.json} with {@code argv} = {@code [java, -cp, CLASSPATH, org.workbench.kernel.KernelMain,
 * "{connection_file}"]}, {@code display_name}, {@code language: java} and
 * {@code interrupt_mode: message} (Jupyter client documentation, "Kernel specs"). Message-mode
 * interrupts matter: with the default signal mode Jupyter's SIGINT would kill the JVM.
 *
 * <p>{@link #createCdsArchive} makes the dynamic AppCDS archive ({@value #CDS_ARCHIVE}) that
 * {@code workbench kernel install} puts next to {@code kernel.json} and names in {@code argv}
 * ({@code -XX:SharedArchiveFile}); it cuts the CPU time of a kernel start by about a quarter.
 */
public final class KernelSpecInstaller {
    /** Default kernelspec directory name. */
    public static final String DEFAULT_NAME = "workbench-java";
    /** Name shown in Jupyter's kernel menus. */
    public static final String DISPLAY_NAME = "Java (Workbench)";
    /** Main class the kernelspec starts. */
    public static final String MAIN_CLASS = KernelMain.class.getName();

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private KernelSpecInstaller() {
    }

    /**
     * The user's Jupyter data directory: {@code $JUPYTER_DATA_DIR} if set, else what
     * {@code jupyter --data-dir} prints if Jupyter is installed, else the XDG default
     * {@code $XDG_DATA_HOME/jupyter} or {@code ~/.local/share/jupyter} (Jupyter's rules on Linux).
     *
     * @param env environment variables
     * @param jupyterDataDir probe running {@code jupyter --data-dir}; empty if Jupyter is absent
     * @return the data directory; kernelspecs go to its {@code kernels} subdirectory
     */
    public static Path userDataDir(Map<String, String> env, java.util.function.Supplier<Optional<Path>> jupyterDataDir) {
        String d = env.get("JUPYTER_DATA_DIR");
        if (d != null && !d.isBlank()) {
            return Path.of(d).toAbsolutePath();
        }
        Optional<Path> probed = jupyterDataDir.get();
        if (probed.isPresent()) {
            return probed.get();
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "jupyter").toAbsolutePath();
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "jupyter");
    }

    /**
     * Runs {@code jupyter --data-dir}.
     *
     * @return the printed directory, or empty if {@code jupyter} is not on the PATH or fails
     */
    public static Optional<Path> probeJupyterDataDir() {
        try {
            Process p = new ProcessBuilder("jupyter", "--data-dir").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String s = new String(out, StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && !s.isEmpty() ? Optional.of(Path.of(s)) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The class path of this JVM as absolute paths, with the {@code Class-Path} manifest entries of
     * its jars added (so a launcher jar that only points at other jars still yields them).
     *
     * @return class path entries, in order, without duplicates
     */
    public static List<Path> currentClasspath() {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath().normalize();
            out.add(p);
            if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    Manifest mf = jar.getManifest();
                    String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        for (String ref : cp.trim().split("\\s+")) {
                            try {
                                URI u = p.getParent().toUri().resolve(ref);
                                out.add(Path.of(u).toAbsolutePath().normalize());
                            } catch (IllegalArgumentException ignored) {
                                // not a file reference
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // unreadable jar: keep the entry as is
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The JVM option that tells the kernel where the embedded graph server's jars are
     * ({@code -Dworkbench.graph.lib=DIR}, see {@link org.workbench.graph.GraphLibrary}). When the installing JVM
     * does not have the server on its class path but found a graph-lib directory (its own
     * {@code workbench.graph.lib} setting, or next to the workbench-lib jar), the kernelspec names that directory,
     * so the kernel finds it whatever its class path becomes (the AppCDS variant moves class directories into
     * the kernelspec directory) and whatever environment Jupyter starts it with.
     *
     * @param jvmOptions the options given so far; an explicit {@code -Dworkbench.graph.lib=} among them wins
     * @return the option, or empty when it is given already, the server is on the class path, or no graph-lib
     *         directory was found
     */
    public static Optional<String> graphLibOption(List<String> jvmOptions) {
        String prefix = "-D" + org.workbench.graph.GraphLibrary.LIB_PROPERTY + "=";
        if (jvmOptions.stream().anyMatch(o -> o.startsWith(prefix))
                || org.workbench.graph.GraphLibrary.serverOnClassPath()) {
            return Optional.empty();
        }
        return org.workbench.graph.GraphLibrary.locate().map(d -> prefix + d);
    }

    /**
     * The command line of the kernel.
     *
     * @param java path of the java executable
     * @param jvmOptions extra JVM options placed before {@code -cp} (e.g. {@code -Xmx4g})
     * @param classpath class path entries
     * @return the kernelspec argv, ending with the {@code {connection_file}} placeholder
     */
    public static List<String> argv(String java, List<String> jvmOptions, List<Path> classpath) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        argv.add(MAIN_CLASS);
        argv.add("{connection_file}");
        return argv;
    }

    /**
     * A class path and JVM options that start the kernel with a dynamic AppCDS archive.
     *
     * @param classpath the class path to use instead of the original (directories replaced by jars)
     * @param jvmOptions options to add: {@code -XX:SharedArchiveFile=ARCHIVE}, and
     *                   {@code -Dworkbench.sources=...} naming the Javadoc sources that were next to
     *                   the jarred class directories
     * @param archive the archive file
     */
    public record Cds(List<Path> classpath, List<String> jvmOptions, Path archive) {
    }

    /** File name of the class-data sharing archive in the kernelspec directory. */
    public static final String CDS_ARCHIVE = "workbench-kernel.jsa";

    /**
     * Creates a dynamic AppCDS archive (Java 13+ {@code -XX:ArchiveClassesAtExit}) of the classes a kernel
     * loads while it starts and runs its first cells, by running {@code KernelMain --cds-training} once.
     * The archive cuts kernel start time (JShell's compiler and the library classes load from it). CDS
     * archives only classes from jars, so each non-empty directory of the class path (e.g.
     * {@code kernel/target/classes}) is first copied into a jar in {@code dir}; re-run the installation
     * after rebuilding. A kernel whose jars changed since still starts, without the archive's gain (the
     * JVM checks jar sizes and times).
     *
     * @param java java executable
     * @param jvmOptions the kernel's JVM options (the archive is made with them)
     * @param classpath the kernel's class path
     * @param dir where the archive and jars go (the kernelspec directory)
     * @param timeoutSeconds longest time the training run may take
     * @return the class path and options to use, or empty if the archive could not be made (the
     *         reason is in {@code dir/cds-training.log})
     * @throws UncheckedIOException if {@code dir} cannot be written
     */
    public static Optional<Cds> createCdsArchive(String java, List<String> jvmOptions, List<Path> classpath,
            Path dir, long timeoutSeconds) {
        try {
            Files.createDirectories(dir);
            List<Path> cp = new ArrayList<>();
            List<String> sources = new ArrayList<>();
            int n = 0;
            for (Path p : classpath) {
                if (Files.isDirectory(p)) {
                    boolean empty;
                    try (java.util.stream.Stream<Path> s = Files.list(p)) {
                        empty = s.findAny().isEmpty();
                    }
                    if (empty) {
                        continue;
                    }
                    Path jar = dir.resolve("classes-" + (++n) + ".jar");
                    jarDirectory(p, jar);
                    cp.add(jar);
                    // JavadocLookup finds sources next to class directories: tell it where they were
                    Path src = p.toAbsolutePath().getParent() == null ? null
                            : p.toAbsolutePath().getParent().resolve(JavadocLookup.SOURCES_DIR);
                    if (src != null && Files.isDirectory(src)) {
                        try (java.util.stream.Stream<Path> s = Files.list(src)) {
                            s.filter(Files::isDirectory).sorted().map(Path::toString)
                                    .filter(x -> !sources.contains(x)).forEach(sources::add);
                        }
                    }
                } else if (Files.exists(p)) {
                    cp.add(p);
                }
            }
            Path archive = dir.resolve(CDS_ARCHIVE);
            Files.deleteIfExists(archive);
            Path log = dir.resolve("cds-training.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(jvmOptions);
            cmd.add("-XX:ArchiveClassesAtExit=" + archive);
            cmd.add("-cp");
            cmd.add(String.join(File.pathSeparator, cp.stream().map(Path::toString).toList()));
            cmd.add(MAIN_CLASS);
            cmd.add(KernelMain.CDS_TRAINING);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(archive)) {
                return Optional.empty();
            }
            List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive,
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            if (!sources.isEmpty()) {
                options.add("-D" + JavadocLookup.SOURCES_PROPERTY + "=" + String.join(File.pathSeparator, sources));
            }
            return Optional.of(new Cds(List.copyOf(cp), List.copyOf(options), archive));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the class-data sharing archive in " + dir + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void jarDirectory(Path dir, Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp));
             java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the java executable of this JVM */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Writes {@code kernelsDir/name/kernel.json}, replacing an existing spec of that name.
     *
     * @param kernelsDir the {@code kernels} directory (created if missing)
     * @param name kernelspec name: letters, digits, {@code . _ -}
     * @param displayName name shown by Jupyter
     * @param argv kernel command line, see {@link #argv}
     * @return the kernelspec directory
     * @throws IllegalArgumentException if the name is not a valid kernelspec name
     * @throws UncheckedIOException if the files cannot be written
     */
    public static Path install(Path kernelsDir, String name, String displayName, List<String> argv) {
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid kernel name '" + name
                    + "': use letters, digits, '.', '_' and '-' only");
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", displayName);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("env", Map.of());
        spec.put("metadata", Map.of("debugger", false));
        Path dir = kernelsDir.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("kernel.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(spec) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kernelspec in " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }
}
