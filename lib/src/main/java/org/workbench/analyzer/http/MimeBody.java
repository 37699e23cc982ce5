package org.workbench.analyzer.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.workbench.files.AnalyzedFile;

/**
 * Streaming MIME structure of an HTTP message body (RFC 2045/2046): {@code multipart/*} bodies are split at
 * their boundaries, each part's headers are read, {@code message/rfc822} parts are parsed as embedded messages,
 * and every leaf part becomes a file of its own (decoded from base64 when its
 * {@code Content-Transfer-Encoding} says so), as Zeek's HTTP/MIME analysis does. Memory per level is bounded
 * (a boundary-sized carry and one header line); nesting deeper than {@link #MAX_DEPTH} raises the weird
 * {@code exceeded_mime_max_depth} and the deeper content is skipped.
 */
final class MimeBody {
    /** Deepest MIME nesting analyzed (Zeek's {@code MIME::max_depth} is 100). */
    static final int MAX_DEPTH = 100;
    private static final int MAX_HEADER_LINE = 16 * 1024;

    /** What the MIME tree needs from the HTTP analyzer. */
    interface Host {
        /** Opens a file for a leaf part; {@code filename} may be null. */
        AnalyzedFile openFile(double ts, String filename);

        /** Ends a leaf part's file. */
        void closeFile(double ts, AnalyzedFile file);

        void weird(double ts, String name, String addl);

        /**
         * The file a part with a {@code Content-Range} belongs to, when its pieces are to be placed by offset into
         * one file that outlives the message (a range response); null to treat the part as a file of its own.
         *
         * @param total the complete length from the Content-Range, or -1 when unknown
         */
        default AnalyzedFile openRangeFile(double ts, String filename, long total) {
            return null;
        }
    }

    /**
     * Parses a {@code Content-Range} value {@code bytes FIRST-LAST/TOTAL}.
     *
     * @return {first, total} with total -1 for {@code *}, or null when it does not parse
     */
    static long[] parseContentRange(String value) {
        String v = value.strip();
        if (!v.toLowerCase(Locale.ROOT).startsWith("bytes")) {
            return null;
        }
        String r = v.substring(5).strip();
        int dash = r.indexOf('-');
        int slash = r.indexOf('/');
        if (dash <= 0 || slash <= dash) {
            return null;
        }
        long first = digits(r.substring(0, dash).strip());
        long last = digits(r.substring(dash + 1, slash).strip());
        String t = r.substring(slash + 1).strip();
        long total = t.equals("*") ? -1 : digits(t);
        if (first < 0 || last < first || (total < 0 && !t.equals("*"))) {
            return null;
        }
        return new long[] {first, total};
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(s);
    }

    private MimeBody() {
    }

    /** A node of the MIME tree, fed with its (transfer-decoded) content in order. */
    abstract static class Node {
        abstract void data(double ts, byte[] b, int off, int len);

        abstract void gap(double ts, long n);

        abstract void end(double ts);
    }

    /**
     * The node for an HTTP body of the given Content-Type, or null when the body is a single file (not
     * {@code multipart/*} with a boundary, nor {@code message/rfc822}).
     */
    static Node forHttpBody(Host host, String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = mediaType(contentType);
        if (type.startsWith("multipart/")) {
            String boundary = HttpSyntax.headerParam(contentType, "boundary");
            return boundary == null || boundary.isEmpty() ? null : new Multipart(host, boundary, 1);
        }
        if (type.equals("message/rfc822")) {
            return new Entity(host, 1);
        }
        return null;
    }

    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /** Swallows content. */
    private static final class Ignore extends Node {
        @Override
        void data(double ts, byte[] b, int off, int len) {
        }

        @Override
        void gap(double ts, long n) {
        }

        @Override
        void end(double ts) {
        }
    }

    /** A leaf part: its content is a file. */
    private static final class Leaf extends Node {
        private final Host host;
        private final String filename;
        private final Base64Stream base64;
        private final long[] range; // {first, total} of the part's Content-Range, or null
        private AnalyzedFile file;
        private boolean rangeFile; // file is a shared range file: placed by offset, not ended here
        private long position;     // bytes of this part so far (for a range file)

        Leaf(Host host, String filename, boolean base64, long[] range) {
            this.host = host;
            this.filename = filename;
            this.base64 = base64 ? new Base64Stream() : null;
            this.range = range;
        }

        private AnalyzedFile file(double ts) {
            if (file == null) {
                if (range != null) {
                    file = host.openRangeFile(ts, filename, range[1]);
                    rangeFile = file != null;
                }
                if (file == null) {
                    file = host.openFile(ts, filename);
                }
            }
            return file;
        }

        @Override
        void data(double ts, byte[] b, int off, int len) {
            if (len <= 0) {
                return;
            }
            if (range != null && base64 == null && file(ts) != null && rangeFile) {
                file.dataAt(ts, range[0] + position, b, off, len);
                position += len;
                return;
            }
            if (base64 != null) {
                base64.decode(b, off, len, (d, o, l) -> file(ts).data(ts, d, o, l));
            } else {
                file(ts).data(ts, b, off, len);
            }
        }

        @Override
        void gap(double ts, long n) {
            if (file(ts) != null && rangeFile) {
                position += n; // the next piece's offset accounts for the missing bytes
                return;
            }
            file(ts).gap(ts, base64 != null ? n * 3 / 4 : n);
        }

        @Override
        void end(double ts) {
            if (rangeFile) {
                file = null; // a range file collects further pieces; it is ended with the analysis
                return;
            }
            if (file != null) {
                host.closeFile(ts, file);
                file = null;
            }
        }
    }

    /** A MIME entity with a header block, then a body handled according to its Content-Type. */
    private static final class Entity extends Node {
        private final Host host;
        private final int depth;
        private byte[] line = new byte[128];
        private int lineLen;
        private String contentType;
        private String filename;
        private String transferEncoding;
        private long[] contentRange;
        private String lastName;
        private StringBuilder lastValue;
        private Node body;
        private double lastTs;
        private boolean sawHeaderBytes;

        Entity(Host host, int depth) {
            this.host = host;
            this.depth = depth;
        }

        @Override
        void data(double ts, byte[] b, int off, int len) {
            int end = off + len;
            if (len > 0 && body == null) {
                sawHeaderBytes = true;
            }
            while (body == null && off < end) {
                int lf = -1;
                for (int i = off; i < end; i++) {
                    if (b[i] == '\n') {
                        lf = i;
                        break;
                    }
                }
                int stop = lf < 0 ? end : lf;
                append(b, off, stop - off);
                off = lf < 0 ? end : lf + 1;
                if (lf >= 0) {
                    int n = lineLen > 0 && line[lineLen - 1] == '\r' ? lineLen - 1 : lineLen;
                    String text = new String(line, 0, n, StandardCharsets.ISO_8859_1);
                    lineLen = 0;
                    headerLine(ts, text);
                }
            }
            if (body != null && off < end) {
                body.data(ts, b, off, end - off);
            }
        }

        private void append(byte[] b, int off, int n) {
            n = Math.min(n, MAX_HEADER_LINE - lineLen);
            if (n <= 0) {
                return;
            }
            if (lineLen + n > line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_HEADER_LINE, Math.max(lineLen + n, line.length * 2)));
            }
            System.arraycopy(b, off, line, lineLen, n);
            lineLen += n;
        }

        private void headerLine(double ts, String text) {
            lastTs = ts;
            sawHeaderBytes = true;
            if (text.isEmpty()) {
                flush();
                startBody(ts);
                return;
            }
            if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && lastName != null) {
                if (lastValue.length() < MAX_HEADER_LINE) {
                    lastValue.append(' ').append(text.strip());
                }
                return;
            }
            flush();
            int colon = text.indexOf(':');
            if (colon > 0) {
                lastName = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                lastValue = new StringBuilder(text.substring(colon + 1).strip());
            }
        }

        private void flush() {
            if (lastName == null) {
                return;
            }
            String v = lastValue.toString().strip();
            switch (lastName) {
                case "content-type" -> contentType = v;
                case "content-disposition" -> {
                    String f = HttpSyntax.headerParam(v, "filename");
                    if (f != null) {
                        filename = f;
                    }
                }
                case "content-transfer-encoding" -> transferEncoding = v.toLowerCase(Locale.ROOT);
                case "content-range" -> contentRange = parseContentRange(v);
                case "transfer-encoding" -> host.weird(lastTs, "HTTP_nested_transfer_encoding_header", null);
                default -> { }
            }
            lastName = null;
            lastValue = null;
        }

        private void startBody(double ts) {
            line = null;
            if (depth > MAX_DEPTH) {
                body = new Ignore();
                return;
            }
            String type = contentType == null ? "text/plain" : mediaType(contentType);
            if (type.startsWith("multipart/")) {
                String boundary = HttpSyntax.headerParam(contentType, "boundary");
                if (boundary != null && !boundary.isEmpty()) {
                    body = nested(ts, host, depth, () -> new Multipart(host, boundary, depth + 1));
                    return;
                }
            }
            if (type.equals("message/rfc822")) {
                body = nested(ts, host, depth, () -> new Entity(host, depth + 1));
                return;
            }
            body = new Leaf(host, filename, "base64".equals(transferEncoding), contentRange);
        }

        @Override
        void gap(double ts, long n) {
            if (body == null) {
                lineLen = 0;
                startBody(ts);
            }
            body.gap(ts, n);
        }

        @Override
        void end(double ts) {
            if (body == null && (sawHeaderBytes || lineLen > 0)) {
                // the body ended inside the entity's header block
                lastTs = ts;
                flush();
                host.weird(ts, "http_no_crlf_in_header_list", null);
                return;
            }
            if (body != null) {
                body.end(ts);
            }
        }
    }

    private static Node nested(double ts, Host host, int depth, java.util.function.Supplier<Node> make) {
        if (depth + 1 > MAX_DEPTH) {
            host.weird(ts, "exceeded_mime_max_depth", String.valueOf(MAX_DEPTH));
            return new Ignore();
        }
        return make.get();
    }

    /** A multipart body: parts separated by {@code --boundary} lines. */
    private static final class Multipart extends Node {
        private final Host host;
        private final int depth;
        private final byte[] delimiter; // "\n--" + boundary
        private byte[] carry;
        /** Time of the packet that brought the carried bytes (they keep it when emitted later). */
        private double carryTs = Double.NEGATIVE_INFINITY;
        /** While {@link #data} runs: how many bytes at the start of its window came from the carry. */
        private int carried;
        private boolean inPart;
        private boolean done;
        private Node part;

        Multipart(Host host, String boundary, int depth) {
            this.host = host;
            this.depth = depth;
            this.delimiter = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            this.carry = new byte[] {'\n'}; // a boundary may open the body without a line break before it
        }

        @Override
        void data(double ts, byte[] b, int off, int len) {
            if (done || len <= 0) {
                return;
            }
            byte[] w = new byte[carry.length + len];
            System.arraycopy(carry, 0, w, 0, carry.length);
            System.arraycopy(b, off, w, carry.length, len);
            carried = carry.length;
            int pos = 0;
            while (!done) {
                int i = indexOf(w, delimiter, pos);
                if (i < 0) {
                    int safe = w.length - (delimiter.length + 1);
                    if (safe > pos) {
                        emit(ts, w, pos, safe - pos);
                        pos = safe;
                    }
                    break;
                }
                int j = i + delimiter.length;
                int lf = -1;
                for (int k = j; k < w.length; k++) {
                    if (w[k] == '\n') {
                        lf = k;
                        break;
                    }
                }
                boolean closing = w.length >= j + 2 && w[j] == '-' && w[j + 1] == '-';
                if (lf < 0 && !closing) {
                    if (w.length - j > MAX_HEADER_LINE) {
                        // not a boundary line after all: treat as content
                        emit(ts, w, pos, j - pos);
                        pos = j;
                        continue;
                    }
                    // the boundary line is not complete yet
                    emit(ts, w, pos, contentEnd(w, pos, i) - pos);
                    pos = i;
                    break;
                }
                emit(ts, w, pos, contentEnd(w, pos, i) - pos);
                if (part != null) {
                    part.end(ts);
                    part = null;
                }
                if (closing) {
                    done = true;
                    pos = w.length;
                    break;
                }
                inPart = true;
                part = new Entity(host, depth + 1);
                pos = lf + 1;
            }
            carryTs = ts; // the newest bytes of the new carry came with this packet
            carry = Arrays.copyOfRange(w, pos, w.length);
            carried = 0;
        }

        /** End of a part's content before a delimiter at {@code i}: the CR of the CRLF belongs to it. */
        private static int contentEnd(byte[] w, int pos, int i) {
            return i > pos && w[i - 1] == '\r' ? i - 1 : i;
        }

        private void emit(double ts, byte[] w, int off, int len) {
            if (len > 0 && inPart && part != null) {
                // bytes held back from an earlier packet keep that packet's time (files.log duration)
                part.data(off + len <= carried && carryTs > Double.NEGATIVE_INFINITY ? carryTs : ts, w, off, len);
            }
        }

        @Override
        void gap(double ts, long n) {
            if (done) {
                return;
            }
            emit(ts, carry, 0, carry.length);
            carry = new byte[0];
            if (inPart && part != null) {
                part.gap(ts, n);
            }
        }

        @Override
        void end(double ts) {
            if (!done) {
                emit(ts, carry, 0, carry.length);
            }
            carry = new byte[0];
            if (part != null) {
                part.end(ts);
                part = null;
            }
            done = true;
        }

        private static int indexOf(byte[] hay, byte[] needle, int from) {
            outer:
            for (int i = from; i <= hay.length - needle.length; i++) {
                for (int k = 0; k < needle.length; k++) {
                    if (hay[i + k] != needle[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** Incremental base64 decoder (RFC 2045 section 6.8); characters outside the alphabet are skipped. */
    static final class Base64Stream {
        private final int[] quad = new int[4];
        private int n;
        private final byte[] out = new byte[3 * 1024];

        void decode(byte[] b, int off, int len, BodyDecoder.Output sink) {
            int o = 0;
            for (int i = off; i < off + len; i++) {
                int c = b[i] & 0xff;
                if (c == '=') {
                    // padding: flush a partial quantum
                    if (n >= 2) {
                        out[o++] = (byte) (quad[0] << 2 | quad[1] >> 4);
                        if (n == 3) {
                            out[o++] = (byte) (quad[1] << 4 | quad[2] >> 2);
                        }
                    }
                    n = 0;
                    if (o >= out.length - 3) {
                        sink.write(out, 0, o);
                        o = 0;
                    }
                    continue;
                }
                int v = value(c);
                if (v < 0) {
                    continue;
                }
                quad[n++] = v;
                if (n == 4) {
                    out[o++] = (byte) (quad[0] << 2 | quad[1] >> 4);
                    out[o++] = (byte) (quad[1] << 4 | quad[2] >> 2);
                    out[o++] = (byte) (quad[2] << 6 | quad[3]);
                    n = 0;
                    if (o >= out.length - 3) {
                        sink.write(out, 0, o);
                        o = 0;
                    }
                }
            }
            if (o > 0) {
                sink.write(out, 0, o);
            }
        }

        private static int value(int c) {
            if (c >= 'A' && c <= 'Z') {
                return c - 'A';
            }
            if (c >= 'a' && c <= 'z') {
                return c - 'a' + 26;
            }
            if (c >= '0' && c <= '9') {
                return c - '0' + 52;
            }
            return c == '+' ? 62 : c == '/' ? 63 : -1;
        }
    }
}
