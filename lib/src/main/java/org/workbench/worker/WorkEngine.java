package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.workbench.DependencyCycleException;
import org.workbench.InvalidInputException;
import org.workbench.WorkCancelledException;
import org.workbench.WorkbenchException;
import org.workbench.WorkerFailedException;
import org.workbench.WrongSampleKindException;
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
 * executes once. Concurrent identical requests wait for each other instead of running twice.
 *
 * <p>Thread-safe.
 */
public final class WorkEngine {
    private final SampleStore store;
    private final WorkerRegistry registry;
    private final ResultStore results;
    private final ConcurrentHashMap<String, KeyLock> locks = new ConcurrentHashMap<>();

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
        return run(worker, md5, config, cancelled, List.of());
    }

    Map<String, Object> run(String worker, String md5, Map<String, ?> config, BooleanSupplier cancelled,
                            List<String> frames) {
        Objects.requireNonNull(cancelled, "cancelled");
        Plan plan = plan(worker, config == null ? Map.of() : config, null, new ArrayList<>());
        SampleInfo info = store.info(md5);
        return execute(plan, info, cancelled, frames);
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

    private Map<String, Object> execute(Plan plan, SampleInfo info, BooleanSupplier cancelled, List<String> frames) {
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
        KeyLock lock = acquire(lockKey);
        try {
            Map<String, Object> cached = results.read(w.name(), info.md5(), plan.key());
            if (cached != null) {
                return cached;
            }
            List<String> inner = new ArrayList<>(frames);
            inner.add(frame);
            List<String> framesForDeps = List.copyOf(inner);
            Map<String, Map<String, Object>> depResults = new LinkedHashMap<>();
            Map<String, String> depKeys = new TreeMap<>();
            for (Plan d : plan.deps()) {
                depResults.put(d.name(), Collections.unmodifiableMap(execute(d, info, cancelled, framesForDeps)));
                depKeys.put(d.name(), d.key());
            }
            WorkerContext ctx = new WorkerContext(w.name(), info, store, Collections.unmodifiableMap(depResults),
                    plan.config(), cancelled, this, framesForDeps);
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
            return results.write(w.name(), w.version(), info.md5(), plan.key(), plan.config(), depKeys, out);
        } finally {
            release(lockKey, lock);
        }
    }

    /** A lock for one cache key, counted so the map entry goes away when nobody uses it. */
    private static final class KeyLock {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private KeyLock acquire(String key) {
        KeyLock l = locks.compute(key, (k, v) -> {
            KeyLock r = v == null ? new KeyLock() : v;
            r.users++;
            return r;
        });
        l.lock.lock();
        return l;
    }

    private void release(String key, KeyLock l) {
        l.lock.unlock();
        locks.computeIfPresent(key, (k, v) -> --v.users == 0 ? null : v);
    }
}
