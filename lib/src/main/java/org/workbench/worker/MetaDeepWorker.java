package org.workbench.worker;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.workbench.hash.Entropy;
import org.workbench.hash.FuzzyHasher;
import org.workbench.hash.Ssdeep;

/**
 * The {@code meta_deep} worker: the {@code meta} result plus a fuzzy hash and the byte entropy. Depends on
 * {@code meta}; applies to every sample type; no settings.
 *
 * <p>Result keys: every key of {@code meta} (see {@link MetaWorker}), then {@code ssdeep} (the context-triggered
 * piecewise hash, {@code blocksize:hash1:hash2}, exactly as {@code ssdeep -b} prints it), {@code ssdeep_source}
 * ({@code libfuzzy} or {@code java}, see {@link FuzzyHasher}) and {@code entropy} (Shannon entropy of the bytes,
 * bits per byte, 0 to 8; 0 for an empty sample). The sample is read once, as a stream (plus once more by
 * libfuzzy when it is used). {@link MetaDeepResult#from(Map)} gives a typed view.
 */
public final class MetaDeepWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "meta_deep";

    private final FuzzyHasher fuzzy;

    /** @param fuzzy the ssdeep implementation to use (e.g. {@link FuzzyHasher#open()}) */
    public MetaDeepWorker(FuzzyHasher fuzzy) {
        this.fuzzy = Objects.requireNonNull(fuzzy, "fuzzy");
    }

    /** A worker using libfuzzy when it loads, else the pure-Java ssdeep. */
    public MetaDeepWorker() {
        this(FuzzyHasher.open());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "meta plus ssdeep fuzzy hash and Shannon entropy (bits per byte)";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public List<String> dependencies() {
        return List.of(MetaWorker.NAME);
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>(ctx.dependency(MetaWorker.NAME));
        Entropy entropy = new Entropy();
        Ssdeep java = fuzzy.usesLibfuzzy() ? null : new Ssdeep();
        try (InputStream in = ctx.openSample()) {
            byte[] buf = new byte[256 * 1024];
            for (int r; (r = in.read(buf)) > 0; ) {
                entropy.update(buf, 0, r);
                if (java != null) {
                    java.update(buf, 0, r);
                }
                ctx.checkCancelled();
            }
        }
        String digest = java != null ? java.digest() : fuzzy.hashFile(ctx.samplePath());
        out.put("ssdeep", digest);
        out.put("ssdeep_source", fuzzy.source());
        out.put("entropy", entropy.bitsPerByte());
        return out;
    }
}
