package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.worker.Worker;
import org.workbench.worker.WorkerContext;

/** {@code workbench workers}: names, dependencies, types, descriptions, aliases. */
class WorkersCommandTest {
    @TempDir
    Path home;

    private String oldHome;

    @BeforeEach
    void setHome() {
        oldHome = System.getProperty(Workbench.HOME_PROPERTY);
        System.setProperty(Workbench.HOME_PROPERTY, home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (oldHome == null) {
            System.clearProperty(Workbench.HOME_PROPERTY);
        } else {
            System.setProperty(Workbench.HOME_PROPERTY, oldHome);
        }
    }

    @Test
    void textListsEveryWorkerWithDependenciesAndDescription() {
        String[] r = MainTest.run("workers");
        assertEquals("0", r[0], r[1]);
        assertEquals("", r[1]);
        List<String> lines = r[2].lines().toList();
        assertTrue(lines.get(0).matches("WORKER +VERSION +DEPENDS ON +TYPES +DESCRIPTION"), lines.get(0));
        List<String> names = new ArrayList<>();
        try (Workbench wb = Workbench.open(home)) {
            names.addAll(wb.listWorkers());
            for (int i = 0; i < names.size(); i++) {
                Worker w = wb.registry().get(names.get(i));
                String line = lines.get(i + 1);
                assertTrue(line.startsWith(w.name() + " "), line);
                assertTrue(line.endsWith(w.description()), line);
                assertTrue(line.contains(" " + w.version() + " "), line);
            }
        }
        assertTrue(names.containsAll(List.of("meta", "pcap_zeek", "view_pcap_details")), names.toString());
        String view = lines.stream().filter(l -> l.startsWith("view_pcap_details ")).findFirst().orElseThrow();
        String viewVersion;
        try (Workbench wb = Workbench.open(home)) {
            viewVersion = java.util.regex.Pattern.quote(wb.registry().get("view_pcap_details").version());
        }
        assertTrue(view.matches("view_pcap_details +" + viewVersion + " +pcap_zeek +pcap +\\S.*"), view);
        String meta = lines.stream().filter(l -> l.startsWith("meta ")).findFirst().orElseThrow();
        assertTrue(meta.matches("meta +1\\.0 +- +any +Hashes.*"), meta);
        assertTrue(r[2].contains("\nAliases:\n  pcap_bro -> pcap_zeek\n"), r[2]);
    }

    @Test
    void jsonGivesOneDocumentPerWorker() throws Exception {
        String[] r = MainTest.run("workers", "--json");
        assertEquals("0", r[0], r[1]);
        ObjectMapper json = new ObjectMapper();
        JsonNode zeek = null;
        JsonNode view = null;
        for (String line : r[2].strip().split("\n")) {
            JsonNode n = json.readTree(line);
            assertTrue(n.get("description").asText().length() > 10, line);
            if (n.get("name").asText().equals("pcap_zeek")) {
                zeek = n;
            } else if (n.get("name").asText().equals("view_pcap_details")) {
                view = n;
            }
        }
        assertEquals("[\"pcap_zeek\"]", view.get("dependencies").toString());
        assertEquals("[\"pcap\"]", view.get("accepted_types").toString());
        assertEquals("[\"pcap_bro\"]", zeek.get("aliases").toString());
        assertTrue(zeek.get("settings").get("ignore_checksums").asBoolean());
    }

    @Test
    void workersWithoutADescriptionGetADefault() {
        Worker w = new Worker() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public String version() {
                return "1";
            }

            @Override
            public Map<String, Object> execute(WorkerContext ctx) {
                return Map.of();
            }
        };
        assertEquals("(no description)", w.description());
    }
}
