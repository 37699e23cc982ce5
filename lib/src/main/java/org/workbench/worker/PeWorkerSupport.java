package org.workbench.worker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;
import org.workbench.pe.PeFormatException;
import org.workbench.pe.PeImage;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;

/**
 * What {@link PeFeaturesWorker} and {@link PeIndicatorsWorker} share: which samples they apply to, the
 * {@code max_bytes} bounded read and the parse with its errors.
 */
final class PeWorkerSupport {
    /** Default of the {@code max_bytes} setting: 256 MiB. */
    static final long DEFAULT_MAX_BYTES = 256L << 20;

    private PeWorkerSupport() {
    }

    /** Samples tagged {@value TypeTags#EXE}, and with a store those whose first bytes are the DOS magic MZ. */
    static boolean accepts(SampleStore store, SampleInfo sample) {
        if (TypeTags.EXE.equals(sample.typeTag())) {
            return true;
        }
        return store != null && store.headMatches(sample.md5(), 2, PeImage::hasMzMagic);
    }

    /**
     * Reads the sample (up to {@code max_bytes}), parses it and hands the image to {@code use}; puts
     * {@code error} into {@code out} when the sample is empty, too large, not a PE or damaged, or when the
     * analysis fails ({@code onFailure} then first undoes what {@code use} added).
     */
    static void analyse(WorkerContext ctx, Map<String, Object> out, Consumer<PeImage> use, Runnable onFailure)
            throws IOException {
        Object loaded = load(ctx);
        if (loaded instanceof String error) {
            out.put("error", error);
            return;
        }
        try {
            PeImage pe = PeImage.parse((byte[]) loaded);
            use.accept(pe);
            if (!pe.damage().isEmpty()) {
                out.put("error", "damaged PE file: " + String.join("; ", pe.damage()));
            }
        } catch (PeFormatException e) {
            out.put("error", "not a PE file: " + e.getMessage());
        } catch (RuntimeException e) {
            // a safety net: a bug in the parser or the rules must not stop a batch
            onFailure.run();
            out.put("error", "PE analysis failed: " + e);
        }
    }

    /** @return the sample's bytes, or a String naming why they were not read */
    private static Object load(WorkerContext ctx) throws IOException {
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
