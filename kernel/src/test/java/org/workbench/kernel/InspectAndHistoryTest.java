package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JavadocLookup over a source folder, inspect through the evaluator, CellHistory queries. */
class InspectAndHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void javadocOfTypesAndOverloadsFromASourceFolder() throws Exception {
        Path f = tmp.resolve("src/demo/Probe.java");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                package demo;
                /** A probe of {@code things}, see {@link #count(String)}. */
                public class Probe {
                    /** Counts all. @return the count */
                    public int count() { return 0; }
                    /**
                     * Counts <b>one</b> kind &amp; more, {@link java.util.List#size() like size}.
                     * @param kind the kind
                     */
                    public int count(String kind) { return 1; }
                    /** Adds values. */
                    public void add(java.util.Map<String, ?> m, int... values) { }
                    /** Inner docs. */
                    public static class Inner {
                        /** Inner method {@value #LIMIT}. */
                        public void go() { }
                        static final int LIMIT = 3;
                    }
                }
                """);
        JavadocLookup j = new JavadocLookup(List.of(tmp.resolve("src")));
        java.util.function.Function<String, Optional<String>> q = s -> Optional.of("demo." + s);
        assertEquals("A probe of things, see count(String).", j.find("demo.Probe", q).orElseThrow());
        assertEquals("Counts all. @return the count", j.find("int Probe.count()", q).orElseThrow());
        String one = j.find("int Probe.count(String kind)", q).orElseThrow();
        assertTrue(one.startsWith("Counts one kind & more, like size.") && one.contains("@param kind the kind"), one);
        assertEquals("Adds values.", j.find("void Probe.add(java.util.Map<String,?> m, int... values)", q).orElseThrow());
        assertEquals("Inner method LIMIT.", j.find("void Probe.Inner.go()", q).orElseThrow());
        assertTrue(j.find("int Probe.count(int n)", q).isEmpty(), "no overload with an int");
        assertTrue(j.find("void Missing.run()", q).isEmpty());
    }

    @Test
    void inspectShowsSignatureAndWorkbenchJavadoc() {
        try (JavaEvaluator ev = new JavaEvaluator()) {
            assertTrue(ev.execute("Workbench wbx = null;", "1", CellOutput.DISCARD).ok());
            String code = "var r = wbx.batchWorkStream(\"meta\", List.of())";
            String text = ev.inspect(code, code.indexOf("batchWorkStream") + 3).orElseThrow();
            assertTrue(text.contains("Workbench.batchWorkStream(String worker, List<String> md5s)"), text);
            assertTrue(text.contains("@param worker a worker name or alias"), "Javadoc block tags: " + text);
            assertTrue(text.contains("{\"md5\": MD5, \"worker\": NAME, \"result\": {...}}"), "nested braces of {@code}: " + text);
            assertTrue(text.contains("try (Stream<Map<String, Object>> s = wb.batchWorkStream"), "code in <pre>: " + text);
            assertTrue(text.contains("As batchWorkStream(String, List) with an explicit thread count"), "links: " + text);
            String jdk = ev.inspect("List.of(1)", 6).orElseThrow();
            assertTrue(jdk.contains(".<E>of(E"), "JDK signatures come from JShell: " + jdk);
            assertEquals("java.util.List<E>", ev.inspect("List.of(1)", 2).orElseThrow().lines().findFirst().orElseThrow(),
                    "the cursor on a type shows the type");
            assertTrue(ev.inspect("    ", 2).isEmpty());
            // a bare method name, cursor at its end (Shift-Tab after typing it)
            String bare = ev.inspect("wbx.workRequest", "wbx.workRequest".length()).orElseThrow();
            assertTrue(bare.contains("Workbench.workRequest(String worker, String md5)"), bare);
            assertTrue(ev.inspect("Workbench.open", "Workbench.open".length()).orElseThrow()
                    .contains("Workbench.open()"));
        }
    }

    @Test
    void historyRangeTailAndSearch() {
        CellHistory h = new CellHistory();
        h.add(1, "int a = 1;", null);
        h.add(2, "a + 1", "2");
        h.add(3, "String s = \"x\";", null);
        h.add(4, "a + 1", "2");
        Set<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);
        assertEquals(List.of(2, 3), counts(h.lookupRange(0, 2, 4, none)));
        assertEquals(List.of(3, 4), counts(h.lookupRange(CellHistory.SESSION, 3, 0, none)), "stop 0: to the end");
        assertEquals(List.of(), counts(h.lookupRange(-1, 1, 0, none)), "earlier sessions are not kept");
        assertEquals(List.of(3, 4), counts(h.lookupTail(2, none)));
        assertEquals(List.of(2, 4), counts(h.search("a + ?", 10, none)));
        assertEquals(List.of(4), counts(h.search("a*", 1, none)), "the last n matches");
        assertEquals(List.of(1, 4), counts(h.search("*a*", 10, EnumSet.of(ResultFlag.UNIQUE))));
        HistoryEntry withOut = h.lookupRange(0, 2, 3, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0);
        assertEquals("2", withOut.getOutput());
        assertEquals("a + 1", withOut.getInput());
    }

    static List<Integer> counts(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getCellNumber).toList();
    }
}
