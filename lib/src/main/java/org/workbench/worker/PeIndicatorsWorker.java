package org.workbench.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.pe.PeFormatException;
import org.workbench.pe.PeImage;
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
        return acceptsPe(store, sample);
    }

    @Override
    public Map<String, Object> defaultConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_bytes", DEFAULT_MAX_BYTES);
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
        Object loaded = load(ctx);
        if (loaded instanceof String error) {
            out.put("error", error);
            return out;
        }
        try {
            PeImage pe = PeImage.parse((byte[]) loaded);
            indicators.addAll(PeIndicatorRules.indicators(pe, ctx.sample().importTime(), entropyLimit, fewImports));
            if (!pe.damage().isEmpty()) {
                out.put("error", "damaged PE file: " + String.join("; ", pe.damage()));
            }
        } catch (PeFormatException e) {
            out.put("error", "not a PE file: " + e.getMessage());
        } catch (RuntimeException e) {
            // a safety net: a bug in the parser or the rules must not stop a batch
            indicators.clear();
            out.put("error", "PE analysis failed: " + e);
        }
        return out;
    }

    // -- shared with PeFeaturesWorker -----------------------------------------------------------------

    static final long DEFAULT_MAX_BYTES = 256L << 20;

    static boolean acceptsPe(SampleStore store, SampleInfo sample) {
        if (TypeTags.EXE.equals(sample.typeTag())) {
            return true;
        }
        if (store == null || sample.fileSize() < 2) {
            return false;
        }
        try (InputStream in = Files.newInputStream(store.path(sample.md5()))) {
            byte[] magic = in.readNBytes(2);
            return PeImage.hasMzMagic(magic);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** @return the sample's bytes, or a String naming why they were not read */
    static Object load(WorkerContext ctx) throws IOException {
        long max = ctx.config("max_bytes", Number.class).longValue();
        long size = ctx.sample().fileSize();
        if (size == 0) {
            return "not a PE file: the sample is empty (0 bytes)";
        }
        if (size > max || size > Integer.MAX_VALUE - 8) {
            return "the sample is " + size + " bytes, over the max_bytes limit of " + max;
        }
        try (InputStream in = ctx.openSample()) {
            return in.readAllBytes();
        }
    }
}
