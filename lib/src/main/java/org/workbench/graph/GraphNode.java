package org.workbench.graph;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A node of a property graph as returned by a query: the database's element id, its labels
 * (for the workbench graph: {@code host}, {@code origin}, {@code domain}, {@code file},
 * {@code small}, {@code missing}) and its properties (strings, numbers, booleans, lists of them).
 *
 * @param id the database element id (Neo4j {@code elementId}), unique within one query result
 * @param labels the node's labels in the order the database gave them
 * @param properties the node's properties, unmodifiable
 */
public record GraphNode(String id, List<String> labels, Map<String, Object> properties) {
    /** Copies the lists and maps so the record is immutable. */
    public GraphNode {
        Objects.requireNonNull(id, "id");
        labels = List.copyOf(labels);
        properties = Map.copyOf(properties);
    }

    /**
     * @param label a label
     * @return whether this node carries it
     */
    public boolean hasLabel(String label) {
        return labels.contains(label);
    }

    /**
     * A short human name: the {@code name} property if present, else {@code md5}, else the id.
     *
     * @return the caption used in tables and pictures
     */
    public String caption() {
        Object name = properties.get("name");
        if (name == null) {
            name = properties.get("md5");
        }
        return name == null ? id : String.valueOf(name);
    }
}
