package org.workbench.progress;

import java.util.Objects;

/**
 * Reports one task's progress to a listener, throttled: {@link #update(long)} costs one {@link System#nanoTime()}
 * and a comparison unless a report is due (at most one per {@link ProgressListener#intervalMillis()}), so callers
 * may call it often. Counts never go backwards: a lower {@code done} than already reported is ignored. The
 * tracker sends the first report ({@code done = 0}) when created and the last one on {@link #finish()} or
 * {@link #fail()} (only once). Used by one thread at a time.
 */
public final class ProgressTracker implements AutoCloseable {
    private final ProgressListener listener;
    private final String task;
    private final String unit;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long total;
    private long done;
    private long lastReport;
    private boolean ended;

    private ProgressTracker(ProgressListener listener, String task, long total, String unit) {
        this.listener = listener;
        this.task = Objects.requireNonNull(task, "task");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.total = total < 0 ? -1 : total;
        this.intervalNanos = Math.max(0, listener.intervalMillis()) * 1_000_000L;
        this.lastReport = start;
    }

    /**
     * Starts a task and sends its first report ({@code done = 0}).
     *
     * @param listener where reports go; {@link ProgressListener#NONE} (or null) makes a tracker that does nothing
     * @param task     what is being done, for a human
     * @param total    how much in all, in units, or -1 when not known
     * @param unit     what is counted ({@link Progress#BYTES}, {@link Progress#SAMPLES}, ...)
     * @return the tracker
     */
    public static ProgressTracker start(ProgressListener listener, String task, long total, String unit) {
        ProgressTracker t = new ProgressTracker(listener == null ? ProgressListener.NONE : listener, task, total,
                unit);
        if (t.listener != ProgressListener.NONE) {
            t.send(false, false);
        }
        return t;
    }

    /** @return whether reports go anywhere (false for {@link ProgressListener#NONE}) */
    public boolean active() {
        return listener != ProgressListener.NONE;
    }

    /**
     * Records how much is done; reports it when the listener's interval has passed since the last report.
     *
     * @param done units done so far (lower values than before are ignored)
     */
    public void update(long done) {
        if (ended || done <= this.done) {
            return;
        }
        this.done = total >= 0 ? Math.min(done, total) : done;
        if (listener == ProgressListener.NONE) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            send(false, false);
        }
    }

    /** As {@link #update(long)} with {@code done + delta}. */
    public void advance(long delta) {
        update(done + delta);
    }

    /** @return units done so far */
    public long done() {
        return done;
    }

    /** Ends the task successfully: the last report has {@code done = total} when the total is known. */
    public void finish() {
        if (ended) {
            return;
        }
        if (total >= 0) {
            done = total;
        } else {
            total = done;
        }
        ended = true;
        send(true, false);
    }

    /** Ends the task unsuccessfully (error or cancellation): the last report keeps the count reached. */
    public void fail() {
        if (ended) {
            return;
        }
        ended = true;
        send(true, true);
    }

    /** Same as {@link #fail()} unless {@link #finish()} was called: for try-with-resources. */
    @Override
    public void close() {
        fail();
    }

    private void send(boolean finished, boolean failed) {
        if (listener == ProgressListener.NONE) {
            return;
        }
        try {
            listener.onProgress(new Progress(task, done, total, unit, (System.nanoTime() - start) / 1e9, finished,
                    failed));
        } catch (RuntimeException ignored) {
            // a listener's failure must not break the work it watches
        }
    }
}
