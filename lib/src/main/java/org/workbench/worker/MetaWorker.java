package org.workbench.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.workbench.magic.FileMagic;
import org.workbench.magic.MagicResult;
import org.workbench.store.SampleInfo;

/**
 * The {@code meta} worker: what the store knows about a sample plus its libmagic typing. Applies to every
 * sample type; no dependencies, no settings.
 *
 * <p>Result keys: {@code md5, sha1, sha256} (lowercase hex), {@code file_size} (bytes), {@code filename} (the
 * first name it was stored under), {@code import_time} (ISO 8601 UTC), {@code type_tag}, {@code mime_type}
 * ({@code file -b --mime-type}), {@code encoding} ({@code file -b --mime-encoding}), {@code file_type}
 * ({@code file -b}) and {@code magic_source} ({@code libmagic}, or {@code tika} when libmagic is unavailable;
 * see {@link FileMagic}). {@link MetaResult#from(Map)} gives a typed view.
 */
public final class MetaWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "meta";

    private final FileMagic magic;

    /** @param magic the file typer to use (owned by the caller) */
    public MetaWorker(FileMagic magic) {
        this.magic = Objects.requireNonNull(magic, "magic");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Hashes (MD5, SHA-1, SHA-256), size, names, type tag and libmagic type of any sample.";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        SampleInfo s = ctx.sample();
        MagicResult m = magic.describe(ctx.samplePath());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("md5", s.md5());
        out.put("sha1", s.sha1());
        out.put("sha256", s.sha256());
        out.put("file_size", s.fileSize());
        out.put("filename", s.filename());
        out.put("import_time", s.importTimeIso());
        out.put("type_tag", s.typeTag());
        out.put("mime_type", m.mimeType());
        out.put("encoding", m.encoding());
        out.put("file_type", m.description());
        out.put("magic_source", m.source());
        return out;
    }
}
