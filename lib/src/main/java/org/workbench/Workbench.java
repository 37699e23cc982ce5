package org.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.workbench.frames.ZeekFrames;
import org.workbench.graph.GraphConfig;
import org.workbench.graph.GraphStore;
import org.workbench.graph.PcapGraphWorker;
import org.workbench.magic.FileMagic;
import org.workbench.progress.Progress;
import org.workbench.progress.ProgressDefaults;
import org.workbench.progress.ProgressListener;
import org.workbench.progress.ProgressTracker;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;
import org.workbench.worker.MetaResult;
import org.workbench.worker.MetaWorker;
import org.workbench.worker.PcapZeekWorker;
import org.workbench.worker.PdfMetaWorker;
import org.workbench.worker.UnzipWorker;
import org.workbench.worker.UncachedResultException;
import org.workbench.worker.SwfMetaWorker;
import org.workbench.worker.StringsWorker;
import org.workbench.worker.UrlWorker;
import org.workbench.worker.PeIndicatorsWorker;
import org.workbench.worker.PeFeaturesWorker;
import org.workbench.worker.MetaDeepWorker;
import org.workbench.hash.FuzzyHasher;
import org.workbench.worker.VtQueryWorker;
import org.workbench.worker.ViewWorker;
import org.workbench.worker.ViewDeepWorker;
import org.workbench.worker.ViewPcapDetailsWorker;
import org.workbench.worker.WorkEngine;
import org.workbench.worker.WorkerRegistry;
import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.ZeekLogReader;
import tech.tablesaw.api.Table;

/**
 * The workbench: store samples, ask workers for results, read samples back. The one object a notebook needs.
 *
 * <pre>{@code
 * try (Workbench wb = Workbench.open()) {
 *     String md5 = wb.storeSample(Path.of("kitchen_boss.pcap"), "pcap");
 *     Map<String, Object> meta = wb.workRequest("meta", md5);
 *     System.out.println(meta.get("file_type"));
 * }
 * }</pre>
 *
 * <p>Everything lives under a home directory (see {@link #defaultHome()}): the samples ({@link SampleStore}) and
 * the cached worker results ({@link WorkEngine}). Work results are the worker's own document (nested maps and
 * lists of strings, numbers, booleans), not wrapped in a map keyed by the worker's name. Every error is a
 * {@link WorkbenchException} (subclasses: {@link UnknownWorkerException}, {@link UnknownSampleException},
 * {@link WrongSampleKindException}, {@link InvalidInputException}, {@link CorruptSampleException}, ...).
 *
 * <p>Thread-safe. Close it to free libmagic's native state.
 */
public final class Workbench implements AutoCloseable {
    /** System property naming the home directory; wins over {@link #HOME_ENV}. */
    public static final String HOME_PROPERTY = "workbench.home";
    /** Environment variable naming the home directory. */
    public static final String HOME_ENV = "WORKBENCH_HOME";

    private final SampleStore store;
    private final FileMagic magic;
    private final WorkerRegistry registry = new WorkerRegistry();
    private final WorkEngine engine;
    private volatile boolean closed;
    private volatile int batchThreads = Runtime.getRuntime().availableProcessors();
    private volatile ProgressListener progress;
    private GraphConfig graphConfig;
    private GraphStore graph;

    private Workbench(Path home) {
        this.store = SampleStore.openAt(home);
        this.magic = FileMagic.open();
        this.engine = new WorkEngine(store, registry);
        registerStandardWorkers();
    }

    /** The built-in workers: one line per worker. */
    private void registerStandardWorkers() {
        registry.register(new MetaWorker(magic));
        registry.register(new PcapZeekWorker());
        registry.alias("pcap_bro", PcapZeekWorker.NAME);
        registry.register(new ViewPcapDetailsWorker());
        registry.register(new PdfMetaWorker(store));
        registry.register(new UnzipWorker(store));
        registry.register(new SwfMetaWorker(store));
        registry.register(new StringsWorker());
        registry.register(new UrlWorker());
        registry.register(new PeIndicatorsWorker(store));
        registry.register(new PeFeaturesWorker(store));
        registry.register(new MetaDeepWorker(FuzzyHasher.open()));
        registry.register(VtQueryWorker.fromHome(store.home()));
        registry.register(new ViewWorker(registry));
        registry.register(new ViewDeepWorker(registry));
        registry.register(PcapGraphWorker.full(this::graph));
        registry.register(PcapGraphWorker.httpOnly(this::graph));
    }

    /**
     * Opens the workbench in its default home: the system property {@value #HOME_PROPERTY} if set, else the
     * environment variable {@value #HOME_ENV}, else {@code ~/.workbench}.
     *
     * @return an open workbench
     * @throws WorkbenchException when the home cannot be created
     */
    public static Workbench open() {
        return open(defaultHome());
    }

    /**
     * Opens the workbench in the given home directory (created if absent).
     *
     * @param home where samples and results live
     * @return an open workbench
     * @throws WorkbenchException when the home cannot be created
     */
    public static Workbench open(Path home) {
        Objects.requireNonNull(home, "home");
        Workbench wb = new Workbench(home);
        OPEN.add(wb);
        return wb;
    }

    /** Workbenches opened and not yet closed, in opening order. */
    private static final Set<Workbench> OPEN = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    /**
     * The workbenches of this JVM that were opened and not closed yet, oldest first. A host such as the
     * Jupyter kernel closes them when it shuts down, releasing the store and any embedded database.
     *
     * @return a snapshot; closing an element removes it from later snapshots
     */
    public static List<Workbench> openInstances() {
        synchronized (OPEN) {
            return List.copyOf(OPEN);
        }
    }

    /**
     * @return the home {@link #open()} uses: system property {@value #HOME_PROPERTY}, else {@value #HOME_ENV},
     *         else {@code ~/.workbench}
     */
    public static Path defaultHome() {
        String prop = System.getProperty(HOME_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(HOME_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".workbench");
    }

    /** @return this workbench's home directory (absolute) */
    public Path home() {
        return store.home();
    }

    // ---- samples ------------------------------------------------------------------------------------------

    /**
     * Stores bytes as a sample; storing the same bytes again returns the same MD5 and keeps the first metadata.
     *
     * @param data     the bytes
     * @param filename the sample's name (not blank)
     * @param typeTag  its kind: {@code pcap}, {@code exe}, {@code pdf}, {@code swf}, {@code jar}, {@code zip},
     *                 {@code zeek_log}, ... (see {@link org.workbench.store.TypeTags})
     * @return the sample's MD5
     * @throws InvalidInputException for a null/blank filename or malformed type tag
     */
    public String storeSample(byte[] data, String filename, String typeTag) {
        checkOpen();
        return store.storeSample(data, filename, typeTag);
    }

    /**
     * Stores a file (any size, streamed) as a sample named after the file.
     *
     * @param file    the file
     * @param typeTag its kind (see {@link #storeSample(byte[], String, String)})
     * @return the sample's MD5
     */
    public String storeSample(Path file, String typeTag) {
        checkOpen();
        return store.storeSample(file, typeTag);
    }

    /**
     * Stores a stream (any size; read to the end, not closed) as a sample.
     *
     * @param in       the bytes
     * @param filename the sample's name (not blank)
     * @param typeTag  its kind (see {@link #storeSample(byte[], String, String)})
     * @return the sample's MD5
     */
    public String storeSample(InputStream in, String filename, String typeTag) {
        checkOpen();
        return store.storeSample(in, filename, typeTag);
    }

    /**
     * @param md5 a sample's MD5
     * @return the sample's bytes, verified against the MD5
     * @throws UnknownSampleException when no such sample is stored
     * @throws CorruptSampleException when the stored bytes are damaged
     */
    public byte[] getSample(String md5) {
        checkOpen();
        return store.bytes(md5);
    }

    /**
     * @param md5 a sample's MD5
     * @return a stream of the sample's bytes (caller closes it); the MD5 is verified at the end of the stream
     * @throws UnknownSampleException when no such sample is stored
     */
    public InputStream openSample(String md5) {
        checkOpen();
        return store.open(md5);
    }

    /**
     * @param md5 a sample's MD5
     * @return what the store knows about it
     * @throws UnknownSampleException when no such sample is stored
     */
    public SampleInfo sampleInfo(String md5) {
        checkOpen();
        return store.info(md5);
    }

    /** @return whether a sample with that MD5 is stored */
    public boolean hasSample(String md5) {
        checkOpen();
        return store.has(md5);
    }

    /** @return every stored sample, oldest first */
    public List<SampleInfo> listSamples() {
        checkOpen();
        return store.list();
    }

    /**
     * Streams the rows of a stored Zeek log (a sample with type tag {@value TypeTags#ZEEK_LOG}, such as the
     * {@code dns_log} handle of a {@code view_pcap_details} result). Rows are read lazily as the stream is
     * consumed, so memory does not depend on the log's size; close the stream when done (or let
     * {@link ZeekFrames#toTable(LogStream)} consume and close it).
     *
     * @param md5 the log sample's MD5
     * @return the log's schema and a lazy sequence of typed rows
     * @throws UnknownSampleException when no sample has this MD5
     * @throws WrongSampleKindException when the sample is not a Zeek log
     * @throws WorkbenchException when the stored log cannot be read
     */
    public LogStream streamSample(String md5) {
        SampleInfo info = sampleInfo(md5);
        if (!TypeTags.ZEEK_LOG.equals(info.typeTag())) {
            throw new WrongSampleKindException("streamSample", info.md5(), info.typeTag(), Set.of(TypeTags.ZEEK_LOG));
        }
        try {
            return ZeekLogReader.open(openSample(info.md5()), info.filename());
        } catch (IOException e) {
            throw new WorkbenchException("cannot read Zeek log sample " + info.md5() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a stored Zeek log into a Tablesaw table in one call, typed from the log's {@code #types} line
     * (see {@link ZeekFrames}).
     *
     * @param md5 the log sample's MD5
     * @throws UnknownSampleException when no sample has this MD5
     * @throws WrongSampleKindException when the sample is not a Zeek log
     */
    public Table frame(String md5) {
        return ZeekFrames.toTable(streamSample(md5));
    }

    // ---- work requests ------------------------------------------------------------------------------------

    /**
     * Runs a worker on a sample (after its dependencies), or returns its cached result.
     *
     * @param worker a worker name or alias (see {@link #listWorkers()})
     * @param md5    the sample's MD5
     * @return the worker's result document (a fresh copy)
     * @throws UnknownWorkerException   when no such worker is registered
     * @throws UnknownSampleException   when no such sample is stored
     * @throws WrongSampleKindException when the worker does not apply to the sample's type
     * @throws WorkerFailedException    when the worker fails
     * @throws WorkCancelledException   when the calling thread is interrupted
     */
    public Map<String, Object> workRequest(String worker, String md5) {
        return workRequest(worker, md5, Map.of());
    }

    /**
     * As {@link #workRequest(String, String)}, with setting overrides for the worker (its dependencies run
     * with their defaults). Different settings are cached separately.
     *
     * @param worker a worker name or alias
     * @param md5    the sample's MD5
     * @param config setting overrides; keys must be settings the worker declares
     * @return the worker's result document
     * @throws InvalidInputException for an unknown setting
     */
    public Map<String, Object> workRequest(String worker, String md5, Map<String, ?> config) {
        return workRequest(worker, md5, config, progressListener());
    }

    /**
     * As {@link #workRequest(String, String, Map)}, reporting progress to the given listener (instead of
     * {@link #progressListener()}): long workers such as {@code pcap_zeek} report bytes read of the capture's size.
     *
     * @param worker   a worker name or alias
     * @param md5      the sample's MD5
     * @param config   setting overrides
     * @param progress where progress goes ({@link ProgressListener#NONE} or null for nowhere)
     * @return the worker's result document
     */
    public Map<String, Object> workRequest(String worker, String md5, Map<String, ?> config,
                                           ProgressListener progress) {
        checkOpen();
        try {
            return engine.run(worker, md5, config, () -> false, progress);
        } catch (UncachedResultException e) {
            // a result that must not be cached (e.g. vt_query without an API key) is still a result
            return e.result();
        }
    }

    /**
     * Runs a worker on several samples one after the other, lazily: each result is computed when the stream
     * reaches it, <b>in input order</b>. The worker name is checked now. A sample that fails (unknown or malformed
     * MD5, wrong type, worker failure) does not stop the batch: its element is
     * {@code {"md5": MD5, "worker": NAME, "error": MESSAGE, "error_type": EXCEPTION_CLASS}} instead of the
     * worker's result. For parallel execution with results as they finish, see {@link #batchWorkStream}.
     *
     * @param worker a worker name or alias
     * @param md5s   the samples' MD5s
     * @return one element per MD5, in order: the worker's result document, or an error document
     * @throws UnknownWorkerException when no such worker is registered
     * @throws WorkCancelledException from the stream when the consuming thread is interrupted (at the next sample,
     *                                or inside the running one)
     */
    public Stream<Map<String, Object>> batchWorkRequest(String worker, List<String> md5s) {
        checkOpen();
        String name = registry.get(worker).name();
        List<String> copy = new ArrayList<>(Objects.requireNonNull(md5s, "md5s"));
        ProgressListener listener = progressListener();
        ProgressTracker[] report = new ProgressTracker[1];
        int[] done = new int[1];
        return copy.stream().map(m -> {
            if (report[0] == null) {
                report[0] = ProgressTracker.start(listener, name + " batch", copy.size(), Progress.SAMPLES);
            }
            // an interrupted thread ends the batch (a cancelled sample is not just an error document)
            if (Thread.currentThread().isInterrupted()) {
                throw new WorkCancelledException("batch request '" + name + "' was interrupted before sample " + m);
            }
            Map<String, Object> doc = engine.batchOne(name, m, Map.of(), () -> false);
            if (Thread.currentThread().isInterrupted()
                    && WorkCancelledException.class.getSimpleName().equals(doc.get("error_type"))) {
                throw new WorkCancelledException("batch request '" + name + "' was interrupted at sample " + m);
            }
            if (++done[0] == copy.size()) {
                report[0].finish();
            } else {
                report[0].update(done[0]);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) doc.get("result");
            return result != null ? result : doc;
        }).onClose(() -> {
            if (report[0] != null) {
                report[0].close(); // a failure report unless every sample was done
            }
        });
    }

    /**
     * Sets the default number of threads of {@link #batchWorkStream(String, List)}.
     *
     * @param threads at least 1; the initial value is {@link Runtime#availableProcessors()}
     * @return this workbench
     * @throws InvalidInputException when {@code threads < 1}
     */
    public Workbench batchThreads(int threads) {
        if (threads < 1) {
            throw new InvalidInputException("batch thread count must be at least 1, got " + threads);
        }
        this.batchThreads = threads;
        return this;
    }

    /** @return the default number of threads of {@link #batchWorkStream(String, List)} */
    public int batchThreads() {
        return batchThreads;
    }

    /**
     * Runs a worker on many samples in parallel ({@link #batchThreads()} at a time) and streams one document per
     * sample <b>as each finishes</b> (completion order, not input order):
     * {@code {"md5": MD5, "worker": NAME, "result": {...}}}, or for a sample that failed
     * {@code {"md5": MD5, "worker": NAME, "error": MESSAGE, "error_type": EXCEPTION_CLASS}}; a failure never
     * stops the batch. {@link org.workbench.worker.BatchResult#from(Map)} gives a typed view.
     *
     * <p>Lazy: nothing runs until the stream is consumed. Close the stream (try-with-resources) to cancel pending
     * samples if you stop early; a fully consumed stream cleans up by itself.
     *
     * <pre>{@code
     * try (Stream<Map<String, Object>> s = wb.batchWorkStream("meta", md5s)) {
     *     s.map(BatchResult::from).filter(BatchResult::ok).forEach(r -> System.out.println(r.result()));
     * }
     * }</pre>
     *
     * @param worker a worker name or alias (checked now)
     * @param md5s   the samples' MD5s
     * @return {@code md5s.size()} documents in completion order
     * @throws UnknownWorkerException when no such worker is registered
     * @see WorkEngine#batch(String, List, Map, int)
     */
    public Stream<Map<String, Object>> batchWorkStream(String worker, List<String> md5s) {
        return batchWorkStream(worker, md5s, Map.of(), batchThreads);
    }

    /**
     * As {@link #batchWorkStream(String, List)} with an explicit thread count.
     *
     * @param worker  a worker name or alias
     * @param md5s    the samples' MD5s
     * @param threads how many samples run at once, at least 1
     * @return {@code md5s.size()} documents in completion order
     */
    public Stream<Map<String, Object>> batchWorkStream(String worker, List<String> md5s, int threads) {
        return batchWorkStream(worker, md5s, Map.of(), threads);
    }

    /**
     * As {@link #batchWorkStream(String, List)} with setting overrides and a thread count.
     *
     * @param worker  a worker name or alias
     * @param md5s    the samples' MD5s
     * @param config  setting overrides for the worker (checked now)
     * @param threads how many samples run at once, at least 1
     * @return {@code md5s.size()} documents in completion order
     * @throws InvalidInputException for an unknown setting or {@code threads < 1}
     */
    public Stream<Map<String, Object>> batchWorkStream(String worker, List<String> md5s, Map<String, ?> config,
                                                       int threads) {
        checkOpen();
        return engine.batch(worker, md5s, config, threads, progressListener());
    }

    /**
     * Sets where the progress of this workbench's long requests goes (large captures, batches); see
     * {@link org.workbench.progress}.
     *
     * @param listener the listener, or null to fall back to {@link ProgressDefaults#listener()} (none unless a
     *                 notebook kernel installed a factory)
     * @return this workbench
     */
    public Workbench progress(ProgressListener listener) {
        this.progress = listener;
        return this;
    }

    /**
     * @return the listener a request made now reports to: the one set with {@link #progress(ProgressListener)},
     *         else one from {@link ProgressDefaults#listener()} (asked anew per request), never null
     */
    public ProgressListener progressListener() {
        ProgressListener l = progress;
        return l != null ? l : ProgressDefaults.listener();
    }

    /**
     * The {@code meta} result as a typed record.
     *
     * @param md5 the sample's MD5
     * @return its hashes, size, names, type tag and libmagic typing
     */
    public MetaResult meta(String md5) {
        return MetaResult.from(workRequest(MetaWorker.NAME, md5));
    }

    /** @return the registered worker names, sorted */
    public List<String> listWorkers() {
        return registry.names();
    }

    /** @return the worker registry, to add workers: {@code wb.registry().register(new MyWorker())} */
    public WorkerRegistry registry() {
        return registry;
    }

    /** @return the sample store */
    public SampleStore store() {
        return store;
    }

    /** @return the file typer (libmagic, or Tika when libmagic is unavailable) */
    public FileMagic fileMagic() {
        return magic;
    }

    /** @return the engine that runs work requests (for callers that need a cancellation check) */
    public WorkEngine engine() {
        return engine;
    }

    // ---- graph store ----------------------------------------------------------------------------------------

    /**
     * The graph store (see {@link GraphStore}), opened on the first call: an embedded Neo4j database under
     * {@code HOME/graph} (a few seconds to start), or the server that {@link GraphConfig#resolve(Path)} finds
     * configured ({@value GraphConfig#URI_PROPERTY} / {@value GraphConfig#URI_ENV} and user and password), or the
     * configuration given to {@link #graphConfig(GraphConfig)}. The {@code pcap_graph} and {@code pcap_http_graph}
     * workers write into it; {@link #close()} closes it.
     *
     * @return the open graph store
     * @throws org.workbench.graph.GraphUnavailableException when the server is unreachable or refuses the
     *         credentials, or the embedded database cannot start (naming the URI or directory and the cause)
     */
    public synchronized GraphStore graph() {
        checkOpen();
        if (graph == null) {
            GraphConfig c = graphConfig != null ? graphConfig : GraphConfig.resolve(home().resolve("graph"));
            graph = GraphStore.open(c);
        }
        return graph;
    }

    /**
     * Chooses the graph store {@link #graph()} opens, instead of the configured or embedded default.
     *
     * @param config where the graph lives
     * @return this workbench
     * @throws WorkbenchException when the graph store is already open (set it before the first use)
     */
    public synchronized Workbench graphConfig(GraphConfig config) {
        Objects.requireNonNull(config, "config");
        if (graph != null) {
            throw new WorkbenchException("the graph store is already open (" + graph.uri()
                    + "); choose its configuration before the first use of graph()");
        }
        graphConfig = config;
        return this;
    }

    /**
     * Frees native state and closes the graph store if it was opened (stopping an embedded database);
     * later calls fail with {@link WorkbenchException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        OPEN.remove(this);
        GraphStore g;
        synchronized (this) {
            g = graph;
            graph = null;
        }
        try {
            if (g != null) {
                g.close();
            }
        } finally {
            magic.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new WorkbenchException("this workbench (home " + store.home() + ") is closed");
        }
    }

    /** @return a short description: home and workers */
    @Override
    public String toString() {
        return "Workbench[home=" + store.home() + ", workers=" + registry.names() + ", magic=" + magic.source() + "]";
    }
}
