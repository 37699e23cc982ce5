package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;

/** {@code workbench work}: results as text or JSON lines, per-sample errors, settings. */
class WorkCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MISSING = "ffffffffffffffffffffffffffffffff";

    @TempDir
    Path home;

    private String oldHome;
    private String a;
    private String b;

    @BeforeEach
    void setUp() {
        oldHome = System.getProperty(Workbench.HOME_PROPERTY);
        System.setProperty(Workbench.HOME_PROPERTY, home.toString());
        try (Workbench wb = Workbench.open(home)) {
            a = wb.storeSample("%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII), "a.pdf", "pdf");
            b = wb.storeSample("hello\n".getBytes(StandardCharsets.US_ASCII), "b.txt", "unknown");
        }
    }

    @AfterEach
    void restoreHome() {
        if (oldHome == null) {
            System.clearProperty(Workbench.HOME_PROPERTY);
        } else {
            System.setProperty(Workbench.HOME_PROPERTY, oldHome);
        }
    }

    private static Map<String, JsonNode> byMd5(String jsonLines) throws Exception {
        Map<String, JsonNode> m = new HashMap<>();
        for (String line : jsonLines.strip().split("\n")) {
            JsonNode n = JSON.readTree(line);
            m.put(n.get("md5").asText(), n);
        }
        return m;
    }

    @Test
    void jsonPrintsOneDocumentPerLine() throws Exception {
        String[] r = MainTest.run("work", "meta", a, b, "--json");
        assertEquals("0", r[0], r[1]);
        assertEquals("", r[1]);
        assertEquals(2, r[2].strip().lines().count(), r[2]);
        Map<String, JsonNode> docs = byMd5(r[2]);
        assertEquals("meta", docs.get(a).get("worker").asText());
        assertEquals("application/pdf", docs.get(a).get("result").get("mime_type").asText());
        assertEquals("pdf", docs.get(a).get("result").get("type_tag").asText());
        assertEquals("b.txt", docs.get(b).get("result").get("filename").asText());
        assertEquals(6, docs.get(b).get("result").get("file_size").asInt());
    }

    @Test
    void textIsIndentedWithHeadersForSeveralSamples() {
        String[] r = MainTest.run("work", "meta", a);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].startsWith("md5: " + a + "\n"), r[2]);
        assertTrue(r[2].contains("\nfilename: a.pdf\n") && r[2].contains("\nmime_type: application/pdf\n"), r[2]);
        assertFalse(r[2].contains("=="), "no header for one sample: " + r[2]);

        r = MainTest.run("work", "meta", a, b.toUpperCase());
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].contains("== meta " + a + " ==\nmd5: " + a + "\n"), r[2]);
        assertTrue(r[2].contains("== meta " + b + " ==\nmd5: " + b + "\n"), r[2]);
    }

    @Test
    void aFailingSampleIsReportedAndTheOthersStillRun() throws Exception {
        String[] r = MainTest.run("work", "meta", MISSING, a);
        assertEquals("1", r[0], "exit status 1 when a sample failed");
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].startsWith("workbench: ") && r[1].contains(MISSING), r[1]);
        assertTrue(r[2].contains("md5: " + a), "the good sample is still printed: " + r[2]);

        r = MainTest.run("work", "meta", MISSING, a, "--json");
        assertEquals("1", r[0]);
        assertEquals("", r[1]);
        Map<String, JsonNode> docs = byMd5(r[2]);
        assertEquals("UnknownSampleException", docs.get(MISSING).get("error_type").asText());
        assertTrue(docs.get(a).has("result"));

        // a worker that does not apply to the sample's type
        r = MainTest.run("work", "pcap_zeek", a);
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("pcap_zeek") && r[1].contains("'pdf'"), r[1]);
    }

    @Test
    void requestErrorsAndUsageErrors() {
        String[] r = MainTest.run("work", "nope", a);
        assertEquals("1", r[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].startsWith("workbench: ") && r[1].contains("'nope'") && r[1].contains("meta"), r[1]);
        assertFalse(r[1].contains("Exception"), "no class names in the message: " + r[1]);

        r = MainTest.run("work", "meta", a, "--config", "colour=red");
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("colour"), r[1]);

        r = MainTest.run("work", "meta", a, "--threads", "0");
        assertEquals("1", r[0]);
        assertEquals("workbench: --threads must be at least 1\n", r[1]);

        r = MainTest.run("work", "meta");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("workbench: ") && r[1].contains("MD5"), r[1]);
    }

    @Test
    void prettyTextRendersNestedDocuments() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "x");
        doc.put("empty", "");
        doc.put("multi", "a\nb");
        doc.put("none", null);
        doc.put("ratio", 0.5);
        doc.put("nested", Map.of("k", 1));
        doc.put("list", List.of(1, List.of("a"), Map.of()));
        doc.put("maps", List.of(new java.util.TreeMap<>(Map.of("a", 1, "b", true))));
        doc.put("nothing", List.of());
        assertEquals("""
                name: x
                empty: ""
                multi: "a\\nb"
                none: null
                ratio: 0.5
                nested:
                  k: 1
                list:
                  - 1
                  -
                    - a
                  - {}
                maps:
                  - a: 1
                    b: true
                nothing: []
                """, PrettyText.render(doc));
    }

    @Test
    void md5sFromStandardInput() throws Exception {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream((a + "\n  " + b + "\n").getBytes(StandardCharsets.US_ASCII)));
        String[] r;
        try {
            r = MainTest.run("work", "meta", "-", "--json", "--threads", "1");
        } finally {
            System.setIn(old);
        }
        assertEquals("0", r[0], r[1]);
        assertEquals(java.util.Set.of(a, b), byMd5(r[2]).keySet());
    }

    @Test
    void settingsParseAsJsonOrString() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("extract", "none");
        raw.put("ignore_checksums", "false");
        raw.put("n", "3");
        raw.put("types", "[\"application/pdf\"]");
        raw.put("quoted", "\"x y\"");
        Map<String, Object> s = WorkCommand.settings(raw);
        assertEquals("none", s.get("extract"));
        assertEquals(false, s.get("ignore_checksums"));
        assertEquals(3, s.get("n"));
        assertEquals(List.of("application/pdf"), s.get("types"));
        assertEquals("x y", s.get("quoted"));
    }

    @Test
    void captureWorkersOnKitchenBoss() throws Exception {
        String pcap;
        try (Workbench wb = Workbench.open(home)) {
            pcap = wb.storeSample(StoreCommandTest.shared("data/pcap/kitchen_boss.pcap"), "pcap");
        }
        String[] r = MainTest.run("work", "pcap_bro", pcap, "--json", "--config", "extract=none",
                "-c", "json_logs=true");
        assertEquals("0", r[0], r[1]);
        JsonNode doc = JSON.readTree(r[2]);
        assertEquals("pcap_zeek", doc.get("worker").asText());
        assertEquals(0, doc.get("result").get("extracted_files").size(), "extract=none: " + r[2]);
        assertTrue(doc.get("result").has("conn_log"), r[2]);

        r = MainTest.run("work", "view_pcap_details", pcap);
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].contains("\nextracted_files:\n  - md5: "), r[2]);
        assertTrue(r[2].contains("\n    type_tag: jar\n") && r[2].contains("\n    type_tag: swf\n"), r[2]);
        assertTrue(r[2].startsWith("conn_log: "), r[2]);
        assertTrue(r[2].contains("\n    ts: 1397025540.511"), "timestamps in plain digits: " + r[2]);

        r = MainTest.run("work", "pcap_zeek", pcap, "-c", "extract=bogus");
        assertEquals("1", r[0], r[2]);
        assertEquals("workbench: worker 'pcap_zeek': setting 'extract' must be \"default\", \"all\", \"none\" or a list"
                + " of MIME types, not 'bogus'", r[1].strip(), "a settings error, not a worker failure");
    }
}
