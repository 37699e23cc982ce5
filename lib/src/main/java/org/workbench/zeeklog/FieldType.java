package org.workbench.zeeklog;

import java.util.Locale;
import java.util.Objects;

/**
 * A Zeek log field type as written on a log's {@code #types} line: a base type such as {@code time},
 * {@code count} or {@code addr}, or a container {@code set[T]}, {@code vector[T]} or {@code table[T]} of
 * a base type. Type names follow Zeek's script-language types (Zeek documentation, "Types").
 *
 * <p>Java values carried in a {@link LogRecord} for each kind:
 * <ul>
 *   <li>{@code time}: {@link Double} seconds since the Unix epoch</li>
 *   <li>{@code interval}, {@code double}: {@link Double} (intervals in seconds)</li>
 *   <li>{@code count}, {@code int}: {@link Long}</li>
 *   <li>{@code port}: {@link Integer}</li>
 *   <li>{@code bool}: {@link Boolean}</li>
 *   <li>{@code addr}: {@link java.net.InetAddress} or its textual form as a {@link String}</li>
 *   <li>{@code string}, {@code enum}, {@code subnet}, {@code pattern}, {@code func}: {@link String}; bytes
 *       from the wire that are not text are carried as chars U+0000..U+00FF (one char per byte)</li>
 *   <li>containers: a {@link java.util.List} of the element type's values</li>
 *   <li>unset: {@code null}</li>
 * </ul>
 */
public final class FieldType {
    /** The kinds of Zeek types that appear in logs. */
    public enum Kind {
        TIME, INTERVAL, COUNT, INT, DOUBLE, BOOL, STRING, ENUM, ADDR, SUBNET, PORT, PATTERN, FUNC,
        SET, VECTOR, TABLE;

        /** Whether values of this kind are containers of another type. */
        public boolean isContainer() {
            return this == SET || this == VECTOR || this == TABLE;
        }
    }

    private final Kind kind;
    private final FieldType element;

    private FieldType(Kind kind, FieldType element) {
        this.kind = kind;
        this.element = element;
    }

    /** A base (non-container) type. */
    public static FieldType of(Kind kind) {
        if (kind.isContainer()) {
            throw new IllegalArgumentException(kind + " needs an element type");
        }
        return new FieldType(kind, null);
    }

    /** A container type of the given element type, e.g. {@code set[string]}. */
    public static FieldType container(Kind kind, FieldType element) {
        if (!kind.isContainer() || element == null || element.kind.isContainer()) {
            throw new IllegalArgumentException("bad container type " + kind + "[" + element + "]");
        }
        return new FieldType(kind, element);
    }

    /**
     * Parses a type name as written on a {@code #types} line.
     *
     * @throws IllegalArgumentException naming the text when it is not a Zeek log type
     */
    public static FieldType parse(String text) {
        String t = text.trim();
        int open = t.indexOf('[');
        if (open > 0 && t.endsWith("]")) {
            Kind k = kindOf(t.substring(0, open), text);
            return container(k, parse(t.substring(open + 1, t.length() - 1)));
        }
        return of(kindOf(t, text));
    }

    private static Kind kindOf(String name, String whole) {
        try {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Zeek log type: '" + whole + "'");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The element type of a container, or null for a base type. */
    public FieldType element() {
        return element;
    }

    @Override
    public String toString() {
        String base = kind.name().toLowerCase(Locale.ROOT);
        return element == null ? base : base + "[" + element + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldType f && f.kind == kind && Objects.equals(f.element, element);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, element);
    }
}
