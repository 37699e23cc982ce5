package org.workbench.kernel;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.awt.image.RenderedImage;
import org.workbench.graph.Graph;
import org.workbench.graph.GraphResult;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Registry turning cell values into {@link MimeBundle}s: one renderer per Java type. The renderer
 * of the most specific registered supertype of a value's class is used (a renderer for
 * {@code List} wins over one for {@code Collection}); between unrelated matches the one
 * registered first wins; a later registration for the same type replaces the earlier one. Values
 * of no registered type are shown with {@link String#valueOf}.
 *
 * <p>{@link #defaults()} knows:
 * <ul>
 *   <li>{@link MimeBundle}: shown as is;</li>
 *   <li>Tablesaw {@link Table}: an HTML table like pandas' (row index column, column types on hover
 *       over the header, head and tail with a "N rows &times; M columns" line when longer than
 *       {@link #maxRows()}, cells cut at {@link #maxColumnWidth()} characters) plus
 *       {@code Table.print()} as text ({@link #renderTable});</li>
 *   <li>{@link Map}, records, and collections of maps or records (worker results): a folding JSON
 *       tree in HTML and JSON text ({@link JsonTree});</li>
 *   <li>{@code byte[]}: a hex dump of the first {@link #hexDumpBytes()} bytes ({@link HexDump});</li>
 *   <li>{@link Image}, {@link RenderedImage} (e.g. {@code BufferedImage}, as PNG), {@link Markdown},
 *       {@link Html};</li>
 *   <li>tablesaw-jsplot {@link Figure}: an inline plotly.js chart ({@link FigureRenderer});</li>
 *   <li>{@link Graph} and {@link GraphResult}: graph pictures ({@link GraphPicture});</li>
 *   <li>other {@link Collection}s, arrays and {@link CharSequence} (shown raw, without quotes) as
 *       text.</li>
 * </ul>
 * Charts and graph pictures need JavaScript libraries that are bundled in the kernel; each
 * registry is one notebook session and sends each library once, with the first output that needs
 * it ({@link #libraries()}). A renderer that throws is reported in the text of the bundle rather
 * than failing the cell.
 *
 * <p>From a cell, {@code Display.register(MyType.class, v -> MimeBundle.html(...))} adds a renderer
 * to the running session's registry ({@link Display#register}).
 *
 * <p>Instances are thread-safe.
 */
public final class Renderers {
    /** Longest single-line text of a map or collection before it is shown one entry per line. */
    public static final int SHORT_TEXT_CHARS = 100;
    /** Most entries of a map, collection or array that are shown; the rest are counted. */
    public static final int MAX_ENTRIES = 1000;
    /** Default of {@link #maxRows()}. */
    public static final int MAX_HTML_ROWS = 100;
    /** Default of {@link #maxColumnWidth()}. */
    public static final int MAX_COLUMN_WIDTH = 200;
    /** Default of {@link #hexDumpBytes()}. */
    public static final int HEX_DUMP_BYTES = 256;

    private record Entry<T>(Class<T> type, Function<? super T, MimeBundle> renderer) {
    }

    private final List<Entry<?>> entries = new CopyOnWriteArrayList<>();
    private final WebLibraries libraries = new WebLibraries();
    private volatile int maxRows = MAX_HTML_ROWS;
    private volatile int maxColumnWidth = MAX_COLUMN_WIDTH;
    private volatile int hexDumpBytes = HEX_DUMP_BYTES;

    /** An empty registry: everything is shown with {@link String#valueOf}. */
    public Renderers() {
    }

    /** @return a new registry with the standard renderers listed in the class comment */
    public static Renderers defaults() {
        Renderers r = new Renderers();
        r.register(MimeBundle.class, b -> b);
        r.register(Table.class, r::renderTable);
        r.register(Map.class, JsonTree::bundle);
        r.register(Record.class, JsonTree::bundle);
        r.register(Collection.class, c -> nested(c) ? JsonTree.bundle(c) : MimeBundle.text(collectionText(c)));
        r.register(CharSequence.class, s -> MimeBundle.text(s.toString()));
        r.register(byte[].class, b -> HexDump.bundle(b, r.hexDumpBytes()));
        r.register(Image.class, Image::bundle);
        r.register(RenderedImage.class, i -> Image.of(i).bundle());
        r.register(Markdown.class, Markdown::bundle);
        r.register(Html.class, Html::bundle);
        r.register(Figure.class, f -> FigureRenderer.bundle(f, r.libraries()));
        r.register(Graph.class, g -> GraphPicture.bundle(g, r.libraries()));
        r.register(GraphResult.class, g -> GraphPicture.bundle(g, r));
        return r;
    }

    private static boolean nested(Collection<?> c) {
        if (c.isEmpty()) {
            return false;
        }
        for (Object o : c) {
            if (!(o instanceof Map<?, ?> || o instanceof Record)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds a renderer for a type and its subtypes, replacing an earlier one for the same type.
     *
     * @param type the value type
     * @param renderer produces the bundle; must not return null
     * @param <T> the value type
     * @return this registry
     */
    public <T> Renderers register(Class<T> type, Function<? super T, MimeBundle> renderer) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(renderer, "renderer");
        synchronized (entries) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).type() == type) {
                    entries.set(i, new Entry<>(type, renderer));
                    return this;
                }
            }
            entries.add(new Entry<>(type, renderer));
        }
        return this;
    }

    /**
     * @param type a type
     * @return whether a renderer is registered for exactly that type
     */
    public boolean has(Class<?> type) {
        return entries.stream().anyMatch(e -> e.type() == type);
    }

    /** @return the JavaScript libraries this session has sent; {@code reset()} sends them again */
    public WebLibraries libraries() {
        return libraries;
    }

    /** @return most table rows shown in HTML: the first and last half of this many (default 100) */
    public int maxRows() {
        return maxRows;
    }

    /**
     * @param rows most table rows shown in HTML, at least 2
     * @return this registry
     * @throws IllegalArgumentException when rows &lt; 2
     */
    public Renderers maxRows(int rows) {
        if (rows < 2) {
            throw new IllegalArgumentException("maxRows must be at least 2, got " + rows);
        }
        this.maxRows = rows;
        return this;
    }

    /** @return most characters of a table cell shown in HTML (default 200); the full text is on hover */
    public int maxColumnWidth() {
        return maxColumnWidth;
    }

    /**
     * @param chars most characters of a cell shown in HTML, at least 4
     * @return this registry
     * @throws IllegalArgumentException when chars &lt; 4
     */
    public Renderers maxColumnWidth(int chars) {
        if (chars < 4) {
            throw new IllegalArgumentException("maxColumnWidth must be at least 4, got " + chars);
        }
        this.maxColumnWidth = chars;
        return this;
    }

    /** @return how many leading bytes of a {@code byte[]} are dumped (default 256) */
    public int hexDumpBytes() {
        return hexDumpBytes;
    }

    /**
     * @param bytes how many leading bytes of a {@code byte[]} are dumped, &gt;= 0
     * @return this registry
     * @throws IllegalArgumentException when negative
     */
    public Renderers hexDumpBytes(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("hexDumpBytes must be >= 0, got " + bytes);
        }
        this.hexDumpBytes = bytes;
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
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
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
     * Renders a Tablesaw table with the default settings ({@link #MAX_HTML_ROWS},
     * {@link #MAX_COLUMN_WIDTH}); see {@link #renderTable}.
     *
     * @param t the table
     * @return the bundle
     */
    public static MimeBundle table(Table t) {
        return TableHtml.bundle(t, MAX_HTML_ROWS, MAX_COLUMN_WIDTH);
    }

    /**
     * Renders a Tablesaw table with this registry's settings: {@code text/html} as
     * {@link TableHtml} describes, {@code text/plain} from {@code Table.print()}.
     *
     * @param t the table
     * @return the bundle
     */
    public MimeBundle renderTable(Table t) {
        return TableHtml.bundle(t, maxRows, maxColumnWidth);
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
