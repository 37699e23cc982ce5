package org.workbench.worker;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.workbench.InvalidInputException;
import org.workbench.WorkCancelledException;
import org.workbench.progress.ProgressListener;
import org.workbench.progress.ProgressTracker;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;

/**
 * Everything a {@link Worker} gets for one execution: the sample, its dependency results, the sample store (to
 * read other samples or store new ones, e.g. extracted files and logs), the effective configuration, a
 * cancellation check, and a way to request other work. Created by the workbench; valid only during
 * {@link Worker#execute(WorkerContext)}.
 */
public final class WorkerContext {
    private final String workerName;
    private final SampleInfo sample;
    private final SampleStore store;
    private final Map<String, Map<String, Object>> dependencies;
    private final Map<String, Object> config;
    private final BooleanSupplier cancelled;
    private final WorkEngine engine;
    private final List<String> frames;
    private final ProgressListener progress;
    private boolean verified;

    WorkerContext(String workerName, SampleInfo sample, SampleStore store,
                  Map<String, Map<String, Object>> dependencies, Map<String, Object> config,
                  BooleanSupplier cancelled, WorkEngine engine, List<String> frames, ProgressListener progress) {
        this.workerName = workerName;
        this.sample = sample;
        this.store = store;
        this.dependencies = dependencies;
        this.config = config;
        this.cancelled = cancelled;
        this.engine = engine;
        this.frames = frames;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    /**
     * @return where this request's progress goes ({@link ProgressListener#NONE} when nobody listens, e.g. for the
     *         samples of a batch, whose progress is counted in samples by the batch itself)
     */
    public ProgressListener progressListener() {
        return progress;
    }

    /**
     * Starts reporting the progress of this execution (for workers whose work is long, e.g. a large capture).
     * The task is named {@code "<worker> <sample filename>"}. Call {@link ProgressTracker#finish()} at the end.
     *
     * @param total how much work in all, in {@code unit}s, or -1 when unknown
     * @param unit  what is counted ({@link org.workbench.progress.Progress#BYTES}, ...)
     * @return the tracker (inactive when nobody listens)
     */
    public ProgressTracker startProgress(long total, String unit) {
        return ProgressTracker.start(progress, progressTask(), total, unit);
    }

    /** @return the task name of this execution's progress: {@code "<worker> <sample filename>"} */
    public String progressTask() {
        return workerName + " " + sample.filename();
    }

    /** @return the sample being worked on */
    public SampleInfo sample() {
        return sample;
    }

    /** @return the sample's MD5 */
    public String md5() {
        return sample.md5();
    }

    /**
     * @return a stream of the sample's bytes (the caller closes it); a damaged sample raises
     *         {@link org.workbench.CorruptSampleException} at the end of the stream
     */
    public InputStream openSample() {
        return store.open(sample.md5());
    }

    /**
     * The sample's file, for tools that need a path. The first call in an execution reads the file once to check
     * its MD5. Treat the file as read-only.
     *
     * @return the absolute path of the sample's bytes
     * @throws org.workbench.CorruptSampleException when the file no longer matches its MD5
     */
    public Path samplePath() {
        if (!verified) {
            store.verify(sample.md5());
            verified = true;
        }
        return store.path(sample.md5());
    }

    /** @return the sample store: read other samples, or store new ones (extracted files, logs) */
    public SampleStore store() {
        return store;
    }

    /** @return every dependency's result, by the dependency's worker name (unmodifiable map) */
    public Map<String, Map<String, Object>> dependencies() {
        return dependencies;
    }

    /**
     * @param workerName a declared dependency's name (or an alias of it)
     * @return that dependency's result
     * @throws InvalidInputException when it is not one of this worker's dependencies
     */
    public Map<String, Object> dependency(String workerName) {
        Map<String, Object> r = dependencies.get(engine.registry().canonicalName(workerName));
        if (r == null) {
            throw new InvalidInputException("worker '" + this.workerName + "' has no dependency '" + workerName
                    + "'; its dependencies are " + dependencies.keySet());
        }
        return r;
    }

    /** @return the effective configuration: the worker's defaults overridden by the request (unmodifiable) */
    public Map<String, Object> config() {
        return config;
    }

    /**
     * @param key a setting name from the worker's {@link Worker#defaultConfig()}
     * @param type the expected value class (e.g. {@code String.class}, {@code Number.class})
     * @return the setting's value
     * @throws InvalidInputException when the value has another type
     */
    public <T> T config(String key, Class<T> type) {
        Object v = config.get(key);
        if (v != null && !type.isInstance(v)) {
            throw new InvalidInputException("setting '" + key + "' of worker '" + workerName + "' must be a "
                    + type.getSimpleName() + ", got " + v.getClass().getSimpleName() + " " + v);
        }
        return type.cast(v);
    }

    /** @return whether the request was cancelled (its thread interrupted, or its cancellation check true) */
    public boolean isCancelled() {
        return Thread.currentThread().isInterrupted() || cancelled.getAsBoolean();
    }

    /**
     * @throws WorkCancelledException when the request was cancelled; call it now and then in long loops
     */
    public void checkCancelled() {
        if (isCancelled()) {
            throw new WorkCancelledException("work request '" + workerName + "' on sample " + sample.md5()
                    + " was cancelled");
        }
    }

    /**
     * Requests other work (on this or another sample, e.g. {@code meta} on an extracted file), cached like any
     * request. Cycles through nested requests are detected.
     *
     * @param worker a worker name or alias
     * @param md5    the sample's MD5
     * @return the result
     */
    public Map<String, Object> workRequest(String worker, String md5) {
        return workRequest(worker, md5, Map.of());
    }

    /**
     * As {@link #workRequest(String, String)} with setting overrides.
     *
     * @param worker a worker name or alias
     * @param md5    the sample's MD5
     * @param config setting overrides
     * @return the result
     */
    public Map<String, Object> workRequest(String worker, String md5, Map<String, ?> config) {
        return engine.run(worker, md5, config, cancelled, frames, progress);
    }
}
