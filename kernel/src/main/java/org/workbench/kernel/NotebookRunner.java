package org.workbench.kernel;

import org.workbench.Notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes the code cells of a Jupyter notebook without Jupyter, through the same
 * {@link JavaEvaluator} the kernel uses, and writes the executed notebook: nbformat 4 JSON
 * (nbformat documentation, "The Notebook file format") with, per code cell, an
 * {@code execution_count} and {@code outputs} of type {@code stream} (name {@code stdout} or
 * {@code stderr}, consecutive chunks of one stream merged), {@code display_data} (values shown
 * with {@link Display#display}), {@code execute_result}
 * ({@code data} with {@code text/plain} and any other MIME types of the value) and {@code error}
 * ({@code ename}, {@code evalue}, {@code traceback}).
 *
 * <p>Like {@code jupyter nbconvert --execute}, execution stops at the first failing cell unless
 * errors are allowed; the notebook is still written, with the failing cell's error output, and the
 * cells after it get no outputs and a null execution count. Markdown and raw cells are copied.
 * The notebook metadata gets the Workbench kernelspec and Java {@code language_info}.
 */
public final class NotebookRunner {
    /**
     * What a run did.
     *
     * @param executedCells number of code cells executed
     * @param failures every failed cell: its index among all cells (0-based), execution count and error
     */
    public record Report(int executedCells, List<Failure> failures) {
        /** @return true if no cell failed */
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /**
     * One failed cell.
     *
     * @param cellIndex index of the cell in the notebook's cell list, 0-based
     * @param executionCount its execution count
     * @param error the error
     */
    public record Failure(int cellIndex, int executionCount, CellError error) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final JavaEvaluator evaluator;
    private final Duration cellTimeout;
    private final boolean allowErrors;
    /** Outputs shown with a display id in the notebook being run, for update_display_data. */
    private final Map<String, List<ObjectNode>> displays = new HashMap<>();

    /**
     * @param evaluator evaluator to run the cells in (its state carries over between cells and runs)
     * @param cellTimeout longest time one cell may run before it is interrupted, or null for none
     * @param allowErrors true to run all cells even after one fails (nbconvert's {@code --allow-errors})
     */
    public NotebookRunner(JavaEvaluator evaluator, Duration cellTimeout, boolean allowErrors) {
        this.evaluator = evaluator;
        this.cellTimeout = cellTimeout;
        this.allowErrors = allowErrors;
    }

    /**
     * The default output path: {@code name.out.ipynb} next to {@code name.ipynb}.
     *
     * @param notebook the input notebook
     * @return the output path
     */
    public static Path defaultOutput(Path notebook) {
        String n = notebook.getFileName().toString();
        String base = n.endsWith(".ipynb") ? n.substring(0, n.length() - ".ipynb".length()) : n;
        return notebook.resolveSibling(base + ".out.ipynb");
    }

    /**
     * Reads a notebook file.
     *
     * @param file the file
     * @return its JSON object
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the file if it is empty, not JSON or not an nbformat 4 notebook
     */
    static ObjectNode read(Path file) throws IOException {
        JsonNode root;
        if (Files.isRegularFile(file) && Files.size(file) == 0) {
            throw new IllegalArgumentException(file + " is empty (0 bytes), not a notebook");
        }
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode nb) || root.path("nbformat").asInt(0) != 4 || !root.path("cells").isArray()) {
            throw new IllegalArgumentException(file + " is not an nbformat 4 notebook (nbformat 4 with a cells list)");
        }
        return nb;
    }

    /**
     * Runs a notebook file and writes the executed notebook.
     *
     * @param input the notebook (nbformat 4)
     * @param output where to write the executed notebook (parent directories must exist)
     * @return what ran and what failed
     * @throws IOException if a file cannot be read or written
     * @throws IllegalArgumentException if the input is not an nbformat 4 notebook
     */
    public Report run(Path input, Path output) throws IOException {
        ObjectNode nb = read(input);
        // Relative paths in cells resolve against the notebook's folder, as under Jupyter (see Notebooks.resolve).
        String previous = System.getProperty(Notebooks.NOTEBOOK_DIR_PROPERTY);
        System.setProperty(Notebooks.NOTEBOOK_DIR_PROPERTY, input.toAbsolutePath().getParent().toString());
        Report report;
        try {
            report = run(nb);
        } finally {
            if (previous == null) {
                System.clearProperty(Notebooks.NOTEBOOK_DIR_PROPERTY);
            } else {
                System.setProperty(Notebooks.NOTEBOOK_DIR_PROPERTY, previous);
            }
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        Files.writeString(output, JSON.writeValueAsString(nb) + "\n");
        return report;
    }

    /**
     * Runs a notebook held in memory, replacing the outputs of its code cells in place.
     *
     * @param nb the notebook JSON object (nbformat 4)
     * @return what ran and what failed
     */
    public Report run(ObjectNode nb) {
        displays.clear();
        boolean needIds = nb.path("nbformat_minor").asInt(0) >= 5;
        ObjectNode meta = nb.has("metadata") && nb.get("metadata").isObject()
                ? (ObjectNode) nb.get("metadata") : nb.putObject("metadata");
        ObjectNode ks = meta.putObject("kernelspec");
        ks.put("name", KernelSpecInstaller.DEFAULT_NAME);
        ks.put("display_name", KernelSpecInstaller.DISPLAY_NAME);
        ks.put("language", "java");
        ObjectNode li = meta.putObject("language_info");
        li.put("name", "java");
        li.put("version", Runtime.version().toString());
        li.put("mimetype", "text/x-java");
        li.put("file_extension", ".java");
        li.put("codemirror_mode", "text/x-java");
        li.put("pygments_lexer", "java");
        li.put("nbconvert_exporter", "script");

        int count = 0;
        List<Failure> failures = new ArrayList<>();
        boolean stopped = false;
        ArrayNode cells = (ArrayNode) nb.get("cells");
        ScheduledExecutorService timer = cellTimeout == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workbench-cell-timeout");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (!(cells.get(i) instanceof ObjectNode cell)) {
                    continue;
                }
                if (needIds && !cell.hasNonNull("id")) {
                    cell.put("id", UUID.randomUUID().toString().substring(0, 8));
                }
                if (!"code".equals(cell.path("cell_type").asText())) {
                    continue;
                }
                ArrayNode outputs = cell.putArray("outputs");
                if (stopped) {
                    cell.putNull("execution_count");
                    continue;
                }
                count++;
                cell.put("execution_count", count);
                if (!cell.has("metadata")) {
                    cell.putObject("metadata");
                }
                CellResult r = runCell(source(cell), count, outputs, timer);
                if (r.ok()) {
                    if (r.value().isPresent()) {
                        ObjectNode o = outputs.addObject();
                        o.put("output_type", "execute_result");
                        o.put("execution_count", count);
                        ObjectNode data = o.putObject("data");
                        r.value().get().data().forEach(data::put);
                        o.putObject("metadata");
                    }
                } else {
                    CellError e = r.error().get();
                    ObjectNode o = outputs.addObject();
                    o.put("output_type", "error");
                    o.put("ename", e.ename());
                    o.put("evalue", e.evalue());
                    ArrayNode tb = o.putArray("traceback");
                    e.traceback().forEach(tb::add);
                    failures.add(new Failure(i, count, e));
                    stopped = !allowErrors;
                }
            }
        } finally {
            if (timer != null) {
                timer.shutdownNow();
            }
        }
        return new Report(count, List.copyOf(failures));
    }

    private CellResult runCell(String code, int count, ArrayNode outputs, ScheduledExecutorService timer) {
        CellOutput sink = new CellOutput() {
            @Override
            public void stdout(String text) {
                append("stdout", text);
            }

            @Override
            public void stderr(String text) {
                append("stderr", text);
            }

            @Override
            public void display(MimeBundle bundle) {
                ObjectNode o = outputs.addObject();
                o.put("output_type", "display_data");
                ObjectNode data = o.putObject("data");
                bundle.data().forEach(data::put);
                o.putObject("metadata");
            }

            @Override
            public void display(MimeBundle bundle, String displayId) {
                display(bundle);
                displays.computeIfAbsent(displayId, k -> new ArrayList<>())
                        .add((ObjectNode) outputs.get(outputs.size() - 1));
            }

            @Override
            public void updateDisplay(String displayId, MimeBundle bundle) {
                // as nbclient does: outputs shown under this id, in any cell run so far, get the new data
                for (ObjectNode o : displays.getOrDefault(displayId, List.of())) {
                    ObjectNode data = o.putObject("data");
                    bundle.data().forEach(data::put);
                }
            }

            private void append(String name, String text) {
                JsonNode last = outputs.isEmpty() ? null : outputs.get(outputs.size() - 1);
                if (last instanceof ObjectNode o && "stream".equals(o.path("output_type").asText())
                        && name.equals(o.path("name").asText())) {
                    o.put("text", o.path("text").asText() + text);
                    return;
                }
                ObjectNode o = outputs.addObject();
                o.put("output_type", "stream");
                o.put("name", name);
                o.put("text", text);
            }
        };
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> alarm = timer == null ? null : timer.schedule(() -> {
            timedOut.set(true);
            evaluator.interrupt();
        }, cellTimeout.toMillis(), TimeUnit.MILLISECONDS);
        CellResult r = evaluator.execute(code, String.valueOf(count), sink);
        if (alarm != null) {
            alarm.cancel(false);
        }
        if (timedOut.get() && r.error().map(e -> e.ename().equals(CellError.INTERRUPTED)).orElse(false)) {
            CellError e = r.error().get();
            String msg = "cell timed out after " + cellTimeout.toSeconds() + " s";
            List<String> tb = new ArrayList<>(e.traceback());
            tb.add(0, "Timeout: " + msg);
            return CellResult.failure(new CellError(CellError.INTERRUPTED, msg, tb));
        }
        return r;
    }

    /** A cell's source: nbformat allows a string or a list of strings (lines with their newlines). */
    static String source(JsonNode cell) {
        JsonNode s = cell.path("source");
        if (s.isArray()) {
            StringBuilder b = new StringBuilder();
            s.forEach(line -> b.append(line.asText()));
            return b.toString();
        }
        return s.asText("");
    }

    /**
     * @param report a run's report
     * @return the first failure, if any
     */
    public static Optional<Failure> firstFailure(Report report) {
        return report.failures().stream().findFirst();
    }
}
