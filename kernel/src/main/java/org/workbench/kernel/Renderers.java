package org.workbench.kernel;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Registry turning cell values into {@link MimeBundle}s: one renderer per Java type. The renderer
 * of the most specific registered supertype of a value's class is used (a renderer for
 * {@code List} wins over one for {@code Collection}); between unrelated matches the one
 * registered first wins. Values of no registered type are shown with {@link String#valueOf}.
 *
 * <p>{@link #defaults()} knows: {@link MimeBundle} (shown as is), Tablesaw {@link Table}
 * (HTML table plus {@code Table.print()} text), {@link Map}, {@link Collection}, arrays, and
 * {@link CharSequence} (shown raw, without quotes). A renderer that throws is reported in the
 * text of the bundle rather than failing the cell.
 *
 * <p>Instances are not thread-safe for registration; register before use.
 */
public final class Renderers {
    /** Longest single-line text of a map or collection before it is shown one entry per line. */
    public static final int SHORT_TEXT_CHARS = 100;
    /** Most entries of a map, collection or array that are shown; the rest are counted. */
    public static final int MAX_ENTRIES = 1000;
    /** Most table rows shown in HTML: the first and last half of this many. */
    public static final int MAX_HTML_ROWS = 100;

    private record Entry<T>(Class<T> type, Function<? super T, MimeBundle> renderer) {
    }

    private final List<Entry<?>> entries = new ArrayList<>();

    /** An empty registry: everything is shown with {@link String#valueOf}. */
    public Renderers() {
    }

    /** @return a new registry with the standard renderers listed in the class comment */
    public static Renderers defaults() {
        Renderers r = new Renderers();
        r.register(MimeBundle.class, b -> b);
        r.register(Table.class, Renderers::table);
        r.register(Map.class, m -> MimeBundle.text(mapText(m)));
        r.register(Collection.class, c -> MimeBundle.text(collectionText(c)));
        r.register(CharSequence.class, s -> MimeBundle.text(s.toString()));
        return r;
    }

    /**
     * Adds a renderer for a type and its subtypes.
     *
     * @param type the value type
     * @param renderer produces the bundle; must not return null
     * @param <T> the value type
     * @return this registry
     */
    public <T> Renderers register(Class<T> type, Function<? super T, MimeBundle> renderer) {
        entries.add(new Entry<>(Objects.requireNonNull(type), Objects.requireNonNull(renderer)));
        return this;
    }

    /**
     * Renders a value.
     *
     * @param value any object, or null (shown as {@code null})
     * @return its bundle, never null
     */
    public MimeBundle render(Object value) {
        if (value == null) {
            return MimeBundle.text("null");
        }
        Entry<?> best = null;
        for (Entry<?> e : entries) {
            if (e.type().isInstance(value) && (best == null || best.type().isAssignableFrom(e.type())
                    && best.type() != e.type())) {
                best = e;
            }
        }
        try {
            if (best != null) {
                return apply(best, value);
            }
            if (value.getClass().isArray()) {
                return MimeBundle.text(arrayText(value));
            }
            return MimeBundle.text(String.valueOf(value));
        } catch (RuntimeException | StackOverflowError e) {
            return MimeBundle.text("<" + value.getClass().getName() + ": display failed: " + e + ">");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> MimeBundle apply(Entry<T> e, Object value) {
        MimeBundle b = e.renderer().apply((T) value);
        if (b == null) {
            throw new IllegalStateException("renderer for " + e.type().getName() + " returned null");
        }
        return b;
    }

    /**
     * Renders a Tablesaw table: HTML with a caption naming the table and its size, at most
     * {@link #MAX_HTML_ROWS} rows (head and tail), and {@code Table.print()} as plain text.
     *
     * @param t the table
     * @return the bundle
     */
    public static MimeBundle table(Table t) {
        int rows = t.rowCount();
        int cols = t.columnCount();
        StringBuilder h = new StringBuilder(256 + rows * cols * 16);
        h.append("<div class=\"workbench-table\"><table border=\"1\" class=\"dataframe\">\n");
        h.append("<caption>").append(escape(t.name() == null ? "" : t.name()))
                .append(" (").append(rows).append(rows == 1 ? " row, " : " rows, ")
                .append(cols).append(cols == 1 ? " column)" : " columns)").append("</caption>\n");
        h.append("<thead><tr>");
        for (int c = 0; c < cols; c++) {
            h.append("<th>").append(escape(t.column(c).name())).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        int head = rows <= MAX_HTML_ROWS ? rows : MAX_HTML_ROWS / 2;
        for (int r = 0; r < head; r++) {
            htmlRow(h, t, r);
        }
        if (head < rows) {
            h.append("<tr>");
            for (int c = 0; c < cols; c++) {
                h.append("<td>&hellip;</td>");
            }
            h.append("</tr>\n");
            for (int r = rows - MAX_HTML_ROWS / 2; r < rows; r++) {
                htmlRow(h, t, r);
            }
        }
        h.append("</tbody>\n</table></div>");
        return MimeBundle.html(h.toString(), t.print());
    }

    private static void htmlRow(StringBuilder h, Table t, int r) {
        h.append("<tr>");
        for (int c = 0; c < t.columnCount(); c++) {
            Column<?> col = t.column(c);
            h.append("<td>").append(escape(col.getString(r))).append("</td>");
        }
        h.append("</tr>\n");
    }

    /**
     * Escapes text for HTML element content and attribute values.
     *
     * @param s text, may be null (gives the empty string)
     * @return the escaped text
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * Text of a map: {@code toString()} when it is shorter than {@link #SHORT_TEXT_CHARS} and on
     * one line, otherwise one {@code key=value} entry per line between braces.
     *
     * @param m the map
     * @return the text
     */
    public static String mapText(Map<?, ?> m) {
        List<String> items = new ArrayList<>();
        int n = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (n++ == MAX_ENTRIES) {
                break;
            }
            items.add(String.valueOf(e.getKey()) + "=" + String.valueOf(e.getValue()));
        }
        return bracketed("{", "}", items, m.size());
    }

    /**
     * Text of a collection, like {@link #mapText} with one element per line when long.
     *
     * @param c the collection
     * @return the text
     */
    public static String collectionText(Collection<?> c) {
        List<String> items = new ArrayList<>();
        Iterator<?> it = c.iterator();
        while (it.hasNext() && items.size() < MAX_ENTRIES) {
            items.add(String.valueOf(it.next()));
        }
        return bracketed("[", "]", items, c.size());
    }

    private static String arrayText(Object array) {
        int len = Array.getLength(array);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < len && i < MAX_ENTRIES; i++) {
            Object v = Array.get(array, i);
            items.add(v != null && v.getClass().isArray() ? arrayText(v) : String.valueOf(v));
        }
        return bracketed("[", "]", items, len);
    }

    private static String bracketed(String open, String close, List<String> items, int total) {
        String oneLine = open + String.join(", ", items) + (total > items.size() ? ", ..." : "") + close;
        if (oneLine.length() <= SHORT_TEXT_CHARS && oneLine.indexOf('\n') < 0) {
            return oneLine;
        }
        StringBuilder b = new StringBuilder(oneLine.length() + items.size() * 4);
        b.append(open).append('\n');
        for (String s : items) {
            b.append("  ").append(s.replace("\n", "\n  ")).append(",\n");
        }
        if (total > items.size()) {
            b.append("  ... (").append(total - items.size()).append(" more)\n");
        }
        return b.append(close).toString();
    }
}
