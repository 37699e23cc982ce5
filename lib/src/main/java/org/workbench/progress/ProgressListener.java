package org.workbench.progress;

/**
 * Receives the progress of long tasks (a large capture's analysis, a big batch request). Calls come from the
 * thread doing the work, never concurrently for one task, but different tasks may report from different threads:
 * an implementation shared by several tasks must be thread-safe. Reports are throttled by {@link ProgressTracker}
 * (at most one every {@link #intervalMillis()} ms besides the first and the last), so a listener may do some work
 * (print, publish a display) per call. It must not throw: an exception from it is ignored.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = p -> { };

    /**
     * One report: the first of a task has {@code done == 0}; later ones have growing {@code done}; the last has
     * {@link Progress#finished()} true and, when the task succeeded and its total is known, {@code done == total}.
     *
     * @param progress the report
     */
    void onProgress(Progress progress);

    /** @return the shortest time between two intermediate reports, in milliseconds (default 200) */
    default long intervalMillis() {
        return 200;
    }
}
