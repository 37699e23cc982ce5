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
    };
}
