package org.workbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.workbench.kernel.KernelSpecInstaller;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code workbench kernel ...}: manage the Jupyter kernel. */
@Command(name = "kernel", description = "Manage the Workbench Jupyter kernel.",
        mixinStandardHelpOptions = true, subcommands = {KernelCommand.Install.class})
public final class KernelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * {@code workbench kernel install [--user | --prefix P] [--name N]}: writes the kernelspec
     * (see {@link KernelSpecInstaller}) for the class path this command runs with.
     */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install the Java (Workbench) kernelspec for Jupyter.",
                "Default: the user's Jupyter data dir ($JUPYTER_DATA_DIR, `jupyter --data-dir`, or ~/.local/share/jupyter)."})
    static final class Install implements Callable<Integer> {
        @CommandLine.ArgGroup(exclusive = true)
        Target target;

        static final class Target {
            @Option(names = "--user", description = "Install for the current user (default).")
            boolean user;

            @Option(names = "--prefix", paramLabel = "P",
                    description = "Install into P/share/jupyter/kernels (use with JUPYTER_PATH=P/share/jupyter).")
            Path prefix;
        }

        @Option(names = "--name", paramLabel = "N", defaultValue = KernelSpecInstaller.DEFAULT_NAME,
                description = "Kernelspec name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--display-name", paramLabel = "TEXT", defaultValue = KernelSpecInstaller.DISPLAY_NAME,
                description = "Name shown in Jupyter (default: ${DEFAULT-VALUE}).")
        String displayName;

        @Option(names = "--jvm-option", paramLabel = "OPT",
                description = "Extra JVM option for the kernel, repeatable (e.g. --jvm-option=-Xmx8g).")
        List<String> jvmOptions = new ArrayList<>();

        @Option(names = "--no-cds",
                description = "Do not create the class-data sharing archive that speeds up kernel start (the"
                        + " kernelspec then uses the class path as is, class directories included).")
        boolean noCds;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path kernels = target != null && target.prefix != null
                    ? target.prefix.toAbsolutePath().resolve("share/jupyter/kernels")
                    : KernelSpecInstaller.userDataDir(System.getenv(), KernelSpecInstaller::probeJupyterDataDir)
                            .resolve("kernels");
            String java = KernelSpecInstaller.currentJava();
            List<Path> classpath = KernelSpecInstaller.currentClasspath();
            KernelSpecInstaller.graphLibOption(jvmOptions).ifPresent(jvmOptions::add);
            List<String> options = new ArrayList<>(jvmOptions);
            if (!noCds) {
                var cds = KernelSpecInstaller.createCdsArchive(java, jvmOptions, classpath, kernels.resolve(name), 300);
                if (cds.isPresent()) {
                    classpath = cds.get().classpath();
                    options.addAll(cds.get().jvmOptions());
                } else {
                    spec.commandLine().getErr().println("workbench kernel install: no class-data sharing archive"
                            + " (see " + kernels.resolve(name).resolve("cds-training.log") + "); the kernel starts"
                            + " without it");
                }
            }
            List<String> argv = KernelSpecInstaller.argv(java, options, classpath);
            Path dir = KernelSpecInstaller.install(kernels, name, displayName, argv);
            spec.commandLine().getOut().println("Installed kernelspec " + name + " in " + dir);
            return 0;
        }
    }
}
