package org.workbench.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.neo4j.driver.Record;
import org.neo4j.driver.types.Node;
import org.neo4j.driver.types.Path;
import org.neo4j.driver.types.Relationship;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Turns driver records into a {@link GraphResult}: typed table columns, the graph, the paths. */
final class GraphResults {
    private final Map<String, GraphNode> nodes = new LinkedHashMap<>();
    private final Map<String, GraphRelationship> relationships = new LinkedHashMap<>();
    private final List<GraphPath> paths = new ArrayList<>();

    private GraphResults() {
    }

    static GraphResult of(List<String> keys, List<Record> records) {
        GraphResults g = new GraphResults();
        List<Column<?>> columns = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (int k = 0; k < keys.size(); k++) {
            List<Object> cells = new ArrayList<>(records.size());
            for (Record r : records) {
                cells.add(g.cell(r.get(k).asObject()));
            }
            columns.add(column(unique(keys.get(k), used), cells));
        }
        Table t = Table.create("query result");
        columns.forEach(t::addColumns);
        return new GraphResult(t, new Graph(g.nodes.values(), g.relationships.values()), g.paths);
    }

    /**
     * A record as a JSON-like map (key order kept): scalars as they are, lists and maps converted element by
     * element, a node as {@code {id, labels, properties}}, a relationship as {@code {id, type, start, end,
     * properties}}, a path as {@code {nodes, relationships}}, anything else (temporal values, points) as its text.
     */
    static Map<String, Object> plain(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : r.keys()) {
            m.put(k, plain(r.get(k).asObject()));
        }
        return m;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Node n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.elementId());
            List<String> labels = new ArrayList<>();
            n.labels().forEach(labels::add);
            m.put("labels", labels);
            m.put("properties", plain(n.asMap()));
            return m;
        }
        if (v instanceof Relationship r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.elementId());
            m.put("type", r.type());
            m.put("start", r.startNodeElementId());
            m.put("end", r.endNodeElementId());
            m.put("properties", plain(r.asMap()));
            return m;
        }
        if (v instanceof Path p) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> ns = new ArrayList<>();
            p.nodes().forEach(n -> ns.add(plain(n)));
            List<Object> rs = new ArrayList<>();
            p.relationships().forEach(x -> rs.add(plain(x)));
            m.put("nodes", ns);
            m.put("relationships", rs);
            return m;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(o -> out.add(plain(o)));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, o) -> out.put(String.valueOf(k), plain(o)));
            return out;
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        return String.valueOf(v);
    }

    /** Tablesaw column names must differ ignoring case. */
    private static String unique(String key, Set<String> used) {
        String name = key;
        for (int i = 2; !used.add(name.toLowerCase(Locale.ROOT)); i++) {
            name = key + "_" + i;
        }
        return name;
    }

    private static Column<?> column(String name, List<Object> cells) {
        boolean allLong = true;
        boolean allNumber = true;
        boolean allBool = true;
        for (Object c : cells) {
            if (c == null) {
                continue;
            }
            allLong &= c instanceof Long || c instanceof Integer;
            allNumber &= c instanceof Number;
            allBool &= c instanceof Boolean;
        }
        if (allBool && cells.stream().anyMatch(c -> c != null)) {
            BooleanColumn b = BooleanColumn.create(name);
            cells.forEach(c -> {
                if (c == null) {
                    b.appendMissing();
                } else {
                    b.append((Boolean) c);
                }
            });
            return b;
        }
        if (allLong && cells.stream().anyMatch(c -> c != null)) {
            LongColumn l = LongColumn.create(name);
            cells.forEach(c -> {
                if (c == null) {
                    l.appendMissing();
                } else {
                    l.append(((Number) c).longValue());
                }
            });
            return l;
        }
        if (allNumber && cells.stream().anyMatch(c -> c != null)) {
            DoubleColumn d = DoubleColumn.create(name);
            cells.forEach(c -> {
                if (c == null) {
                    d.appendMissing();
                } else {
                    d.append(((Number) c).doubleValue());
                }
            });
            return d;
        }
        StringColumn s = StringColumn.create(name);
        cells.forEach(c -> {
            if (c == null) {
                s.appendMissing();
            } else {
                s.append(String.valueOf(c));
            }
        });
        return s;
    }

    /** A table cell for a value: scalars as they are, graph elements by caption (and collected), lists as text. */
    private Object cell(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Node n) {
            return node(n).caption();
        }
        if (v instanceof Relationship r) {
            return ":" + relationship(r).type();
        }
        if (v instanceof Path p) {
            return path(p);
        }
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                Object c = cell(o);
                parts.add(c instanceof String s && !(o instanceof Node || o instanceof Relationship
                        || o instanceof Path) ? quote(s) : String.valueOf(c));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> map) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object c = cell(e.getValue());
                parts.add(e.getKey() + ": " + (c instanceof String s && !(e.getValue() instanceof Node
                        || e.getValue() instanceof Relationship || e.getValue() instanceof Path) ? quote(s) : c));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(v); // temporal values, points, durations: their ISO text
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private GraphNode node(Node n) {
        return nodes.computeIfAbsent(n.elementId(), id -> {
            List<String> labels = new ArrayList<>();
            n.labels().forEach(labels::add);
            return new GraphNode(id, labels, n.asMap());
        });
    }

    private GraphRelationship relationship(Relationship r) {
        return relationships.computeIfAbsent(r.elementId(), id -> new GraphRelationship(id, r.type(),
                r.startNodeElementId(), r.endNodeElementId(), r.asMap()));
    }

    /** Collects the path and returns its text: {@code (a)-[:T]->(b)<-[:U]-(c)}. */
    private String path(Path p) {
        List<GraphNode> ns = new ArrayList<>();
        List<GraphRelationship> rs = new ArrayList<>();
        p.nodes().forEach(n -> ns.add(node(n)));
        p.relationships().forEach(r -> rs.add(relationship(r)));
        GraphPath gp = new GraphPath(ns, rs);
        paths.add(gp);
        StringBuilder b = new StringBuilder("(").append(ns.get(0).caption()).append(')');
        for (int i = 0; i < rs.size(); i++) {
            GraphRelationship r = rs.get(i);
            boolean forward = r.startId().equals(ns.get(i).id());
            b.append(forward ? "-[:" : "<-[:").append(r.type()).append(forward ? "]->(" : "]-(")
                    .append(ns.get(i + 1).caption()).append(')');
        }
        return b.toString();
    }
}
