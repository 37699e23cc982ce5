package org.workbench.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.workbench.UnknownWorkerException;
import org.workbench.WorkCancelledException;
import org.workbench.WorkbenchException;
import org.workbench.store.TypeTags;

/**
 * The {@code view} worker: a one-stop summary of a sample that runs the workers suited to its type tag, through
 * {@link WorkerContext#workRequest(String, String)} (so each of their results is cached on its own):
 *
 * <table>
 * <caption>Workers per type tag</caption>
 * <tr><th>type tag</th><th>workers</th></tr>
 * <tr><td>{@code pcap}</td><td>{@code view_pcap_details}</td></tr>
 * <tr><td>{@code exe}</td><td>{@code meta}, {@code pe_indicators}</td></tr>
 * <tr><td>{@code swf}</td><td>{@code swf_meta}</td></tr>
 * <tr><td>{@code pdf}</td><td>{@code pdf_meta}</td></tr>
 * <tr><td>{@code jar}, {@code zip}</td><td>{@code unzip}</td></tr>
 * <tr><td>anything else</td><td>{@code meta}</td></tr>
 * </table>
 *
 * <p>{@code view_deep} ({@link ViewDeepWorker}) is the same with {@code meta_deep} in place of {@code meta}.
 * No dependencies, no settings; applies to every type.
 *
 * <p>Result: {@code md5}, {@code type_tag}, {@code workers} (the names run, in order), {@code results} (worker
 * name to that worker's result document; for a worker that is not registered or fails, {@code {"error": "..."}}
 * naming the worker and the problem) and {@code errors} (one {@code "<worker>: <message>"} line per failed
 * worker or per result carrying its own {@code error} entry; empty when all is well). {@link ViewResult#from(Map)}
 * gives a typed view.
 *
 * <p>Caching: the engine caches a view like any result. So that a view never outlives the workers it summarizes,
 * {@link #version()} includes a fingerprint of the names, versions, settings and (recursively) dependencies of
 * those workers as currently registered (or their absence): registering a missing worker or changing a version
 * gives a new cache key. When a summarized worker answers with an {@link UncachedResultException} (a transient
 * failure), the whole view is thrown as an {@link UncachedResultException} too, with that worker's document in
 * {@code results}. Cancellation is passed on.
 */
public final class ViewWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "view";
    private static final String BASE_VERSION = "1.0";

    private final String name;
    private final String metaWorker;
    private final WorkerRegistry registry;

    /**
     * @param registry the registry the summarized workers are looked up in (for the cache fingerprint); normally
     *                 the workbench's own, {@code wb.registry()}
     */
    public ViewWorker(WorkerRegistry registry) {
        this(NAME, MetaWorker.NAME, registry);
    }

    ViewWorker(String name, String metaWorker, WorkerRegistry registry) {
        this.name = name;
        this.metaWorker = metaWorker;
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The workers a view runs for a type tag (see the class comment).
     *
     * @param typeTag    a sample's type tag
     * @param metaWorker {@code meta} (for {@code view}) or {@code meta_deep} (for {@code view_deep})
     * @return worker names, in the order they are run
     */
    public static List<String> workersFor(String typeTag, String metaWorker) {
        return switch (typeTag) {
            case TypeTags.PCAP -> List.of(ViewPcapDetailsWorker.NAME);
            case TypeTags.EXE -> List.of(metaWorker, "pe_indicators");
            case TypeTags.SWF -> List.of("swf_meta");
            case TypeTags.PDF -> List.of("pdf_meta");
            case TypeTags.JAR, TypeTags.ZIP -> List.of("unzip");
            default -> List.of(metaWorker);
        };
    }

    private Set<String> allDispatched() {
        Set<String> all = new TreeSet<>();
        for (String t : List.of(TypeTags.PCAP, TypeTags.EXE, TypeTags.SWF, TypeTags.PDF, TypeTags.JAR,
                TypeTags.UNKNOWN)) {
            all.addAll(workersFor(t, metaWorker));
        }
        return all;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "per-type summary picking the right workers (pcap, exe, swf, pdf, jar/zip)";
    }

    /** @return {@code 1.0+} and a fingerprint of the summarized workers as now registered (see class comment) */
    @Override
    public String version() {
        StringBuilder sb = new StringBuilder();
        Set<String> seen = new HashSet<>();
        for (String w : allDispatched()) {
            fingerprint(w, sb, seen);
        }
        return BASE_VERSION + "+" + JsonDocuments.sha256(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    private void fingerprint(String worker, StringBuilder sb, Set<String> seen) {
        String canonical = registry.canonicalName(worker);
        if (!seen.add(canonical)) {
            return;
        }
        sb.append(canonical).append('=');
        Worker w;
        try {
            w = registry.get(canonical);
        } catch (UnknownWorkerException e) {
            sb.append("missing;");
            return;
        }
        sb.append(w.version()).append(';')
                .append(new String(JsonDocuments.canonicalBytes(w.defaultConfig()),
                        java.nio.charset.StandardCharsets.UTF_8))
                .append(';').append(w.dependencies()).append('\n');
        if (w == this) {
            return;
        }
        for (String d : w.dependencies()) {
            fingerprint(d, sb, seen);
        }
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        String type = ctx.sample().typeTag();
        List<String> workers = workersFor(type, metaWorker);
        Map<String, Object> results = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String transientProblem = null;
        for (String w : workers) {
            Map<String, Object> r;
            try {
                r = ctx.workRequest(w, ctx.md5());
            } catch (WorkCancelledException e) {
                throw e;
            } catch (UncachedResultException e) {
                r = e.result();
                transientProblem = w + ": " + e.getMessage();
            } catch (UnknownWorkerException e) {
                r = errorEntry("worker '" + w + "' is not registered");
            } catch (WorkbenchException e) {
                r = errorEntry(e.getMessage());
            } catch (RuntimeException e) {
                r = errorEntry("worker '" + w + "' failed: " + e);
            }
            if (r.get("error") != null) {
                errors.add(w + ": " + r.get("error"));
            }
            results.put(w, r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("md5", ctx.md5());
        out.put("type_tag", type);
        out.put("workers", workers);
        out.put("results", results);
        out.put("errors", errors);
        if (transientProblem != null) {
            throw new UncachedResultException("view '" + name + "' of sample " + ctx.md5()
                    + " has a transient part: " + transientProblem, out);
        }
        return out;
    }

    private static Map<String, Object> errorEntry(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }
}
