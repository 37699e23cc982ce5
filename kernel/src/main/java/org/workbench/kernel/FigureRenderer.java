package org.workbench.kernel;

import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Shows a tablesaw-jsplot {@link Figure} inline with the plotly.js bundled in the kernel
 * ({@link WebLibraries.Library#PLOTLY}), never from a CDN.
 *
 * <p>HTML shape (what browser tests read): a {@code <div class="plotly-graph-div workbench-chart">}
 * with a unique id (a JavaScript identifier, {@code workbench_plot_...}), on which
 * {@code Plotly.newPlot} draws, so its {@code data} property holds the traces; then a script that
 * draws once {@code window.Plotly} exists. The first chart of a session is preceded by the library
 * itself ({@link WebLibraries#includeOnce}). The text twin gives the number of traces.
 */
public final class FigureRenderer {

    private FigureRenderer() {
    }

    /**
     * Renders a figure.
     *
     * @param figure the figure
     * @param libraries the session's libraries: plotly.js is inlined if this session has not sent it
     * @return {@code text/html} and {@code text/plain}
     */
    public static MimeBundle bundle(Figure figure, WebLibraries libraries) {
        // tablesaw-jsplot declares a JavaScript variable named after the div: the id must be an identifier
        String id = WebLibraries.elementId("workbench_plot", "_");
        String js = figure.asJavascript(id);
        int open = js.indexOf("<script>");
        int close = js.lastIndexOf("</script>");
        if (open < 0 || close < open) {
            throw new IllegalStateException("unexpected tablesaw-jsplot output: no <script> element");
        }
        String body = js.substring(open + "<script>".length(), close);
        StringBuilder h = new StringBuilder(body.length() + 1024);
        h.append(libraries.includeOnce(WebLibraries.Library.PLOTLY));
        h.append("<div id=\"").append(id).append("\" class=\"plotly-graph-div workbench-chart\"></div>\n");
        h.append("<script type=\"text/javascript\">\n")
                .append(WebLibraries.whenLoaded(WebLibraries.Library.PLOTLY, id, body.replace("</", "<\\/")))
                .append("\n</script>\n");
        return MimeBundle.html(h.toString(), text(figure));
    }

    /**
     * @param figure a figure
     * @return a one-line description giving the number of traces
     */
    public static String text(Figure figure) {
        Trace[] traces = figure.getTraces();
        int n = traces == null ? 0 : traces.length;
        return "<plotly figure: " + n + (n == 1 ? " trace>" : " traces>");
    }
}
