package org.workbench.worker;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.store.SampleInfo;

/**
 * One kind of analysis of a sample: a small stateless class with a stable name. Register it with
 * {@link WorkerRegistry#register(Worker)}; the workbench then runs it on request, after its dependencies, and
 * caches its result durably.
 *
 * <p>A result is a JSON-like document: nested {@code Map<String, ?>} / {@code List<?>} of {@code String},
 * {@code Number} (finite), {@code Boolean} and {@code null}. Results are stored as JSON and handed back as
 * parsed JSON (so integers come back as {@code Integer} or {@code Long}, fractions as {@code Double}).
 *
 * <p>A cached result is reused while the worker's {@link #name()}, {@link #version()}, effective configuration,
 * the sample and (recursively) its dependencies' versions and configurations stay the same: bump the version
 * whenever the output for the same input changes.
 */
public interface Worker {
    /** @return the stable lookup name, lowercase letters, digits and '_' (e.g. {@code meta}, {@code pcap_zeek}) */
    String name();

    /** @return the output version; change it whenever the output for the same input changes */
    String version();

    /**
     * @return a one-line, human-readable summary of what the worker produces (shown by {@code workbench workers});
     *         by default {@code "(no description)"}
     */
    default String description() {
        return "(no description)";
    }

    /** @return names (or aliases) of workers whose results this one needs; default none */
    default List<String> dependencies() {
        return List.of();
    }

    /** @return the sample type tags this worker applies to; empty (the default) means every type */
    default Set<String> acceptedTypes() {
        return Set.of();
    }

    /**
     * @param sample a stored sample
     * @return whether this worker applies to it; by default, whether its type tag is in {@link #acceptedTypes()}
     */
    default boolean accepts(SampleInfo sample) {
        Set<String> types = acceptedTypes();
        return types.isEmpty() || types.contains(sample.typeTag());
    }

    /**
     * Every setting this worker understands, with its default value (JSON-like values). A request may override
     * these; a request naming any other key is rejected. Default: no settings.
     *
     * @return setting name to default value
     */
    default Map<String, Object> defaultConfig() {
        return Map.of();
    }

    /**
     * Whether the result may be cached. A worker whose real output is a side effect elsewhere (e.g. writing into
     * the graph store, which may be cleared or swapped independently of the cache) returns false: it then runs
     * on every request (its dependencies still come from the cache). Default: true.
     *
     * @return whether the engine caches this worker's results
     */
    default boolean cached() {
        return true;
    }

    /**
     * Does the work. Long-running workers should call {@link WorkerContext#checkCancelled()} now and then.
     *
     * @param ctx the sample, its dependency results, the store, the effective configuration
     * @return the result document (JSON-like, see above); not null
     * @throws Exception any failure; the workbench reports it as a {@link org.workbench.WorkerFailedException}
     *                   naming this worker and the sample, and caches nothing
     */
    Map<String, Object> execute(WorkerContext ctx) throws Exception;
}
