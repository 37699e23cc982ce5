package org.workbench.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.graph.GraphOracle.HttpObject;
import tech.tablesaw.api.Table;

/**
 * {@code pcap_graph} and {@code pcap_http_graph} on the shared captures, against the embedded database through
 * the driver, checked against facts computed with tshark ({@link GraphOracle}).
 */
class PcapGraphTest {
    private static final String VICTIM_QUERY = "MATCH (f:file), (h:host {name:'192.168.22.10'}), "
            + "p = shortestPath((f)-[*]-(h)) RETURN f.md5, p";

    @TempDir
    Path tmp;

    private static Set<String> strings(Table t, String column) {
        return new TreeSet<>(t.stringColumn(column).asList());
    }

    @Test
    void kitchenBossGraphMatchesTsharkIsIdempotentAndSharedWithASecondCapture() throws Exception {
        Path pcaps = GraphOracle.pcapDir();
        Path kb = pcaps.resolve("kitchen_boss.pcap");
        List<HttpObject> objects = GraphOracle.exportHttpObjects(kb, tmp.resolve("objects"));
        List<GraphOracle.Body> bodies = GraphOracle.httpBodies(kb, tmp);
        Map<String, Set<String>> serversByMd5 = GraphOracle.serversByMd5(bodies);
        Map<String, Set<String>> dnsA = GraphOracle.dnsA(kb, tmp);
        Map<String, HttpObject> objectByMd5 = new HashMap<>();
        objects.forEach(o -> objectByMd5.put(o.md5(), o));

        Path home = tmp.resolve("home");
        String kbMd5;
        long nodes;
        long rels;
        try (Workbench wb = Workbench.open(home)) {
            kbMd5 = wb.storeSample(kb, "pcap");
            Map<String, Object> first = wb.workRequest("pcap_graph", kbMd5);
            GraphStore g = wb.graph();
            assertTrue(g.isEmbedded());
            assertEquals(home.resolve("graph").toAbsolutePath().normalize(), g.config().directory());
            nodes = g.nodeCount();
            rels = g.relationshipCount();
            assertEquals(((Number) first.get("nodes")).longValue(), nodes, first.toString());
            assertEquals(((Number) first.get("relationships")).longValue(), rels, first.toString());
            assertEquals(nodes, ((Number) first.get("nodes_created")).longValue(), first.toString());
            assertEquals(rels, ((Number) first.get("relationships_created")).longValue(), first.toString());

            // every file node: an HTTP body tshark saw, sent by the server(s) tshark saw sending it
            Table files = g.query("MATCH (s:host)-[:SENT_FILE]->(f:file)-[:RECEIVED_BY]->(c:host) "
                    + "RETURN f.md5 AS md5, f.size AS size, f.mime_type AS mime, 'small' IN labels(f) AS small, "
                    + "collect(DISTINCT s.name) AS servers, collect(DISTINCT c.name) AS clients ORDER BY md5").table();
            long fileNodes = g.query("MATCH (f:file) RETURN count(f) AS n").table().longColumn("n").get(0);
            assertEquals(fileNodes, files.rowCount(), "file nodes without SENT_FILE/RECEIVED_BY:\n" + files);
            assertTrue(files.rowCount() > 0);
            Set<String> graphServers = new TreeSet<>();
            for (int i = 0; i < files.rowCount(); i++) {
                String md5 = files.stringColumn("md5").get(i);
                assertTrue(serversByMd5.containsKey(md5), "file " + md5 + " is no HTTP body tshark saw:\n" + files);
                assertEquals(serversByMd5.get(md5).toString().replace(" ", ""),
                        files.stringColumn("servers").get(i).replace("\"", "").replace(" ", ""), "servers of " + md5);
                HttpObject o = objectByMd5.get(md5);
                assertNotNull(o, "file " + md5 + " is not an exported object");
                assertEquals(o.size(), files.longColumn("size").get(i), "size of " + md5);
                assertEquals(o.size() < 50 * 1024, files.booleanColumn("small").get(i), "small label of " + md5);
                graphServers.addAll(serversByMd5.get(md5));
            }
            // the distinct executables and containers (libmagic) among the exported objects are all there
            Set<String> expected = objects.stream().filter(o -> o.mime().contains("flash")
                    || o.mime().equals("application/java-archive") || o.mime().equals("application/pdf")
                    || o.mime().contains("portable-executable"))
                    .map(HttpObject::md5).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, strings(files, "md5"));

            // the shortest path from each file to the victim
            GraphResult paths = g.query(VICTIM_QUERY);
            assertEquals(strings(files, "md5"), strings(paths.table(), "f.md5"));
            assertEquals(files.rowCount(), paths.paths().size());
            for (GraphPath p : paths.paths()) {
                assertTrue(p.start().hasLabel("file"));
                assertEquals("192.168.22.10", p.end().caption());
                assertTrue(p.end().hasLabel("origin"), p.end().labels().toString());
            }

            // every domain that resolves (per tshark) to a server of a file has RESOLVES_TO it
            for (String server : graphServers) {
                Set<String> domains = new TreeSet<>();
                dnsA.forEach((name, as) -> {
                    if (as.contains(server)) {
                        domains.add(name);
                    }
                });
                Table got = g.query("MATCH (d:domain)-[:RESOLVES_TO {qtype: 'A'}]->(h:host {name: $ip}) "
                        + "RETURN DISTINCT d.name AS name", Map.of("ip", server)).table();
                assertEquals(domains, strings(got, "name"), "domains resolving to " + server);
            }
            // every node and relationship lists the capture
            assertEquals(0L, g.query("MATCH (n) WHERE NOT $c IN n.captures RETURN count(n) AS n",
                    Map.of("c", kbMd5)).table().longColumn("n").get(0));
            assertEquals(0L, g.query("MATCH ()-[r]->() WHERE NOT $c IN r.captures RETURN count(r) AS n",
                    Map.of("c", kbMd5)).table().longColumn("n").get(0));

            // building it again: same counts, nothing created
            Map<String, Object> again = wb.workRequest("pcap_graph", kbMd5);
            assertEquals(0L, ((Number) again.get("nodes_created")).longValue(), again.toString());
            assertEquals(0L, ((Number) again.get("relationships_created")).longValue(), again.toString());
            assertEquals(nodes, g.nodeCount());
            assertEquals(rels, g.relationshipCount());
            Table victim = g.query("MATCH (h:host {name: '192.168.22.10'}) RETURN size(h.captures) AS n, "
                    + "h.captures[0] AS c").table();
            assertEquals(1L, victim.longColumn("n").get(0), "the capture is listed once");
            assertEquals(kbMd5, victim.stringColumn("c").get(0));
        }

        // reopen the same home (the embedded database restarts) and add a second capture
        try (Workbench wb = Workbench.open(home)) {
            GraphStore g = wb.graph();
            assertEquals(nodes, g.nodeCount());
            assertEquals(rels, g.relationshipCount());
            String second = wb.storeSample(pcaps.resolve("http.pcap"), "pcap");
            Map<String, Object> r = wb.workRequest("pcap_graph", second);
            assertTrue(((Number) r.get("nodes_created")).longValue() > 0, r.toString());
            assertEquals(nodes + ((Number) r.get("nodes_created")).longValue(), g.nodeCount());
            assertEquals(rels + ((Number) r.get("relationships_created")).longValue(), g.relationshipCount());
            // nothing of the first capture went away or lost its capture
            assertEquals(nodes, g.query("MATCH (n) WHERE $c IN n.captures RETURN count(n) AS n", Map.of("c", kbMd5))
                    .table().longColumn("n").get(0));
            assertEquals(rels, g.query("MATCH ()-[x]->() WHERE $c IN x.captures RETURN count(x) AS n",
                    Map.of("c", kbMd5)).table().longColumn("n").get(0));
            assertEquals(((Number) r.get("nodes")).longValue(), g.query("MATCH (n) WHERE $c IN n.captures "
                    + "RETURN count(n) AS n", Map.of("c", second)).table().longColumn("n").get(0));
        }
    }

    @Test
    void httpOnlyGraphHasTheHttpPartOnly() throws Exception {
        Path kb = GraphOracle.pcapDir().resolve("kitchen_boss.pcap");
        List<GraphOracle.Body> bodies = GraphOracle.httpBodies(kb, tmp);
        try (Workbench wb = Workbench.open(tmp.resolve("home"))) {
            // a programmatic configuration instead of HOME/graph
            wb.graphConfig(GraphConfig.embedded(tmp.resolve("elsewhere")));
            String md5 = wb.storeSample(kb, "pcap");
            Map<String, Object> r = wb.workRequest("pcap_http_graph", md5);
            GraphStore g = wb.graph();
            assertEquals(tmp.resolve("elsewhere").toAbsolutePath().normalize(), g.config().directory());
            WorkbenchException late = assertThrows(WorkbenchException.class,
                    () -> wb.graphConfig(GraphConfig.embedded(tmp.resolve("too-late"))));
            assertTrue(late.getMessage().contains(g.uri()), late.getMessage());
            Table types = g.query("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t").table();
            assertEquals(Set.of("HTTP_REQUEST", "SERVED_BY", "SENT_FILE", "RECEIVED_BY"), strings(types, "t"));
            Set<String> clients = bodies.stream().map(GraphOracle.Body::client).collect(Collectors.toSet());
            Table origins = g.query("MATCH (h:origin) RETURN h.name AS name").table();
            assertEquals(new TreeSet<>(clients), strings(origins, "name"));
            Map<String, Object> counts = new TreeMap<>();
            for (var row : g.query("MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS n").table()) {
                counts.put(row.getString("t"), (int) row.getLong("n"));
            }
            assertEquals(new TreeMap<>((Map<?, ?>) r.get("relationship_counts")), counts);
            assertFalse(g.query("MATCH (d:domain)-[:SERVED_BY]->(h:host) RETURN d").graph().isEmpty());
        }
    }
}
