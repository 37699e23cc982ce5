package org.workbench.graph;

import java.util.Map;
import java.util.Objects;

/**
 * A relationship of a property graph as returned by a query.
 *
 * @param id the database element id, unique within one query result
 * @param type the relationship type, e.g. {@code DNS_QUERY}, {@code SENT_FILE}
 * @param startId the element id of the start node
 * @param endId the element id of the end node
 * @param properties the relationship's properties, unmodifiable
 */
public record GraphRelationship(String id, String type, String startId, String endId,
        Map<String, Object> properties) {
    /** Copies the map so the record is immutable. */
    public GraphRelationship {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(startId, "startId");
        Objects.requireNonNull(endId, "endId");
        properties = Map.copyOf(properties);
    }
}
