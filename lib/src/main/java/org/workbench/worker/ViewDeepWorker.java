package org.workbench.worker;

import java.util.Map;

/**
 * The {@code view_deep} worker: {@link ViewWorker}'s per-type summary with {@code meta_deep} (ssdeep and entropy
 * besides the {@code meta} keys) in place of {@code meta}: {@code exe} runs {@code meta_deep} and
 * {@code pe_indicators}, types without a specific worker run {@code meta_deep}; the others as in {@code view}.
 * Same result shape, caching and error handling as {@link ViewWorker}.
 */
public final class ViewDeepWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "view_deep";

    private final ViewWorker view;

    /** @param registry the registry the summarized workers are looked up in, normally {@code wb.registry()} */
    public ViewDeepWorker(WorkerRegistry registry) {
        this.view = new ViewWorker(NAME, MetaDeepWorker.NAME, registry);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "per-type summary picking the right workers, with meta_deep";
    }

    @Override
    public String version() {
        return view.version();
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        return view.execute(ctx);
    }
}
