package org.workbench.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Entry point Jupyter starts: {@code java -cp ... org.workbench.kernel.KernelMain CONNECTION_FILE}
 * (the kernelspec written by {@code workbench kernel install}). Reads the connection file
 * (Jupyter client documentation, "Connection files"), starts the {@link WorkbenchKernel}, and
 * exits when the kernel is shut down or when the process that started it dies (a kernel must
 * not outlive a killed Jupyter server or client). JShell starts in parallel with the ZeroMQ
 * sockets, so {@code kernel_info} is answered before the first cell can run. Start time is
 * measured by {@code bench/kernel_start.sh}.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /**
     * @param args exactly one argument: the path of the Jupyter connection file
     * @throws Exception if the connection file cannot be read or the sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals(CDS_TRAINING)) {
            train();
            System.exit(0);
        }
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println("workbench kernel: connection file not found: " + file);
            System.exit(2);
        }
        watchParent();
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        // JShell takes seconds to start: do it while the kernel already answers kernel_info
        CompletableFuture<JavaEvaluator> evaluator = CompletableFuture.supplyAsync(() -> {
            JavaEvaluator ev = new JavaEvaluator();
            ev.warmUp();
            return ev;
        }, r -> {
            Thread t = new Thread(r, "workbench-evaluator-start");
            t.setDaemon(true);
            t.start();
        });
        WorkbenchKernel kernel = new WorkbenchKernel(evaluator);
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }

    /** Argument that runs {@link #train()} instead of a kernel (used by {@link KernelSpecInstaller#createCdsArchive}). */
    public static final String CDS_TRAINING = "--cds-training";

    /**
     * Exercises what a kernel start loads, without Jupyter: the ZeroMQ sockets of a connection on free
     * loopback ports, the kernel object, JShell with the default imports, a value cell, a table, a
     * completion and a compile error. Run under {@code -XX:ArchiveClassesAtExit} to record those classes.
     *
     * @throws Exception if the sockets cannot be bound
     */
    static void train() throws Exception {
        int[] ports = new int[5];
        for (int i = 0; i < ports.length; i++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ports[i] = s.getLocalPort();
            }
        }
        KernelConnectionProperties props = new KernelConnectionProperties("127.0.0.1", ports[0], ports[1], ports[2],
                ports[3], ports[4], "tcp", "hmac-sha256", java.util.UUID.randomUUID().toString());
        JavaEvaluator ev = new JavaEvaluator();
        ev.warmUp();
        WorkbenchKernel kernel = new WorkbenchKernel(ev);
        JupyterConnection connection = new JupyterConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        ev.execute("1 + 1", "1", CellOutput.DISCARD);
        ev.execute("Table.create(\"t\", IntColumn.create(\"n\", 1, 2))", "2", CellOutput.DISCARD);
        ev.execute("String s = 1;", "3", CellOutput.DISCARD);
        ev.complete("Str", 3);
        ev.isComplete("int x = 1;");
        connection.close();
        ev.close();
    }

    /** Exits this JVM when the parent process ends. */
    static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            Runtime.getRuntime().halt(0);
        }));
    }
}
