package org.workbench.zeeklog;

import com.google.common.net.InetAddresses;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Zeek's ASCII (tab-separated) log format: value rendering, escaping, header lines and value parsing,
 * following the behaviour of Zeek 9's ASCII writer ({@code LogAscii}, documented in Zeek's "Logging
 * Framework" and "ASCII writer" docs) with its defaults {@code separator = "\t"},
 * {@code set_separator = ","}, {@code empty_field = "(empty)"}, {@code unset_field = "-"},
 * {@code meta_prefix = "#"} and {@code enable_utf_8 = T}.
 *
 * <p>Rendering rules (checked against Zeek 9.1 test baselines):
 * <ul>
 *   <li>{@code time} and {@code interval}: seconds with exactly 6 decimals ({@code 1300475167.096535});</li>
 *   <li>{@code double}: up to 6 decimals with trailing zeros removed, integral values with {@code .0},
 *       never an exponent ({@link #formatDouble(double)});</li>
 *   <li>{@code count} (unsigned 64-bit), {@code int}, {@code port}: decimal; {@code bool}: {@code T}/{@code F};</li>
 *   <li>{@code addr}: dotted quad or compressed lower-case IPv6 ({@link #formatAddress(InetAddress)});</li>
 *   <li>strings: an empty string is {@code (empty)}; a value equal to the unset or empty marker has its
 *       first byte escaped ({@code \x2d}, {@code \x28empty)}); a backslash is written {@code \\}; the
 *       separator (and inside containers the set separator) is written as {@code \xNN}; with UTF-8 enabled,
 *       a run of bytes between such escapes is written as is when it is all printable ASCII and valid,
 *       acceptable UTF-8 (see {@link Utf8}), otherwise every byte of the run outside printable ASCII is
 *       written {@code \xNN}; with UTF-8 disabled every byte outside 0x20..0x7E is written {@code \xNN};</li>
 *   <li>containers: elements joined by the set separator, {@code (empty)} when empty, an unset element
 *       as {@code -};</li>
 *   <li>unset values: {@code -}; a row that would start with {@code #} gets that byte escaped.</li>
 * </ul>
 * Instances are immutable and thread-safe.
 */
public final class ZeekTsvFormat {
    /** Zeek's default ASCII settings, UTF-8 enabled (Zeek 9 default). */
    public static final ZeekTsvFormat DEFAULT = new ZeekTsvFormat("\t", ",", "(empty)", "-", true);

    private static final byte[] META_PREFIX = {'#'};

    private final String separator;
    private final String setSeparator;
    private final String emptyField;
    private final String unsetField;
    private final boolean utf8;
    private final byte[] sep;
    private final byte[] setSep;
    private final byte[] empty;
    private final byte[] unset;

    /**
     * @param separator    field separator (byte string, non-empty)
     * @param setSeparator container element separator (byte string, non-empty)
     * @param emptyField   marker for empty strings and containers
     * @param unsetField   marker for unset values
     * @param utf8         Zeek's {@code LogAscii::enable_utf_8}: write valid UTF-8 unescaped
     * @throws IllegalArgumentException when a separator is empty
     */
    public ZeekTsvFormat(String separator, String setSeparator, String emptyField, String unsetField, boolean utf8) {
        if (separator.isEmpty() || setSeparator.isEmpty()) {
            throw new IllegalArgumentException("separators must not be empty");
        }
        this.separator = separator;
        this.setSeparator = setSeparator;
        this.emptyField = Objects.requireNonNull(emptyField);
        this.unsetField = Objects.requireNonNull(unsetField);
        this.utf8 = utf8;
        this.sep = ZeekBytes.toBytes(separator);
        this.setSep = ZeekBytes.toBytes(setSeparator);
        this.empty = ZeekBytes.toBytes(emptyField);
        this.unset = ZeekBytes.toBytes(unsetField);
    }

    /** The same settings with UTF-8 output switched on or off. */
    public ZeekTsvFormat withUtf8(boolean enabled) {
        return new ZeekTsvFormat(separator, setSeparator, emptyField, unsetField, enabled);
    }

    /** The field separator (Zeek's {@code LogAscii::separator}). */
    public String separator() {
        return separator;
    }

    /** The container element separator ({@code LogAscii::set_separator}). */
    public String setSeparator() {
        return setSeparator;
    }

    /** The marker for empty strings and containers ({@code LogAscii::empty_field}). */
    public String emptyField() {
        return emptyField;
    }

    /** The marker for unset values ({@code LogAscii::unset_field}). */
    public String unsetField() {
        return unsetField;
    }

    /** Whether valid UTF-8 is written unescaped ({@code LogAscii::enable_utf_8}). */
    public boolean utf8() {
        return utf8;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Renders one value as it appears in a Zeek TSV row.
     *
     * @param type  the field's type
     * @param value a value per {@link FieldType}'s Java mapping (also accepted: any {@link Number},
     *              {@link Instant} for time, {@link Duration} for interval, {@link BigInteger} for count,
     *              a {@link String} address literal, any {@link Collection} or array for containers), or null
     * @return the rendered text (the row bytes decoded as UTF-8; they are always valid UTF-8)
     * @throws IllegalArgumentException when the value does not fit the type
     */
    public String formatValue(FieldType type, Object value) {
        ByteBuf out = new ByteBuf(32);
        appendValue(out, type, value, false);
        return out.toUtf8String();
    }

    /**
     * Renders a record as one TSV row without the line end.
     *
     * @throws IllegalArgumentException naming the field when a value does not fit its type
     */
    public String formatRow(LogRecord record) {
        ByteBuf out = new ByteBuf(256);
        appendRow(out, record, record.schema());
        return out.toUtf8String();
    }

    /** Appends the row for {@code record}, taking the columns of {@code schema} by name when they differ. */
    void appendRow(ByteBuf out, LogRecord record, LogSchema schema) {
        boolean same = record.schema() == schema;
        List<LogSchema.Field> fields = schema.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.add(sep);
            }
            LogSchema.Field f = fields.get(i);
            Object v = same ? record.get(i) : record.get(f.name());
            try {
                appendValue(out, f.type(), v, false);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("log " + schema.path() + " field " + f.name() + ": "
                        + e.getMessage(), e);
            }
        }
        if (out.length() >= META_PREFIX.length && out.byteAt(0) == META_PREFIX[0]) {
            out.escapeByteAt(0);
        }
    }

    void appendValue(ByteBuf out, FieldType type, Object v, boolean inContainer) {
        if (v == null) {
            addEscaped(out, unset, 0, unset.length, inContainer);
            return;
        }
        switch (type.kind()) {
            case BOOL -> addAscii(out, ZeekValues.toBool(v) ? "T" : "F", inContainer);
            case INT -> addAscii(out, Long.toString(ZeekValues.toLong(v)), inContainer);
            case COUNT -> addAscii(out, Long.toUnsignedString(ZeekValues.toCount(v)), inContainer);
            case PORT -> addAscii(out, Integer.toString(ZeekValues.toPort(v)), inContainer);
            case TIME, INTERVAL -> addAscii(out, formatTime(ZeekValues.toSeconds(v)), inContainer);
            case DOUBLE -> addAscii(out, formatDouble(ZeekValues.toDouble(v)), inContainer);
            case ADDR -> {
                byte[] b = ZeekBytes.toBytes(ZeekValues.addressText(v));
                addEscaped(out, b, 0, b.length, inContainer);
            }
            case SUBNET -> {
                byte[] b = ZeekBytes.toBytes(ZeekValues.text(v));
                addEscaped(out, b, 0, b.length, inContainer);
            }
            case STRING, ENUM, PATTERN, FUNC -> appendString(out, ZeekBytes.toBytes(ZeekValues.text(v)), inContainer);
            case SET, VECTOR, TABLE -> {
                Collection<?> c = ZeekValues.toCollection(v);
                if (c.isEmpty()) {
                    addEscaped(out, empty, 0, empty.length, false);
                    return;
                }
                boolean first = true;
                for (Object e : c) {
                    if (!first) {
                        out.add(setSep);
                    }
                    first = false;
                    appendValue(out, type.element(), e, true);
                }
            }
            default -> throw new IllegalArgumentException("unsupported type " + type);
        }
    }

    private void addAscii(ByteBuf out, String s, boolean inContainer) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        addEscaped(out, b, 0, b.length, inContainer);
    }

    private void appendString(ByteBuf out, byte[] b, boolean inContainer) {
        if (b.length == 0) {
            addEscaped(out, empty, 0, empty.length, inContainer);
        } else if (Arrays.equals(b, unset) || Arrays.equals(b, empty)) {
            out.addHexEscape(b[0] & 0xFF);
            addEscaped(out, b, 1, b.length - 1, inContainer);
        } else {
            addEscaped(out, b, 0, b.length, inContainer);
        }
    }

    /** Writes bytes with Zeek's escaping: backslash, separators, and non-printable/invalid bytes. */
    private void addEscaped(ByteBuf out, byte[] b, int off, int len, boolean inContainer) {
        int end = off + len;
        int seg = off;
        int i = off;
        while (i < end) {
            int v = b[i] & 0xFF;
            int esc;
            if (!utf8 && (v < 0x20 || v >= 0x7F) || v == '\\') {
                esc = 1;
            } else if (startsWith(b, i, end, sep)) {
                esc = sep.length;
            } else if (inContainer && startsWith(b, i, end, setSep)) {
                esc = setSep.length;
            } else {
                i++;
                continue;
            }
            addSegment(out, b, seg, i);
            for (int k = i; k < i + esc; k++) {
                if (b[k] == '\\') {
                    out.add('\\');
                    out.add('\\');
                } else {
                    out.addHexEscape(b[k] & 0xFF);
                }
            }
            i += esc;
            seg = i;
        }
        addSegment(out, b, seg, end);
    }

    private void addSegment(ByteBuf out, byte[] b, int from, int to) {
        if (from >= to) {
            return;
        }
        if (utf8) {
            boolean good = true;
            int i = from;
            while (i < to) {
                int v = b[i] & 0xFF;
                if (v >= 0x20 && v < 0x7F) {
                    i++;
                    continue;
                }
                int n = Utf8.sequenceLength(b, i, to);
                if (n == 0) {
                    good = false;
                    break;
                }
                i += n;
            }
            if (!good) {
                for (int k = from; k < to; k++) {
                    int v = b[k] & 0xFF;
                    if (v >= 0x20 && v < 0x7F) {
                        out.add(v);
                    } else {
                        out.addHexEscape(v);
                    }
                }
                return;
            }
        }
        out.add(b, from, to - from);
    }

    private static boolean startsWith(byte[] b, int i, int end, byte[] p) {
        if (i + p.length > end) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (b[i + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The header lines Zeek writes before the first row, without line ends: {@code #separator},
     * {@code #set_separator}, {@code #empty_field}, {@code #unset_field}, {@code #path}, {@code #open},
     * {@code #fields}, {@code #types}.
     *
     * @param openStamp the {@code #open} value, {@code YYYY-MM-DD-HH-MM-SS}
     */
    public List<String> headerLines(LogSchema schema, String openStamp) {
        List<String> lines = new ArrayList<>();
        lines.add("#separator " + escapeMeta(separator));
        lines.add(metaLine("set_separator", escapeMeta(setSeparator)));
        lines.add(metaLine("empty_field", escapeMeta(emptyField)));
        lines.add(metaLine("unset_field", escapeMeta(unsetField)));
        lines.add(metaLine("path", escapeMeta(schema.path())));
        lines.add(metaLine("open", openStamp));
        StringBuilder names = new StringBuilder();
        StringBuilder types = new StringBuilder();
        for (LogSchema.Field f : schema.fields()) {
            if (names.length() > 0) {
                names.append(separator);
                types.append(separator);
            }
            names.append(f.name());
            types.append(f.type());
        }
        lines.add(metaLine("fields", names.toString()));
        lines.add(metaLine("types", types.toString()));
        return lines;
    }

    /** The {@code #close} line Zeek writes when it closes a log, without line end. */
    public String closeLine(String closeStamp) {
        return metaLine("close", closeStamp);
    }

    private String metaLine(String key, String value) {
        return "#" + key + separator + value;
    }

    /** Header-value escaping: whitespace, non-ASCII and non-printable bytes as {@code \xNN}. */
    static String escapeMeta(String s) {
        byte[] b = ZeekBytes.toBytes(s);
        StringBuilder out = new StringBuilder(b.length + 8);
        for (byte x : b) {
            int v = x & 0xFF;
            if (v > 0x20 && v < 0x7F) {
                out.append((char) v);
            } else {
                ZeekBytes.appendHex(out, v);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ number and address rendering

    /**
     * Renders a {@code time} or {@code interval} as Zeek does: fixed notation with exactly 6 decimals,
     * rounded half-even from the exact binary value ({@code -0.000000} for negative zero, {@code inf},
     * {@code -inf}, {@code nan}).
     */
    public static String formatTime(double seconds) {
        if (Double.isNaN(seconds)) {
            return "nan";
        }
        if (Double.isInfinite(seconds)) {
            return seconds > 0 ? "inf" : "-inf";
        }
        boolean negative = seconds < 0 || seconds == 0 && 1 / seconds < 0;
        String s = fixed6(Math.abs(seconds));
        return negative ? "-" + s : s;
    }

    /**
     * A non-negative finite value rounded half-even to 6 decimals, exactly as C's {@code %.6f}: a fast
     * path when the scaled value is clearly away from a rounding tie, exact decimal arithmetic otherwise.
     */
    private static String fixed6(double a) {
        double scaled = a * 1e6;
        if (scaled < 0x1p52) {
            double floor = Math.floor(scaled);
            double frac = scaled - floor;
            if (Math.abs(frac - 0.5) > 2 * Math.ulp(scaled) + 1e-9) {
                long micros = (long) floor + (frac > 0.5 ? 1 : 0);
                String f = Long.toString(micros % 1_000_000);
                StringBuilder b = new StringBuilder(24).append(micros / 1_000_000).append('.');
                for (int i = f.length(); i < 6; i++) {
                    b.append('0');
                }
                return b.append(f).toString();
            }
        }
        return new BigDecimal(a).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Renders a {@code double} as Zeek's ASCII writer does: fixed notation rounded to 6 decimals with
     * trailing zeros removed, and {@code .0} appended when the value is within 1e-9 of an integer
     * (so {@code 1.0}, {@code 0.1234}, {@code 1.123457}, {@code 50000.0}, {@code 0.000012}, while
     * {@code 1e-7} gives {@code 0}). Never uses an exponent; {@code inf}, {@code -inf}, {@code nan}.
     */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        String sign = d < 0 ? "-" : "";
        double a = Math.abs(d);
        String body;
        if (Double.isInfinite(a)) {
            body = "inf";
        } else {
            body = fixed6(a);
            int end = body.length();
            while (body.charAt(end - 1) == '0') {
                end--;
            }
            if (body.charAt(end - 1) == '.') {
                end--;
            }
            body = body.substring(0, end);
        }
        String s = sign + body;
        if (!Double.isInfinite(d) && Math.abs(d - Math.rint(d)) < 1e-9) {
            s += ".0";
        }
        return s;
    }

    /**
     * Renders an address as Zeek does: IPv4 as a dotted quad; IPv6 in lower-case hex with the longest run
     * (at least two, the first of equal runs) of zero groups compressed to {@code ::}, and the last 32 bits
     * as a dotted quad for IPv4-compatible ({@code ::a.b.c.d}, except {@code ::} and {@code ::1}) and
     * IPv4-translated ({@code ::ffff:0:a.b.c.d}) addresses (RFC 4291 section 2.2 and 2.5.5, RFC 5952).
     * IPv4-mapped addresses are IPv4 addresses in Java and in Zeek.
     */
    public static String formatAddress(InetAddress a) {
        // Zeek's zeek_inet_ntop: unlike DnsText.ipv6 (libc) also dots ::ffff:0:a.b.c.d; Addresses.format: RFC 5952.
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address || b.length == 4) {
            return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder s = new StringBuilder(40);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    s.append(':');
                }
                continue;
            }
            if (i != 0) {
                s.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 7 && w[7] != 1
                    || bestLen == 5 && w[5] == 0xFFFF || bestLen == 4 && w[4] == 0xFFFF && w[5] == 0)) {
                s.append(b[12] & 0xFF).append('.').append(b[13] & 0xFF).append('.')
                        .append(b[14] & 0xFF).append('.').append(b[15] & 0xFF);
                return s.toString();
            }
            s.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            s.append(':');
        }
        return s.toString();
    }

    /**
     * The canonical text of an address given as an {@link InetAddress} or a literal (as
     * {@link #formatAddress(InetAddress)}); text that is not an IP literal is returned unchanged.
     */
    public static String formatAddress(Object address) {
        return ZeekValues.addressText(address);
    }

    // ------------------------------------------------------------------ reading

    /**
     * Parses one field as written in a TSV row (already split at the separator).
     *
     * @param text the field as it appears in the file, decoded from UTF-8
     * @return the value per {@link FieldType}'s Java mapping (strings as byte strings, see {@link ZeekBytes}),
     *         or null for the unset marker
     * @throws IllegalArgumentException describing the problem when the text is not a value of the type
     */
    public Object parseValue(FieldType type, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parseValue(type, b, 0, b.length);
    }

    /** Parses one field from {@code len} bytes at {@code off}; see {@link #parseValue(FieldType, String)}. */
    public Object parseValue(FieldType type, byte[] b, int off, int len) {
        if (equalsAt(b, off, len, unset)) {
            return null;
        }
        if (!type.kind().isContainer()) {
            return parseScalar(type, b, off, len);
        }
        List<Object> out = new ArrayList<>();
        if (equalsAt(b, off, len, empty)) {
            return out;
        }
        int end = off + len;
        int start = off;
        int i = off;
        while (i <= end) {
            if (i == end || startsWith(b, i, end, setSep)) {
                int n = i - start;
                out.add(equalsAt(b, start, n, unset) ? null : parseScalar(type.element(), b, start, n));
                if (i == end) {
                    break;
                }
                i += setSep.length;
                start = i;
            } else {
                i++;
            }
        }
        return out;
    }

    private Object parseScalar(FieldType type, byte[] b, int off, int len) {
        switch (type.kind()) {
            case STRING, ENUM, PATTERN, FUNC, SUBNET -> {
                if (equalsAt(b, off, len, empty)) {
                    return "";
                }
                return unescape(b, off, len);
            }
            default -> {
            }
        }
        String t = ZeekBytes.fromBytes(b, off, len).trim();
        switch (type.kind()) {
            case BOOL -> {
                if (t.equals("T") || t.equals("1")) {
                    return Boolean.TRUE;
                }
                if (t.equals("F") || t.equals("0")) {
                    return Boolean.FALSE;
                }
                throw new IllegalArgumentException("not a bool (T or F): '" + t + "'");
            }
            case INT -> {
                try {
                    return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an int: '" + t + "'");
                }
            }
            case COUNT -> {
                try {
                    return Long.parseUnsignedLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a count (0..18446744073709551615): '" + t + "'");
                }
            }
            case PORT -> {
                int slash = t.indexOf('/');
                String num = slash > 0 ? t.substring(0, slash) : t;
                try {
                    int p = Integer.parseInt(num);
                    if (p < 0 || p > 65535) {
                        throw new NumberFormatException();
                    }
                    return p;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a port: '" + t + "'");
                }
            }
            case TIME, INTERVAL, DOUBLE -> {
                return parseDouble(t);
            }
            case ADDR -> {
                InetAddress v4 = parseIpv4(b, off, len);
                if (v4 != null) {
                    return v4;
                }
                String s = unescape(b, off, len).trim();
                try {
                    return InetAddresses.forString(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an address: '" + s + "'");
                }
            }
            default -> throw new IllegalArgumentException("unsupported element type " + type);
        }
    }

    /** A dotted quad without leading zeros as an address, or null when the bytes are anything else. */
    private static InetAddress parseIpv4(byte[] b, int off, int len) {
        if (len < 7 || len > 15) {
            return null;
        }
        byte[] a = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = off; i <= off + len; i++) {
            int c = i == off + len ? '.' : b[i];
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return null;
                }
                a[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /**
     * Parses a number as Zeek writes them, including {@code inf}, {@code -inf}, {@code nan} and C's
     * exponent forms ({@code 4.294967e+09}).
     *
     * @throws IllegalArgumentException when it is not a number
     */
    static double parseDouble(String t) {
        switch (t) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        boolean ok = !t.isEmpty();
        for (int i = 0; i < t.length() && ok; i++) {
            char c = t.charAt(i);
            ok = c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
        }
        if (ok) {
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException("not a number: '" + t + "'");
    }

    /** Undoes Zeek's escaping: {@code \xNN} becomes the byte, {@code \\} a backslash; returns a byte string. */
    static String unescape(byte[] b, int off, int len) {
        int end = off + len;
        int first = -1;
        for (int i = off; i < end; i++) {
            if (b[i] == '\\') {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return ZeekBytes.fromBytes(b, off, len);
        }
        StringBuilder s = new StringBuilder(len);
        for (int i = off; i < first; i++) {
            s.append((char) (b[i] & 0xFF));
        }
        int i = first;
        while (i < end) {
            int v = b[i] & 0xFF;
            if (v == '\\' && i + 1 < end) {
                if (b[i + 1] == '\\') {
                    s.append('\\');
                    i += 2;
                    continue;
                }
                if (b[i + 1] == 'x' && i + 3 < end) {
                    int h = Character.digit(b[i + 2], 16);
                    int l = Character.digit(b[i + 3], 16);
                    if (h >= 0 && l >= 0) {
                        s.append((char) (h << 4 | l));
                        i += 4;
                        continue;
                    }
                }
            }
            s.append((char) v);
            i++;
        }
        return s.toString();
    }

    private static boolean equalsAt(byte[] b, int off, int len, byte[] p) {
        return len == p.length && startsWith(b, off, off + len, p);
    }
}
