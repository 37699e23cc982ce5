package org.workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.workbench.kernel.JavaEvaluator;
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
     * {@code workbench notebook run NOTEBOOK [-o OUT.ipynb]}: executes the code cells with the
     * kernel's evaluator ({@link NotebookRunner}) and writes the executed notebook. Exit status 1
     * if a cell failed (the notebook is still written, with the error).
     */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Execute a notebook's Java cells and write the executed notebook.")
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "NOTEBOOK", description = "The .ipynb file to run.")
        Path notebook;

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.ipynb",
                description = "Where to write the executed notebook (default: NAME.out.ipynb next to the input).")
        Path output;

        @Option(names = "--allow-errors", description = "Keep running after a failing cell (exit status is still 1).")
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
            Path out = output != null ? output : NotebookRunner.defaultOutput(notebook);
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            if (timeoutSeconds != null && timeoutSeconds <= 0) {
                throw new CliException("--timeout must be a positive number of seconds");
            }
            NotebookRunner.Report report;
            try (JavaEvaluator evaluator = new JavaEvaluator()) {
                NotebookRunner runner = new NotebookRunner(evaluator,
                        timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), allowErrors);
                report = runner.run(notebook, out);
            }
            if (report.ok()) {
                spec.commandLine().getOut().println("Executed " + report.executedCells() + " cells; wrote " + out);
                return 0;
            }
            NotebookRunner.Failure f = report.failures().get(0);
            spec.commandLine().getErr().println("workbench: cell [" + f.executionCount() + "] failed: "
                    + f.error().ename() + ": " + f.error().evalue() + " (executed notebook written to " + out + ")");
            return 1;
        }
    }
}
