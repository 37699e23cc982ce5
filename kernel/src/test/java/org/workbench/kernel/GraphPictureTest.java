package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.workbench.graph.Graph;
import org.workbench.graph.GraphNode;
import org.workbench.graph.GraphRelationship;
import org.workbench.graph.GraphResult;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class GraphPictureTest {
    /** A drive-by as the workbench graph holds it: host, origin, domains, files. */
    static Graph driveBy() {
        List<GraphNode> nodes = List.of(
                new GraphNode("1", List.of("host"), Map.of("name", "192.168.1.2")),
                new GraphNode("2", List.of("domain"), Map.of("name", "kitchenboss.com.au")),
                new GraphNode("3", List.of("domain"), Map.of("name", "p22x62n0yr63872e-qh6.focondteavrt.ru")),
                new GraphNode("4", List.of("origin"), Map.of("name", "142.4.194.92")),
                new GraphNode("5", List.of("file", "small"), Map.of("md5", "0123456789abcdef0123456789abcdef")),
                new GraphNode("6", List.of("file"), Map.of("md5", "fedcba9876543210fedcba9876543210", "name",
                        "<evil>.exe")),
                new GraphNode("7", List.of("sensor"), Map.of()));
        List<GraphRelationship> rels = List.of(
                new GraphRelationship("r1", "DNS_QUERY", "1", "2", Map.of()),
                new GraphRelationship("r2", "DNS_QUERY", "1", "3", Map.of()),
                new GraphRelationship("r3", "RESOLVES_TO", "3", "4", Map.of()),
                new GraphRelationship("r4", "SENT_FILE", "4", "5", Map.of()),
                new GraphRelationship("r5", "SENT_FILE", "4", "6", Map.of()),
                new GraphRelationship("r6", "SEEN_BY", "1", "99", Map.of()));
        return new Graph(nodes, rels);
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> byClass(Document d, String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = d.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void parallelRelationshipsOfOneTypeAreOneEdgeWithACount() throws Exception {
        List<GraphRelationship> rels = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rels.add(new GraphRelationship("h" + i, "HTTP_REQUEST", "1", "2", Map.of("uri", "/" + i)));
        }
        rels.add(new GraphRelationship("d", "DNS_QUERY", "1", "2", Map.of()));
        rels.add(new GraphRelationship("back", "HTTP_REQUEST", "2", "1", Map.of()));
        Graph g = new Graph(List.of(new GraphNode("1", List.of("host"), Map.of("name", "10.0.0.1")),
                new GraphNode("2", List.of("domain"), Map.of("name", "example.com"))), rels);
        List<Element> edges = byClass(parse(GraphPicture.svg(g)), "g", "wb-edge");
        assertEquals(3, edges.size(), "5 parallel HTTP_REQUEST, 1 DNS_QUERY, 1 reverse HTTP_REQUEST");
        Map<String, String> counts = new HashMap<>();
        for (Element e : edges) {
            counts.merge(e.getAttribute("data-type"), e.getAttribute("data-count"), (a, b) -> a + "," + b);
            if (e.getAttribute("data-count").equals("5")) {
                assertTrue(e.getTextContent().contains("HTTP_REQUEST \u00d75"), e.getTextContent());
            }
        }
        assertEquals(Map.of("HTTP_REQUEST", "5,1", "DNS_QUERY", "1"), counts);
        String html = GraphPicture.html(g, new WebLibraries());
        assertTrue(html.contains("\"type\":\"HTTP_REQUEST \u00d75\"") || html.contains("HTTP_REQUEST \\u00d75"),
                "the interactive picture bundles them too");
    }

    @Test
    void svgHasOneGroupPerNodeColouredByLabel() throws Exception {
        Graph g = driveBy();
        String svg = GraphPicture.svg(g);
        Document d = parse(svg);
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("workbench-graph", root.getAttribute("class"));
        assertEquals("7", root.getAttribute("data-node-count"));
        List<Element> nodes = byClass(d, "g", "wb-node");
        assertEquals(7, nodes.size());
        Map<String, Set<String>> fills = new HashMap<>();
        Set<String> captions = new HashSet<>();
        for (Element n : nodes) {
            Element circle = (Element) n.getElementsByTagNameNS("*", "circle").item(0);
            fills.computeIfAbsent(n.getAttribute("data-label"), k -> new HashSet<>()).add(circle.getAttribute("fill"));
            captions.add(n.getElementsByTagNameNS("*", "text").item(0).getTextContent());
        }
        assertEquals(Set.of(GraphPicture.LABEL_COLORS.get("host")), fills.get("host"));
        assertEquals(Set.of(GraphPicture.LABEL_COLORS.get("domain")), fills.get("domain"));
        assertEquals(Set.of(GraphPicture.LABEL_COLORS.get("file")), fills.get("file"));
        assertEquals(Set.of(GraphPicture.OTHER_COLORS.get(0)), fills.get("sensor"));
        assertEquals(5, fills.values().stream().flatMap(Set::stream).distinct().count(), "one colour per label");
        assertTrue(captions.contains("<evil>.exe"), "captions from GraphNode.caption(): " + captions);
        assertTrue(captions.contains("0123456789abcdef0123456789abcdef"), captions.toString());
        assertTrue(captions.contains("p22x62n0yr63872e-qh6.focondteav\u2026"), "long captions cut: " + captions);
        // relationships to a node outside the graph are not drawn
        assertEquals(5, byClass(d, "g", "wb-edge").size());
        assertEquals(5, byClass(d, "g", "wb-legend").get(0).getElementsByTagNameNS("*", "circle").getLength());
        assertTrue(svg.contains(">SENT_FILE</text>"));
        assertEquals(svg, GraphPicture.svg(driveBy()), "the layout is deterministic");
    }

    @Test
    void largeGraphsAreDrawnInPart() throws Exception {
        List<GraphNode> nodes = new ArrayList<>();
        List<GraphRelationship> rels = new ArrayList<>();
        int n = GraphPicture.MAX_DRAWN_NODES + 100;
        for (int i = 0; i < n; i++) {
            nodes.add(new GraphNode("n" + i, List.of("domain"), Map.of("name", "d" + i + ".example")));
            if (i > 0) {
                rels.add(new GraphRelationship("r" + i, "CHILD_OF", "n" + i, "n" + (i / 2), Map.of()));
            }
        }
        long start = System.nanoTime();
        MimeBundle b = GraphPicture.bundle(new Graph(nodes, rels), new WebLibraries());
        long ms = (System.nanoTime() - start) / 1_000_000;
        Document d = parse(b.get(MimeBundle.IMAGE_SVG));
        assertEquals(String.valueOf(GraphPicture.MAX_DRAWN_NODES), d.getDocumentElement().getAttribute("data-node-count"));
        assertEquals(String.valueOf(n), d.getDocumentElement().getAttribute("data-total-node-count"));
        assertEquals(GraphPicture.MAX_DRAWN_NODES, byClass(d, "g", "wb-node").size());
        assertEquals(GraphPicture.MAX_DRAWN_NODES - 1, byClass(d, "g", "wb-edge").size());
        assertTrue(b.plainText().endsWith("the picture shows the first " + GraphPicture.MAX_DRAWN_NODES + " nodes"),
                b.plainText());
        assertTrue(ms < 20_000, "drawing took " + ms + " ms");
    }

    @Test
    void layoutKeepsNodesApartAndInside() {
        Graph g = driveBy();
        Map<String, GraphLayout.Point> p = GraphLayout.layout(g, 800, 600, 40);
        assertEquals(7, p.size());
        List<GraphLayout.Point> pts = new ArrayList<>(p.values());
        for (int i = 0; i < pts.size(); i++) {
            GraphLayout.Point a = pts.get(i);
            assertTrue(a.x() >= 40 && a.x() <= 760 && a.y() >= 40 && a.y() <= 560, a.toString());
            for (int j = i + 1; j < pts.size(); j++) {
                double d = Math.hypot(a.x() - pts.get(j).x(), a.y() - pts.get(j).y());
                assertTrue(d > 2 * GraphPicture.NODE_RADIUS, "nodes " + i + " and " + j + " overlap: " + d);
            }
        }
    }

    @Test
    void bundleHasInteractiveHtmlSvgAndSummary() throws Exception {
        WebLibraries libs = new WebLibraries();
        MimeBundle b = GraphPicture.bundle(driveBy(), libs);
        assertEquals("Graph: 7 nodes (host 1, domain 2, origin 1, file 2, sensor 1), 6 relationships "
                + "(DNS_QUERY 2, RESOLVES_TO 1, SEEN_BY 1, SENT_FILE 2)", b.plainText());
        parse(b.get(MimeBundle.IMAGE_SVG));
        String html = b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.contains("class=\"workbench-graph-interactive\" data-node-count=\"7\""), html);
        assertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workbench-graph\" data-node-count=\"7\""));
        assertTrue(html.contains("data-workbench-library=\"cytoscape\""), "first picture carries cytoscape");
        assertTrue(html.contains(">&lt;evil&gt;.exe</text>"), "SVG captions escaped");
        String script = html.substring(html.lastIndexOf("<script"));
        assertEquals(1, RenderersTest.count(script, "</"), "the element data cannot end the script early");
        String again = GraphPicture.bundle(driveBy(), libs).get(MimeBundle.TEXT_HTML);
        assertFalse(again.contains("data-workbench-library"), "second picture reuses window.cytoscape");
        assertTrue(again.length() < 40_000, "size " + again.length());
    }

    @Test
    void graphResultShowsTableAndPicture(@TempDir Path dir) throws Exception {
        Renderers r = Renderers.defaults();
        Table t = Table.create("result", StringColumn.create("domain", "kitchenboss.com.au"));
        MimeBundle b = r.render(new GraphResult(t, driveBy(), List.of()));
        String html = b.get(MimeBundle.TEXT_HTML);
        assertTrue(html.indexOf("<caption>result (1 row, 1 column)</caption>") < html.indexOf("workbench-graph-interactive"));
        assertTrue(b.plainText().startsWith(t.print()) && b.plainText().contains("Graph: 7 nodes"), b.plainText());
        assertEquals(GraphPicture.svg(driveBy()), b.get(MimeBundle.IMAGE_SVG));
        MimeBundle tableOnly = r.render(new GraphResult(t, Graph.empty(), List.of()));
        assertEquals(r.renderTable(t), tableOnly);

        Path file = GraphPicture.writeSvg(driveBy(), dir.resolve("graph.svg"));
        assertEquals("7", parse(Files.readString(file)).getDocumentElement().getAttribute("data-node-count"));
        assertTrue(r.render(Graph.empty()).plainText().startsWith("Graph: 0 nodes"));
    }
}
