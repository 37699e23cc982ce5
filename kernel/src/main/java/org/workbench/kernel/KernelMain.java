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
 * not outlive a killed Jupyter server or client).
 */
public final class KernelMain {
    private KernelMain() {
    }

    /**
     * @param args exactly one argument: the path of the Jupyter connection file
     * @throws Exception if the connection file cannot be read or the sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
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

    /** Exits this JVM when the parent process ends. */
    static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            Runtime.getRuntime().halt(0);
        }));
    }
}
