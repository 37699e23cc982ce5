package org.workbench.worker;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.workbench.archive.ArchiveLimits;
import org.workbench.archive.ZipExtractor;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.store.TypeTags;

/**
 * {@code unzip}: lists a ZIP or JAR archive and stores every member as a sample of its own (type tag by magic
 * number, then extension; see {@link org.workbench.archive.MemberTypes}), opening nested archives up to a depth
 * limit. Applies to samples tagged {@value TypeTags#ZIP} or {@value TypeTags#JAR} and, when built with a store,
 * to any sample starting with {@code PK\3\4} (APPNOTE.TXT local file header). No dependencies. The reading, CRC
 * checks and bomb limits are {@link ZipExtractor}'s; member names are never used as paths.
 *
 * <p>Result keys: {@code format} ({@code jar} when the sample is tagged {@code jar} or has a manifest or class
 * members, else {@code zip}); {@code reader} ({@value ZipExtractor#READER_CENTRAL}, or
 * {@value ZipExtractor#READER_LOCAL} when the central directory was unreadable, or null when nothing could be
 * read); {@code parent} (this sample's MD5, the parent of every child); {@code entry_count}; {@code entries} (one
 * map per entry, keys in {@link ZipExtractor#list}); {@code children} (one per stored member: {@code name, md5,
 * size} bytes, {@code type_tag, parent} (the MD5 of the archive directly holding it), {@code depth, path});
 * {@code manifest} (JAR main attributes, name to value, or null); {@code classes} (binary class names, e.g.
 * {@code a.b.C}) and {@code class_count}; {@code encrypted_entries}; {@code suspicious_names} (paths of entries
 * with {@code name_issues}); {@code total_uncompressed_bytes}; {@code truncated} (a limit stopped the listing);
 * {@code limits} (the effective limits); {@code error} (null, or the archive-level problems joined by
 * {@code "; "}). {@link UnzipResult#from(Map)} gives a typed view.
 *
 * <p>Settings (see {@link ArchiveLimits}): {@code max_total_bytes} (default 1 GiB), {@code max_entry_bytes}
 * (512 MiB), {@code max_ratio} (100), {@code max_entries} (10,000), {@code max_depth} (3: the archive and two
 * levels of nested archives), {@code store_members} (true; false reads and checks members without storing them,
 * and then nested archives are not opened).
 */
public final class UnzipWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "unzip";

    private final SampleStore store;

    /** A worker that applies to samples tagged {@code zip} or {@code jar} only. */
    public UnzipWorker() {
        this(null);
    }

    /**
     * @param store the store whose samples this worker may be asked about, to recognise untagged archives by
     *              their first bytes; null to go by the type tag alone
     */
    public UnzipWorker(SampleStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "entries of a ZIP/JAR (sizes, CRC, manifest, classes); members stored as child samples";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.ZIP, TypeTags.JAR);
    }

    @Override
    public boolean accepts(SampleInfo sample) {
        if (acceptedTypes().contains(sample.typeTag())) {
            return true;
        }
        return store != null && store.headMatches(sample.md5(), 4,
                h -> h.length == 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4);
    }

    @Override
    public Map<String, Object> defaultConfig() {
        ArchiveLimits d = ArchiveLimits.defaults();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_total_bytes", d.maxTotalBytes());
        c.put("max_entry_bytes", d.maxEntryBytes());
        c.put("max_ratio", d.maxRatio());
        c.put("max_entries", d.maxEntries());
        c.put("max_depth", d.maxDepth());
        c.put("store_members", true);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        ArchiveLimits limits = new ArchiveLimits(
                ctx.config("max_total_bytes", Number.class).longValue(),
                ctx.config("max_entry_bytes", Number.class).longValue(),
                ctx.config("max_ratio", Number.class).doubleValue(),
                ctx.config("max_entries", Number.class).intValue(),
                ctx.config("max_depth", Number.class).intValue());
        boolean storeMembers = ctx.config("store_members", Boolean.class);
        SampleStore st = ctx.store();
        ZipExtractor.MemberSink sink = !storeMembers ? null : new ZipExtractor.MemberSink() {
            @Override
            public String store(InputStream in, String label, String typeTag) {
                return st.storeSample(in, label, typeTag);
            }

            @Override
            public Path path(String md5) {
                return st.path(md5);
            }
        };
        ZipExtractor.Listing l = ZipExtractor.list(ctx.samplePath(), ctx.md5(), limits, sink,
                ctx::checkCancelled);

        boolean jar = TypeTags.JAR.equals(ctx.sample().typeTag()) || l.manifest() != null || l.classCount() > 0;
        long encrypted = l.entries().stream().filter(e -> Boolean.TRUE.equals(e.get("encrypted"))).count();
        List<Object> suspicious = l.entries().stream()
                .filter(e -> e.get("name_issues") instanceof List<?> li && !li.isEmpty())
                .map(e -> e.get("path")).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", jar ? TypeTags.JAR : TypeTags.ZIP);
        out.put("reader", l.reader());
        out.put("parent", ctx.md5());
        out.put("entry_count", l.entries().size());
        out.put("entries", l.entries());
        out.put("children", l.children());
        out.put("manifest", l.manifest() == null ? null : new LinkedHashMap<>(l.manifest()));
        out.put("classes", l.classNames());
        out.put("class_count", l.classCount());
        out.put("encrypted_entries", encrypted);
        out.put("suspicious_names", suspicious);
        out.put("total_uncompressed_bytes", l.totalBytes());
        out.put("truncated", l.truncated());
        Map<String, Object> lim = new LinkedHashMap<>(defaultConfig());
        lim.putAll(ctx.config());
        lim.remove("store_members");
        out.put("limits", lim);
        out.put("error", l.errors().isEmpty() ? null : String.join("; ", l.errors()));
        return out;
    }
}
