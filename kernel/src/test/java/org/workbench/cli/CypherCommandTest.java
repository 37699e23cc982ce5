package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.graph.GraphConfig;

/** {@code workbench cypher}: JSON lines from the embedded graph, parameters, clear errors. */
class CypherCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private String oldHome;

    @BeforeEach
    void setUp() {
        oldHome = System.getProperty(Workbench.HOME_PROPERTY);
        System.setProperty(Workbench.HOME_PROPERTY, home.toString());
    }

    @AfterEach
    void restore() {
        if (oldHome == null) {
            System.clearProperty(Workbench.HOME_PROPERTY);
        } else {
            System.setProperty(Workbench.HOME_PROPERTY, oldHome);
        }
        System.clearProperty(GraphConfig.URI_PROPERTY);
    }

    @Test
    void printsRecordsAsJsonLinesWithParametersAndKeepsTheGraph() throws Exception {
        String[] r = MainTest.run("cypher", "CREATE (h:host {name: $ip})-[q:DNS_QUERY]->(d:domain {name: $d}) "
                + "RETURN h, q, $n AS n, $ip AS ip", "--param", "ip=10.0.0.1", "--param", "d=x.example",
                "--param", "n=3");
        assertEquals("0", r[0], r[1]);
        assertEquals("", r[1]);
        List<String> lines = r[2].strip().lines().toList();
        assertEquals(1, lines.size(), r[2]);
        JsonNode row = JSON.readTree(lines.get(0));
        assertEquals(List.of("h", "q", "n", "ip"), iterator(row));
        assertEquals("host", row.get("h").get("labels").get(0).asText());
        assertEquals("10.0.0.1", row.get("h").get("properties").get("name").asText());
        assertEquals("DNS_QUERY", row.get("q").get("type").asText());
        assertEquals(row.get("h").get("id").asText(), row.get("q").get("start").asText());
        assertTrue(row.get("n").isInt(), "JSON value: " + row.get("n"));
        assertEquals("10.0.0.1", row.get("ip").asText());

        // a second run (the embedded database restarts) finds the graph and returns a path
        r = MainTest.run("cypher", "MATCH p = (:host)-[:DNS_QUERY]->(d:domain) RETURN d.name AS name, p");
        assertEquals("0", r[0], r[1]);
        row = JSON.readTree(r[2].strip());
        assertEquals("x.example", row.get("name").asText());
        assertEquals(2, row.get("p").get("nodes").size());
        assertEquals(1, row.get("p").get("relationships").size());
    }

    @Test
    void whileAKernelHoldsTheGraphTheCommandUsesItsDatabase() {
        try (Workbench kernel = Workbench.open(home)) {
            kernel.graph().write("MERGE (h:host {name: '10.1.2.3'})", java.util.Map.of());
            String[] r = MainTest.run("cypher", "MATCH (h:host) RETURN h.name AS ip");
            assertEquals("0", r[0], r[1]);
            assertEquals("{\"ip\":\"10.1.2.3\"}", r[2].strip());
            r = MainTest.run("cypher", "MERGE (h:host {name: '10.1.2.4'}) RETURN count(h) AS n");
            assertEquals("0", r[0], r[1]);
            assertEquals(2, kernel.graph().nodeCount(), "the command wrote into the kernel's graph, which still runs");
        }
    }

    @Test
    void badCypherIsAClearError() {
        String[] r = MainTest.run("cypher", "MATCH (n RETURN n");
        assertEquals("1", r[0], r[1]);
        assertEquals("", r[2]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].startsWith("workbench: graph query failed") && r[1].contains("Invalid input")
                && r[1].contains("in: MATCH (n RETURN n"), r[1]);
    }

    @Test
    void unreachableServerIsAClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.setProperty(GraphConfig.URI_PROPERTY, "bolt://127.0.0.1:" + port);
        String[] r = MainTest.run("cypher", "RETURN 1");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].startsWith("workbench: graph server bolt://127.0.0.1:" + port + " is unreachable"), r[1]);
    }

    private static List<String> iterator(JsonNode n) {
        List<String> keys = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
