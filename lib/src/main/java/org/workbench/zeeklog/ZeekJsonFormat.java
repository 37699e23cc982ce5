package org.workbench.zeeklog;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;

/**
 * Zeek's JSON-lines log format ({@code LogAscii::use_json=T}) with Zeek 9's defaults
 * ({@code json_timestamps=JSON::TS_EPOCH}, {@code json_include_unset_fields=F},
 * {@code json_string_escape_policy=JSON::STRING_ESCAPE_POLICY_HEX}); see Zeek's "Logging Framework" and
 * "ASCII writer" documentation.
 *
 * <p>One JSON object per record, keys are the field names in schema order (dotted names stay flat, e.g.
 * {@code "id.orig_h"}), unset fields are left out (or written {@code null} when asked), containers are
 * arrays (an unset element is {@code null}). {@code time}, {@code interval} and {@code double} are JSON
 * numbers in the shortest form that reads back to the same double ({@link #formatNumber(double)}; epoch
 * seconds for {@code time}), NaN and infinities are {@code null}. {@code count}, {@code int}, {@code port}
 * are integers, {@code bool} is {@code true}/{@code false}, addresses, subnets, enums and strings are
 * strings.
 *
 * <p>String escaping: when the value's bytes are printable ASCII, TAB/LF/CR/FF/BS and acceptable UTF-8
 * (see {@link Utf8}), they are written as they are; otherwise every byte outside printable ASCII and those
 * five controls is replaced by the text {@code \xNN}. The result is then quoted as JSON: {@code "} and
 * {@code \} are backslash-escaped and the five controls become {@code \t \n \r \f \b}. Non-ASCII
 * characters are written as UTF-8, not {@code \\uXXXX}.
 */
public final class ZeekJsonFormat {
    /** Zeek's default JSON settings: unset fields omitted. */
    public static final ZeekJsonFormat DEFAULT = new ZeekJsonFormat(false);

    private final boolean includeUnsetFields;

    /** @param includeUnsetFields Zeek's {@code LogAscii::json_include_unset_fields}: write unset fields as null */
    public ZeekJsonFormat(boolean includeUnsetFields) {
        this.includeUnsetFields = includeUnsetFields;
    }

    /** Whether unset fields are written as {@code null} instead of being left out. */
    public boolean includeUnsetFields() {
        return includeUnsetFields;
    }

    /**
     * Renders a record as one JSON object without line end.
     *
     * @throws IllegalArgumentException naming the field when a value does not fit its type
     */
    public String formatRecord(LogRecord record) {
        ByteBuf out = new ByteBuf(256);
        appendRecord(out, record, record.schema());
        return out.toUtf8String();
    }

    /**
     * Renders one value as in a JSON log.
     *
     * @throws IllegalArgumentException when the value does not fit the type
     */
    public String formatValue(FieldType type, Object value) {
        ByteBuf out = new ByteBuf(32);
        appendValue(out, type, value);
        return out.toUtf8String();
    }

    void appendRecord(ByteBuf out, LogRecord record, LogSchema schema) {
        boolean same = record.schema() == schema;
        List<LogSchema.Field> fields = schema.fields();
        out.add('{');
        boolean first = true;
        for (int i = 0; i < fields.size(); i++) {
            LogSchema.Field f = fields.get(i);
            Object v = same ? record.get(i) : record.get(f.name());
            if (v == null && !includeUnsetFields) {
                continue;
            }
            if (!first) {
                out.add(',');
            }
            first = false;
            appendString(out, ZeekBytes.toBytes(f.name()));
            out.add(':');
            try {
                appendValue(out, f.type(), v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log " + schema.path() + " field " + f.name() + ": "
                        + e.getMessage(), e);
            }
        }
        out.add('}');
    }

    void appendValue(ByteBuf out, FieldType type, Object v) {
        if (v == null) {
            out.addAscii("null");
            return;
        }
        switch (type.kind()) {
            case BOOL -> out.addAscii(ZeekValues.toBool(v) ? "true" : "false");
            case INT -> out.addAscii(Long.toString(ZeekValues.toLong(v)));
            case COUNT -> out.addAscii(Long.toUnsignedString(ZeekValues.toCount(v)));
            case PORT -> out.addAscii(Integer.toString(ZeekValues.toPort(v)));
            case TIME, INTERVAL -> out.addAscii(formatNumber(ZeekValues.toSeconds(v)));
            case DOUBLE -> out.addAscii(formatNumber(ZeekValues.toDouble(v)));
            case ADDR -> appendString(out, ZeekBytes.toBytes(ZeekValues.addressText(v)));
            case SUBNET, STRING, ENUM, PATTERN, FUNC -> appendString(out, ZeekBytes.toBytes(ZeekValues.text(v)));
            case SET, VECTOR, TABLE -> {
                Collection<?> c = ZeekValues.toCollection(v);
                out.add('[');
                boolean first = true;
                for (Object e : c) {
                    if (!first) {
                        out.add(',');
                    }
                    first = false;
                    appendValue(out, type.element(), e);
                }
                out.add(']');
            }
            default -> throw new IllegalArgumentException("unsupported type " + type);
        }
    }

    private static boolean jsonControl(int v) {
        return v == '\t' || v == '\n' || v == '\r' || v == '\f' || v == '\b';
    }

    /** Appends a quoted JSON string for a byte string, with Zeek's hex policy for bad bytes. */
    static void appendString(ByteBuf out, byte[] b) {
        boolean good = true;
        int i = 0;
        while (i < b.length) {
            int v = b[i] & 0xFF;
            if (v >= 0x20 && v < 0x7F || jsonControl(v)) {
                i++;
                continue;
            }
            int n = Utf8.sequenceLength(b, i, b.length);
            if (n == 0) {
                good = false;
                break;
            }
            i += n;
        }
        out.add('"');
        for (byte x : b) {
            int v = x & 0xFF;
            switch (v) {
                case '"' -> {
                    out.add('\\');
                    out.add('"');
                }
                case '\\' -> {
                    out.add('\\');
                    out.add('\\');
                }
                case '\t' -> out.addAscii("\\t");
                case '\n' -> out.addAscii("\\n");
                case '\r' -> out.addAscii("\\r");
                case '\f' -> out.addAscii("\\f");
                case '\b' -> out.addAscii("\\b");
                default -> {
                    if (v >= 0x20 && v < 0x7F || good) {
                        out.add(v);
                    } else {
                        out.add('\\');
                        out.addHexEscape(v);
                    }
                }
            }
        }
        out.add('"');
    }

    /**
     * Renders a number as Zeek's JSON writer (RapidJSON) does: the shortest decimal digits that read back
     * to the same double, laid out as {@code 100.0}, {@code 12.34}, {@code 0.001234} (for magnitudes from
     * 1e-6 up to below 1e21), otherwise with an exponent ({@code 1e-7}, {@code 1.79e308}); {@code -0.0} for
     * negative zero; {@code null} for NaN and infinities. The digits come from the Schubfach algorithm
     * (shortest, closest); RapidJSON uses Grisu2, which in rare cases prints a longer digit string.
     */
    public static String formatNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(DoubleToDecimal.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int length = digits.length();
        int k = -bd.scale();
        int kk = length + k;
        StringBuilder s = new StringBuilder(32);
        if (d < 0) {
            s.append('-');
        }
        if (k >= 0 && kk <= 21) {
            s.append(digits);
            s.append("0".repeat(k));
            s.append(".0");
        } else if (kk > 0 && kk <= 21) {
            s.append(digits, 0, kk).append('.').append(digits, kk, length);
        } else if (kk > -6 && kk <= 0) {
            s.append("0.").append("0".repeat(-kk)).append(digits);
        } else if (length == 1) {
            s.append(digits).append('e').append(kk - 1);
        } else {
            s.append(digits, 0, 1).append('.').append(digits, 1, length).append('e').append(kk - 1);
        }
        return s.toString();
    }
}
