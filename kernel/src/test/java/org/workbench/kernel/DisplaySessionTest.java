package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Renderers as a notebook session uses them: through a {@link JavaEvaluator}, from cells. */
class DisplaySessionTest {
    static JavaEvaluator ev;

    /** Keeps the bundles a cell displays. */
    static final class Bundles implements CellOutput {
        final List<MimeBundle> shown = new ArrayList<>();

        @Override
        public void stdout(String text) {
        }

        @Override
        public void stderr(String text) {
        }

        @Override
        public void display(MimeBundle bundle) {
            shown.add(bundle);
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

    static MimeBundle value(JavaEvaluator e, String code) {
        CellResult r = e.execute(code, "t", CellOutput.DISCARD);
        assertTrue(r.ok(), () -> "cell failed: " + r.error());
        return r.value().orElseThrow(() -> new AssertionError("no value: " + code));
    }

    static final String CHART = "new tech.tablesaw.plotly.components.Figure("
            + "tech.tablesaw.plotly.traces.ScatterTrace.builder(new double[] {1, 2, 3}, new double[] {4, 5, 6}).build())";

    @Test
    void aCellRegistersARendererForItsOwnType() {
        value(ev, "record Alert(String text) { }\n"
                + "Display.register(Alert.class, a -> MimeBundle.html(\"<b class='alert'>\" + a.text() + \"</b>\", "
                + "\"ALERT \" + a.text()));\nint done = 1; done");
        MimeBundle b = value(ev, "new Alert(\"beacon every 60 s\")");
        assertEquals("ALERT beacon every 60 s", b.plainText());
        assertEquals("<b class='alert'>beacon every 60 s</b>", b.get(MimeBundle.TEXT_HTML));
        Bundles out = new Bundles();
        assertTrue(ev.execute("display(new Alert(\"x\"));", "t", out).ok());
        assertEquals("ALERT x", out.shown.get(0).plainText());
        // the wrappers are imported by default
        assertEquals("<p><em>hi</em></p>\n", value(ev, "Markdown.of(\"*hi*\")").get(MimeBundle.TEXT_HTML));
    }

    @Test
    void plotlyIsSentOnceInASessionAndAgainInANewOne() {
        ev.renderers().libraries().reset();
        String first = value(ev, CHART).get(MimeBundle.TEXT_HTML);
        Bundles out = new Bundles();
        assertTrue(ev.execute("display(" + CHART + ");", "t", out).ok());
        String second = out.shown.get(0).get(MimeBundle.TEXT_HTML);
        String marker = "plotly.js v2.35.3";
        assertEquals(1, RenderersTest.count(first, marker), "first chart carries plotly.js");
        assertEquals(0, RenderersTest.count(second, marker), "second chart reuses window.Plotly");
        assertTrue(first.indexOf(marker) < first.indexOf("class=\"plotly-graph-div"), "library before the chart");
        for (String h : List.of(first, second)) {
            assertEquals(1, RenderersTest.count(h, "class=\"plotly-graph-div workbench-chart\""));
            assertTrue(h.contains("Plotly.newPlot("), h.substring(h.length() - 500));
            assertTrue(java.util.regex.Pattern.compile("var target_[A-Za-z0-9_$]+ = document.getElementById")
                    .matcher(h).find(), "the div id makes a valid JavaScript variable name");
            assertFalse(h.contains("<script src") || h.contains("<script type=\"text/javascript\" src"),
                    "no script loaded from elsewhere");
        }
        assertTrue(first.length() > 3_000_000, "the whole library is inlined: " + first.length());
        assertTrue(second.length() < 10_000, "later charts are small: " + second.length());
        try (JavaEvaluator other = new JavaEvaluator()) {
            assertEquals(1, RenderersTest.count(value(other, CHART).get(MimeBundle.TEXT_HTML), marker),
                    "a new session sends the library again");
        }
    }
}
