package org.workbench.worker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.workbench.InvalidInputException;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;
import org.workbench.swf.SwfParser;

/**
 * {@code swf_meta}: the header and tag list of an Adobe Flash (SWF) file, read by our own {@link SwfParser}
 * (Adobe SWF File Format Specification v19). No dependencies.
 *
 * <p>Applies to samples of type {@value TypeTags#SWF} and, when built with a {@link SampleStore}, to any sample
 * whose first three bytes are {@code FWS}, {@code CWS} or {@code ZWS}.
 *
 * <p>Result: {@code header} {@code {signature, compressed, version, file_length (bytes, as declared),
 * frame_size_twips {xmin, xmax, ymin, ymax}, frame_size (pixels, "[xmin: 0 xmax: 550 ymin: 0 ymax: 400]"),
 * frame_rate (frames/second), frame_count}}; {@code tags}: one entry per top-level tag in file order
 * {@code {code, name, offset (bytes into the uncompressed file), length (body bytes), ...details}} with a
 * sprite's nested tags under {@code tags} (details listed in {@link SwfParser}); {@code tag_counts}: tag name to
 * count, nested tags included; {@code error} when something is wrong (missing {@code header} when the signature is
 * not a SWF's). {@link SwfMeta#from(Map)} gives a typed view.
 *
 * <p>Settings: {@code max_uncompressed} (bytes of body decoded at most, default 268435456 = 256 MiB),
 * {@code max_tags} (tags listed at most, default 100000).
 */
public final class SwfMetaWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "swf_meta";

    private final SampleStore store;

    /** A worker that applies to samples typed {@code swf} only. */
    public SwfMetaWorker() {
        this(null);
    }

    /**
     * @param store the sample store, to recognize SWF files of any type tag by their first bytes; null to go by
     *              the type tag only
     */
    public SwfMetaWorker(SampleStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "SWF header (signature, version, frame size and rate) and the tag list with details";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.SWF);
    }

    @Override
    public boolean accepts(SampleInfo sample) {
        if (TypeTags.SWF.equals(sample.typeTag())) {
            return true;
        }
        return store != null && store.headMatches(sample.md5(), 3, b -> b.length == 3 && b[1] == 'W' && b[2] == 'S'
                && (b[0] == 'F' || b[0] == 'C' || b[0] == 'Z'));
    }

    @Override
    public Map<String, Object> defaultConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_uncompressed", SwfParser.DEFAULT_MAX_UNCOMPRESSED);
        c.put("max_tags", SwfParser.DEFAULT_MAX_TAGS);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws IOException {
        long maxUncompressed = ctx.config("max_uncompressed", Number.class).longValue();
        long maxTags = ctx.config("max_tags", Number.class).longValue();
        if (maxUncompressed < 1 || maxUncompressed > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("setting 'max_uncompressed' of worker '" + NAME
                    + "' must be between 1 and " + (Integer.MAX_VALUE - 16) + ", got " + maxUncompressed);
        }
        if (maxTags < 1 || maxTags > Integer.MAX_VALUE) {
            throw new InvalidInputException("setting 'max_tags' of worker '" + NAME + "' must be positive, got "
                    + maxTags);
        }
        SwfParser parser = new SwfParser(maxUncompressed, (int) maxTags);
        try (InputStream in = new BufferedInputStream(ctx.openSample(), 1 << 16)) {
            return parser.parse(in).toMap();
        }
    }
}
