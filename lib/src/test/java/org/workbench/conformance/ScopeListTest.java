package org.workbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's out-of-scope list against the shared conformance corpus, and the list's file format. */
class ScopeListTest {
    /** Protocol scripts whose analyzers are in the scope (plus conn, which every case may load). */
    private static final Set<String> IN_SCOPE_PROTOCOLS = Set.of("conn", "dns", "http", "ssl", "dhcp", "tunnels");

    static Path corpus() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set: it must name the shared folder holding "
                    + "zeek-conformance/");
        }
        Path c = Path.of(shared, "zeek-conformance");
        if (!Files.isDirectory(c.resolve("cases"))) {
            fail("conformance corpus " + c + " does not exist (system property workbench.shared=" + shared + ")");
        }
        return c;
    }

    static Path scopeFile() {
        Path f = ScopeList.find(Path.of(""));
        assertNotNull(f, ScopeList.PROJECT_PATH + " not found from " + Path.of("").toAbsolutePath());
        return f;
    }

    @Test
    void everyCaseIsInScopeOrListedAndEveryListedCaseExists() throws IOException {
        ScopeList scope = ScopeList.read(scopeFile());
        Set<String> cases = new HashSet<>();
        for (Path p : ConformanceCase.caseDirectories(corpus())) {
            cases.add(p.getFileName().toString());
        }
        assertTrue(cases.size() > 200, "corpus has " + cases.size() + " cases");
        List<String> unknown = new ArrayList<>();
        for (String listed : scope.outOfScope().keySet()) {
            if (!cases.contains(listed)) {
                unknown.add(listed);
            }
        }
        assertEquals(List.of(), unknown, "listed in " + ScopeList.PROJECT_PATH + " but not a corpus case");
        for (var e : scope.outOfScope().entrySet()) {
            assertTrue(e.getValue().length() >= 3, "reason of " + e.getKey() + " too short");
        }
    }

    @Test
    void inScopeCasesLoadOnlyInScopeProtocols() throws IOException {
        ScopeList scope = ScopeList.read(scopeFile());
        Pattern proto = Pattern.compile("(?:^|/)protocols/([a-z0-9_-]+)");
        List<String> bad = new ArrayList<>();
        for (Path dir : ConformanceCase.caseDirectories(corpus())) {
            ConformanceCase c = ConformanceCase.read(dir);
            if (!scope.inScope(c.name())) {
                continue;
            }
            for (ConformanceCase.Run r : c.runs()) {
                for (String load : r.loads()) {
                    Matcher m = proto.matcher(load);
                    if ((m.find() && !IN_SCOPE_PROTOCOLS.contains(m.group(1))) || load.contains("files/zip")) {
                        bad.add(c.name() + " loads " + load);
                    }
                }
            }
        }
        assertEquals(List.of(), bad, "in-scope cases that load out-of-scope analyzers");
    }

    @Test
    void everyManifestParsesIntoAConfiguration() throws IOException {
        int runs = 0;
        for (Path dir : ConformanceCase.caseDirectories(corpus())) {
            ConformanceCase c = ConformanceCase.read(dir);
            assertFalse(c.runs().isEmpty(), c.name());
            for (ConformanceCase.Run r : c.runs()) {
                assertTrue(Files.isRegularFile(r.trace()), c.name() + ": " + r.trace());
                assertNotNull(r.config(), c.name());
                runs++;
            }
        }
        assertTrue(runs >= 218);
    }

    @Test
    void fileFormat(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("s.tsv");
        Files.writeString(f, "# comment\n\na.b\tSMTP analyzer\nc.d\t  FTP  \n");
        ScopeList s = ScopeList.read(f);
        assertFalse(s.inScope("a.b"));
        assertEquals("FTP", s.reason("c.d"));
        assertTrue(s.inScope("e.f"));
        assertEquals(null, s.reason("e.f"));

        Files.writeString(f, "a.b\n");
        IOException e = assertThrows(IOException.class, () -> ScopeList.read(f));
        assertTrue(e.getMessage().contains(":1: no reason"), e.getMessage());
        Files.writeString(f, "a.b\tx\na.b\ty\n");
        e = assertThrows(IOException.class, () -> ScopeList.read(f));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    }

    @Test
    void findWalksUp(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve(ScopeList.PROJECT_PATH);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "");
        Path deep = Files.createDirectories(tmp.resolve("a/b/c"));
        assertEquals(f.toAbsolutePath().normalize(), ScopeList.find(deep));
    }
}
