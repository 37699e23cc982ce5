package org.workbench.worker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.workbench.pe.PeFeatureExtractor;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;

/**
 * {@code pe_features}: numeric and categorical features of a Windows PE file for similarity work (header fields,
 * sizes, versions, checksums, per-section entropy and sizes, import/export/resource counts, overlay size). See
 * {@link PeFeatureExtractor} for every key; sizes in bytes, timestamps in seconds since the epoch, entropy in
 * bits per byte. Applies like {@link PeIndicatorsWorker} ({@value TypeTags#EXE} samples, and MZ-magic samples when
 * constructed with the store). No dependencies.
 *
 * <p>When the file is not a PE the result is only {@code {error}}; when it is damaged (section table or section
 * data past the end of the file) the features are present and {@code error} says what is damaged.
 * {@link PeFeatures#from(Map)} gives a typed view.
 *
 * <p>Settings: {@code max_bytes} (default 256 MiB: larger samples are not read, an error says so).
 */
public final class PeFeaturesWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "pe_features";

    private final SampleStore store;

    /** A worker that applies to samples tagged {@value TypeTags#EXE} only. */
    public PeFeaturesWorker() {
        this(null);
    }

    /**
     * @param store the sample store, to recognise MZ-magic samples of other type tags (null: {@code exe} only)
     */
    public PeFeaturesWorker(SampleStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "numeric and categorical PE features (headers, sections, imports, exports, resources)";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.EXE);
    }

    @Override
    public boolean accepts(SampleInfo sample) {
        return PeWorkerSupport.accepts(store, sample);
    }

    @Override
    public Map<String, Object> defaultConfig() {
        return Map.of("max_bytes", PeWorkerSupport.DEFAULT_MAX_BYTES);
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        PeWorkerSupport.analyse(ctx, out, pe -> out.putAll(PeFeatureExtractor.features(pe)), out::clear);
        return out;
    }
}
