package org.workbench.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.workbench.analysis.WeirdLog;
import org.workbench.zeeklog.LogSchema;

class ConnLogSchemaTest {
    static Path shared() {
        String s = System.getProperty("workbench.shared");
        assertTrue(s != null, "system property workbench.shared is not set");
        Path p = Path.of(s);
        assertTrue(Files.isDirectory(p.resolve("zeek-conformance/cases")),
                "missing folder " + p.resolve("zeek-conformance/cases").toAbsolutePath());
        return p;
    }

    /** The #fields and #types lines of a baseline file. */
    static List<String[]> header(Path log) throws Exception {
        String[] names = null, types = null;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("#fields\t")) {
                names = line.substring(8).split("\t");
            } else if (line.startsWith("#types\t")) {
                types = line.substring(7).split("\t");
            }
        }
        assertTrue(names != null && types != null, "no header in " + log);
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            out.add(new String[] {names[i], types[i]});
        }
        return out;
    }

    static void assertSchema(LogSchema schema, Path baseline) throws Exception {
        List<String[]> h = header(baseline);
        assertEquals(h.size(), schema.size(), "field count vs " + baseline);
        for (int i = 0; i < h.size(); i++) {
            assertEquals(h.get(i)[0], schema.fields().get(i).name(), "field " + i);
            assertEquals(h.get(i)[1], schema.fields().get(i).type().toString(), "type of " + h.get(i)[0]);
        }
    }

    @Test
    void connSchemaMatchesZeek9Baseline() throws Exception {
        assertSchema(ConnLog.SCHEMA,
                shared().resolve("zeek-conformance/cases/core.tcp.missing-syn/baseline/conn.log"));
    }

    @Test
    void weirdSchemaMatchesZeek9Baseline() throws Exception {
        assertSchema(WeirdLog.SCHEMA,
                shared().resolve("zeek-conformance/cases/scripts.base.protocols.http.http-09/baseline/weird.log"));
    }

    @Test
    void uidsLookLikeZeekAndSeedsReproduce() {
        UidGenerator a = new UidGenerator(42), b = new UidGenerator(42), c = new UidGenerator(43);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String u = a.connectionUid();
            assertTrue(u.matches("C[0-9A-Za-z]{1,17}"), u);
            assertEquals(u, b.connectionUid());
            seen.add(u);
        }
        assertEquals(1000, seen.size());
        assertNotEquals(new UidGenerator(42).connectionUid(), c.connectionUid());
        assertTrue(a.fileUid().startsWith("F"));
        assertNotEquals(new UidGenerator().connectionUid(), new UidGenerator().connectionUid());
    }

    @Test
    void optionsDefaultsAndValidation() {
        TrackerOptions o = TrackerOptions.defaults();
        assertEquals(300, o.tcpInactivityTimeout());
        assertEquals(60, o.udpInactivityTimeout());
        assertEquals(60, o.icmpInactivityTimeout());
        assertEquals(5, o.tcpAttemptDelay());
        assertEquals(5, o.tcpCloseDelay());
        assertEquals(10L * 1024 * 1024, o.maxBufferedOutOfOrderBytes());
        assertTrue(o.likelyServerTcpPorts().contains(80));
        assertFalse(o.reportGapsForPartial());
        assertEquals(List.of("10.0.0.0/8"), o.toBuilder().localNets(List.of("10.0.0.0/8")).build().localNets());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrackerOptions.builder().localNets(List.of("not-a-net")).build());
        assertTrue(e.getMessage().contains("not-a-net"));
        assertThrows(IllegalArgumentException.class,
                () -> TrackerOptions.builder().localNets(List.of("10.0.0.0/33")).build());
    }
}
