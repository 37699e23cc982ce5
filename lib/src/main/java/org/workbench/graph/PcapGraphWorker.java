package org.workbench.graph;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.workbench.store.TypeTags;
import org.workbench.worker.PcapZeekWorker;
import org.workbench.worker.Worker;
import org.workbench.worker.WorkerContext;

/**
 * {@code pcap_graph} and {@code pcap_http_graph}: write a stored capture's graph (hosts, domains, files and how
 * they relate; see {@link PcapGraphBuilder} for the model) into the workbench's graph store, from the
 * {@code pcap_zeek} worker's logs. Several captures share one graph: each element lists the captures it came
 * from in its {@code captures} property; writing the same capture again changes nothing.
 *
 * <p>Result: {@code capture}, {@code graph} (the store's Bolt URI), {@code nodes} and {@code relationships} (the
 * distinct elements of this capture, per label/type in {@code node_counts} and {@code relationship_counts}),
 * {@code nodes_created} and {@code relationships_created} (new in the graph this time) and {@code seconds}.
 * The result is not cached ({@link #cached()} is false): the graph is the output, and it may be cleared or
 * replaced independently of the workbench's cache, so every request writes (idempotently).
 */
public final class PcapGraphWorker implements Worker {
    /** Name of the whole-graph worker. */
    public static final String NAME = "pcap_graph";
    /** Name of the HTTP-only worker. */
    public static final String HTTP_NAME = "pcap_http_graph";

    private final Supplier<GraphStore> graph;
    private final PcapGraphBuilder builder;

    private PcapGraphWorker(Supplier<GraphStore> graph, PcapGraphBuilder builder) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.builder = builder;
    }

    /**
     * @param graph gives the graph store when the worker runs (opened lazily by the workbench)
     * @return the {@code pcap_graph} worker
     */
    public static PcapGraphWorker full(Supplier<GraphStore> graph) {
        return new PcapGraphWorker(graph, PcapGraphBuilder.full());
    }

    /**
     * @param graph gives the graph store when the worker runs
     * @return the {@code pcap_http_graph} worker
     */
    public static PcapGraphWorker httpOnly(Supplier<GraphStore> graph) {
        return new PcapGraphWorker(graph, PcapGraphBuilder.httpOnly());
    }

    @Override
    public String name() {
        return builder.isHttpOnly() ? HTTP_NAME : NAME;
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public String description() {
        return builder.isHttpOnly()
                ? "Writes a capture's HTTP graph (client hosts, Host domains, servers, files) into the graph store."
                : "Writes a capture's graph (hosts, domains, files; DNS, HTTP, file, connection and weird links)"
                        + " into the graph store.";
    }

    @Override
    public List<String> dependencies() {
        return List.of(PcapZeekWorker.NAME);
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.PCAP);
    }

    /** @return false: every request writes into the graph store (see the class comment) */
    @Override
    public boolean cached() {
        return false;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) {
        return builder.build(graph.get(), ctx.store(), ctx.md5(), ctx.dependency(PcapZeekWorker.NAME),
                ctx::isCancelled);
    }
}
