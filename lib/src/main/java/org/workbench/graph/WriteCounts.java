package org.workbench.graph;

import org.neo4j.driver.summary.SummaryCounters;

/**
 * What write statements changed in the graph, summed over the statements (counts from the database's
 * result summaries). A {@code MERGE} that finds its pattern already there creates nothing, so re-running an
 * idempotent write gives zero {@code nodesCreated} and {@code relationshipsCreated}.
 *
 * @param nodesCreated nodes created
 * @param nodesDeleted nodes deleted
 * @param relationshipsCreated relationships created
 * @param relationshipsDeleted relationships deleted
 * @param propertiesSet property writes (including rewrites of an equal value)
 * @param labelsAdded labels added to nodes
 */
public record WriteCounts(long nodesCreated, long nodesDeleted, long relationshipsCreated,
        long relationshipsDeleted, long propertiesSet, long labelsAdded) {
    /** No change. */
    public static final WriteCounts NONE = new WriteCounts(0, 0, 0, 0, 0, 0);

    static WriteCounts of(SummaryCounters c) {
        return new WriteCounts(c.nodesCreated(), c.nodesDeleted(), c.relationshipsCreated(),
                c.relationshipsDeleted(), c.propertiesSet(), c.labelsAdded());
    }

    /**
     * @param o other counts
     * @return the sum of both
     */
    public WriteCounts plus(WriteCounts o) {
        return new WriteCounts(nodesCreated + o.nodesCreated, nodesDeleted + o.nodesDeleted,
                relationshipsCreated + o.relationshipsCreated, relationshipsDeleted + o.relationshipsDeleted,
                propertiesSet + o.propertiesSet, labelsAdded + o.labelsAdded);
    }
}
