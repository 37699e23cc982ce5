package org.workbench.kernel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Shows nested values (worker results: {@code Map<String, Object>} of strings, numbers, lists and
 * maps; Java records) as JSON: pretty-printed text, and an HTML tree of {@code <details>} elements
 * that the reader folds and unfolds without JavaScript.
 *
 * <p>Conversion to JSON: maps become objects (keys by {@link String#valueOf}), collections and
 * arrays become arrays, records become objects of their components, numbers, booleans and
 * characters stay themselves, {@code byte[]} becomes a lowercase hex string, everything else its
 * {@link String#valueOf}. At most {@link Renderers#MAX_ENTRIES} entries per container and
 * {@value #MAX_DEPTH} levels are converted; a value that contains itself is shown as
 * {@code "<cycle>"}.
 */
public final class JsonTree {
    /** Deepest nesting converted; deeper values are shown by {@link String#valueOf}. */
    public static final int MAX_DEPTH = 64;
    /** Containers at most this deep start unfolded in the HTML tree (the top level is depth 0). */
    public static final int OPEN_DEPTH = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonTree() {
    }

    /**
     * Converts a value to a JSON tree as described in the class comment.
     *
     * @param value any value, may be null (JSON null)
     * @return the JSON tree
     */
    public static JsonNode toJson(Object value) {
        return convert(value, 0, new IdentityHashMap<>());
    }

    /**
     * @param value any value
     * @return its JSON, indented by two spaces
     */
    public static String prettyJson(Object value) {
        try {
            return MAPPER.writeValueAsString(toJson(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree not writable: " + e.getMessage(), e);
        }
    }

    /**
     * The bundle of a nested value: {@code text/plain} pretty JSON (one line when it fits in
     * {@link Renderers#SHORT_TEXT_CHARS} characters) and {@code text/html} folding tree.
     *
     * @param value any value
     * @return the bundle
     */
    public static MimeBundle bundle(Object value) {
        JsonNode json = toJson(value);
        String oneLine = json.toString();
        String text;
        try {
            text = oneLine.length() <= Renderers.SHORT_TEXT_CHARS ? oneLine : MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            text = oneLine;
        }
        return MimeBundle.html(html(json), text);
    }

    /**
     * The HTML folding tree of a JSON tree: a {@code <div class="workbench-json">} holding nested
     * {@code <details>} elements, one per object or array, whose summary gives the key and the
     * size; scalars are shown as JSON literals.
     *
     * @param json the tree
     * @return the HTML fragment
     */
    public static String html(JsonNode json) {
        StringBuilder b = new StringBuilder(256);
        b.append("<div class=\"workbench-json\" style=\"font-family: monospace; font-size: 90%;\">");
        node(b, null, json, 0);
        return b.append("</div>").toString();
    }

    private static void node(StringBuilder b, String key, JsonNode n, int depth) {
        String label = key == null ? "" : "<span style=\"color:#881391\">" + Renderers.escape(key) + "</span>: ";
        if (n.isContainerNode()) {
            boolean object = n.isObject();
            b.append("<details").append(depth <= OPEN_DEPTH ? " open" : "").append(" style=\"margin-left:")
                    .append(depth == 0 ? 0 : 1.2).append("em\"><summary>").append(label)
                    .append(object ? "{&hellip;} " : "[&hellip;] ").append(n.size())
                    .append(object ? (n.size() == 1 ? " key" : " keys") : (n.size() == 1 ? " item" : " items"))
                    .append("</summary>");
            if (object) {
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    node(b, e.getKey(), e.getValue(), depth + 1);
                }
            } else {
                for (int i = 0; i < n.size(); i++) {
                    node(b, Integer.toString(i), n.get(i), depth + 1);
                }
            }
            b.append("</details>");
        } else {
            String color = n.isTextual() ? "#c41a16" : n.isNumber() ? "#1c00cf" : "#0d22aa";
            b.append("<div style=\"margin-left:").append(depth == 0 ? 0 : 1.2).append("em\">").append(label)
                    .append("<span style=\"color:").append(color).append("\">")
                    .append(Renderers.escape(n.toString())).append("</span></div>");
        }
    }

    private static JsonNode convert(Object v, int depth, IdentityHashMap<Object, Boolean> path) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof JsonNode j) {
            return j;
        }
        if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
            return F.textNode(v.toString());
        }
        if (v instanceof Boolean bo) {
            return F.booleanNode(bo);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return F.numberNode(((Number) v).longValue());
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? F.textNode(d.toString()) : F.numberNode(d);
        }
        if (v instanceof Float fl) {
            return fl.isNaN() || fl.isInfinite() ? F.textNode(fl.toString()) : F.numberNode(fl.doubleValue());
        }
        if (v instanceof BigInteger bi) {
            return F.numberNode(bi);
        }
        if (v instanceof BigDecimal bd) {
            return F.numberNode(bd);
        }
        if (v instanceof byte[] bytes) {
            return F.textNode(HexDump.hex(bytes, 0, Math.min(bytes.length, Renderers.MAX_ENTRIES))
                    + (bytes.length > Renderers.MAX_ENTRIES ? "..." : ""));
        }
        boolean container = v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()
                || v instanceof Record;
        if (!container) {
            return F.textNode(String.valueOf(v));
        }
        if (depth >= MAX_DEPTH) {
            return F.textNode(String.valueOf(v));
        }
        if (path.put(v, Boolean.TRUE) != null) {
            return F.textNode("<cycle>");
        }
        try {
            if (v instanceof Map<?, ?> m) {
                ObjectNode o = F.objectNode();
                int n = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (n++ == Renderers.MAX_ENTRIES) {
                        o.put("...", (m.size() - Renderers.MAX_ENTRIES) + " more");
                        break;
                    }
                    o.set(String.valueOf(e.getKey()), convert(e.getValue(), depth + 1, path));
                }
                return o;
            }
            if (v instanceof Record r) {
                ObjectNode o = F.objectNode();
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    Object x;
                    try {
                        c.getAccessor().setAccessible(true);
                        x = c.getAccessor().invoke(r);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        x = "<" + e + ">";
                    }
                    o.set(c.getName(), convert(x, depth + 1, path));
                }
                return o;
            }
            ArrayNode a = F.arrayNode();
            if (v instanceof Collection<?> c) {
                for (Object x : c) {
                    if (a.size() == Renderers.MAX_ENTRIES) {
                        a.add("... " + (c.size() - Renderers.MAX_ENTRIES) + " more");
                        break;
                    }
                    a.add(convert(x, depth + 1, path));
                }
            } else {
                int len = Array.getLength(v);
                for (int i = 0; i < len; i++) {
                    if (i == Renderers.MAX_ENTRIES) {
                        a.add("... " + (len - Renderers.MAX_ENTRIES) + " more");
                        break;
                    }
                    a.add(convert(Array.get(v, i), depth + 1, path));
                }
            }
            return a;
        } finally {
            path.remove(v);
        }
    }
}
