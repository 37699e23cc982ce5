package org.workbench.kernel;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as HTML in the manner of pandas' notebook display.
 *
 * <p>Shape: {@code <div class="workbench-table"><table border="1" class="dataframe">} with a
 * {@code <caption>} "NAME (N rows, M columns)"; a header row whose first cell is the empty corner of
 * the index column and whose other cells are {@code <th title="TYPE">name</th>} (TYPE is Tablesaw's
 * column type, e.g. {@code STRING}, {@code LONG}, {@code LOCAL_DATE_TIME}); one body row per table
 * row, starting with {@code <th>} holding the 0-based row index, then {@code <td>} cells. When the
 * table has more than {@code maxRows} rows, the first and last {@code maxRows / 2} are shown around
 * one row of {@code &hellip;} cells, and a {@code <p>N rows &times; M columns</p>} line follows the
 * table. A cell longer than {@code maxColumnWidth} characters is cut and ends with an ellipsis, its
 * full text in the cell's {@code title}. All text is HTML-escaped.
 */
public final class TableHtml {
    private TableHtml() {
    }

    /**
     * @param t the table
     * @param maxRows most rows shown (&gt;= 2)
     * @param maxColumnWidth most characters of a cell shown (&gt;= 4)
     * @return {@code text/html} as in the class comment and {@code text/plain} from {@code Table.print()}
     */
    public static MimeBundle bundle(Table t, int maxRows, int maxColumnWidth) {
        return MimeBundle.html(html(t, maxRows, maxColumnWidth), t.print());
    }

    /**
     * @param t the table
     * @param maxRows most rows shown (&gt;= 2)
     * @param maxColumnWidth most characters of a cell shown (&gt;= 4)
     * @return the HTML fragment described in the class comment
     */
    public static String html(Table t, int maxRows, int maxColumnWidth) {
        int rows = t.rowCount();
        int cols = t.columnCount();
        boolean cut = rows > maxRows;
        int head = cut ? maxRows / 2 : rows;
        int tailFrom = cut ? rows - maxRows / 2 : rows;
        StringBuilder h = new StringBuilder(512 + Math.min(rows, maxRows) * cols * 24);
        h.append("<div class=\"workbench-table\" style=\"overflow-x: auto;\">\n")
                .append("<table border=\"1\" class=\"dataframe\">\n");
        h.append("<caption>").append(Renderers.escape(t.name() == null ? "" : t.name()))
                .append(" (").append(rows).append(rows == 1 ? " row, " : " rows, ")
                .append(cols).append(cols == 1 ? " column)" : " columns)").append("</caption>\n");
        h.append("<thead><tr style=\"text-align: right;\"><th></th>");
        for (int c = 0; c < cols; c++) {
            Column<?> col = t.column(c);
            h.append("<th title=\"").append(Renderers.escape(col.type().name())).append("\">")
                    .append(Renderers.escape(col.name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < head; r++) {
            row(h, t, r, maxColumnWidth);
        }
        if (cut) {
            h.append("<tr><th>&hellip;</th>");
            for (int c = 0; c < cols; c++) {
                h.append("<td>&hellip;</td>");
            }
            h.append("</tr>\n");
            for (int r = tailFrom; r < rows; r++) {
                row(h, t, r, maxColumnWidth);
            }
        }
        h.append("</tbody>\n</table>\n");
        if (cut) {
            h.append("<p>").append(rows).append(" rows &times; ").append(cols).append(cols == 1 ? " column" : " columns")
                    .append("</p>\n");
        }
        return h.append("</div>").toString();
    }

    private static void row(StringBuilder h, Table t, int r, int maxColumnWidth) {
        h.append("<tr><th>").append(r).append("</th>");
        for (int c = 0; c < t.columnCount(); c++) {
            String v = t.column(c).getString(r);
            if (v.length() > maxColumnWidth) {
                h.append("<td title=\"").append(Renderers.escape(v)).append("\">")
                        .append(Renderers.escape(v.substring(0, maxColumnWidth - 1))).append("&hellip;</td>");
            } else {
                h.append("<td>").append(Renderers.escape(v)).append("</td>");
            }
        }
        h.append("</tr>\n");
    }
}
