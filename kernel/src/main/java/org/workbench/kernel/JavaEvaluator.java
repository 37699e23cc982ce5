package org.workbench.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;
import org.workbench.Workbench;

/**
 * Evaluates Java notebook cells with an in-process JShell, so the values of cells are real objects
 * of this JVM that can be displayed (and shared with the workbench library).
 *
 * <p>A cell may hold several declarations and statements; it is split into JShell snippets with
 * {@link SourceCodeAnalysis#analyzeCompletion} and they run in order until one fails. While the
 * cell runs, {@code System.out} and {@code System.err} are redirected to the {@link CellOutput}
 * passed to {@link #execute}. If the last snippet is an expression with a value (not a void call,
 * not an assignment, not ended by a semicolon: {@code table} is shown, {@code table;} is not), that
 * value is fetched through {@link ValueHolder} and rendered with the {@link Renderers} registry. Compile errors, exceptions and interrupts come back as
 * {@link CellError}s whose line numbers are lines of the cell (1-based), never JShell internals.
 *
 * <p>JShell runs the snippets in this JVM, so a snippet calling {@code System.exit} would end the kernel: such
 * snippets are refused before they run, with a {@link ExitGuard#ENAME} error (see {@link ExitGuard} for what is
 * found, and that calls made indirectly, e.g. inside libraries, are not).
 *
 * <p>Cells start with {@link #DEFAULT_IMPORTS} imported (imports of packages that do not exist on
 * the class path are skipped). JShell compiles against the JVM's class path
 * ({@code java.class.path}), and runs snippet classes in a loader whose parent is the application
 * class loader: the kernel must be started from the class path, as {@code bin/workbench} and the
 * installed kernelspec do.
 *
 * <p>Cells may hold {@link Magics} ({@code %%shell}, {@code %load}, {@code %classpath},
 * {@code %maven}, {@code %timeit}, {@code %%timeit}); they run here, so the kernel and the
 * headless {@link NotebookRunner} behave alike. {@link #interrupt} first interrupts the threads
 * JShell runs the cell in (blocking calls throw {@code InterruptedException}, work requests
 * {@code WorkCancelledException}), then, if the cell still runs after {@link #STOP_GRACE_MS},
 * stops it with {@code JShell.stop()}; either way the cell fails with {@code Interrupted}.
 * {@link org.workbench.Workbench}es opened by cells are remembered and closed by
 * {@link #closeCellWorkbenches()} and {@link #close()}.
 *
 * <p>One cell runs at a time ({@link #execute}, {@link #complete} and {@link #isComplete} are
 * synchronized); {@link #interrupt} may be called from any thread. The stdout/stderr redirection
 * is process-wide while a cell runs.
 */
public final class JavaEvaluator implements AutoCloseable {
    /** Packages every cell starts with, as on-demand imports. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "org.workbench.*",
            "org.workbench.frames.*",
            "org.workbench.zeeklog.*",
            "tech.tablesaw.api.*",
            "tech.tablesaw.aggregate.*",
            "org.workbench.synth.*",
            "org.workbench.graph.*",
            "java.util.*",
            "java.util.stream.*",
            "java.nio.file.*",
            "org.workbench.kernel.*",
            "static org.workbench.kernel.Display.display");

    /** Most stack frames shown per exception in a traceback. */
    public static final int MAX_FRAMES = 40;

    /** Interval, in milliseconds, at which output of a running cell is flushed to its {@link CellOutput}. */
    public static final long FLUSH_INTERVAL_MS = 100;

    /** Whether {@link #isComplete} considers a piece of code ready to run. */
    public enum Completeness {
        /** Complete statements: run it. */
        COMPLETE,
        /** Valid so far but unfinished, e.g. an open brace. */
        INCOMPLETE,
        /** Cannot become valid by adding text. */
        INVALID
    }

    /**
     * Completion candidates for the text between {@code start} and {@code end} of the cell.
     *
     * @param candidates replacement texts, best first, no duplicates
     * @param start cell offset (chars) where the replaced text starts
     * @param end cell offset (chars) where the replaced text ends (the cursor)
     */
    public record Completions(List<String> candidates, int start, int end) {
    }

    private record Location(String cell, int firstLine) {
    }

    private final JShell shell;
    private final Renderers renderers;
    private final List<String> imports;
    private final Map<String, Location> locations = new HashMap<>();
    private final ScheduledExecutorService flusher;
    private static final AtomicLong HANDOFF = new AtomicLong();
    private volatile boolean running;
    private volatile boolean interrupted;
    private final AtomicLong cellSerial = new AtomicLong();
    private volatile ThreadGroup execGroup;
    private volatile Process magicProcess;
    private final Set<Workbench> cellWorkbenches = new LinkedHashSet<>();
    private volatile MavenResolver maven;
    private volatile JavadocLookup javadoc;
    private volatile List<String> workerNames;

    /** An evaluator with {@link Renderers#defaults()} and {@link #DEFAULT_IMPORTS}. */
    public JavaEvaluator() {
        this(Renderers.defaults(), DEFAULT_IMPORTS);
    }

    /**
     * @param renderers how cell values are displayed
     * @param imports on-demand or single-type imports ({@code "java.util.*"}) applied before the
     *                first cell; those that do not compile (missing package) are skipped
     */
    public JavaEvaluator(Renderers renderers, List<String> imports) {
        this.renderers = renderers;
        this.shell = JShell.builder()
                .executionEngine(new LocalExecutionControlProvider(), Map.of())
                .build();
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workbench-cell-output");
            t.setDaemon(true);
            return t;
        });
        List<String> ok = new ArrayList<>();
        for (String imp : imports) {
            List<SnippetEvent> ev = shell.eval("import " + imp + ";");
            if (!ev.isEmpty() && ev.get(0).status().isDefined()) {
                ok.add(imp);
            }
        }
        this.imports = List.copyOf(ok);
        // work requests made by cells show live progress bars in the cell's output
        NotebookProgress.install();
    }

    /**
     * Compiles and runs an empty statement once so that the first real cell does not pay for
     * loading and compiling JShell's execution path (about a second). Leaves no variables.
     * Blocks other calls while it runs, like any cell.
     */
    public void warmUp() {
        // an empty cell: its only snippet is the one that records JShell's execution thread group
        execute("", "warm-up", CellOutput.DISCARD);
    }

    /**
     * Milliseconds {@link #interrupt} waits for a cell to end after interrupting its thread
     * (enough for code that checks {@link Thread#isInterrupted()}, such as work requests) before it
     * stops the cell's thread by force (needed for busy loops).
     */
    public static final long STOP_GRACE_MS = 2000;

    /** @return the imports that took effect, in order */
    public List<String> imports() {
        return imports;
    }

    /** @return the display registry used for cell values; register more renderers before use */
    public Renderers renderers() {
        return renderers;
    }

    /**
     * Runs one cell.
     *
     * @param code the cell's source
     * @param cellLabel how tracebacks of later cells name this cell, usually its execution count
     * @param output receives the cell's standard output and error while it runs
     * @return the displayed value or the error; never throws for failures of the cell's code
     */
    public synchronized CellResult execute(String code, String cellLabel, CellOutput output) {
        interrupted = false;
        Object lock = new Object();
        Forwarder out = new Forwarder(lock, output::stdout);
        Forwarder err = new Forwarder(lock, output::stderr);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream cellOut = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream cellErr = new PrintStream(err, false, StandardCharsets.UTF_8);
        ScheduledFuture<?> tick = flusher.scheduleWithFixedDelay(() -> {
            cellOut.flush();
            cellErr.flush();
        }, FLUSH_INTERVAL_MS, FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
        System.setOut(cellOut);
        System.setErr(cellErr);
        Display.setCurrent(new Display.Target() {
            @Override
            public void show(Object value, String displayId) {
                MimeBundle b = renderers.render(value);
                synchronized (lock) {
                    cellOut.flush();
                    cellErr.flush();
                    if (displayId == null) {
                        output.display(b);
                    } else {
                        output.display(b, displayId);
                    }
                }
            }

            @Override
            public void update(String displayId, Object value) {
                MimeBundle b = renderers.render(value);
                synchronized (lock) {
                    output.updateDisplay(displayId, b);
                }
            }

            @Override
            public Renderers renderers() {
                return renderers;
            }
        });
        running = true;
        cellSerial.incrementAndGet();
        Set<Workbench> before = new HashSet<>(Workbench.openInstances());
        try {
            return runCell(code, cellLabel, cellOut, cellErr);
        } catch (IllegalStateException e) {
            // JShell closed or its execution engine died
            return CellResult.failure(new CellError("KernelError", String.valueOf(e.getMessage()),
                    List.of("The Java engine failed: " + e.getMessage(), "Restart the kernel.")));
        } finally {
            running = false;
            magicProcess = null;
            synchronized (cellWorkbenches) {
                for (Workbench wb : Workbench.openInstances()) {
                    if (!before.contains(wb)) {
                        cellWorkbenches.add(wb);
                    }
                }
            }
            Display.setCurrent(null);
            tick.cancel(false);
            System.setOut(oldOut);
            System.setErr(oldErr);
            cellOut.flush();
            cellErr.flush();
        }
    }

    private CellResult run(String code, String cellLabel, PrintStream cellErr) {
        String rest = code;
        while (true) {
            int offset = code.length() - rest.length();
            if (interrupted) {
                return CellResult.failure(interruptedError(code, offset));
            }
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                return CellResult.success(null);
            }
            String src = info.source();
            String remaining = info.remaining();
            if (src == null || !info.completeness().isComplete()) {
                src = rest;
                remaining = "";
            }
            int skip = skipTrivia(src);
            if (skip >= src.length()) {
                if (remaining.isBlank()) {
                    return CellResult.success(null);
                }
                rest = remaining;
                continue;
            }
            offset += skip;
            src = src.substring(skip);
            int firstLine = lineOf(code, offset);
            boolean last = skipTrivia(remaining) >= remaining.length();
            // like IPython, a trailing semicolon on the last expression suppresses its display
            boolean quiet = code.substring(offset, code.length() - remaining.length()).strip().endsWith(";");

            // JShell runs snippets in this JVM: a snippet that calls System.exit would end the kernel (or the headless run)
            Optional<ExitGuard.Found> exit = ExitGuard.find(src);
            if (exit.isPresent()) {
                return CellResult.failure(exitRefused(code, offset + exit.get().offset(), exit.get()));
            }
            List<SnippetEvent> events = shell.eval(src);
            SnippetEvent main = null;
            for (SnippetEvent e : events) {
                if (e.causeSnippet() == null) {
                    main = e;
                    break;
                }
            }
            if (interrupted) {
                if (main != null && main.exception() != null) {
                    locations.put(main.snippet().id(), new Location(cellLabel, firstLine));
                    return CellResult.failure(interruptedBy(runtimeError(code, cellLabel, firstLine, main.exception())));
                }
                return CellResult.failure(interruptedError(code, offset));
            }
            if (main == null) {
                return CellResult.success(null);
            }
            Snippet sn = main.snippet();
            locations.put(sn.id(), new Location(cellLabel, firstLine));
            if (main.status() == Snippet.Status.REJECTED) {
                return CellResult.failure(compileError(code, offset, sn));
            }
            if (main.exception() != null) {
                return CellResult.failure(runtimeError(code, cellLabel, firstLine, main.exception()));
            }
            if (main.status() == Snippet.Status.RECOVERABLE_DEFINED
                    || main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                cellErr.println("warning (line " + firstLine + "): " + describe(sn)
                        + " cannot be used until " + unresolved(sn) + " is declared");
            }
            if (last) {
                return CellResult.success(quiet ? null : display(sn).orElse(null));
            }
            rest = remaining;
        }
    }

    /** The rendered value of a snippet, fetched as a real object, if the snippet has a value. */
    private Optional<MimeBundle> display(Snippet sn) {
        String name = null;
        if (sn instanceof VarSnippet v && sn.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
            name = v.name();
        } else if (sn instanceof ExpressionSnippet e && sn.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
            name = e.name();
        }
        if (name == null) {
            return Optional.empty();
        }
        String key = "v" + HANDOFF.incrementAndGet();
        List<SnippetEvent> ev = shell.eval(ValueHolder.class.getName() + ".put(\"" + key + "\", " + name + ");");
        if (ev.isEmpty() || ev.get(0).status() != Snippet.Status.VALID || ev.get(0).exception() != null) {
            // not expected for a defined variable: fall back to JShell's string form of the value
            return Optional.of(MimeBundle.text("<value of " + name + " unavailable>"));
        }
        return Optional.of(renderers.render(ValueHolder.take(key)));
    }

    /**
     * Stops the running cell, if any: its result becomes an {@code Interrupted} error. Safe to call
     * from any thread; does nothing when no cell runs.
     */
    public void interrupt() {
        if (!running) {
            return;
        }
        interrupted = true;
        Process p = magicProcess;
        if (p != null) {
            Magics.kill(p);
        }
        ThreadGroup g = execGroup;
        if (g != null) {
            // cooperative first: work requests and blocking calls end with WorkCancelledException / InterruptedException.
            // JShell may start each snippet in a new group of the same name, so groups are matched by name.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                ThreadGroup tg = t.getThreadGroup();
                if (tg != null && tg.getName().equals(g.getName())) {
                    t.interrupt();
                }
            }
        }
        long serial = cellSerial.get();
        flusher.schedule(() -> {
            if (running && cellSerial.get() == serial) {
                shell.stop();
            }
        }, g == null ? 0 : STOP_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Completion candidates at a cursor position (JShell's completion of the snippet under the cursor).
     *
     * @param code the whole cell
     * @param cursor offset in chars, 0..code.length()
     * @return candidates and the range they replace
     */
    public synchronized Completions complete(String code, int cursor) {
        int cur = Math.max(0, Math.min(cursor, code.length()));
        String before = code.substring(0, cur);
        Optional<Completions> workers = completeWorkerName(before);
        if (workers.isPresent()) {
            return workers.get();
        }
        int base = snippetStart(before);
        String piece = before.substring(base);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> sug =
                shell.sourceCodeAnalysis().completionSuggestions(piece, piece.length(), anchor);
        Set<String> out = new LinkedHashSet<>();
        sug.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> out.add(s.continuation()));
        sug.forEach(s -> out.add(s.continuation()));
        return new Completions(List.copyOf(out), base + anchor[0], cur);
    }

    /**
     * Whether a cell is ready to run, for front ends that ask before sending it.
     *
     * @param code the cell
     * @return the verdict on the last statement of the cell
     */
    public synchronized Completeness isComplete(String code) {
        List<Magics.Step> steps = Magics.parse(code);
        Magics.Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (last == null || last.kind() != Magics.Kind.JAVA) {
            return Completeness.COMPLETE; // a magic line, or a cell magic with its body
        }
        String rest = last.text();
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            switch (info.completeness()) {
                case EMPTY:
                    return Completeness.COMPLETE;
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return Completeness.INCOMPLETE;
                case UNKNOWN:
                    return Completeness.INVALID;
                default:
                    if (info.remaining().isBlank()) {
                        return Completeness.COMPLETE;
                    }
                    rest = info.remaining();
            }
        }
    }

    /** Closes JShell; the evaluator is unusable afterwards. */
    @Override
    public void close() {
        closeCellWorkbenches();
        flusher.shutdownNow();
        shell.close();
    }

    // ---------------------------------------------------------------- magics, interrupts, inspection

    /** Runs a cell's steps (Java code and magics, see {@link Magics}) in order until one fails. */
    private CellResult runCell(String code, String cellLabel, PrintStream cellOut, PrintStream cellErr) {
        if (execGroup == null) {
            captureExecGroup();
        }
        List<Magics.Step> steps = Magics.parse(code);
        if (steps.size() == 1 && steps.get(0).kind() == Magics.Kind.JAVA) {
            return run(code, cellLabel, cellErr);
        }
        CellResult result = CellResult.success(null);
        for (int i = 0; i < steps.size(); i++) {
            Magics.Step step = steps.get(i);
            if (interrupted) {
                return CellResult.failure(interruptedError(code, offsetOfLine(code, step.line())));
            }
            CellResult r;
            try {
                r = switch (step.kind()) {
                    case JAVA -> run(step.text(), cellLabel, cellErr);
                    case LINE_MAGIC -> lineMagic(step, code, cellLabel, cellOut, cellErr);
                    case CELL_MAGIC -> cellMagic(step, code, cellLabel, cellOut, cellErr);
                };
            } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                r = CellResult.failure(magicError(code, step.line(), e.getMessage()));
            }
            if (!r.ok()) {
                return r;
            }
            result = i == steps.size() - 1 && step.kind() == Magics.Kind.JAVA ? r : CellResult.success(null);
        }
        return result;
    }

    private CellResult lineMagic(Magics.Step step, String code, String cellLabel, PrintStream out, PrintStream err) {
        Path cwd = Path.of(System.getProperty("user.dir"));
        switch (step.name()) {
            case "load": {
                String file = step.args().strip();
                return run(Magics.load(file, cwd), "%load " + file, err);
            }
            case "classpath": {
                List<Path> entries = Magics.classpathEntries(step.args(), cwd);
                entries.forEach(this::addToClasspath);
                out.println("added to the class path: " + entries.stream().map(Path::toString)
                        .collect(Collectors.joining(", ")));
                return CellResult.success(null);
            }
            case "maven": {
                Magics.MavenArgs a = Magics.MavenArgs.parse(step.args());
                MavenResolver r = mavenResolver();
                for (String coordinate : a.coordinates()) {
                    List<Path> jars = r.resolve(coordinate, a.repos());
                    jars.forEach(this::addToClasspath);
                    out.println("added " + coordinate + " (" + jars.size() + (jars.size() == 1 ? " jar" : " jars")
                            + ") to the class path");
                }
                return CellResult.success(null);
            }
            case "timeit": {
                Magics.TimeitArgs a = Magics.TimeitArgs.parse(step.args());
                if (a.rest().isBlank()) {
                    throw new IllegalArgumentException("%timeit needs an expression, as in %timeit list.size()");
                }
                String timed = "\n".repeat(step.line() - 1) + Magics.timeitLine(a);
                return run(timed, cellLabel, err);
            }
            default:
                throw new IllegalArgumentException("unknown magic %" + step.name() + " (line magics: %"
                        + String.join(", %", Magics.LINE_MAGICS) + "; cell magics: %%"
                        + String.join(", %%", Magics.CELL_MAGICS) + ")");
        }
    }

    private CellResult cellMagic(Magics.Step step, String code, String cellLabel, PrintStream out, PrintStream err) {
        switch (step.name()) {
            case "shell": {
                int rc;
                try {
                    rc = Magics.shell(step.text(), Path.of(System.getProperty("user.dir")), out, err,
                            p -> magicProcess = p);
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("%%shell: cannot start bash: " + e.getMessage());
                } catch (InterruptedException e) {
                    return CellResult.failure(interruptedError(code, offsetOfLine(code, step.line())));
                } finally {
                    magicProcess = null;
                }
                if (interrupted) {
                    return CellResult.failure(interruptedError(code, offsetOfLine(code, step.line())));
                }
                if (rc != 0) {
                    String msg = "the %%shell script exited with status " + rc;
                    return CellResult.failure(new CellError("ShellError", msg, List.of("ShellError: " + msg)));
                }
                return CellResult.success(null);
            }
            case "timeit": {
                Magics.TimeitArgs a = Magics.TimeitArgs.parse(step.args());
                if (!a.rest().isBlank()) {
                    throw new IllegalArgumentException("%%timeit takes only -n and -r on its line; put the code"
                            + " below it, or use %timeit EXPRESSION");
                }
                return run(Magics.timeitCell(a, step.text(), step.line()), cellLabel, err);
            }
            default:
                throw new IllegalArgumentException("unknown cell magic %%" + step.name() + " (cell magics: %%"
                        + String.join(", %%", Magics.CELL_MAGICS) + ")");
        }
    }

    private CellError magicError(String code, int line, String message) {
        return new CellError("MagicError", message, List.of("MagicError: " + message, sourceLine(code, line)));
    }

    private static int offsetOfLine(String code, int line) {
        int off = 0;
        for (int l = 1; l < line && off >= 0; l++) {
            off = code.indexOf('\n', off) + 1;
            if (off == 0) {
                return code.length();
            }
        }
        return Math.max(0, off);
    }

    /** The error of a cell that was interrupted while it failed: named {@code Interrupted}, with the failure's trace. */
    private static CellError interruptedBy(CellError failure) {
        List<String> tb = new ArrayList<>();
        tb.add("Interrupted: the cell was stopped; it ended with " + failure.ename()
                + (failure.evalue().isEmpty() ? "" : ": " + failure.evalue()));
        tb.addAll(failure.traceback());
        return new CellError(CellError.INTERRUPTED, "cell interrupted: " + failure.ename()
                + (failure.evalue().isEmpty() ? "" : ": " + failure.evalue()), tb);
    }

    /** Records the thread group JShell runs snippets in (its name), so {@link #interrupt} can interrupt their threads. */
    private void captureExecGroup() {
        String key = "tg" + HANDOFF.incrementAndGet();
        List<SnippetEvent> ev = shell.eval(ValueHolder.class.getName() + ".put(\"" + key
                + "\", Thread.currentThread().getThreadGroup());");
        if (!ev.isEmpty() && ev.get(0).status() == Snippet.Status.VALID && ev.get(0).exception() == null) {
            Object g = ValueHolder.take(key);
            if (g instanceof ThreadGroup tg) {
                execGroup = tg;
            }
        }
    }

    /**
     * Adds a jar or class directory to the class path of later cells (compiler and class loader).
     *
     * @param entry an existing jar or directory
     */
    public synchronized void addToClasspath(Path entry) {
        shell.addToClasspath(entry.toAbsolutePath().toString());
    }

    /**
     * Replaces the resolver {@code %maven} uses (default: {@link MavenResolver#fromSystemProperties()}).
     *
     * @param resolver the resolver
     */
    public void mavenResolver(MavenResolver resolver) {
        this.maven = resolver;
    }

    private MavenResolver mavenResolver() {
        MavenResolver r = maven;
        if (r == null) {
            r = MavenResolver.fromSystemProperties();
            maven = r;
        }
        return r;
    }

    /**
     * Closes the {@link Workbench}es that cells opened and did not close (their stores and embedded
     * databases). Errors while closing one do not stop the others.
     *
     * @return how many were closed
     */
    public int closeCellWorkbenches() {
        List<Workbench> open;
        synchronized (cellWorkbenches) {
            open = new ArrayList<>(cellWorkbenches);
            cellWorkbenches.clear();
        }
        int n = 0;
        for (Workbench wb : open) {
            if (Workbench.openInstances().contains(wb)) {
                try {
                    wb.close();
                    n++;
                } catch (RuntimeException e) {
                    // keep closing the others
                }
            }
        }
        return n;
    }

    private static final Pattern WORKER_ARG = Pattern.compile(
            "\\b(?:workRequest|batchWorkRequest|batchWorkStream)\\s*\\(\\s*\"([A-Za-z0-9_]*)$");

    /** Worker names as completions inside the first string argument of a work request. */
    private Optional<Completions> completeWorkerName(String before) {
        Matcher m = WORKER_ARG.matcher(before);
        if (!m.find()) {
            return Optional.empty();
        }
        String prefix = m.group(1);
        List<String> names = workerNames().stream().filter(n -> n.startsWith(prefix)).toList();
        return Optional.of(new Completions(names, before.length() - prefix.length(), before.length()));
    }

    /**
     * @return the worker names (and aliases) of the newest open {@link Workbench}, or of a default
     *         workbench when none is open, sorted
     */
    public List<String> workerNames() {
        List<Workbench> open = Workbench.openInstances();
        if (!open.isEmpty()) {
            Workbench wb = open.get(open.size() - 1);
            Set<String> names = new java.util.TreeSet<>(wb.listWorkers());
            names.addAll(wb.registry().aliases().keySet());
            return List.copyOf(names);
        }
        List<String> cached = workerNames;
        if (cached == null) {
            Path tmp = null;
            try {
                tmp = java.nio.file.Files.createTempDirectory("workbench-names-");
                try (Workbench wb = Workbench.open(tmp)) {
                    Set<String> names = new java.util.TreeSet<>(wb.listWorkers());
                    names.addAll(wb.registry().aliases().keySet());
                    cached = List.copyOf(names);
                }
            } catch (java.io.IOException | RuntimeException e) {
                cached = List.of();
            } finally {
                deleteTree(tmp);
            }
            workerNames = cached;
        }
        return cached;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // temporary directory: best effort
        }
    }

    /**
     * Documentation of the symbol at a cursor position: JShell's signatures of the method, constructor
     * or type under (or just before) the cursor, each followed by its Javadoc (from the sources
     * {@link JavadocLookup} finds: the workbench's own, the JDK's {@code src.zip} when installed).
     *
     * @param code the cell
     * @param cursor offset in chars
     * @return plain text, empty when nothing is known about the symbol
     */
    public synchronized Optional<String> inspect(String code, int cursor) {
        int cur = Math.max(0, Math.min(cursor, code.length()));
        // extend to the end of the identifier under the cursor, and past its '(' if it is a call
        int end = cur;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int paren = end;
        while (paren < code.length() && code.charAt(paren) == ' ') {
            paren++;
        }
        List<Integer> tries = new ArrayList<>();
        if (paren < code.length() && code.charAt(paren) == '(') {
            tries.add(paren + 1);
        }
        tries.add(end);
        if (cur != end) {
            tries.add(cur);
        }
        for (int at : tries) {
            Optional<String> docs = documentationAt(code, at);
            if (docs.isPresent()) {
                return docs;
            }
        }
        if (end > 0 && (paren >= code.length() || code.charAt(paren) != '(')) {
            // a bare method name ("wb.workRequest"): JShell documents methods only inside a call
            return documentationAt(code.substring(0, end) + "(" + code.substring(end), end + 1);
        }
        return Optional.empty();
    }

    private Optional<String> documentationAt(String code, int at) {
        String before = code.substring(0, at);
        int base = snippetStart(before);
        String piece = code.substring(base);
        List<SourceCodeAnalysis.Documentation> docs;
        try {
            docs = shell.sourceCodeAnalysis().documentation(piece, at - base, true);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(d.signature());
            String doc = d.javadoc();
            if (doc == null || doc.isBlank()) {
                doc = javadocLookup().find(d.signature(), this::qualifiedTypeName).orElse(null);
            }
            if (doc != null && !doc.isBlank()) {
                sb.append("\n\n").append(doc.strip());
            }
        }
        return Optional.of(sb.toString());
    }

    /** Fully qualified name of a type name as the cells see it ({@code Workbench} -> {@code org.workbench.Workbench}). */
    private Optional<String> qualifiedTypeName(String simple) {
        try {
            for (SourceCodeAnalysis.Documentation d : shell.sourceCodeAnalysis().documentation(simple, simple.length(),
                    false)) {
                String sig = d.signature();
                int lt = sig.indexOf('<');
                return Optional.of(lt < 0 ? sig : sig.substring(0, lt));
            }
        } catch (RuntimeException ignored) {
            // unknown
        }
        return Optional.empty();
    }

    private JavadocLookup javadocLookup() {
        JavadocLookup j = javadoc;
        if (j == null) {
            j = JavadocLookup.defaults();
            javadoc = j;
        }
        return j;
    }

    // ---------------------------------------------------------------- helpers

    /** Offset in {@code before} where the snippet containing its end starts. */
    private int snippetStart(String before) {
        int base = 0;
        while (base < before.length()) {
            String rest = before.substring(base);
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            base += rest.length() - info.remaining().length();
        }
        return base;
    }

    private CellError interruptedError(String code, int offset) {
        int line = lineOf(code, Math.min(offset, code.length()));
        return new CellError(CellError.INTERRUPTED, "cell interrupted",
                List.of("Interrupted: the cell was stopped at or after line " + line + "."));
    }

    /** The error of a snippet refused by {@link ExitGuard}: its message, the line and a caret under the call. */
    private static CellError exitRefused(String code, int at, ExitGuard.Found found) {
        int line = lineOf(code, at);
        String msg = found.message() + " (line " + line + ")";
        List<String> tb = new ArrayList<>(List.of(ExitGuard.ENAME + ": " + msg));
        tb.addAll(pointAt(code, at));
        return new CellError(ExitGuard.ENAME, msg, tb);
    }

    /** Two traceback lines: the cell's line holding offset {@code at} ("   12 | code") and a caret under it. */
    private static List<String> pointAt(String code, int at) {
        int ls = code.lastIndexOf('\n', at - 1) + 1;
        int le = code.indexOf('\n', at);
        String prefix = String.format("%5d | ", lineOf(code, at));
        return List.of(prefix + code.substring(ls, le < 0 ? code.length() : le),
                " ".repeat(prefix.length() + Math.max(0, at - ls)) + "^");
    }

    private CellError compileError(String code, int offset, Snippet sn) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : shell.diagnostics(sn).collect(Collectors.toList())) {
            if (!d.isError()) {
                continue;
            }
            long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
            int abs = (int) Math.max(0, Math.min(code.length(), offset + Math.max(0, pos)));
            int line = lineOf(code, abs);
            List<String> msg = cleanMessage(d.getMessage(Locale.ROOT));
            if (first == null) {
                first = msg.get(0) + " (line " + line + ")";
            }
            tb.add("CompileError: line " + line + ": " + msg.get(0));
            for (int i = 1; i < msg.size(); i++) {
                tb.add("    " + msg.get(i));
            }
            tb.addAll(pointAt(code, abs));
        }
        if (first == null) {
            int line = lineOf(code, offset);
            first = "the code does not compile (line " + line + ")";
            tb.add("CompileError: line " + line + ": the code does not compile");
        }
        return new CellError(CellError.COMPILE_ERROR, first, tb);
    }

    /** Message lines without JShell's synthetic "location: class " lines. */
    private static List<String> cleanMessage(String msg) {
        List<String> out = new ArrayList<>();
        for (String l : msg.split("\n")) {
            String t = l.strip();
            if (t.startsWith("location:") && (t.equals("location: class") || t.contains("$JShell$")
                    || t.startsWith("location: class REPL"))) {
                continue;
            }
            if (!t.isEmpty()) {
                out.add(out.isEmpty() ? t : l.stripTrailing());
            }
        }
        if (out.isEmpty()) {
            out.add("compile error");
        }
        return out;
    }

    private CellError runtimeError(String code, String cellLabel, int snippetLine, JShellException ex) {
        if (ex instanceof UnresolvedReferenceException ure) {
            String what = describe(ure.getSnippet()) + " cannot be used until " + unresolved(ure.getSnippet())
                    + " is declared";
            return new CellError(CellError.UNRESOLVED, what + " (line " + snippetLine + ")",
                    List.of("UnresolvedReference: " + what, sourceLine(code, snippetLine)));
        }
        EvalException ee = (EvalException) ex;
        int failing = -1;
        List<String> tb = new ArrayList<>();
        Throwable t = ee;
        boolean top = true;
        while (t != null) {
            String cls = t instanceof EvalException e ? e.getExceptionClassName() : t.getClass().getName();
            String msg = withoutSnippetClasses(t.getMessage());
            tb.add((top ? "" : "Caused by: ") + cls + (msg == null ? "" : ": " + msg));
            StackTraceElement[] st = t.getStackTrace();
            int lastRepl = -1;
            for (int i = 0; i < st.length; i++) {
                if (replLocation(st[i]) != null) {
                    lastRepl = i;
                }
            }
            int end = lastRepl >= 0 ? lastRepl + 1 : st.length;
            for (int i = 0; i < end; i++) {
                StackTraceElement f = st[i];
                Location loc = replLocation(f);
                int line = loc == null ? -1 : loc.firstLine() + Math.max(1, f.getLineNumber()) - 1;
                if (loc != null && top && failing < 0 && loc.cell().equals(cellLabel)) {
                    failing = line;
                }
                if (i >= MAX_FRAMES) {
                    continue; // keep scanning for the failing line, but do not print
                }
                if (loc == null) {
                    tb.add("    at " + f);
                    continue;
                }
                String where = "cell " + loc.cell() + ", line " + line;
                String m = f.getMethodName();
                if (m != null && m.startsWith("lambda$")) {
                    m = "lambda";
                }
                tb.add("    at " + (m == null || m.isEmpty() || m.startsWith("do_it$") ? where : m + " (" + where + ")"));
            }
            if (end > MAX_FRAMES) {
                tb.add("    ... " + (end - MAX_FRAMES) + " more frames");
            }
            top = false;
            t = t.getCause();
        }
        if (failing < 0) {
            failing = snippetLine;
        }
        tb.add(sourceLine(code, failing));
        String msg = withoutSnippetClasses(ee.getMessage());
        return new CellError(ee.getExceptionClassName(), msg == null ? "" : msg, tb);
    }

    /** JShell's wrapper class names ({@code REPL.$JShell$31.}) out of a message: {@code "REPL.$JShell$31.o" is null} -> {@code "o" is null}. */
    static String withoutSnippetClasses(String msg) {
        return msg == null ? null : msg.replaceAll("REPL\\.\\$JShell\\$\\d+[A-Za-z]*\\.", "");
    }

    private Location replLocation(StackTraceElement f) {
        String id = snippetId(f);
        return id == null ? null : locations.get(id);
    }

    private static String snippetId(StackTraceElement f) {
        String file = f.getFileName();
        return file != null && file.startsWith("#") ? file.substring(1) : null;
    }

    private static String sourceLine(String code, int line) {
        String[] lines = code.split("\n", -1);
        String text = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        return String.format("%5d | %s", line, text) + "   <-- line " + line;
    }

    private String describe(Snippet sn) {
        if (sn instanceof DeclarationSnippet d) {
            return sn.kind().toString().toLowerCase(Locale.ROOT).replace("type_decl", "type") + " " + d.name();
        }
        return "snippet";
    }

    private String unresolved(Snippet sn) {
        if (sn instanceof DeclarationSnippet d) {
            List<String> deps = shell.unresolvedDependencies(d).collect(Collectors.toList());
            if (!deps.isEmpty()) {
                return String.join(", ", deps);
            }
        }
        return "its missing dependencies";
    }

    /** 1-based line of a char offset. */
    static int lineOf(String code, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < code.length(); i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Index of the first char that is not whitespace or a comment. */
    static int skipTrivia(String s) {
        int i = 0;
        while (i < s.length()) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
            } else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    return i;
                }
                i = end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * Byte sink that hands whole UTF-8 characters to a consumer when flushed. Both streams of a
     * cell share one lock so the consumer is never called concurrently.
     */
    private static final class Forwarder extends OutputStream {
        private final Object lock;
        private final Consumer<String> sink;
        private byte[] buf = new byte[1024];
        private int len;

        Forwarder(Object lock, Consumer<String> sink) {
            this.lock = lock;
            this.sink = sink;
        }

        @Override
        public void write(int b) {
            synchronized (lock) {
                ensure(1);
                buf[len++] = (byte) b;
            }
        }

        @Override
        public void write(byte[] b, int off, int n) {
            synchronized (lock) {
                ensure(n);
                System.arraycopy(b, off, buf, len, n);
                len += n;
                if (len >= 64 * 1024) {
                    flush();
                }
            }
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                byte[] nb = new byte[Math.max(buf.length * 2, len + n)];
                System.arraycopy(buf, 0, nb, 0, len);
                buf = nb;
            }
        }

        @Override
        public void flush() {
            synchronized (lock) {
                if (len == 0) {
                    return;
                }
                int end = completeUtf8(buf, len);
                if (end == 0) {
                    return;
                }
                String s = new String(buf, 0, end, StandardCharsets.UTF_8);
                System.arraycopy(buf, end, buf, 0, len - end);
                len -= end;
                try {
                    sink.accept(s);
                } catch (RuntimeException e) {
                    // a broken consumer must not fail the cell
                }
            }
        }

        /** Length of the longest prefix not ending inside a multi-byte UTF-8 sequence. */
        private static int completeUtf8(byte[] b, int len) {
            int i = len - 1;
            int back = 0;
            while (i >= 0 && back < 3 && (b[i] & 0xC0) == 0x80) {
                i--;
                back++;
            }
            if (i < 0) {
                return len;
            }
            int lead = b[i] & 0xFF;
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return (len - i) < need ? i : len;
        }
    }
}
