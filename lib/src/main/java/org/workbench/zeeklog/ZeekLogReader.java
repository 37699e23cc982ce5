package org.workbench.zeeklog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reads Zeek logs into {@link LogStream}s: Zeek's ASCII TSV with its full header (the separators and
 * markers are taken from the {@code #separator}, {@code #set_separator}, {@code #empty_field},
 * {@code #unset_field} lines; columns from {@code #fields} and {@code #types}), including the logs of
 * older Bro versions (2.x, {@code table[...]} types); the one-header-line form {@code zeek-cut -m} writes
 * (field names only; types from a caller's schema, otherwise {@code string}; an empty column name becomes
 * {@code _N} for the 1-based column N, a repeated name gets {@code ~2}, {@code ~3}, ...); and JSON lines
 * ({@code LogAscii::use_json=T}), typed from a caller's schema or inferred from the values
 * ({@link #inferType}). The format is detected from the first bytes; gzip-compressed input is
 * decompressed. Lines starting with {@code #} other than header lines are skipped, as are blank lines.
 *
 * <p>Values follow {@link FieldType}'s Java mapping: strings are byte strings ({@link ZeekBytes}) with
 * Zeek's escapes undone ({@code \xNN} becomes the byte, {@code \\} a backslash), {@code (empty)} is the empty
 * string or an empty list, {@code -} is null, addresses are {@link java.net.InetAddress}, counts are Longs
 * holding the unsigned 64-bit value ({@link Long#toUnsignedString(long)} shows values above
 * {@link Long#MAX_VALUE}).
 *
 * <p>Errors: {@link ZeekLogFormatException} naming the source and line (a row with the wrong number of
 * fields, a value that does not parse as its type, a bad header, invalid JSON).
 */
public final class ZeekLogReader {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private ZeekLogReader() {
    }

    /** Reading settings; immutable. */
    public static final class Options {
        private final LogSchema schema;
        private final String path;
        private final int jsonLookahead;
        private final int maxLineBytes;

        private Options(LogSchema schema, String path, int jsonLookahead, int maxLineBytes) {
            this.schema = schema;
            this.path = path;
            this.jsonLookahead = jsonLookahead;
            this.maxLineBytes = maxLineBytes;
        }

        /** No schema, path from the header or file name, 1000 JSON lines of look-ahead, 64 MiB line limit. */
        public static Options defaults() {
            return new Options(null, null, 1000, 64 << 20);
        }

        /**
         * Field types to use where the input does not state them: for JSON lines (fields in this order;
         * keys not in the schema are errors) and for TSV files without {@code #types} (by field name,
         * others {@code string}). Its path is used when the input names none.
         */
        public Options withSchema(LogSchema s) {
            return new Options(s, path, jsonLookahead, maxLineBytes);
        }

        /** The log path to use when the input has no {@code #path} line (instead of the file name). */
        public Options withPath(String p) {
            return new Options(schema, p, jsonLookahead, maxLineBytes);
        }

        /**
         * How many JSON lines to read ahead to infer a schema (memory is bounded by this). Keys first seen
         * later are errors: pass a schema or raise this.
         */
        public Options withJsonLookahead(int lines) {
            if (lines < 1) {
                throw new IllegalArgumentException("look-ahead must be at least 1 line");
            }
            return new Options(schema, path, lines, maxLineBytes);
        }

        /** Longest accepted line in bytes; longer lines are format errors. */
        public Options withMaxLineBytes(int bytes) {
            return new Options(schema, path, jsonLookahead, bytes);
        }

        /** The caller's schema, or null. */
        public LogSchema schema() {
            return schema;
        }

        /** The caller's log path, or null. */
        public String path() {
            return path;
        }
    }

    /**
     * Opens a log file ({@code .gz} or not) with default options.
     *
     * @throws IOException              when the file cannot be read
     * @throws ZeekLogFormatException   when the header is malformed
     */
    public static LogStream open(Path file) throws IOException {
        return open(file, Options.defaults());
    }

    /** Opens a log file; see {@link #open(Path)}. */
    public static LogStream open(Path file, Options options) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return open(in, file.getFileName().toString(), options);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Reads a log from a stream; {@link LogStream#close()} closes it.
     *
     * @param sourceName a name for error messages and, lacking {@code #path}, the log path (without
     *                   {@code .log}/{@code .gz}/{@code .json} endings)
     * @throws IOException            when reading the header fails
     * @throws ZeekLogFormatException when the header is malformed
     */
    public static LogStream open(InputStream in, String sourceName) throws IOException {
        return open(in, sourceName, Options.defaults());
    }

    /** Reads a log from a stream; see {@link #open(InputStream, String)}. */
    public static LogStream open(InputStream in, String sourceName, Options options) throws IOException {
        Objects.requireNonNull(options);
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int m1 = b.read();
        int m2 = b.read();
        b.reset();
        InputStream data = b;
        if (m1 == 0x1f && m2 == 0x8b) {
            data = new BufferedInputStream(new GZIPInputStream(b, 1 << 16), 1 << 16);
        }
        LineReader lines = new LineReader(data, sourceName, options.maxLineBytes);
        String defaultPath = options.path != null ? options.path
                : options.schema != null ? options.schema.path() : pathFromName(sourceName);
        // find the first meaningful line
        while (lines.next()) {
            if (lines.length() == 0 || lines.startsWith("### ")) {
                continue;
            }
            if (lines.bytes()[0] == '{' || lines.bytes()[0] == ' ' && firstNonBlank(lines) == '{') {
                return JsonSource.open(lines, sourceName, defaultPath, options);
            }
            return TsvSource.open(lines, sourceName, defaultPath, options);
        }
        // empty input: an empty log with the caller's schema or none
        LogSchema s = options.schema != null ? options.schema : new LogSchema(defaultPath, List.of());
        return new LogStream(sourceName, LogFormat.TSV, s, new LinkedHashMap<>(), new EmptySource(lines));
    }

    private static int firstNonBlank(LineReader l) {
        for (int i = 0; i < l.length(); i++) {
            if (l.bytes()[i] != ' ' && l.bytes()[i] != '\t') {
                return l.bytes()[i];
            }
        }
        return -1;
    }

    /** {@code conn.log} -> {@code conn}; {@code http.log.json.gz} -> {@code http}. */
    static String pathFromName(String name) {
        String n = name;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String ext : new String[] {".gz", ".log", ".json", ".tsv", ".cut", ".txt"}) {
                if (n.endsWith(ext) && n.length() > ext.length()) {
                    n = n.substring(0, n.length() - ext.length());
                    changed = true;
                }
            }
        }
        return n;
    }

    private static final class EmptySource implements LogStream.Source {
        private final LineReader lines;

        EmptySource(LineReader lines) {
            this.lines = lines;
        }

        @Override
        public LogRecord next() {
            return null;
        }

        @Override
        public long line() {
            return lines.lineNumber();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    // ====================================================================== TSV

    private static final class TsvSource implements LogStream.Source {
        private final LineReader lines;
        private final String source;
        private final Map<String, String> meta;
        private LogSchema schema;
        private ZeekTsvFormat format;
        private byte[] sep;
        private LogRecord pending;

        private TsvSource(LineReader lines, String source, Map<String, String> meta) {
            this.lines = lines;
            this.source = source;
            this.meta = meta;
        }

        static LogStream open(LineReader lines, String source, String defaultPath, Options options)
                throws IOException {
            Map<String, String> meta = new LinkedHashMap<>();
            TsvSource s = new TsvSource(lines, source, meta);
            if (lines.startsWith("#")) {
                s.readHeader(defaultPath, options);
                if (lines.length() > 0 && !lines.startsWith("#")) {
                    s.pending = s.parseRow();
                }
            } else {
                // zeek-cut -m style: one line of field names
                s.format = ZeekTsvFormat.DEFAULT;
                s.sep = new byte[] {'\t'};
                List<String> names = s.split(lines.bytes(), lines.length());
                s.schema = s.schemaFor(defaultPath, names, null, options);
            }
            return new LogStream(source, LogFormat.TSV, s.schema, meta, s);
        }

        /** Reads header lines starting at the current line; stops after the first data line (kept pending). */
        private void readHeader(String defaultPath, Options options) throws IOException {
            String separator = "\t";
            String setSep = ",";
            String empty = "(empty)";
            String unset = "-";
            List<String> names = null;
            List<String> types = null;
            String path = null;
            long typesLine = 0;
            do {
                if (lines.length() == 0) {
                    continue;
                }
                if (!lines.startsWith("#")) {
                    break;
                }
                String text = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
                if (text.startsWith("#separator ")) {
                    separator = unescapeText(text.substring(11).trim());
                    if (separator.isEmpty()) {
                        throw new ZeekLogFormatException(source, lines.lineNumber(), "empty #separator");
                    }
                    meta.put("separator", text.substring(11).trim());
                    continue;
                }
                int cut = text.indexOf(separator);
                String key;
                String value;
                if (cut > 0) {
                    key = text.substring(1, cut);
                    value = text.substring(cut + separator.length());
                } else {
                    int sp = text.indexOf(' ');
                    key = sp > 0 ? text.substring(1, sp) : text.substring(1);
                    value = sp > 0 ? text.substring(sp + 1) : "";
                }
                switch (key) {
                    case "set_separator" -> setSep = unescapeText(value);
                    case "empty_field" -> empty = unescapeText(value);
                    case "unset_field" -> unset = unescapeText(value);
                    case "path" -> path = unescapeText(value);
                    case "fields" -> names = List.of(value.split(java.util.regex.Pattern.quote(separator), -1));
                    case "types" -> {
                        types = List.of(value.split(java.util.regex.Pattern.quote(separator), -1));
                        typesLine = lines.lineNumber();
                    }
                    default -> {
                        // #open, #close and comments
                    }
                }
                if (!key.isEmpty() && key.chars().allMatch(c -> c == '_' || Character.isLetter(c))) {
                    meta.put(key, value);
                }
            } while (lines.next());
            if (setSep.isEmpty()) {
                throw new ZeekLogFormatException(source, lines.lineNumber(), "empty #set_separator");
            }
            format = new ZeekTsvFormat(separator, setSep, empty, unset, true);
            sep = ZeekBytes.toBytes(separator);
            if (names == null) {
                throw new ZeekLogFormatException(source, lines.lineNumber(), "no #fields line in the header");
            }
            if (types != null && types.size() != names.size()) {
                throw new ZeekLogFormatException(source, typesLine, "#types has " + types.size()
                        + " entries but #fields has " + names.size());
            }
            schema = schemaFor(path != null ? path : defaultPath, names, types, options);
        }

        private LogSchema schemaFor(String path, List<String> names, List<String> types, Options options) {
            List<LogSchema.Field> fields = new ArrayList<>();
            java.util.Set<String> used = new java.util.HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                if (types == null) {
                    // zeek-cut output may name a column twice or leave a missing column's name empty
                    if (n.isEmpty()) {
                        n = "_" + (i + 1);
                    }
                    String base = n;
                    for (int k = 2; used.contains(n); k++) {
                        n = base + "~" + k;
                    }
                    used.add(n);
                }
                FieldType t;
                if (types != null) {
                    try {
                        t = FieldType.parse(types.get(i));
                    } catch (IllegalArgumentException e) {
                        throw new ZeekLogFormatException(source, lines.lineNumber(), e.getMessage());
                    }
                } else {
                    int k = options.schema == null ? -1 : options.schema.indexOf(n);
                    t = k >= 0 ? options.schema.fields().get(k).type() : FieldType.of(FieldType.Kind.STRING);
                }
                fields.add(new LogSchema.Field(n, t));
            }
            try {
                return new LogSchema(path, fields);
            } catch (IllegalArgumentException e) {
                throw new ZeekLogFormatException(source, lines.lineNumber(), e.getMessage());
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private static String unescapeText(String s) {
            byte[] b = bytes(s);
            return ZeekTsvFormat.unescape(b, 0, b.length);
        }

        private List<String> split(byte[] b, int len) {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= len; i++) {
                if (i == len || matches(b, i, len)) {
                    out.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                    if (i == len) {
                        break;
                    }
                    i += sep.length - 1;
                    start = i + 1;
                }
            }
            return out;
        }

        private boolean matches(byte[] b, int i, int len) {
            if (i + sep.length > len) {
                return false;
            }
            for (int k = 0; k < sep.length; k++) {
                if (b[i + k] != sep[k]) {
                    return false;
                }
            }
            return true;
        }

        private LogRecord parseRow() {
            byte[] b = lines.bytes();
            int len = lines.length();
            LogRecord r = new LogRecord(schema);
            int field = 0;
            int start = 0;
            int n = schema.size();
            int found = 1;
            for (int i = 0; i < len; i++) {
                if (matches(b, i, len)) {
                    found++;
                    i += sep.length - 1;
                }
            }
            if (found != n) {
                throw new ZeekLogFormatException(source, lines.lineNumber(),
                        "expected " + n + " fields, found " + found);
            }
            for (int i = 0; i <= len; i++) {
                if (i == len || matches(b, i, len)) {
                    if (field >= n) {
                        throw new ZeekLogFormatException(source, lines.lineNumber(),
                                "expected " + n + " fields, found more");
                    }
                    LogSchema.Field f = schema.fields().get(field);
                    try {
                        r.set(field, format.parseValue(f.type(), b, start, i - start));
                    } catch (IllegalArgumentException e) {
                        throw new ZeekLogFormatException(source, lines.lineNumber(),
                                "field " + f.name() + " (" + f.type() + "): " + e.getMessage());
                    }
                    field++;
                    if (i == len) {
                        break;
                    }
                    i += sep.length - 1;
                    start = i + 1;
                }
            }
            if (field != n) {
                throw new ZeekLogFormatException(source, lines.lineNumber(),
                        "expected " + n + " fields, found " + field);
            }
            return r;
        }

        @Override
        public LogRecord next() throws IOException {
            if (pending != null) {
                LogRecord r = pending;
                pending = null;
                return r;
            }
            while (lines.next()) {
                if (lines.length() == 0) {
                    continue;
                }
                if (lines.startsWith("#")) {
                    handleMetaLine();
                    if (pending != null) {
                        LogRecord r = pending;
                        pending = null;
                        return r;
                    }
                    continue;
                }
                return parseRow();
            }
            return null;
        }

        /** A header line after data: #close, or a repeated header block (as in concatenated logs). */
        private void handleMetaLine() throws IOException {
            if (lines.startsWith("#close")) {
                String text = new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8);
                String v = text.length() > 7 ? text.substring(7) : "";
                synchronized (meta) {
                    meta.put("close", v);
                }
                return;
            }
            if (!lines.startsWith("#separator")) {
                return; // a comment
            }
            LogSchema before = schema;
            long at = lines.lineNumber();
            synchronized (meta) {
                readHeader(before.path(), Options.defaults());
            }
            if (!schema.fields().equals(before.fields())) {
                throw new ZeekLogFormatException(source, at,
                        "a new header changes the fields of log " + before.path() + "; read the parts separately");
            }
            schema = before;
            if (lines.length() > 0 && !lines.startsWith("#")) {
                pending = parseRow();
            }
        }

        @Override
        public long line() {
            return lines.lineNumber();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    // ====================================================================== JSON

    private static final class JsonSource implements LogStream.Source {
        private final LineReader lines;
        private final String source;
        private final Deque<Object[]> ahead = new ArrayDeque<>(); // {Long line, ObjectNode}
        private LogSchema schema;

        private JsonSource(LineReader lines, String source) {
            this.lines = lines;
            this.source = source;
        }

        static LogStream open(LineReader lines, String source, String defaultPath, Options options)
                throws IOException {
            JsonSource s = new JsonSource(lines, source);
            s.ahead.add(new Object[] {lines.lineNumber(), s.parseLine()});
            if (options.schema != null) {
                s.schema = new LogSchema(defaultPath, options.schema.fields());
            } else {
                while (s.ahead.size() < options.jsonLookahead && lines.next()) {
                    if (s.skippable()) {
                        continue;
                    }
                    s.ahead.add(new Object[] {lines.lineNumber(), s.parseLine()});
                }
                s.schema = s.infer(defaultPath);
            }
            return new LogStream(source, LogFormat.JSON, s.schema, new LinkedHashMap<>(), s);
        }

        private boolean skippable() {
            return lines.length() == 0 || lines.startsWith("#") || firstNonBlank(lines) < 0;
        }

        private ObjectNode parseLine() {
            JsonNode n;
            try {
                n = JSON.readTree(lines.bytes(), 0, lines.length());
            } catch (JsonProcessingException e) {
                throw new ZeekLogFormatException(source, lines.lineNumber(),
                        "invalid JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new ZeekLogFormatException(source, lines.lineNumber(), "invalid JSON: " + e.getMessage(), e);
            }
            if (!(n instanceof ObjectNode o)) {
                throw new ZeekLogFormatException(source, lines.lineNumber(), "a JSON log line must be an object");
            }
            return o;
        }

        private LogSchema infer(String path) {
            Map<String, List<JsonNode>> seen = new LinkedHashMap<>();
            for (Object[] a : ahead) {
                Map<String, JsonNode> flat = new LinkedHashMap<>();
                flatten((ObjectNode) a[1], "", flat);
                for (Map.Entry<String, JsonNode> e : flat.entrySet()) {
                    seen.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
            List<LogSchema.Field> fields = new ArrayList<>();
            for (Map.Entry<String, List<JsonNode>> e : seen.entrySet()) {
                fields.add(new LogSchema.Field(e.getKey(), inferType(e.getKey(), e.getValue())));
            }
            return new LogSchema(path, fields);
        }

        @Override
        public LogRecord next() throws IOException {
            long lineNo;
            ObjectNode o;
            if (!ahead.isEmpty()) {
                Object[] a = ahead.poll();
                lineNo = (Long) a[0];
                o = (ObjectNode) a[1];
            } else {
                do {
                    if (!lines.next()) {
                        return null;
                    }
                } while (skippable());
                lineNo = lines.lineNumber();
                o = parseLine();
            }
            Map<String, JsonNode> flat = new LinkedHashMap<>();
            flatten(o, "", flat);
            LogRecord r = new LogRecord(schema);
            for (Map.Entry<String, JsonNode> e : flat.entrySet()) {
                int i = schema.indexOf(e.getKey());
                if (i < 0) {
                    throw new ZeekLogFormatException(source, lineNo, "field " + e.getKey()
                            + " is not in the schema " + schema.names()
                            + " (pass a schema, or a larger look-ahead to infer one)");
                }
                FieldType t = schema.fields().get(i).type();
                try {
                    r.set(i, jsonValue(t, e.getValue()));
                } catch (IllegalArgumentException ex) {
                    throw new ZeekLogFormatException(source, lineNo,
                            "field " + e.getKey() + " (" + t + "): " + ex.getMessage());
                }
            }
            return r;
        }

        @Override
        public long line() {
            return lines.lineNumber();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    private static void flatten(ObjectNode o, String prefix, Map<String, JsonNode> out) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (e.getValue() instanceof ObjectNode inner) {
                flatten(inner, prefix + e.getKey() + ".", out);
            } else {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
    }

    /** A JSON value as the Java value for a Zeek type. */
    static Object jsonValue(FieldType t, JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (t.kind().isContainer()) {
            if (!n.isArray()) {
                throw new IllegalArgumentException("expected a JSON array, got " + n);
            }
            List<Object> out = new ArrayList<>(n.size());
            for (JsonNode e : n) {
                out.add(jsonValue(t.element(), e));
            }
            return out;
        }
        switch (t.kind()) {
            case TIME, INTERVAL, DOUBLE -> {
                if (n.isNumber()) {
                    return n.doubleValue();
                }
                if (n.isTextual()) {
                    String s = n.textValue();
                    if (t.kind() == FieldType.Kind.TIME && s.contains("T")) {
                        try {
                            Instant i = Instant.parse(s);
                            return i.getEpochSecond() + i.getNano() / 1e9;
                        } catch (DateTimeParseException e) {
                            throw new IllegalArgumentException("not an ISO-8601 time: '" + s + "'");
                        }
                    }
                    return ZeekTsvFormat.parseDouble(s);
                }
                throw new IllegalArgumentException("not a number: " + n);
            }
            case COUNT -> {
                if (n.isIntegralNumber()) {
                    BigInteger b = n.bigIntegerValue();
                    if (b.signum() >= 0 && b.bitLength() <= 64) {
                        return b.longValue();
                    }
                }
                if (n.isTextual()) {
                    return ZeekTsvFormat.DEFAULT.parseValue(t, n.textValue());
                }
                throw new IllegalArgumentException("not a count: " + n);
            }
            case INT -> {
                if (n.isIntegralNumber() && n.canConvertToLong()) {
                    return n.longValue();
                }
                if (n.isTextual()) {
                    return ZeekTsvFormat.DEFAULT.parseValue(t, n.textValue());
                }
                throw new IllegalArgumentException("not an int: " + n);
            }
            case PORT -> {
                if (n.isIntegralNumber() && n.canConvertToInt() && n.intValue() >= 0 && n.intValue() <= 65535) {
                    return n.intValue();
                }
                if (n.isTextual()) {
                    return ZeekTsvFormat.DEFAULT.parseValue(t, n.textValue());
                }
                throw new IllegalArgumentException("not a port: " + n);
            }
            case BOOL -> {
                if (n.isBoolean()) {
                    return n.booleanValue();
                }
                if (n.isTextual()) {
                    return ZeekTsvFormat.DEFAULT.parseValue(t, n.textValue());
                }
                throw new IllegalArgumentException("not a bool: " + n);
            }
            case ADDR -> {
                String s = n.asText();
                try {
                    return InetAddresses.forString(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an address: '" + s + "'");
                }
            }
            default -> {
                return jsonText(n);
            }
        }
    }

    /**
     * A JSON string as a byte string: UTF-8 bytes of the text with Zeek's {@code \xNN} hex escapes turned
     * back into bytes (Zeek's JSON writer does not distinguish them from the same four literal characters).
     */
    static String jsonText(JsonNode n) {
        String s = n.isTextual() ? n.textValue() : n.toString();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(b.length);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x') {
                int h = Character.digit(b[i + 2], 16);
                int l = Character.digit(b[i + 3], 16);
                if (h >= 0 && l >= 0) {
                    out.append((char) (h << 4 | l));
                    i += 3;
                    continue;
                }
            }
            out.append((char) (b[i] & 0xFF));
        }
        return out.toString();
    }

    /**
     * Infers a Zeek type for a JSON field from its observed values. Booleans give {@code bool}; integers
     * {@code count} (or {@code int} when one is negative), or {@code port} for port-named fields
     * ({@code *_p}, {@code *port}); numbers with a fraction {@code double}, with integers too; names
     * {@code ts}, {@code *_ts}, {@code *.ts} give {@code time} and {@code duration}, {@code *_duration},
     * {@code rtt}, {@code lease_time} give {@code interval} for numbers; strings that are all IP literals
     * give {@code addr}, all CIDR prefixes {@code subnet}, other strings (or mixed values) {@code string};
     * arrays {@code vector[...]} of their elements' type; a field only ever null gives {@code string}.
     */
    public static FieldType inferType(String name, List<JsonNode> values) {
        boolean container = false;
        List<JsonNode> scalars = new ArrayList<>();
        boolean mixed = false;
        for (JsonNode v : values) {
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isArray()) {
                container = true;
                v.forEach(e -> {
                    if (!e.isNull()) {
                        scalars.add(e);
                    }
                });
            } else {
                if (container) {
                    mixed = true;
                }
                scalars.add(v);
            }
        }
        if (container && scalars.size() > 0 && values.stream().anyMatch(v -> v != null && !v.isNull() && !v.isArray())) {
            mixed = true;
        }
        FieldType.Kind k = mixed ? FieldType.Kind.STRING : inferScalar(name, scalars);
        return container && !mixed ? FieldType.container(FieldType.Kind.VECTOR, FieldType.of(k)) : FieldType.of(k);
    }

    private static FieldType.Kind inferScalar(String name, List<JsonNode> values) {
        if (values.isEmpty()) {
            return FieldType.Kind.STRING;
        }
        boolean allBool = true;
        boolean allNum = true;
        boolean allInt = true;
        boolean anyNeg = false;
        boolean allAddr = true;
        boolean allSubnet = true;
        boolean portRange = true;
        for (JsonNode v : values) {
            allBool &= v.isBoolean();
            allNum &= v.isNumber();
            allInt &= v.isIntegralNumber();
            if (v.isNumber()) {
                anyNeg |= v.doubleValue() < 0;
                portRange &= v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0 && v.intValue() <= 65535;
            }
            if (v.isTextual()) {
                String s = v.textValue();
                allAddr &= InetAddresses.isInetAddress(s);
                allSubnet &= isSubnet(s);
            } else {
                allAddr = false;
                allSubnet = false;
            }
        }
        if (allBool) {
            return FieldType.Kind.BOOL;
        }
        if (allNum) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (last.equals("ts") || last.endsWith("_ts")) {
                return FieldType.Kind.TIME;
            }
            if (last.equals("duration") || last.endsWith("_duration") || last.equals("rtt")
                    || last.equals("lease_time")) {
                return FieldType.Kind.INTERVAL;
            }
            if (allInt) {
                if (portRange && (last.endsWith("_p") || last.endsWith("port"))) {
                    return FieldType.Kind.PORT;
                }
                return anyNeg ? FieldType.Kind.INT : FieldType.Kind.COUNT;
            }
            return FieldType.Kind.DOUBLE;
        }
        if (allAddr) {
            return FieldType.Kind.ADDR;
        }
        if (allSubnet) {
            return FieldType.Kind.SUBNET;
        }
        return FieldType.Kind.STRING;
    }

    private static boolean isSubnet(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            return false;
        }
        String len = s.substring(slash + 1);
        if (!len.chars().allMatch(Character::isDigit) || len.length() > 3) {
            return false;
        }
        return InetAddresses.isInetAddress(s.substring(0, slash));
    }
}
