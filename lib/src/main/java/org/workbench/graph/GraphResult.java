package org.workbench.graph;

import java.util.List;
import java.util.Objects;
import tech.tablesaw.api.Table;

/**
 * The result of a Cypher query: a Tablesaw table with one row per result record and one column
 * per returned scalar (string, number, boolean, temporal, list rendered as text); when records
 * hold nodes, relationships or paths, those columns are shown in the table by caption and also
 * gathered into {@link #graph()}, and every path is kept in {@link #paths()} in record order.
 *
 * @param table the records as a table (never null; zero rows for an empty result)
 * @param graph the nodes and relationships the records hold (empty when they hold none)
 * @param paths the paths the records hold, in record order
 */
public record GraphResult(Table table, Graph graph, List<GraphPath> paths) {
    /** Checks and copies the parts. */
    public GraphResult {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(graph, "graph");
        paths = List.copyOf(paths);
    }

    /** @return whether the records hold any node, relationship or path */
    public boolean hasGraph() {
        return !graph.isEmpty();
    }

    /** @return the number of records */
    public int rowCount() {
        return table.rowCount();
    }
}
