package org.workbench.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The magics of Workbench notebooks: how a cell is split into Java code and magic commands, and
 * the magics that do not run Java code. {@link JavaEvaluator} runs the steps, so magics work
 * the same in the Jupyter kernel and in the headless {@link NotebookRunner}.
 *
 * <ul>
 * <li>{@code %%shell} (first line of a cell): the rest of the cell is a bash script; its output
 *     streams to the cell; a non-zero exit status fails the cell.</li>
 * <li>{@code %%timeit [-n LOOPS] [-r RUNS]}: times the rest of the cell (Java statements).</li>
 * <li>{@code %timeit [-n LOOPS] [-r RUNS] EXPRESSION}: times one expression or statement.</li>
 * <li>{@code %load FILE}: runs the Java code of a file (relative to the working directory).</li>
 * <li>{@code %classpath PATH|GLOB ...}: adds jars or class directories; a glob such as
 *     {@code lib/*.jar} must match at least one file.</li>
 * <li>{@code %maven [--repo URL]... GROUP:ARTIFACT:VERSION ...}: adds an artifact and its
 *     runtime dependencies, resolved by {@link MavenResolver}.</li>
 * </ul>
 * Line magics stand on lines of their own and run in order with the Java code around them.
 */
public final class Magics {
    /** Magics written {@code %name}. */
    public static final List<String> LINE_MAGICS = List.of("load", "classpath", "maven", "timeit");
    /** Magics written {@code %%name} on the first line of a cell. */
    public static final List<String> CELL_MAGICS = List.of("shell", "timeit");

    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z]\\w*)(?:\\s+(.*))?$");
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z]\\w*)(?:\\s+(.*))?$");

    private Magics() {
    }

    /** What a step of a cell does. */
    public enum Kind {
        /** Java code: {@link Step#text} is the cell with the other steps' lines blanked. */
        JAVA,
        /** A line magic: {@link Step#name} and {@link Step#args}. */
        LINE_MAGIC,
        /** A cell magic: {@link Step#name}, {@link Step#args} and the {@link Step#text body}. */
        CELL_MAGIC
    }

    /**
     * One step of a cell.
     *
     * @param kind what it is
     * @param name magic name without {@code %}, null for Java
     * @param args magic arguments (rest of the magic's line, trimmed), empty for Java
     * @param text Java code, with blank lines in front so that line numbers are the cell's; or a
     *             cell magic's body
     * @param line 1-based cell line where the step starts (for a cell magic: its {@code %%} line)
     */
    public record Step(Kind kind, String name, String args, String text, int line) {
    }

    /**
     * Splits a cell into steps.
     *
     * @param code the cell
     * @return steps in order; a cell without magics is one {@link Kind#JAVA} step holding the cell
     */
    public static List<Step> parse(String code) {
        String[] lines = code.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length) {
            Matcher m = CELL_MAGIC.matcher(lines[first]);
            if (m.matches()) {
                StringBuilder body = new StringBuilder();
                for (int i = first + 1; i < lines.length; i++) {
                    body.append(lines[i]);
                    if (i < lines.length - 1) {
                        body.append('\n');
                    }
                }
                return List.of(new Step(Kind.CELL_MAGIC, m.group(1), args(m.group(2)), body.toString(), first + 1));
            }
        }
        List<Step> steps = new ArrayList<>();
        int javaStart = -1;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LINE_MAGIC.matcher(lines[i]);
            if (m.matches() && !lines[i].strip().startsWith("%%")) {
                if (javaStart >= 0) {
                    steps.add(java(lines, javaStart, i));
                    javaStart = -1;
                }
                steps.add(new Step(Kind.LINE_MAGIC, m.group(1), args(m.group(2)), "", i + 1));
            } else if (javaStart < 0) {
                javaStart = i;
            }
        }
        if (javaStart >= 0) {
            steps.add(java(lines, javaStart, lines.length));
        }
        if (steps.size() == 1 && steps.get(0).kind() == Kind.JAVA) {
            return List.of(new Step(Kind.JAVA, null, "", code, 1));
        }
        return steps;
    }

    private static String args(String s) {
        return s == null ? "" : s.strip();
    }

    private static Step java(String[] lines, int from, int to) {
        StringBuilder sb = new StringBuilder("\n".repeat(from));
        for (int i = from; i < to; i++) {
            sb.append(lines[i]);
            if (i < to - 1) {
                sb.append('\n');
            }
        }
        return new Step(Kind.JAVA, null, "", sb.toString(), from + 1);
    }

    /**
     * Options of {@code %timeit}: {@code [-n LOOPS] [-r RUNS] REST}.
     *
     * @param loops loops per run, 0 = automatic
     * @param runs runs
     * @param rest the code after the options
     */
    public record TimeitArgs(int loops, int runs, String rest) {
        /**
         * @param args the magic's arguments
         * @return the parsed options
         * @throws IllegalArgumentException if {@code -n} or {@code -r} lacks a positive number
         */
        public static TimeitArgs parse(String args) {
            int loops = 0;
            int runs = TimeIt.DEFAULT_RUNS;
            String rest = args.strip();
            while (rest.startsWith("-n") || rest.startsWith("-r")) {
                Matcher m = Pattern.compile("^-([nr])\\s*(\\d+)\\s*(.*)$", Pattern.DOTALL).matcher(rest);
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1) {
                    throw new IllegalArgumentException("%timeit: option " + rest.substring(0, 2)
                            + " needs a positive number, as in %timeit -n 100 -r 5 EXPRESSION");
                }
                if (m.group(1).equals("n")) {
                    loops = Integer.parseInt(m.group(2));
                } else {
                    runs = Integer.parseInt(m.group(2));
                }
                rest = m.group(3).strip();
            }
            return new TimeitArgs(loops, runs, rest);
        }
    }

    /**
     * Java source of a {@code %timeit} line: one line that measures and prints.
     *
     * @param a parsed options; {@code rest} is the expression or statement
     * @return the statement
     */
    static String timeitLine(TimeitArgs a) {
        String expr = a.rest().strip();
        while (expr.endsWith(";")) {
            expr = expr.substring(0, expr.length() - 1).strip();
        }
        return TimeIt.class.getName() + ".report(" + TimeIt.class.getName() + ".measure(" + a.loops() + ", "
                + a.runs() + ", () -> " + expr + "));";
    }

    /**
     * Java source of a {@code %%timeit} cell whose magic line is {@code magicLine} (1-based): the body
     * keeps its line numbers.
     *
     * @param a parsed options
     * @param body the cell's statements
     * @param magicLine line of the {@code %%timeit}
     * @return the code
     */
    static String timeitCell(TimeitArgs a, String body, int magicLine) {
        return "\n".repeat(magicLine - 1) + TimeIt.class.getName() + ".report(" + TimeIt.class.getName()
                + ".measure(" + a.loops() + ", " + a.runs() + ", () -> {\n" + body + "\n}));";
    }

    /**
     * Expands the arguments of {@code %classpath}.
     *
     * @param args whitespace-separated paths or globs ({@code *}, {@code ?}, {@code [..]}, {@code **}),
     *             relative to {@code base}
     * @param base directory relative paths start from
     * @return existing files or directories, in argument order, globs sorted
     * @throws IllegalArgumentException naming the argument that matches nothing
     */
    public static List<Path> classpathEntries(String args, Path base) {
        if (args.isBlank()) {
            throw new IllegalArgumentException("%classpath needs a jar, a class directory or a glob such as lib/*.jar");
        }
        List<Path> out = new ArrayList<>();
        for (String a : args.trim().split("\\s+")) {
            String expanded = a.startsWith("~/") ? System.getProperty("user.home") + a.substring(1) : a;
            if (!expanded.matches(".*[*?\\[].*")) {
                Path p = base.resolve(expanded).toAbsolutePath().normalize();
                if (!Files.exists(p)) {
                    throw new IllegalArgumentException("%classpath: " + a + " does not exist (looked at " + p + ")");
                }
                out.add(p);
                continue;
            }
            Path abs = base.resolve(expanded).toAbsolutePath().normalize();
            // walk from the last directory before the first glob character
            String s = abs.toString();
            int g = s.length();
            for (char c : new char[] {'*', '?', '['}) {
                int i = s.indexOf(c);
                if (i >= 0) {
                    g = Math.min(g, i);
                }
            }
            Path root = Path.of(s.substring(0, s.lastIndexOf('/', g) + 1));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + s);
            List<Path> found = new ArrayList<>();
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root, s.contains("**") ? Integer.MAX_VALUE
                        : (int) s.substring(root.toString().length()).chars().filter(c -> c == '/').count())) {
                    walk.filter(matcher::matches).sorted().forEach(found::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("%classpath: cannot list " + root + ": " + e.getMessage(), e);
                }
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException("%classpath: " + a + " matches no file (looked in " + root + ")");
            }
            out.addAll(found);
        }
        return out;
    }

    /**
     * Arguments of {@code %maven}: {@code [--repo URL]... COORDINATE...}.
     *
     * @param repos extra repository URLs
     * @param coordinates Maven coordinates
     */
    public record MavenArgs(List<String> repos, List<String> coordinates) {
        /**
         * @param args the magic's arguments
         * @return the parsed arguments
         * @throws IllegalArgumentException when no coordinate is given or {@code --repo} lacks a URL
         */
        public static MavenArgs parse(String args) {
            List<String> repos = new ArrayList<>();
            List<String> coords = new ArrayList<>();
            String[] t = args.isBlank() ? new String[0] : args.trim().split("\\s+");
            for (int i = 0; i < t.length; i++) {
                if (t[i].equals("--repo")) {
                    if (i + 1 >= t.length) {
                        throw new IllegalArgumentException("%maven: --repo needs a repository URL");
                    }
                    repos.add(t[++i]);
                } else if (t[i].startsWith("--repo=")) {
                    repos.add(t[i].substring("--repo=".length()));
                } else {
                    coords.add(t[i]);
                }
            }
            if (coords.isEmpty()) {
                throw new IllegalArgumentException("%maven needs a coordinate such as org.jsoup:jsoup:1.17.2");
            }
            return new MavenArgs(repos, coords);
        }
    }

    /**
     * Runs a bash script, streaming its output.
     *
     * @param script the script
     * @param dir working directory
     * @param out receives standard output
     * @param err receives standard error
     * @param started receives the process as soon as it runs, so that it can be stopped
     * @return the exit status
     * @throws IOException if bash cannot be started
     * @throws InterruptedException if the waiting thread is interrupted (the process is then killed)
     */
    public static int shell(String script, Path dir, PrintStream out, PrintStream err,
            java.util.function.Consumer<Process> started) throws IOException, InterruptedException {
        Path file = Files.createTempFile("workbench-shell-", ".sh");
        try {
            Files.writeString(file, script + "\n");
            Process p = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            started.accept(p);
            Thread o = pump(p.getInputStream(), out);
            Thread e = pump(p.getErrorStream(), err);
            try {
                int rc = p.waitFor();
                o.join();
                e.join();
                return rc;
            } catch (InterruptedException ie) {
                kill(p);
                throw ie;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Kills a process and its descendants.
     *
     * @param p the process
     */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static Thread pump(InputStream in, PrintStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // process killed
            }
        }, "workbench-shell-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Reads the file of {@code %load}.
     *
     * @param args the file name
     * @param base directory relative names start from
     * @return the file's code, a leading {@code package} declaration blanked (line numbers kept)
     * @throws IllegalArgumentException if the file is missing or unreadable
     */
    public static String load(String args, Path base) {
        if (args.isBlank()) {
            throw new IllegalArgumentException("%load needs a file name, as in %load helpers.java");
        }
        Path p = base.resolve(args.strip()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("%load: file not found: " + args.strip() + " (looked at " + p + ")");
        }
        try {
            String code = Files.readString(p, StandardCharsets.UTF_8);
            return code.replaceFirst("(?m)^\\s*package\\s+[\\w.]+\\s*;", "");
        } catch (IOException e) {
            throw new IllegalArgumentException("%load: cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
