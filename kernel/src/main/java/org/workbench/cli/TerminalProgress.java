package org.workbench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.workbench.progress.Progress;
import org.workbench.progress.ProgressListener;

/**
 * Text progress bars on standard error for {@code workbench work} and {@code workbench zeek}, drawn by the
 * {@code me.tongfei:progressbar} library: one bar per task, bytes shown in kB (below 10 MB) or MB, samples as
 * counts, with elapsed and remaining time and the speed. A bar is closed (drawn in its final state, on its own
 * line) by the task's last report.
 * Thread-safe.
 */
final class TerminalProgress implements ProgressListener {
    /** Width of a bar drawn to something that is not a terminal (a file, a pipe), in characters. */
    static final int DEFAULT_WIDTH = 120;

    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, ProgressBar> bars = new HashMap<>();

    /**
     * @param out      where bars are drawn (standard error)
     * @param terminal whether {@code out} is a terminal (its width is then asked); else bars are
     *                 {@value #DEFAULT_WIDTH} characters wide
     */
    TerminalProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Bars on standard error, sized to it when it is a terminal. */
    static TerminalProgress onStderr() {
        return new TerminalProgress(System.err, stderrIsTerminal());
    }

    /**
     * Whether to draw bars: the user's choice when given ({@code --progress} / {@code --no-progress}), else
     * whether standard error is a terminal.
     *
     * @param choice true, false, or null for automatic
     * @return the decision
     */
    static boolean wanted(Boolean choice) {
        return choice != null ? choice : stderrIsTerminal();
    }

    /** @return whether file descriptor 2 is a terminal (Linux: its /proc link names a tty or pts device) */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void onProgress(Progress p) {
        ProgressBar bar = bars.get(p.task());
        if (bar == null) {
            ProgressBarBuilder b = new ProgressBarBuilder()
                    .setTaskName(p.task())
                    .setInitialMax(p.total())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(terminal ? new ConsoleProgressBarConsumer(out)
                            : new ConsoleProgressBarConsumer(out, DEFAULT_WIDTH))
                    .showSpeed();
            if (Progress.BYTES.equals(p.unit()) && p.total() >= 0 && p.total() < 10_000_000) {
                b.setUnit(" kB", 1_000);
            } else if (Progress.BYTES.equals(p.unit())) {
                b.setUnit(" MB", 1_000_000);
            } else {
                b.setUnit(" " + p.unit(), 1);
            }
            bar = b.build();
            bars.put(p.task(), bar);
        }
        bar.stepTo(p.done());
        if (p.finished()) {
            if (!p.totalKnown()) {
                bar.maxHint(p.done());
            }
            bar.setExtraMessage(p.failed() ? " stopped" : " done");
            bar.close();
            bars.remove(p.task());
        }
    }
}
