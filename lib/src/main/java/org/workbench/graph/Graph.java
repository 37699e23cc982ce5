package org.workbench.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The nodes and relationships that a query result holds, each once, in the order first seen.
 * Relationships whose end nodes are not in the graph are kept (a query may return a relationship
 * without its nodes); {@link #node(String)} then returns null for the missing end.
 */
public final class Graph {
    private final Map<String, GraphNode> nodes;
    private final Map<String, GraphRelationship> relationships;

    /**
     * @param nodes nodes, duplicates by id dropped (first wins)
     * @param relationships relationships, duplicates by id dropped (first wins)
     */
    public Graph(Collection<GraphNode> nodes, Collection<GraphRelationship> relationships) {
        Map<String, GraphNode> n = new LinkedHashMap<>();
        nodes.forEach(x -> n.putIfAbsent(x.id(), x));
        Map<String, GraphRelationship> r = new LinkedHashMap<>();
        relationships.forEach(x -> r.putIfAbsent(x.id(), x));
        this.nodes = Collections.unmodifiableMap(n);
        this.relationships = Collections.unmodifiableMap(r);
    }

    /** @return a graph with no nodes and no relationships */
    public static Graph empty() {
        return new Graph(List.of(), List.of());
    }

    /** @return the nodes, each once, in first-seen order */
    public List<GraphNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** @return the relationships, each once, in first-seen order */
    public List<GraphRelationship> relationships() {
        return List.copyOf(relationships.values());
    }

    /**
     * @param id an element id
     * @return the node with that id, or null
     */
    public GraphNode node(String id) {
        return nodes.get(id);
    }

    /** @return whether there are neither nodes nor relationships */
    public boolean isEmpty() {
        return nodes.isEmpty() && relationships.isEmpty();
    }

    /**
     * @param label a node label
     * @return the nodes that carry it
     */
    public List<GraphNode> nodesWithLabel(String label) {
        List<GraphNode> out = new ArrayList<>();
        for (GraphNode n : nodes.values()) {
            if (n.hasLabel(label)) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * @param node a node id
     * @return the relationships that start or end at it
     */
    public List<GraphRelationship> relationshipsOf(String node) {
        Objects.requireNonNull(node, "node");
        List<GraphRelationship> out = new ArrayList<>();
        for (GraphRelationship r : relationships.values()) {
            if (r.startId().equals(node) || r.endId().equals(node)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Graph[" + nodes.size() + " nodes, " + relationships.size() + " relationships]";
    }
}
