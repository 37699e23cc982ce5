package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JavaEvaluatorTest {
    static JavaEvaluator ev;

    /** Records output chunks. */
    static final class Capture implements CellOutput {
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        final List<String> chunks = new ArrayList<>();

        @Override
        public synchronized void stdout(String text) {
            out.append(text);
            chunks.add(text);
        }

        @Override
        public synchronized void stderr(String text) {
            err.append(text);
        }

        @Override
        public synchronized void display(MimeBundle bundle) {
            chunks.add("<display:" + bundle.plainText() + ">");
        }
    }

    @BeforeAll
    static void start() {
        ev = new JavaEvaluator();
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    static CellResult run(String code) {
        return ev.execute(code, "t", new Capture());
    }

    static String text(CellResult r) {
        assertTrue(r.ok(), () -> "cell failed: " + r.error());
        return r.value().orElseThrow(() -> new AssertionError("no value")).plainText();
    }

    @Test
    void nullPointerMessagesNameTheVariableNotJShellsWrapper() {
        assertTrue(run("String npeText = null;").ok());
        CellResult r = run("int n = 1;\nnpeText.length()");
        CellError e = r.error().orElseThrow();
        assertEquals("java.lang.NullPointerException", e.ename());
        assertTrue(e.evalue().contains("\"npeText\" is null") && !e.evalue().contains("$JShell$"), e.evalue());
    }

    @Test
    void multiStatementCellShowsLastExpression() {
        CellResult r = run("int a = 40;\n// a comment\nint twice(int x) {\n  return 2 * x;\n}\nString s = \"x\"; a + twice(1)");
        assertEquals("42", text(r));
        assertEquals("x", text(run("s")));
    }

    @Test
    void statementsAndDeclarationsHaveNoValue() {
        CellResult r = run("int unused = 1;\nSystem.out.print(\"\")");
        assertTrue(r.ok());
        assertTrue(r.value().isEmpty());
        assertTrue(run("int z = 3; z = 4").value().isEmpty(), "assignments are not displayed");
    }

    @Test
    void trailingSemicolonOrCommentAfterTheLastExpression() {
        assertEquals("5", text(run("int five = 5;\nfive\n// trailing comment\n")));
        assertTrue(run("five;").value().isEmpty(), "a semicolon suppresses the display");
        assertTrue(run("List<Integer> li = new ArrayList<>();\nli.add(1);").value().isEmpty());
        assertEquals("[1]", text(run("li /* shown */")));
        assertTrue(run("// only a comment").ok());
    }

    @Test
    void displayShowsValuesInOrderWithOutput() {
        Capture c = new Capture();
        CellResult r = ev.execute("System.out.print(\"a\");\ndisplay(List.of(1));\nSystem.out.print(\"b\");\n"
                + "display(Table.create(\"empty\"));", "t", c);
        assertTrue(r.ok(), r.toString());
        assertEquals("a", c.chunks.get(0));
        assertEquals("<display:[1]>", c.chunks.get(1));
        assertEquals("b", c.chunks.get(2));
        assertTrue(c.chunks.get(3).startsWith("<display:"), c.chunks.toString());
    }

    @Test
    void lastExpressionIsTheRealObject() {
        run("class Point { int x = 3; public String toString() { return \"P\" + x; } }");
        String key = "k-" + System.nanoTime();
        CellResult r = run("Point p = new Point(); org.workbench.kernel.ValueHolder.put(\"" + key + "\", p); p");
        assertEquals("P3", text(r));
        Object p = ValueHolder.take(key);
        assertEquals("Point", p.getClass().getSimpleName());
    }

    @Test
    void defaultImportsAreInScope() {
        assertTrue(ev.imports().contains("java.util.*"));
        assertTrue(ev.imports().contains("tech.tablesaw.api.*"));
        assertEquals("[1, 2]", text(run("List.of(1, 2)")));
        assertEquals("3", text(run("Stream.of(1, 2, 3).count()")));
    }

    @Test
    void tableIsShownAsHtmlAndText() {
        CellResult r = run("Table t = Table.create(\"hosts\", StringColumn.create(\"ip\", \"10.0.0.1\", \"<b>\"),"
                + " IntColumn.create(\"n\", 1, 2));\nt");
        MimeBundle b = r.value().orElseThrow();
        String html = b.get("text/html");
        assertTrue(html.contains("<th></th><th title=\"STRING\">ip</th><th title=\"INTEGER\">n</th>"), html);
        assertTrue(html.contains("<tr><th>0</th><td>10.0.0.1</td><td>1</td>"), html);
        assertTrue(html.contains("&lt;b&gt;"), "cells are escaped: " + html);
        assertTrue(html.contains("hosts (2 rows, 2 columns)"), html);
        assertTrue(b.plainText().contains("10.0.0.1"), b.plainText());
        assertTrue(b.plainText().contains("hosts"), b.plainText());
    }

    @Test
    void longMapsShowOneEntryPerLine() {
        String t = text(run("Map<String,Integer> m = new TreeMap<>(); for (int i = 0; i < 20; i++) m.put(\"key\" + i, i); m"));
        assertTrue(t.startsWith("{\n  \"key0\" : 0,\n  \"key1\" : 1,\n"), t);
        assertEquals("{\"a\":1}", text(run("Map.of(\"a\", 1)")));
    }

    @Test
    void compileErrorNamesTheCellLine() {
        CellResult r = run("int ok = 1;\n\nString bad = 42;\nint after = 2;");
        CellError e = r.error().orElseThrow();
        assertEquals("CompileError", e.ename());
        assertTrue(e.evalue().contains("incompatible types") && e.evalue().endsWith("(line 3)"), e.evalue());
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("String bad = 42;")), e.traceback().toString());
        assertTrue(e.traceback().stream().noneMatch(l -> l.contains("JShell") || l.contains("REPL")), e.traceback().toString());
        assertFalse(run("after").ok(), "statements after the error did not run");
    }

    @Test
    void unknownSymbolHasNoJShellLocation() {
        CellError e = run("int q = 1;\nnoSuchVariable + 1").error().orElseThrow();
        assertTrue(e.evalue().startsWith("cannot find symbol") && e.evalue().endsWith("(line 2)"), e.evalue());
        assertTrue(e.traceback().stream().noneMatch(l -> l.contains("location: class")), e.traceback().toString());
    }

    @Test
    void runtimeExceptionNamesTheCellLine() {
        run("int divide(int q) {\n  int z = 3;\n  return 10 / q;\n}");
        CellResult r = run("int a1 = 1;\nint a2 = 2;\nint bad = divide(0);");
        CellError e = r.error().orElseThrow();
        assertEquals("java.lang.ArithmeticException", e.ename());
        assertEquals("/ by zero", e.evalue());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("at divide (cell t, line 3)"), tb);
        assertTrue(tb.contains("at cell t, line 3"), tb);
        assertTrue(tb.contains("int bad = divide(0);   <-- line 3"), tb);
        assertFalse(tb.contains("jdk.jshell"), tb);
    }

    @Test
    void exceptionInsideAMultiLineStatement() {
        CellError e = run("String n = null;\nint len = 1 +\n   n.length();").error().orElseThrow();
        assertEquals("java.lang.NullPointerException", e.ename());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("<-- line 3"), tb);
    }

    @Test
    void exceptionInAMethodOfAnEarlierCellNamesBothCells() {
        assertTrue(ev.execute("int ratio(int a, int b) {\n    int q = a / b;\n    return q;\n}", "7", new Capture()).ok());
        CellError e = ev.execute("int x = 4;\nint y = 0;\nint z = ratio(x, y);", "8", new Capture()).error().orElseThrow();
        String tb = String.join("\n", e.traceback());
        assertEquals("java.lang.ArithmeticException", e.ename());
        assertTrue(tb.contains("at ratio (cell 7, line 2)"), tb);
        assertTrue(tb.contains("at cell 8, line 3"), tb);
        assertTrue(tb.endsWith("int z = ratio(x, y);   <-- line 3"), tb);
        assertTrue(!tb.contains("REPL.") && !tb.contains("$JShell$"), "no JShell internals: " + tb);
        CellError lib = ev.execute("String n = \"7\";\n\nint parsed = Integer.parseInt(n + \"x\");", "9", new Capture())
                .error().orElseThrow();
        String ltb = String.join("\n", lib.traceback());
        assertEquals("java.lang.NumberFormatException", lib.ename());
        assertTrue(ltb.contains("at java.base/java.lang.Integer.parseInt") && ltb.endsWith("<-- line 3"), ltb);
    }

    @Test
    void compileErrorInsideAClassBody() {
        CellError e = run("int before = 0;\nclass Flow {\n  int bytes = 0;\n  void add(long n) { bytes = n; }\n}").error().orElseThrow();
        assertEquals("CompileError", e.ename());
        assertTrue(e.evalue().endsWith("(line 4)"), e.evalue());
    }

    @Test
    void deepRecursionTracebackIsBounded() {
        run("int down(int n) { return down(n + 1) + 1; }");
        CellError e = run("down(0)").error().orElseThrow();
        assertEquals("java.lang.StackOverflowError", e.ename());
        assertTrue(e.traceback().size() < JavaEvaluator.MAX_FRAMES + 10, "traceback size " + e.traceback().size());
        assertTrue(e.traceback().stream().anyMatch(l -> l.contains("more frames")), e.traceback().toString());
    }

    @Test
    void lambdaFramesPointAtTheCellLine() {
        CellError e = run("List<Integer> zs = List.of(1, 0);\nzs.stream()\n  .map(z -> 10 / z)\n  .collect(Collectors.toList())")
                .error().orElseThrow();
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("at lambda (cell t, line 3)"), tb);
        assertTrue(tb.contains("<-- line 3"), tb);
    }

    @Test
    void stdoutAndStderrAreCaptured() {
        Capture c = new Capture();
        CellResult r = ev.execute("System.out.println(\"hello\");\nSystem.err.print(\"warn\");\nSystem.out.print(\"é€\"); 7",
                "t", c);
        assertEquals("7", text(r));
        assertEquals("hello\né€", c.out.toString());
        assertEquals("warn", c.err.toString());
    }

    @Test
    void outputStreamsWhileTheCellRuns() {
        Capture c = new Capture();
        ev.execute("for (int i = 0; i < 3; i++) { System.out.println(\"tick\" + i); Thread.sleep(300); }", "t", c);
        assertEquals("tick0\ntick1\ntick2\n", c.out.toString());
        assertTrue(c.chunks.size() >= 2, "output arrived in several chunks while running: " + c.chunks);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void interruptStopsAnEndlessLoop() throws Exception {
        CompletableFuture<CellResult> f = CompletableFuture.supplyAsync(() -> run("int spins = 0;\nwhile (true) { spins++; }"));
        Thread.sleep(1500);
        assertFalse(f.isDone());
        ev.interrupt();
        CellResult r = f.get(20, TimeUnit.SECONDS);
        assertEquals("Interrupted", r.error().orElseThrow().ename());
        assertEquals("6", text(run("2 * 3")));
        ev.interrupt(); // no cell running: must not affect the next one
        assertEquals("7", text(run("3 + 4")));
        CompletableFuture<CellResult> sleeping = CompletableFuture.supplyAsync(() -> run("Thread.sleep(120_000);"));
        Thread.sleep(1500);
        ev.interrupt();
        assertEquals("Interrupted", sleeping.get(20, TimeUnit.SECONDS).error().orElseThrow().ename());
    }

    @Test
    void completionAndCompleteness() {
        run("String greeting = \"hi\";");
        JavaEvaluator.Completions c = ev.complete("int k = 1;\ngreeting.toUpp", 25);
        assertTrue(c.candidates().contains("toUpperCase("), c.toString());
        assertEquals(20, c.start());
        assertEquals(JavaEvaluator.Completeness.INCOMPLETE, ev.isComplete("for (int i = 0; i < 3; i++) {"));
        assertEquals(JavaEvaluator.Completeness.COMPLETE, ev.isComplete("int a = 1; a"));
    }

    @Test
    void renderersPreferTheMostSpecificType() {
        Renderers r = new Renderers();
        r.register(Object.class, o -> MimeBundle.text("object"));
        r.register(CharSequence.class, o -> MimeBundle.text("chars"));
        assertEquals("chars", r.render("x").plainText());
        assertEquals("object", r.render(1).plainText());
        assertEquals("null", r.render(null).plainText());
        assertInstanceOf(MimeBundle.class, Renderers.defaults().render(MimeBundle.html("<i>x</i>", "x")));
        assertEquals("[[1, 2], [3]]", Renderers.defaults().render(new int[][] {{1, 2}, {3}}).plainText());
    }
}
