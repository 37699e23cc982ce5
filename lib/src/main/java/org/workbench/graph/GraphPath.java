package org.workbench.graph;

import java.util.List;

/**
 * A path returned by a query: {@code nodes.size() == relationships.size() + 1}, relationship
 * {@code i} joins node {@code i} and node {@code i + 1} (in either direction).
 *
 * @param nodes the nodes from start to end
 * @param relationships the relationships between them, in path order
 */
public record GraphPath(List<GraphNode> nodes, List<GraphRelationship> relationships) {
    /** Copies the lists and checks the shape. */
    public GraphPath {
        nodes = List.copyOf(nodes);
        relationships = List.copyOf(relationships);
        if (nodes.isEmpty() || nodes.size() != relationships.size() + 1) {
            throw new IllegalArgumentException("a path of " + relationships.size() + " relationships needs "
                    + (relationships.size() + 1) + " nodes, got " + nodes.size());
        }
    }

    /** @return the first node */
    public GraphNode start() {
        return nodes.get(0);
    }

    /** @return the last node */
    public GraphNode end() {
        return nodes.get(nodes.size() - 1);
    }

    /** @return the number of relationships */
    public int length() {
        return relationships.size();
    }
}
