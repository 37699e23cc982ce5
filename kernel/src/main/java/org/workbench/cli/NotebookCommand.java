package org.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.workbench.kernel.JavaEvaluator;
import org.workbench.kernel.NotebookHtml;
import org.workbench.kernel.NotebookProgress;
import org.workbench.kernel.NotebookRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code workbench notebook ...}: work with notebooks without Jupyter. */
@Command(name = "notebook", description = "Run notebooks headless (no Jupyter or Python needed).",
        mixinStandardHelpOptions = true, subcommands = {NotebookCommand.Run.class})
public final class NotebookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * {@code workbench notebook run NOTEBOOK [-o OUT.ipynb] [--html OUT.html]}: executes the code cells with the
     * kernel's evaluator ({@link NotebookRunner}) and writes the executed notebook; with {@code --html} also a
     * standalone HTML page of it ({@link NotebookHtml}), and then the executed notebook goes beside the page
     * ({@code OUT.ipynb} next to {@code OUT.html}) unless {@code -o} says otherwise. Long work requests show
     * progress bars in the cells' outputs ({@link NotebookProgress}). Exit status 1 if a cell failed (the
     * notebook and the page are still written, with the error).
     */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Execute a notebook's Java cells and write the executed notebook.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "NOTEBOOK", description = "The .ipynb file to run.")
        Path notebook;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.ipynb",
                description = "Where to write the executed notebook (default: NAME.out.ipynb next to the input).")
        Path output;

        @Option(names = "--html", paramLabel = "OUT.html",
                description = "Also write the executed notebook as a standalone HTML page (no external resources); "
                        + "the executed notebook then goes to OUT.ipynb beside it unless -o is given.")
        Path html;

        @Option(names = "--allow-errors", description = "Keep running after a failing cell; the errors stay in the executed notebook and the exit status is 0.")
        boolean allowErrors;

        @Option(names = "--timeout", paramLabel = "SECONDS",
                description = "Interrupt a cell that runs longer than this (default: no limit).")
        Long timeoutSeconds;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (Files.isDirectory(notebook)) {
                throw new CliException(notebook + ": is a directory, not a notebook file");
            }
            if (!Files.isRegularFile(notebook)) {
                throw new CliException("notebook not found: " + notebook);
            }
            Path out = output != null ? output
                    : html != null ? besideHtml(html) : NotebookRunner.defaultOutput(notebook);
            if (output == null && sameFile(out, notebook)) {
                // never replace the notebook that is run with its executed copy unless -o asks for it
                out = NotebookRunner.defaultOutput(notebook);
            }
            if (html != null && Files.isDirectory(html)) {
                throw new CliException("--html " + html + ": is a directory; give the HTML file to write");
            }
            createParent(out);
            if (html != null) {
                createParent(html);
            }
            if (timeoutSeconds != null && timeoutSeconds <= 0) {
                throw new CliException("--timeout must be a positive number of seconds");
            }
            NotebookRunner.Report report;
            NotebookProgress.install();
            // Cells calling System.exit directly are refused (ExitGuard); a call the check cannot see (through a
            // variable, reflection, a library) still ends this JVM: say so instead of ending in silence.
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            PrintWriter err = spec.commandLine().getErr();
            Thread exitNote = new Thread(() -> {
                if (running.get()) {
                    err.println("workbench: a cell of " + notebook + " ended the process (System.exit or"
                            + " Runtime.exit/halt); the run stopped there and no executed notebook was written");
                    err.flush();
                }
            }, "workbench-notebook-exit-note");
            Runtime.getRuntime().addShutdownHook(exitNote);
            try (JavaEvaluator evaluator = new JavaEvaluator()) {
                NotebookRunner runner = new NotebookRunner(evaluator,
                        timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), allowErrors);
                report = runner.run(notebook, out);
            } finally {
                running.set(false);
                try {
                    Runtime.getRuntime().removeShutdownHook(exitNote);
                } catch (IllegalStateException ignored) {
                    // the JVM is already shutting down
                }
            }
            String wrote = out.toString();
            if (html != null) {
                new NotebookHtml().write(out, html);
                wrote += " and " + html;
            }
            if (report.ok()) {
                spec.commandLine().getOut().println("Executed " + report.executedCells() + " cells; wrote " + wrote);
                return 0;
            }
            for (NotebookRunner.Failure f : allowErrors ? report.failures() : report.failures().subList(0, 1)) {
                spec.commandLine().getErr().println("workbench: cell [" + f.executionCount() + "] failed: "
                        + f.error().ename() + ": " + f.error().evalue());
            }
            if (allowErrors) {
                // like nbconvert --allow-errors: the errors are in the executed notebook, the run itself succeeded
                spec.commandLine().getOut().println("Executed " + report.executedCells() + " cells ("
                        + report.failures().size() + " failed); wrote " + wrote);
                return 0;
            }
            spec.commandLine().getErr().println("workbench: executed notebook written to " + wrote);
            return 1;
        }

        private static boolean sameFile(Path a, Path b) throws IOException {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())
                    || (Files.exists(a) && Files.isSameFile(a, b));
        }

        private static void createParent(Path file) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent == null) {
                return;
            }
            try {
                Files.createDirectories(parent);
            } catch (IOException | SecurityException e) {
                throw new CliException("cannot create the directory " + parent + " for " + file + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }

        /** OUT.html -> OUT.ipynb in the same folder. */
        static Path besideHtml(Path html) {
            String n = html.getFileName().toString();
            String base = n.toLowerCase(java.util.Locale.ROOT).endsWith(".html") ? n.substring(0, n.length() - 5)
                    : n.toLowerCase(java.util.Locale.ROOT).endsWith(".htm") ? n.substring(0, n.length() - 4) : n;
            return html.resolveSibling(base + ".ipynb");
        }
    }
}
