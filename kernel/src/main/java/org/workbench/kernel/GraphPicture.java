package org.workbench.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.workbench.graph.Graph;
import org.workbench.graph.GraphNode;
import org.workbench.graph.GraphRelationship;
import org.workbench.graph.GraphResult;

/**
 * Pictures of a {@link Graph}: nodes coloured by label with a legend, captions from
 * {@link GraphNode#caption()}, relationship types written on the arrows.
 *
 * <ul>
 *   <li>{@link #svg(Graph)}: a static SVG document laid out in Java ({@link GraphLayout},
 *       deterministic). DOM contract: the root {@code <svg>} has class {@code workbench-graph} and
 *       attributes {@code data-node-count} (nodes drawn), {@code data-total-node-count} and
 *       {@code data-relationship-count} (relationships among the drawn nodes' ids, including those
 *       not drawn because an end node is missing); each node is a
 *       {@code <g class="wb-node" data-label="...">} holding a {@code <circle>} whose {@code fill}
 *       is the label's colour and a {@code <text>} caption; each drawn relationship is a
 *       {@code <g class="wb-edge" data-type="...">}; the legend is {@code <g class="wb-legend">}.</li>
 *   <li>{@link #html(Graph, WebLibraries)}: an interactive picture drawn by the bundled cytoscape.js
 *       (inlined once per session) in a {@code <div class="workbench-graph-interactive"
 *       data-node-count="N">}, starting from the same positions, plus the static SVG inside a
 *       {@code <details class="workbench-graph-static">} that is open until the interactive picture
 *       has been drawn, so pages without JavaScript still show the graph. Once drawn, the container
 *       has {@code data-drawn="true"} and its {@code workbenchCy} property is the cytoscape instance
 *       ({@code el.workbenchCy.nodes().length} is the node count drawn).</li>
 * </ul>
 * A renderer bundle ({@link #bundle}) holds {@code text/html}, {@code image/svg+xml} and a
 * {@code text/plain} summary (node counts per label, relationship counts per type).
 */
public final class GraphPicture {
    /** Width of the drawing in pixels. */
    public static final int WIDTH = 860;
    /** Radius of a node circle in pixels. */
    public static final int NODE_RADIUS = 9;
    /** Longest caption drawn, in characters; longer ones end with an ellipsis (full text on hover). */
    public static final int MAX_CAPTION = 32;
    /**
     * Most nodes drawn: a larger graph is drawn as its first this many nodes (in the graph's order)
     * and the relationships between them; the summary and the SVG's
     * {@code data-total-node-count} give the full count.
     */
    public static final int MAX_DRAWN_NODES = 1500;
    /** Colours of the workbench graph's labels. */
    public static final Map<String, String> LABEL_COLORS;
    /** Colours given, in turn, to other labels. */
    public static final List<String> OTHER_COLORS = List.of("#76b7b2", "#edc948", "#ff9da7", "#bab0ac",
            "#9d7660", "#d37295", "#86bcb6", "#a0cbe8");

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "#4e79a7");
        m.put("origin", "#f28e2b");
        m.put("domain", "#59a14f");
        m.put("file", "#e15759");
        m.put("small", "#b07aa1");
        m.put("missing", "#7f7f7f");
        LABEL_COLORS = java.util.Collections.unmodifiableMap(m);
    }

    /** Keys sorted, so the same graph always gives the same page text. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private GraphPicture() {
    }

    /**
     * The label a node is coloured by: its first label, or {@code (none)}.
     *
     * @param n a node
     * @return the label
     */
    public static String primaryLabel(GraphNode n) {
        return n.labels().isEmpty() ? "(none)" : n.labels().get(0);
    }

    /**
     * Colour of each label present in a graph, in first-seen order: {@link #LABEL_COLORS} for the
     * workbench's labels, {@link #OTHER_COLORS} in turn for the others.
     *
     * @param g the graph
     * @return label to CSS colour
     */
    public static Map<String, String> colors(Graph g) {
        Map<String, String> out = new LinkedHashMap<>();
        int other = 0;
        for (GraphNode n : g.nodes()) {
            String l = primaryLabel(n);
            if (!out.containsKey(l)) {
                String c = LABEL_COLORS.get(l);
                if (c == null) {
                    c = OTHER_COLORS.get(other++ % OTHER_COLORS.size());
                }
                out.put(l, c);
            }
        }
        return out;
    }

    private static int height(Graph g) {
        int n = g.nodes().size();
        return (int) Math.max(360, Math.min(900, 160 + 60 * Math.sqrt(n)));
    }

    /**
     * The static picture.
     *
     * @param g the graph
     * @return an SVG document (UTF-8 text, no XML declaration)
     */
    public static String svg(Graph g) {
        Graph d = drawn(g);
        return svg(d, positions(d), g.nodes().size());
    }

    /**
     * The part of a graph that is drawn: all of it, or its first {@link #MAX_DRAWN_NODES} nodes and
     * the relationships between them.
     *
     * @param g a graph
     * @return g itself when small enough, else the subgraph
     */
    public static Graph drawn(Graph g) {
        List<GraphNode> nodes = g.nodes();
        if (nodes.size() <= MAX_DRAWN_NODES) {
            return g;
        }
        List<GraphNode> kept = nodes.subList(0, MAX_DRAWN_NODES);
        java.util.Set<String> ids = new java.util.HashSet<>();
        kept.forEach(n -> ids.add(n.id()));
        List<GraphRelationship> rels = new ArrayList<>();
        for (GraphRelationship r : g.relationships()) {
            if (ids.contains(r.startId()) && ids.contains(r.endId())) {
                rels.add(r);
            }
        }
        return new Graph(kept, rels);
    }

    private static final int LEGEND_HEIGHT = 22;

    private static Map<String, GraphLayout.Point> positions(Graph g) {
        return GraphLayout.layout(g, WIDTH, height(g) - LEGEND_HEIGHT, 40);
    }

    private static String svg(Graph g, Map<String, GraphLayout.Point> pos, int totalNodes) {
        int width = WIDTH;
        int height = height(g);
        int legendHeight = LEGEND_HEIGHT;
        Map<String, String> colors = colors(g);
        String marker = "wb-arrow-" + Integer.toHexString(g.nodes().hashCode() ^ g.relationships().hashCode());
        StringBuilder s = new StringBuilder(1024 + 300 * (g.nodes().size() + g.relationships().size()));
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workbench-graph\" data-node-count=\"")
                .append(g.nodes().size()).append("\" data-total-node-count=\"").append(totalNodes)
                .append("\" data-relationship-count=\"").append(g.relationships().size())
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<defs><marker id=\"").append(marker).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\""
                + " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#888\"/></marker></defs>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<g class=\"wb-edges\">\n");
        for (Map.Entry<GraphRelationship, Integer> bundle : bundles(g).entrySet()) {
            GraphRelationship r = bundle.getKey();
            String caption = edgeCaption(r, bundle.getValue());
            GraphLayout.Point a = pos.get(r.startId());
            GraphLayout.Point b = pos.get(r.endId());
            if (a == null || b == null) {
                continue;
            }
            double ay = a.y() + legendHeight;
            double by = b.y() + legendHeight;
            s.append("<g class=\"wb-edge\" data-type=\"").append(Renderers.escape(r.type()))
                    .append("\" data-count=\"").append(bundle.getValue()).append("\">");
            if (r.startId().equals(r.endId())) {
                s.append("<path d=\"M ").append(f(a.x())).append(' ').append(f(ay - NODE_RADIUS))
                        .append(" c -25 -35, 25 -35, 3 -2\" fill=\"none\" stroke=\"#aaa\" marker-end=\"url(#")
                        .append(marker).append(")\"/>");
                s.append("<text x=\"").append(f(a.x())).append("\" y=\"").append(f(ay - NODE_RADIUS - 28))
                        .append("\" text-anchor=\"middle\" fill=\"#666\" font-size=\"9\">")
                        .append(Renderers.escape(caption)).append("</text>");
            } else {
                double dx = b.x() - a.x();
                double dy = by - ay;
                double d = Math.max(1e-6, Math.hypot(dx, dy));
                double x1 = a.x() + dx / d * NODE_RADIUS;
                double y1 = ay + dy / d * NODE_RADIUS;
                double x2 = b.x() - dx / d * (NODE_RADIUS + 1);
                double y2 = by - dy / d * (NODE_RADIUS + 1);
                s.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"")
                        .append(f(x2)).append("\" y2=\"").append(f(y2))
                        .append("\" stroke=\"#aaa\" stroke-width=\"1.2\" marker-end=\"url(#").append(marker)
                        .append(")\"/>");
                s.append("<text x=\"").append(f((x1 + x2) / 2)).append("\" y=\"").append(f((y1 + y2) / 2 - 3))
                        .append("\" text-anchor=\"middle\" fill=\"#666\" font-size=\"9\">")
                        .append(Renderers.escape(caption)).append("</text>");
            }
            s.append("</g>\n");
        }
        s.append("</g>\n<g class=\"wb-nodes\">\n");
        for (GraphNode n : g.nodes()) {
            GraphLayout.Point p = pos.get(n.id());
            String label = primaryLabel(n);
            double y = p.y() + legendHeight;
            s.append("<g class=\"wb-node\" data-label=\"").append(Renderers.escape(label)).append("\" data-id=\"")
                    .append(Renderers.escape(n.id())).append("\"><title>").append(Renderers.escape(tooltip(n)))
                    .append("</title><circle cx=\"").append(f(p.x())).append("\" cy=\"").append(f(y))
                    .append("\" r=\"").append(NODE_RADIUS).append("\" fill=\"").append(colors.get(label))
                    .append("\" stroke=\"#333\" stroke-width=\"0.8\"/><text x=\"").append(f(p.x()))
                    .append("\" y=\"").append(f(y + NODE_RADIUS + 11)).append("\" text-anchor=\"middle\" fill=\"#222\">")
                    .append(Renderers.escape(shortCaption(n))).append("</text></g>\n");
        }
        s.append("</g>\n<g class=\"wb-legend\">");
        double lx = 8;
        for (Map.Entry<String, String> e : colors.entrySet()) {
            s.append("<circle cx=\"").append(f(lx + 6)).append("\" cy=\"12\" r=\"6\" fill=\"").append(e.getValue())
                    .append("\" stroke=\"#333\" stroke-width=\"0.8\"/><text x=\"").append(f(lx + 16))
                    .append("\" y=\"16\" fill=\"#222\">").append(Renderers.escape(e.getKey())).append("</text>");
            lx += 30 + 7 * e.getKey().length();
        }
        s.append("</g>\n</svg>\n");
        return s.toString();
    }

    /**
     * Writes the static picture to a file (UTF-8, with an XML declaration), replacing it.
     *
     * @param g the graph
     * @param file the target, e.g. {@code graph.svg}
     * @return the file
     * @throws IOException when it cannot be written
     */
    public static Path writeSvg(Graph g, Path file) throws IOException {
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(g), StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The interactive picture with the static one as fallback (see the class comment).
     *
     * @param g the graph
     * @param libraries the session's libraries: cytoscape.js is inlined if not sent yet
     * @return the HTML fragment
     */
    public static String html(Graph g, WebLibraries libraries) {
        Graph d = drawn(g);
        Map<String, GraphLayout.Point> pos = positions(d);
        return html(d, libraries, pos, svg(d, pos, g.nodes().size()));
    }

    private static String html(Graph g, WebLibraries libraries, Map<String, GraphLayout.Point> pos, String svg) {
        String id = WebLibraries.elementId("workbench-graph", "-");
        int height = height(g);
        Map<String, String> colors = colors(g);
        List<Map<String, Object>> elements = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            GraphLayout.Point p = pos.get(n.id());
            elements.add(Map.of("group", "nodes",
                    "data", Map.of("id", "n" + n.id(), "caption", shortCaption(n), "kind", primaryLabel(n),
                            "color", colors.get(primaryLabel(n)), "tip", tooltip(n)),
                    "position", Map.of("x", p.x(), "y", p.y())));
        }
        for (Map.Entry<GraphRelationship, Integer> bundle : bundles(g).entrySet()) {
            GraphRelationship r = bundle.getKey();
            if (pos.containsKey(r.startId()) && pos.containsKey(r.endId())) {
                elements.add(Map.of("group", "edges", "data", Map.of("id", "r" + r.id(), "source", "n" + r.startId(),
                        "target", "n" + r.endId(), "type", edgeCaption(r, bundle.getValue()),
                        "count", bundle.getValue())));
            }
        }
        String data;
        try {
            data = JSON.writeValueAsString(elements).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("graph elements not writable as JSON: " + e.getMessage(), e);
        }
        StringBuilder h = new StringBuilder(svg.length() + data.length() + 4096);
        h.append(libraries.includeOnce(WebLibraries.Library.CYTOSCAPE));
        h.append("<div class=\"workbench-graph-picture\">\n");
        h.append("<div class=\"workbench-graph-legend\" style=\"font: 12px sans-serif; margin: 4px 0;\">");
        for (Map.Entry<String, String> e : colors.entrySet()) {
            h.append("<span style=\"display:inline-block;width:10px;height:10px;border-radius:5px;background:")
                    .append(e.getValue()).append(";margin:0 4px 0 10px;\"></span>").append(Renderers.escape(e.getKey()));
        }
        h.append("</div>\n");
        h.append("<div id=\"").append(id).append("\" class=\"workbench-graph-interactive\" data-node-count=\"")
                .append(g.nodes().size()).append("\" style=\"width: 100%; max-width: ").append(WIDTH)
                .append("px; height: ").append(Math.min(height, 700))
                .append("px; border: 1px solid #ddd;\"></div>\n");
        h.append("<details class=\"workbench-graph-static\" open><summary style=\"font: 12px sans-serif\">"
                + "static picture (SVG)</summary>\n").append(svg).append("</details>\n</div>\n");
        String body = "var el = document.getElementById('" + id + "');\n"
                + "if (!el || el.getAttribute('data-drawn')) { return; }\n"
                + "var cy = cytoscape({ container: el, elements: " + data + ",\n"
                + "  layout: { name: 'preset', fit: true, padding: 20 }, maxZoom: 2.5,\n"
                + "  style: [\n"
                + "    { selector: 'node', style: { 'background-color': 'data(color)', 'label': 'data(caption)',"
                + " 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, 'width': 18, 'height': 18,"
                + " 'border-width': 1, 'border-color': '#333' } },\n"
                + "    { selector: 'edge', style: { 'label': 'data(type)', 'font-size': 8, 'color': '#666',"
                + " 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#aaa',"
                + " 'target-arrow-color': '#888', 'width': 1.2, 'text-rotation': 'autorotate' } }\n"
                + "  ] });\n"
                + "cy.on('tap', 'node', function (e) { el.title = e.target.data('tip'); });\n"
                + "el.workbenchCy = cy;\n"
                + "el.setAttribute('data-drawn', 'true');\n"
                + "var s = el.parentNode.querySelector('details.workbench-graph-static');\n"
                + "if (s) { s.removeAttribute('open'); }\n";
        h.append("<script type=\"text/javascript\">\n")
                .append(WebLibraries.whenLoaded(WebLibraries.Library.CYTOSCAPE, id, body)).append("\n</script>\n");
        return h.toString();
    }

    /**
     * A summary of a graph: node counts per label and relationship counts per type.
     *
     * @param g the graph
     * @return e.g. {@code Graph: 5 nodes (host 1, domain 2, file 2), 4 relationships (DNS_QUERY 2, SENT_FILE 2)}
     */
    public static String summary(Graph g) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        g.nodes().forEach(n -> labels.merge(primaryLabel(n), 1, Integer::sum));
        Map<String, Integer> types = new TreeMap<>();
        g.relationships().forEach(r -> types.merge(r.type(), 1, Integer::sum));
        return "Graph: " + g.nodes().size() + (g.nodes().size() == 1 ? " node" : " nodes") + counts(labels) + ", "
                + g.relationships().size() + (g.relationships().size() == 1 ? " relationship" : " relationships")
                + counts(types) + (g.nodes().size() > MAX_DRAWN_NODES ? "; the picture shows the first "
                + MAX_DRAWN_NODES + " nodes" : "");
    }

    private static String counts(Map<String, Integer> m) {
        if (m.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + v));
        return " (" + String.join(", ", parts) + ")";
    }

    /**
     * The bundle of a graph: {@code text/html} (interactive, with the static fallback),
     * {@code image/svg+xml} (static) and {@code text/plain} ({@link #summary}).
     *
     * @param g the graph
     * @param libraries the session's libraries
     * @return the bundle
     */
    public static MimeBundle bundle(Graph g, WebLibraries libraries) {
        Graph d = drawn(g);
        Map<String, GraphLayout.Point> pos = positions(d);
        String svg = svg(d, pos, g.nodes().size());
        return MimeBundle.html(html(d, libraries, pos, svg), summary(g)).with(MimeBundle.IMAGE_SVG, svg);
    }

    /**
     * The bundle of a query result: the table, then (when the records hold nodes or relationships)
     * the graph picture; the SVG of the graph as {@code image/svg+xml}.
     *
     * @param r the result
     * @param renderers renders the table and holds the session's libraries
     * @return the bundle
     */
    public static MimeBundle bundle(GraphResult r, Renderers renderers) {
        MimeBundle table = renderers.renderTable(r.table());
        if (!r.hasGraph()) {
            return table;
        }
        Graph d = drawn(r.graph());
        Map<String, GraphLayout.Point> pos = positions(d);
        String svg = svg(d, pos, r.graph().nodes().size());
        return MimeBundle.html(table.get(MimeBundle.TEXT_HTML) + "\n"
                        + html(d, renderers.libraries(), pos, svg),
                table.plainText() + "\n" + summary(r.graph())).with(MimeBundle.IMAGE_SVG, svg);
    }

    /**
     * Relationships drawn as one edge: those of the same type between the same two nodes in the same direction
     * (86 HTTP requests from one client to one name are one arrow labelled {@code HTTP_REQUEST ×86}).
     *
     * @return the first relationship of each bundle, in first-seen order, with the bundle's size
     */
    static Map<GraphRelationship, Integer> bundles(Graph g) {
        Map<List<String>, GraphRelationship> first = new LinkedHashMap<>();
        Map<List<String>, Integer> counts = new HashMap<>();
        for (GraphRelationship r : g.relationships()) {
            List<String> key = List.of(r.startId(), r.endId(), r.type());
            first.putIfAbsent(key, r);
            counts.merge(key, 1, Integer::sum);
        }
        Map<GraphRelationship, Integer> out = new LinkedHashMap<>();
        first.forEach((k, r) -> out.put(r, counts.get(k)));
        return out;
    }

    private static String edgeCaption(GraphRelationship r, int count) {
        return count == 1 ? r.type() : r.type() + " \u00d7" + count;
    }

    private static String tooltip(GraphNode n) {
        StringBuilder b = new StringBuilder(String.join(":", n.labels()));
        new TreeMap<>(n.properties()).forEach((k, v) -> b.append('\n').append(k).append(": ").append(v));
        return b.toString();
    }

    private static String shortCaption(GraphNode n) {
        String c = n.caption();
        return c.length() <= MAX_CAPTION ? c : c.substring(0, MAX_CAPTION - 1) + "\u2026";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
