package org.workbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code workbench} command line ({@code bin/workbench} runs it). Subcommands:
 * {@code kernel install} ({@link KernelCommand}), {@code notebook run} ({@link NotebookCommand}), {@code zeek}
 * ({@link ZeekCommand}), {@code store} ({@link StoreCommand}), {@code work} ({@link WorkCommand}) and
 * {@code workers} ({@link WorkersCommand}).
 * A new subcommand is one picocli {@code @Command} class plus one entry in {@code subcommands}
 * below.
 *
 * <p>Failures print one line {@code workbench: MESSAGE} on standard error and exit non-zero
 * (1 for failures, 2 for usage errors); {@code --debug} anywhere on the line adds the stack trace.
 */
@Command(name = "workbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Workbench for Java: network forensics in Jupyter notebooks.",
        subcommands = {
            KernelCommand.class,
            NotebookCommand.class,
            ZeekCommand.class,
            StoreCommand.class,
            SamplesCommand.class,
            WorkCommand.class,
            WorkersCommand.class,
            ConformanceCommand.class,
            CypherCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(String... args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            PrintWriter err = line.getErr();
            err.println("workbench: " + message(ex));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("workbench: " + ex.getMessage() + " (see '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    /** One-line description of a failure. */
    static String message(Throwable ex) {
        if (ex instanceof UncheckedIOException u && u.getCause() != null && u.getMessage() == null) {
            ex = u.getCause();
        }
        if (ex instanceof NoSuchFileException n) {
            return "file not found: " + n.getFile();
        }
        if (ex instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (ex instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a directory";
        }
        if (ex instanceof java.nio.file.NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (ex instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        // the workbench's own exceptions carry messages written for the user: no class name in front
        return ex instanceof CliException || ex instanceof IllegalArgumentException
                || ex instanceof org.workbench.WorkbenchException
                || ex instanceof UncheckedIOException || ex instanceof java.io.IOException
                ? m.strip().replace('\n', ' ') : ex.getClass().getSimpleName() + ": " + m.strip().replace('\n', ' ');
    }

    /**
     * Entry point.
     *
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Version string from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"workbench " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
