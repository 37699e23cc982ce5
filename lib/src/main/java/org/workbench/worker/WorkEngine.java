package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.function.BooleanSupplier;
import org.workbench.DependencyCycleException;
import org.workbench.InvalidInputException;
import org.workbench.WorkCancelledException;
import org.workbench.WorkbenchException;
import org.workbench.WorkerFailedException;
import org.workbench.WrongSampleKindException;
import org.workbench.progress.Progress;
import org.workbench.progress.ProgressListener;
import org.workbench.progress.ProgressTracker;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;

/**
 * Runs work requests: finds the worker, checks that it applies to the sample, resolves its dependencies
 * recursively (detecting cycles), and executes it, or reuses its durably cached result.
 *
 * <p>The cache key of a request is a SHA-256 over the worker's name, version and effective configuration (its
 * defaults overridden by the request, as canonical JSON), and the keys of its dependencies (which run with their
 * default configuration); results are stored per sample MD5 under {@code <home>/results}. So a new worker
 * version, another setting, or a changed dependency never serves a stale result, while the same request twice
 * executes once. A sample whose type tag changed (see {@link SampleStore}) gets its results computed afresh.
 * Concurrent identical requests wait for each other instead of running twice; requests that wait
 * for each other in a circle across threads (a cycle of nested requests split over threads) fail with a
 * {@link DependencyCycleException}, as the same cycle in one thread does, instead of deadlocking.
 *
 * <p>{@link #batch} runs one worker over many samples on a bounded thread pool and streams one document per
 * sample as each finishes; a failing sample becomes an error document, never an exception.
 *
 * <p>Thread-safe.
 */
public final class WorkEngine {
    private final SampleStore store;
    private final WorkerRegistry registry;
    private final ResultStore results;
    /** Guards {@link #locks}, {@link #waiting} and every {@link KeyLock}. */
    private final Object lockMonitor = new Object();
    private final Map<String, KeyLock> locks = new HashMap<>();
    /** Which lock each blocked thread waits for (the wait-for graph, for cycle detection across threads). */
    private final Map<Thread, KeyLock> waiting = new HashMap<>();

    /**
     * @param store    the sample store; results go under {@code store.home()/results}
     * @param registry the workers
     */
    public WorkEngine(SampleStore store, WorkerRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.results = new ResultStore(store.home().resolve("results"));
    }

    /** @return the workers this engine runs */
    public WorkerRegistry registry() {
        return registry;
    }

    /** @return the sample store */
    public SampleStore store() {
        return store;
    }

    /**
     * Runs (or reuses) a worker's result for one sample. Cancellation follows the calling thread's interrupt.
     *
     * @param worker a worker name or alias
     * @param md5    the sample's MD5
     * @param config setting overrides (may be empty)
     * @return the result document (a fresh, mutable copy)
     * @see #run(String, String, Map, BooleanSupplier)
     */
    public Map<String, Object> run(String worker, String md5, Map<String, ?> config) {
        return run(worker, md5, config, () -> false);
    }

    /**
     * Runs (or reuses) a worker's result for one sample.
     *
     * @param worker    a worker name or alias
     * @param md5       the sample's MD5
     * @param config    setting overrides (may be empty); keys must be among the worker's
     *                  {@link Worker#defaultConfig()}
     * @param cancelled polled by workers (besides the thread's interrupt status) to stop early
     * @return the result document (a fresh, mutable copy)
     * @throws org.workbench.UnknownWorkerException    when the worker or one of its dependencies is not registered
     * @throws org.workbench.UnknownSampleException    when no such sample is stored
     * @throws InvalidInputException                   for a malformed MD5 or an unknown setting
     * @throws WrongSampleKindException                when the worker (or a dependency) does not apply to the
     *                                                 sample's type
     * @throws DependencyCycleException                when dependencies form a cycle
     * @throws WorkerFailedException                   when a worker throws or returns a non-JSON-like result
     * @throws WorkCancelledException                  when the request was cancelled
     */
    public Map<String, Object> run(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled) {
        return run(worker, md5, config, cancelled, List.of(), ProgressListener.NONE);
    }

    /**
     * As {@link #run(String, String, Map, BooleanSupplier)}, reporting progress: workers that run long (and
     * their dependencies, e.g. {@code pcap_zeek} under {@code view_pcap_details}) report through
     * {@link WorkerContext#startProgress}. A cached result reports nothing.
     *
     * @param progress where progress goes (null for nowhere)
     */
    public Map<String, Object> run(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled,
                                   ProgressListener progress) {
        return run(worker, md5, config, cancelled, List.of(), progress);
    }

    Map<String, Object> run(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled,
                            List<String> frames, ProgressListener progress) {
        Objects.requireNonNull(cancelled, "cancelled");
        Plan plan = plan(worker, config == null ? Map.of() : config, null, new ArrayList<>());
        SampleInfo info = store.info(md5);
        return execute(plan, info, cancelled, frames, progress == null ? ProgressListener.NONE : progress);
    }

    /**
     * Runs a worker on many samples in parallel and streams one document per sample, <b>in completion order</b>
     * (whichever sample finishes first comes first; every document names its sample, so order does not matter).
     *
     * <p>Each document is JSON-like: {@code {"md5": MD5, "worker": NAME, "result": {...}}} on success, or
     * {@code {"md5": MD5, "worker": NAME, "error": MESSAGE, "error_type": EXCEPTION_CLASS_SIMPLE_NAME}} when that
     * sample failed (unknown or malformed MD5, wrong sample type, the worker threw or was cancelled, ...). A
     * failing sample never stops the batch. {@link BatchResult#from(Map)} gives a typed view. {@code NAME} is the
     * worker's real name (aliases resolved).
     *
     * <p>Lazy: nothing runs until the stream is consumed. Then at most {@code threads} samples run at a time on a
     * pool owned by this stream, and at most {@code 2 * threads} results are computed ahead of the consumer.
     * Caching, deduplication of identical requests (also across the pool's threads) and cycle detection are as
     * for {@link #run(String, String, Map)}. Closing the stream (use try-with-resources, or consume it fully)
     * cancels pending samples: running workers see {@link WorkerContext#isCancelled()} and are interrupted, and
     * nothing more is delivered. A stream consumed to its end frees its pool by itself.
     *
     * @param worker  a worker name or alias; checked now
     * @param md5s    the samples (duplicates allowed: each gets its own document, the work runs once)
     * @param config  setting overrides for the worker (checked now), may be empty
     * @param threads how many samples run at once, at least 1
     * @return a sequential stream of {@code md5s.size()} documents
     * @throws org.workbench.UnknownWorkerException when the worker or one of its dependencies is not registered
     * @throws InvalidInputException                 for {@code threads < 1}, a null MD5 list, an unknown setting
     * @throws DependencyCycleException              when the worker's declared dependencies form a cycle
     */
    public Stream<Map<String, Object>> batch(String worker, List<String> md5s, Map<String, ?> config,
                                             int threads) {
        return batch(worker, md5s, config, threads, ProgressListener.NONE);
    }

    /**
     * As {@link #batch(String, List, Map, int)}, reporting progress in samples delivered of the list's size
     * (task {@code "<worker> batch"}), from the consuming thread; the samples themselves report nothing. A batch
     * of one sample reports that sample's own progress instead (e.g. bytes of a capture read by {@code pcap_zeek}).
     *
     * @param progress where progress goes (null for nowhere)
     */
    public Stream<Map<String, Object>> batch(String worker, List<String> md5s, Map<String, ?> config,
                                             int threads, ProgressListener progress) {
        if (threads < 1) {
            throw new InvalidInputException("batch thread count must be at least 1, got " + threads);
        }
        if (md5s == null) {
            throw new InvalidInputException("the MD5 list of a batch request is null");
        }
        Map<String, Object> cfg = new LinkedHashMap<>(config == null ? Map.of() : config);
        String name = plan(worker, cfg, null, new ArrayList<>()).name(); // fail fast on worker, config, cycles
        Batch b = new Batch(name, new ArrayList<>(md5s), cfg, threads,
                progress == null ? ProgressListener.NONE : progress);
        return StreamSupport.stream(b, false).onClose(b::close);
    }

    /**
     * One sample's batch document ({@link #batch}): success or error, never an exception.
     *
     * @param worker    the worker's name
     * @param md5       the sample's MD5 (may be malformed: that is an error document)
     * @param config    setting overrides
     * @param cancelled cancellation check
     * @return {@code {md5, worker, result}} or {@code {md5, worker, error, error_type}}
     */
    public Map<String, Object> batchOne(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled) {
        return batchOne(worker, md5, config, cancelled, ProgressListener.NONE);
    }

    private Map<String, Object> batchOne(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled,
                                         ProgressListener progress) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("md5", md5);
        doc.put("worker", worker);
        try {
            doc.put("result", run(worker, md5, config, cancelled, progress));
        } catch (VirtualMachineError e) {
            doc.put("error", "worker '" + worker + "' on sample " + md5 + " failed: " + e);
            doc.put("error_type", e.getClass().getSimpleName());
        } catch (RuntimeException | Error e) {
            String m = e.getMessage();
            doc.put("error", m == null || m.isBlank() ? e.toString() : m);
            doc.put("error_type", e.getClass().getSimpleName());
        }
        return doc;
    }

    /** Marks a closed batch in its result queue. */
    private static final Map<String, Object> CLOSED = Collections.unmodifiableMap(new LinkedHashMap<>());

    /** The lazy, parallel source behind {@link #batch}. Consumed by one thread; workers run on its pool. */
    private final class Batch implements Spliterator<Map<String, Object>> {
        private final String worker;
        private final List<String> md5s;
        private final Map<String, Object> config;
        private final int threads;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final BlockingQueue<Map<String, Object>> done = new LinkedBlockingQueue<>();
        private final ProgressListener progress;
        private ExecutorService pool;
        private ProgressTracker report;
        private int submitted;
        private int delivered;

        Batch(String worker, List<String> md5s, Map<String, Object> config, int threads, ProgressListener progress) {
            this.worker = worker;
            this.md5s = md5s;
            this.config = config;
            this.threads = threads;
            this.progress = progress;
        }

        @Override
        public boolean tryAdvance(Consumer<? super Map<String, Object>> action) {
            if (closed.get() || delivered >= md5s.size()) {
                shutdown();
                return false;
            }
            if (report == null) {
                report = ProgressTracker.start(md5s.size() == 1 ? ProgressListener.NONE : progress,
                        worker + " batch", md5s.size(), Progress.SAMPLES);
            }
            if (pool == null) {
                AtomicInteger n = new AtomicInteger();
                ThreadFactory tf = r -> {
                    Thread t = new Thread(r, "workbench-batch-" + worker + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                };
                int size = Math.min(threads, md5s.size());
                ThreadPoolExecutor p = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), tf);
                p.allowCoreThreadTimeOut(true); // an abandoned, unclosed stream does not keep threads forever
                pool = p;
            }
            int window = 2 * threads;
            while (submitted < md5s.size() && submitted - delivered < window) {
                String md5 = md5s.get(submitted++);
                ProgressListener itemProgress = md5s.size() == 1 ? progress : ProgressListener.NONE;
                pool.execute(() -> done.add(batchOne(worker, md5, config, closed::get, itemProgress)));
            }
            Map<String, Object> next;
            try {
                next = done.take();
                if (next == CLOSED) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new WorkCancelledException("batch request '" + worker + "' was interrupted after "
                        + delivered + " of " + md5s.size() + " samples");
            }
            delivered++;
            if (delivered == md5s.size()) {
                shutdown();
                report.finish();
            } else {
                report.update(delivered);
            }
            action.accept(next);
            return true;
        }

        @Override
        public Spliterator<Map<String, Object>> trySplit() {
            return null;
        }

        @Override
        public long estimateSize() {
            return md5s.size() - delivered;
        }

        @Override
        public int characteristics() {
            return SIZED | NONNULL;
        }

        /** Cancels pending and running samples; idempotent. */
        void close() {
            if (report != null) {
                report.close(); // a failure report unless every sample was delivered
            }
            if (closed.compareAndSet(false, true)) {
                if (pool != null) {
                    pool.shutdownNow();
                }
                done.add(CLOSED); // wakes a consumer blocked in another thread
            }
        }

        private void shutdown() {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------

    /** A worker with its effective configuration, cache key and dependency plans. */
    private record Plan(Worker worker, Map<String, Object> config, String key, List<Plan> deps) {
        String name() {
            return worker.name();
        }
    }

    private Plan plan(String nameOrAlias, Map<String, ?> overrides, String detail, List<String> chain) {
        Worker w = registry.get(nameOrAlias, detail);
        String name = w.name();
        int at = chain.indexOf(name);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(chain.subList(at, chain.size()));
            cycle.add(name);
            throw new DependencyCycleException(cycle);
        }
        Map<String, Object> config = effectiveConfig(w, overrides);
        chain.add(name);
        List<Plan> deps = new ArrayList<>();
        Map<String, String> depKeys = new TreeMap<>();
        for (String d : w.dependencies()) {
            Plan p = plan(d, Map.of(), "a dependency of worker '" + name + "'", chain);
            deps.add(p);
            depKeys.put(p.name(), p.key());
        }
        chain.remove(chain.size() - 1);
        Map<String, Object> keyDoc = new LinkedHashMap<>();
        keyDoc.put("worker", name);
        keyDoc.put("version", w.version());
        keyDoc.put("config", config);
        keyDoc.put("dependencies", depKeys);
        return new Plan(w, config, JsonDocuments.hash(keyDoc), List.copyOf(deps));
    }

    private static Map<String, Object> effectiveConfig(Worker w, Map<String, ?> overrides) {
        Map<String, Object> defaults = w.defaultConfig();
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, ?> e : overrides.entrySet()) {
            if (!defaults.containsKey(e.getKey())) {
                throw new InvalidInputException("worker '" + w.name() + "' has no setting '" + e.getKey()
                        + "'; its settings are " + new TreeMap<>(defaults).keySet());
            }
            merged.put(e.getKey(), e.getValue());
        }
        JsonDocuments.check(merged, "configuration of worker '" + w.name() + "'");
        return Collections.unmodifiableMap(JsonDocuments.roundTrip(merged));
    }

    private Map<String, Object> execute(Plan plan, SampleInfo info, BooleanSupplier cancelled, List<String> frames,
                                        ProgressListener progress) {
        Worker w = plan.worker();
        String frame = w.name() + "(" + info.md5() + ")";
        int at = frames.indexOf(frame);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(frames.subList(at, frames.size()));
            cycle.add(frame);
            throw new DependencyCycleException(cycle);
        }
        if (!w.accepts(info)) {
            throw new WrongSampleKindException(w.name(), info.md5(), info.typeTag(), w.acceptedTypes());
        }
        if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
            // Checked before any file I/O: NIO channels fail with ClosedByInterruptException on interrupted threads.
            throw new WorkCancelledException("work request '" + w.name() + "' on sample " + info.md5()
                    + " was cancelled");
        }
        String lockKey = plan.key() + "/" + info.md5();
        KeyLock lock = acquire(lockKey, frame);
        try {
            Map<String, Object> cached = w.cached() ? results.read(w.name(), info.md5(), info.typeTag(), plan.key()) : null;
            if (cached != null) {
                return cached;
            }
            List<String> inner = new ArrayList<>(frames);
            inner.add(frame);
            List<String> framesForDeps = List.copyOf(inner);
            Map<String, Map<String, Object>> depResults = new LinkedHashMap<>();
            Map<String, String> depKeys = new TreeMap<>();
            for (Plan d : plan.deps()) {
                depResults.put(d.name(),
                        Collections.unmodifiableMap(execute(d, info, cancelled, framesForDeps, progress)));
                depKeys.put(d.name(), d.key());
            }
            WorkerContext ctx = new WorkerContext(w.name(), info, store, Collections.unmodifiableMap(depResults),
                    plan.config(), cancelled, this, framesForDeps, progress);
            ctx.checkCancelled();
            Map<String, Object> out;
            try {
                out = w.execute(ctx);
            } catch (WorkbenchException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkCancelledException("work request '" + w.name() + "' on sample " + info.md5()
                        + " was interrupted");
            } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                if (e instanceof java.util.concurrent.CancellationException
                        || e instanceof java.nio.channels.ClosedByInterruptException
                        || Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                    // a cancelled or interrupted request, not a failed worker
                    WorkCancelledException c = new WorkCancelledException("work request '" + w.name()
                            + "' on sample " + info.md5() + " was cancelled");
                    c.initCause(e);
                    throw c;
                }
                throw new WorkerFailedException(w.name(), info.md5(), e.toString(), e);
            }
            ctx.checkCancelled();
            if (out == null) {
                throw new WorkerFailedException(w.name(), info.md5(), "it returned null instead of a result", null);
            }
            try {
                JsonDocuments.check(out, "the result");
            } catch (InvalidInputException e) {
                throw new WorkerFailedException(w.name(), info.md5(), e.getMessage(), null);
            }
            if (!w.cached()) {
                return JsonDocuments.roundTrip(out);
            }
            return results.write(w.name(), w.version(), info.md5(), info.typeTag(), plan.key(), plan.config(), depKeys, out);
        } finally {
            release(lockKey, lock);
        }
    }

    /**
     * A lock for one cache key (one worker request on one sample), counted so the map entry goes away when nobody
     * uses it. Guarded by {@link #lockMonitor}.
     */
    private static final class KeyLock {
        final String frame;
        Thread owner;
        int holds;
        int users;

        KeyLock(String frame) {
            this.frame = frame;
        }
    }

    /**
     * Takes the lock of one request, waiting while another thread runs the same request. Before waiting it checks
     * the wait-for graph: when the owner (transitively) waits for a lock this thread holds, the requests form a
     * cycle across threads (e.g. {@code x(a)} requests {@code x(b)} in one thread while {@code x(b)} requests
     * {@code x(a)} in another); that is reported as a {@link DependencyCycleException} instead of a deadlock.
     */
    private KeyLock acquire(String key, String frame) {
        Thread me = Thread.currentThread();
        synchronized (lockMonitor) {
            KeyLock l = locks.computeIfAbsent(key, k -> new KeyLock(frame));
            l.users++;
            try {
                while (l.owner != null && l.owner != me) {
                    List<String> cycle = waitCycle(l, me);
                    if (cycle != null) {
                        throw new DependencyCycleException(cycle);
                    }
                    waiting.put(me, l);
                    try {
                        lockMonitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new WorkCancelledException("work request " + frame + " was cancelled while waiting"
                                + " for the same request in another thread");
                    } finally {
                        waiting.remove(me);
                    }
                }
                l.owner = me;
                l.holds++;
                return l;
            } catch (RuntimeException e) {
                if (--l.users == 0) {
                    locks.remove(key);
                }
                throw e;
            }
        }
    }

    /** @return the frames of a wait cycle through {@code target} back to {@code me}, or null when there is none */
    private List<String> waitCycle(KeyLock target, Thread me) {
        List<String> path = new ArrayList<>();
        KeyLock l = target;
        for (int i = 0; l != null && i <= waiting.size(); i++) {
            path.add(l.frame);
            Thread owner = l.owner;
            if (owner == me) {
                List<String> cycle = new ArrayList<>();
                cycle.add(path.get(path.size() - 1));
                cycle.addAll(path);
                return cycle;
            }
            if (owner == null) {
                return null;
            }
            l = waiting.get(owner);
        }
        return null;
    }

    private void release(String key, KeyLock l) {
        synchronized (lockMonitor) {
            if (--l.holds == 0) {
                l.owner = null;
                lockMonitor.notifyAll();
            }
            if (--l.users == 0) {
                locks.remove(key);
            }
        }
    }
}
