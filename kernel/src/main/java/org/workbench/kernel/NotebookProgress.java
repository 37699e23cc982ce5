package org.workbench.kernel;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.workbench.progress.Progress;
import org.workbench.progress.ProgressDefaults;
import org.workbench.progress.ProgressListener;

/**
 * Shows the progress of long work requests in the running cell as a live bar: the first report of a task becomes
 * a {@code display_data} output with a display id ({@link Display#display(Object, String)}), later reports replace
 * it in place ({@link Display#updateDisplay}), so a finished cell holds exactly one output per task, in its final
 * state ({@code done of total in N.N s}). Each output is a {@link MimeBundle} with {@code text/html} (an HTML
 * {@code <progress>} element plus the text, in a {@code div.workbench-progress} carrying {@code data-done},
 * {@code data-total} and {@code data-finished}) and a {@code text/plain} twin ({@link Progress#text()}).
 *
 * <p>{@link #install()} makes every {@link org.workbench.Workbench} without a listener of its own use one of these
 * while a cell runs (through {@link ProgressDefaults}); outside a running cell nothing is shown. Thread-safe.
 */
public final class NotebookProgress implements ProgressListener {
    /** Shortest time between two updates of a bar, in milliseconds. */
    public static final long INTERVAL_MS = 250;

    private final Map<String, String> displayIds = new HashMap<>();

    /**
     * Installs the notebook progress bars as the process-wide default listener factory: each request made while a
     * cell runs gets a fresh {@code NotebookProgress}; requests made outside a cell get none. Idempotent.
     */
    public static void install() {
        ProgressDefaults.setFactory(() -> Display.active() ? new NotebookProgress() : null);
    }

    @Override
    public synchronized void onProgress(Progress p) {
        MimeBundle bundle = bundle(p);
        String id = displayIds.get(p.task());
        if (id == null) {
            displayIds.put(p.task(), Display.display(bundle, null));
        } else {
            Display.updateDisplay(id, bundle);
        }
    }

    @Override
    public long intervalMillis() {
        return INTERVAL_MS;
    }

    /**
     * @param p a progress report
     * @return its HTML bar and text twin
     */
    public static MimeBundle bundle(Progress p) {
        StringBuilder h = new StringBuilder(256);
        h.append("<div class=\"workbench-progress\" data-task=\"").append(Renderers.escape(p.task()))
                .append("\" data-done=\"").append(p.done()).append("\" data-total=\"").append(p.total())
                .append("\" data-unit=\"").append(Renderers.escape(p.unit()))
                .append("\" data-finished=\"").append(p.finished()).append("\" data-failed=\"").append(p.failed())
                .append(String.format(Locale.ROOT, "\" data-elapsed=\"%.3f\">", p.elapsedSeconds()));
        h.append("<progress style=\"width: 20em; vertical-align: middle\"");
        if (p.totalKnown()) {
            h.append(" max=\"").append(Math.max(1, p.total())).append("\" value=\"")
                    .append(p.total() == 0 ? 1 : p.done()).append('"');
        } else if (p.finished()) {
            h.append(" max=\"1\" value=\"1\"");
        }
        h.append("></progress> <span style=\"font-family: monospace\">").append(Renderers.escape(p.text()))
                .append("</span></div>");
        return MimeBundle.html(h.toString(), p.text());
    }
}
