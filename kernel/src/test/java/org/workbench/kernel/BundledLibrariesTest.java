package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The npm bundles reach the kernel's classes (and so its jar) with their licences. */
class BundledLibrariesTest {
    static String resource(String path) throws Exception {
        try (InputStream in = WebLibraries.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, "missing resource " + path + " (kernel/js/build.sh copies it at generate-resources)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void plotlyAndCytoscapeAreOnTheClassPathWithLicences() throws Exception {
        String plotly = resource(WebLibraries.Library.PLOTLY.resourcePath());
        assertTrue(plotly.startsWith("/**\n* plotly.js v2.35.3"), plotly.substring(0, 80));
        assertTrue(plotly.length() > 3_000_000, "minified plotly.js is about 4.5 MB: " + plotly.length());
        assertTrue(resource(WebLibraries.Library.PLOTLY.licensePath()).contains("MIT"));
        String cy = resource(WebLibraries.Library.CYTOSCAPE.resourcePath());
        assertTrue(cy.contains(".cytoscape=") && cy.length() > 300_000, "cytoscape UMD bundle");
        assertTrue(resource(WebLibraries.Library.CYTOSCAPE.licensePath()).contains("Permission is hereby granted"));
        assertEquals(plotly, WebLibraries.code(WebLibraries.Library.PLOTLY));
    }

    @Test
    void inlineScriptHidesAmdLoadersAndGuardsTheGlobal() {
        String s = WebLibraries.inlineScript(WebLibraries.Library.CYTOSCAPE);
        assertTrue(s.startsWith("<script type=\"text/javascript\" data-workbench-library=\"cytoscape\">\n"
                + "if (!window.cytoscape) { (function (define, module, exports) {\n"), s.substring(0, 200));
        assertTrue(s.endsWith("\n}).call(window); }\n</script>\n"));
        assertEquals(1, RenderersTest.count(s, "</script"), "no early end of the script element");
    }
}
