package org.workbench.kernel;

/**
 * Receives what a running cell writes to {@code System.out} and {@code System.err}, in chunks, while
 * the cell runs. Chunks are whole UTF-8 characters; they are flushed at line ends, periodically
 * (every {@value JavaEvaluator#FLUSH_INTERVAL_MS} ms) and when the cell ends. Calls may come from
 * the cell's thread or from the evaluator's flush thread, never concurrently.
 */
public interface CellOutput {
    /**
     * @param text a chunk written to standard output
     */
    void stdout(String text);

    /**
     * @param text a chunk written to standard error
     */
    void stderr(String text);

    /**
     * Receives a value shown with {@link Display#display}, after the output written before it
     * has been flushed. The default implementation writes its plain text to {@link #stdout}.
     *
     * @param bundle the rendered value
     */
    default void display(MimeBundle bundle) {
        stdout(bundle.plainText() + "\n");
    }

    /**
     * Receives a value shown with {@link Display#display(Object, String)}: like
     * {@link #display(MimeBundle)}, but the output carries a display id so that later
     * {@link #updateDisplay} calls replace it in place (Jupyter messaging 5.x, {@code display_data}
     * with {@code transient.display_id}). The default implementation ignores the id.
     *
     * @param bundle the rendered value
     * @param displayId the id later updates name, not null
     */
    default void display(MimeBundle bundle, String displayId) {
        display(bundle);
    }

    /**
     * Replaces every output shown earlier with this display id ({@code update_display_data}).
     * The default implementation drops the update.
     *
     * @param displayId the id given to {@link #display(MimeBundle, String)}
     * @param bundle the new content
     */
    default void updateDisplay(String displayId, MimeBundle bundle) {
    }

    /** An output that drops everything. */
    CellOutput DISCARD = new CellOutput() {
        @Override
        public void stdout(String text) {
        }

        @Override
        public void stderr(String text) {
        }

        @Override
        public void display(MimeBundle bundle) {
        }

        @Override
        public void display(MimeBundle bundle, String displayId) {
        }
    };
}
