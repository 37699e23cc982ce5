package org.workbench.progress;

import java.util.function.Supplier;

/**
 * The listener a {@link org.workbench.Workbench} uses when none was set on it or given with a request: by default
 * none ({@link ProgressListener#NONE}); a notebook kernel installs a factory whose listeners show progress bars in
 * the running cell. The factory is asked once per request, on the requesting thread (so it can bind the listener to
 * what that thread is doing, e.g. the current cell); it may return null for "no progress".
 *
 * <p>This is the only process-wide progress setting; the analysis itself never reads it.
 */
public final class ProgressDefaults {
    private static volatile Supplier<ProgressListener> factory;

    private ProgressDefaults() {
    }

    /**
     * @param listeners makes a listener per request (may return null), or null to have none
     */
    public static void setFactory(Supplier<ProgressListener> listeners) {
        factory = listeners;
    }

    /** @return the installed factory, or null */
    public static Supplier<ProgressListener> factory() {
        return factory;
    }

    /** @return a listener from the installed factory, or {@link ProgressListener#NONE} (never null) */
    public static ProgressListener listener() {
        Supplier<ProgressListener> f = factory;
        if (f == null) {
            return ProgressListener.NONE;
        }
        try {
            ProgressListener l = f.get();
            return l == null ? ProgressListener.NONE : l;
        } catch (RuntimeException e) {
            return ProgressListener.NONE;
        }
    }
}
