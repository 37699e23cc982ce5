package org.workbench.worker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.pe.PeIndicatorRules;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;

/**
 * {@code pe_indicators}: indicators of what a Windows PE program does and whether it looks packed or malformed
 * (see {@link PeIndicatorRules} for the rules and {@link org.workbench.pe.ApiCategories} for the API table).
 * Applies to samples tagged {@value TypeTags#EXE} and, when constructed with the sample store, to any sample
 * whose first bytes are the DOS magic {@code MZ}. No dependencies.
 *
 * <p>Result: {@code indicators}: list of {@code {category, description, severity (1..3), attributes: [string]}};
 * {@code error} (only when there is a problem): why the file is not a PE ({@code indicators} then empty) or how
 * it is damaged (section table or section data past the end of the file; the indicators found are still
 * listed). {@link PeIndicators#from(Map)} gives a typed view.
 *
 * <p>Settings: {@code max_bytes} (default 256 MiB: larger samples are not read, an error says so),
 * {@code entropy_threshold} (default 7.0 bits/byte: sections above it count as packed), {@code few_imports}
 * (default 10: fewer imported functions are flagged).
 */
public final class PeIndicatorsWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "pe_indicators";

    private final SampleStore store;

    /** A worker that applies to samples tagged {@value TypeTags#EXE} only. */
    public PeIndicatorsWorker() {
        this(null);
    }

    /**
     * @param store the sample store, to recognise MZ-magic samples of other type tags (null: {@code exe} only)
     */
    public PeIndicatorsWorker(SampleStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "suspicious imports and structural anomalies of a PE file, with severities";
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
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_bytes", PeWorkerSupport.DEFAULT_MAX_BYTES);
        c.put("entropy_threshold", 7.0);
        c.put("few_imports", 10);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws IOException {
        double entropyLimit = ctx.config("entropy_threshold", Number.class).doubleValue();
        int fewImports = ctx.config("few_imports", Number.class).intValue();
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> indicators = new ArrayList<>();
        out.put("indicators", indicators);
        PeWorkerSupport.analyse(ctx, out, pe -> indicators.addAll(
                PeIndicatorRules.indicators(pe, ctx.sample().importTime(), entropyLimit, fewImports)),
                indicators::clear);
        return out;
    }
}
