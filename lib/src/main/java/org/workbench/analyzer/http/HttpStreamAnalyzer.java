package org.workbench.analyzer.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.workbench.analysis.WeirdReporter;
import org.workbench.files.AnalyzedFile;
import org.workbench.files.FileAnalysisManager;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

/**
 * HTTP/1.x analysis of one TCP connection (RFC 9112 message framing). Requests are queued in arrival order and
 * each final response is matched to the oldest unanswered request (pipelining); 1xx responses fill
 * {@code info_code}/{@code info_msg}. Bodies are framed by Content-Length, chunked transfer coding (with
 * trailers) or the end of the connection, decoded from gzip/deflate content coding, and passed to file analysis.
 * A transaction's http.log record is written when its final response ends, or when the connection ends.
 *
 * <p>A gap inside a body of known extent (Content-Length, a chunk, or a body running to the end of the
 * connection) is passed to the file as missing bytes and parsing goes on. A gap anywhere else leaves the framing
 * unknown: like Zeek, the analyzer then stops parsing that direction (both, for a gap from the originator), unless
 * resynchronisation is enabled, in which case it skips input up to the next line that parses as a first line.
 */
final class HttpStreamAnalyzer implements StreamAnalyzer {
    private static final int MAX_LINE = 64 * 1024;
    /** Zeek's {@code HTTP::max_pending_requests}. */
    private static final int MAX_PENDING = 100;
    private static final Set<String> PROXY_HEADERS = Set.of("FORWARDED", "X-FORWARDED-FOR", "X-FORWARDED-FROM",
            "CLIENT-IP", "VIA", "XROXY-CONNECTION", "PROXY-CONNECTION");

    private final ConnectionContext conn;
    private final LogSink sink;
    private final WeirdReporter weirds;
    private final FileAnalysisManager files;
    private final boolean capturePassword;
    private final boolean resyncAfterGaps;
    private final Deque<Txn> pending = new ArrayDeque<>();
    private boolean unterminatedLineReported;
    /** Requests the analyzer has seen no final reply for (Zeek's core count, for unmatched_HTTP_reply). */
    private long unanswered;
    /** Zeek's script-level request/response counters (for HTTP_response_before_request). */
    private long scriptRequests;
    private long scriptResponses;
    private final Side orig = new Side(true);
    private final Side resp = new Side(false);
    private long depthCounter;
    private boolean confirmed;
    private String lastReplyVersion;
    private boolean done;
    /**
     * Whether an HTTP entity (message) is in progress on the connection, either direction: Zeek's script keeps one
     * "current entity" per connection, set when a message begins and cleared when any message ends, and a
     * Content-Disposition filename seen while none is set raises {@code missing_HTTP_entity} and is dropped.
     */
    private boolean entityOpen;

    HttpStreamAnalyzer(ConnectionContext conn, LogSink sink, WeirdReporter weirds, FileAnalysisManager files,
                       boolean capturePassword, boolean resyncAfterGaps) {
        this.resyncAfterGaps = resyncAfterGaps;
        this.conn = conn;
        this.sink = sink;
        this.weirds = weirds;
        this.files = files;
        this.capturePassword = capturePassword;
    }

    /** One request/response exchange: the fields of its http.log record. */
    private static final class Txn {
        double ts;
        long depth;
        String method;
        String host;
        String uri;
        String referrer;
        String version;
        String requestVersion;
        String userAgent;
        String origin;
        long requestBodyLen;
        long responseBodyLen;
        Long statusCode;
        String statusMsg;
        Long infoCode;
        String infoMsg;
        String username;
        String password;
        Set<String> proxied;
        final List<String> origFuids = new ArrayList<>();
        final List<String> origFilenames = new ArrayList<>();
        final List<String> origMimeTypes = new ArrayList<>();
        final List<String> respFuids = new ArrayList<>();
        final List<String> respFilenames = new ArrayList<>();
        final List<String> respMimeTypes = new ArrayList<>();
        boolean logged;
        boolean orphan;
        boolean rangeRequest; // the request had a Range header
    }

    private enum State { FIRST_LINE, HEADERS, BODY_LENGTH, BODY_EOF, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END,
        TRAILERS, IGNORE }

    // ------------------------------------------------------------------ StreamAnalyzer

    @Override
    public void deliver(boolean isOrig, double ts, byte[] data, int offset, int length) {
        if (done || data == null || length <= 0) {
            return;
        }
        Side s = isOrig ? orig : resp;
        try {
            s.feed(ts, data, offset, length);
        } catch (RuntimeException e) {
            s.state = State.IGNORE;
            violation("internal error: " + e);
        }
    }

    @Override
    public void gap(boolean isOrig, double ts, long length) {
        if (done || length <= 0) {
            return;
        }
        Side s = isOrig ? orig : resp;
        try {
            s.gap(ts, length);
        } catch (RuntimeException e) {
            s.state = State.IGNORE;
        }
    }

    @Override
    public void endOfData(boolean isOrig, double ts) {
        if (done) {
            return;
        }
        try {
            (isOrig ? orig : resp).endOfData(ts);
        } catch (RuntimeException e) {
            // never let a broken message stop the capture
        }
    }

    @Override
    public void connectionDone(double ts) {
        if (done) {
            return;
        }
        try {
            orig.endOfData(ts);
            resp.endOfData(ts);
            orig.abandonMessage(ts);
            resp.abandonMessage(ts);
            while (!pending.isEmpty()) {
                writeLog(pending.pollFirst());
            }

        } catch (RuntimeException e) {
            // nothing more to do for this connection
        } finally {
            done = true;
        }
    }

    // ------------------------------------------------------------------ helpers

    private void weird(double ts, String name, String addl) {
        weird(ts, name, addl, "HTTP");
    }

    private void weird(double ts, String name, String addl, String source) {
        try {
            weirds.weird(ts, name, conn.uid(), conn.id(), addl, source);
        } catch (RuntimeException ignored) {
            // reporting must not break analysis
        }
    }

    private void violation(String reason) {
        try {
            conn.protocolViolation("http", reason);
        } catch (RuntimeException ignored) {
            // tracker problem, not ours
        }
    }

    private void confirm() {
        if (!confirmed) {
            confirmed = true;
            try {
                conn.confirmProtocol("http");
            } catch (RuntimeException ignored) {
                // tracker problem, not ours
            }
        }
    }

    private void writeLog(Txn t) {
        if (t == null || t.logged) {
            return;
        }
        t.logged = true;
        ConnId id = conn.id();
        LogRecord r = new LogRecord(HttpLog.SCHEMA);
        r.set("ts", t.ts);
        r.set("uid", conn.uid());
        if (id != null) {
            r.set("id.orig_h", id.origH());
            r.set("id.orig_p", id.origP());
            r.set("id.resp_h", id.respH());
            r.set("id.resp_p", id.respP());
        }
        r.set("trans_depth", t.depth);
        r.set("method", t.method);
        r.set("host", t.host);
        r.set("uri", t.uri);
        r.set("referrer", t.referrer);
        r.set("version", t.version);
        r.set("user_agent", t.userAgent);
        r.set("origin", t.origin);
        r.set("request_body_len", t.requestBodyLen);
        r.set("response_body_len", t.responseBodyLen);
        r.set("status_code", t.statusCode);
        r.set("status_msg", t.statusMsg);
        r.set("info_code", t.infoCode);
        r.set("info_msg", t.infoMsg);
        r.set("tags", List.of());
        r.set("username", t.username);
        r.set("password", t.password);
        r.set("proxied", t.proxied == null ? null : List.copyOf(t.proxied));
        r.set("orig_fuids", orNull(t.origFuids));
        r.set("orig_filenames", orNull(t.origFilenames));
        r.set("orig_mime_types", orNull(t.origMimeTypes));
        r.set("resp_fuids", orNull(t.respFuids));
        r.set("resp_filenames", orNull(t.respFilenames));
        r.set("resp_mime_types", orNull(t.respMimeTypes));
        sink.write(r);
    }

    private static List<String> orNull(List<String> l) {
        return l.isEmpty() ? null : List.copyOf(l);
    }

    /**
     * Queues a new request's transaction. As Zeek's HTTP script does: a request that follows more responses than
     * requests raises {@code HTTP_response_before_request}; more than {@link #MAX_PENDING} unanswered requests
     * raise {@code HTTP_excessive_pipelining} and are all logged as they are.
     */
    private Txn newRequest(double ts) {
        unanswered++;
        if (scriptRequests < scriptResponses) {
            weird(ts, "HTTP_response_before_request", null);
            scriptRequests = scriptResponses;
        }
        if (pending.size() > MAX_PENDING) {
            weird(ts, "HTTP_excessive_pipelining", null);
            while (!pending.isEmpty()) {
                writeLog(pending.pollFirst());
            }
        }
        scriptRequests++;
        Txn t = newTxn(ts);
        pending.addLast(t);
        return t;
    }

    private Txn newTxn(double ts) {
        Txn t = new Txn();
        t.ts = ts;
        t.depth = ++depthCounter;
        return t;
    }

    /**
     * Most files listed per direction of one transaction in http.log's fuids, filenames and mime_types (Zeek's
     * {@code HTTP::max_files_orig} and {@code HTTP::max_files_resp}, default 15).
     */
    static final int MAX_FILES_PER_TXN = 15;

    private static void addCapped(List<String> list, String value) {
        if (list.size() < MAX_FILES_PER_TXN) {
            list.add(value);
        }
    }

    private static long parseCount(String v) {
        String s = v.trim();
        if (s.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        int z = 0;
        while (z < s.length() - 1 && s.charAt(z) == '0') {
            z++;
        }
        try {
            return Long.parseLong(s.substring(z));
        } catch (NumberFormatException e) {
            return -1; // larger than 2^63-1
        }
    }

    // ------------------------------------------------------------------ one direction

    private final class Side {
        final boolean isOrig;
        State state = State.FIRST_LINE;
        boolean resync;
        byte[] line = new byte[256];
        int lineLen;
        boolean lineTooLong;

        // current message
        Txn txn;
        boolean interim;     // a 1xx response
        boolean http09;      // an HTTP/0.9 response body
        String headerName;
        String headerOriginalName;
        boolean headerFolded;
        StringBuilder headerValue;
        boolean expect100;
        boolean ignoreRequestHeaders;
        long contentLength = -1;
        boolean chunked;
        String contentEncoding;
        String contentType;
        MimeBody.Node mime;
        byte lastBodyByte;
        String filename;
        long rangeTotal = -1;
        long rangeStart = -1;
        boolean noFile;
        boolean rangeFile;   // file is the shared file of a range response: placed by offset, not ended here
        long remaining;
        long bodyLen;
        BodyDecoder decoder;
        AnalyzedFile file;
        double curTs;

        Side(boolean isOrig) {
            this.isOrig = isOrig;
        }

        void feed(double ts, byte[] d, int off, int len) {
            curTs = ts;
            int end = off + len;
            while (off < end) {
                switch (state) {
                    case IGNORE:
                        return;
                    case BODY_LENGTH: {
                        int n = (int) Math.min(remaining, end - off);
                        body(d, off, n);
                        off += n;
                        remaining -= n;
                        if (remaining == 0) {
                            endMessage(ts);
                        }
                        break;
                    }
                    case CHUNK_DATA: {
                        int n = (int) Math.min(remaining, end - off);
                        body(d, off, n);
                        off += n;
                        remaining -= n;
                        if (remaining == 0) {
                            state = State.CHUNK_DATA_END;
                        }
                        break;
                    }
                    case BODY_EOF:
                        body(d, off, end - off);
                        off = end;
                        break;
                    default: {
                        int lf = -1;
                        for (int i = off; i < end; i++) {
                            if (d[i] == '\n') {
                                lf = i;
                                break;
                            }
                        }
                        int stop = lf < 0 ? end : lf;
                        append(d, off, stop - off);
                        off = lf < 0 ? end : lf + 1;
                        if (lf >= 0) {
                            int n = lineLen;
                            boolean cr = n > 0 && line[n - 1] == '\r';
                            if (cr) {
                                n--;
                            }
                            String text = HttpSyntax.latin1(line, 0, n);
                            boolean tooLong = lineTooLong;
                            lineLen = 0;
                            lineTooLong = false;
                            processLine(ts, text, tooLong, cr);
                        }
                    }
                }
            }
        }

        private void append(byte[] d, int off, int n) {
            if (n <= 0) {
                return;
            }
            int room = MAX_LINE - lineLen;
            if (n > room) {
                lineTooLong = true;
                n = room;
                if (resync) {
                    lineLen = 0; // skipping: keep no history
                    return;
                }
            }
            if (lineLen + n > line.length) {
                byte[] bigger = new byte[Math.min(MAX_LINE, Math.max(lineLen + n, line.length * 2))];
                System.arraycopy(line, 0, bigger, 0, lineLen);
                line = bigger;
            }
            System.arraycopy(d, off, line, lineLen, n);
            lineLen += n;
        }

        void processLine(double ts, String text, boolean tooLong, boolean cr) {
            switch (state) {
                case FIRST_LINE -> {
                    if (isOrig) {
                        requestLine(ts, text, tooLong);
                    } else {
                        statusLine(ts, text, tooLong, cr);
                    }
                }
                case HEADERS -> headerLine(ts, text);
                case CHUNK_SIZE -> chunkSize(ts, text);
                case CHUNK_DATA_END -> {
                    if (!text.isEmpty()) {
                        chunkSize(ts, text);
                    } else {
                        state = State.CHUNK_SIZE;
                    }
                }
                case TRAILERS -> {
                    if (text.isEmpty()) {
                        endMessage(ts);
                    }
                }
                default -> { }
            }
        }

        // ---------------- first lines

        void requestLine(double ts, String s, boolean tooLong) {
            if (s.isEmpty()) {
                if (!resync) {
                    weird(ts, "empty_http_request", null);
                }
                return;
            }
            int sp = s.indexOf(' ');
            String method = sp < 0 ? s : s.substring(0, sp);
            String rest = sp < 0 ? "" : s.substring(sp + 1).stripLeading();
            String uri;
            String version;
            int v = rest.lastIndexOf("HTTP/");
            if (!tooLong && HttpSyntax.isMethod(method) && v >= 0 && (v == 0 || rest.charAt(v - 1) == ' ')
                    && HttpSyntax.isVersion(rest.substring(v).strip())) {
                version = rest.substring(v + 5).strip();
                uri = v == 0 ? "" : rest.substring(0, v - 1).stripTrailing();
            } else if (!tooLong && HttpSyntax.isMethod(method) && !rest.isEmpty() && rest.indexOf(' ') < 0
                    && HttpSyntax.KNOWN_METHODS.contains(method)) {
                version = "0.9";
                uri = rest;
            } else if (!tooLong && !resync && v > 0 && rest.charAt(v - 1) == ' '
                    && HttpSyntax.isVersion(rest.substring(v).strip())) {
                // Not a request line, but it ends in an HTTP version: keep going, without method and URI.
                weird(ts, "bad_HTTP_request_with_version", null);
                Txn t = newRequest(ts);
                t.requestVersion = rest.substring(v + 5).strip();
                txn = t;
                resetMessage();
                ignoreRequestHeaders = true;
                state = State.HEADERS;
                return;
            } else {
                if (!resync) {
                    weird(ts, "bad_HTTP_request", null);
                    violation("not a http request line");
                    state = State.IGNORE;
                    resp.abandonMessage(ts);
                    resp.state = State.IGNORE;
                }
                return;
            }
            if (resync && !HttpSyntax.KNOWN_METHODS.contains(method)) {
                return; // still skipping: only a known method ends resynchronisation
            }
            resync = false;
            if (!HttpSyntax.KNOWN_METHODS.contains(method)) {
                // Zeek raises this one from its HTTP scripts, not the analyzer: weird.log shows no source
                weird(ts, "unknown_HTTP_method", method, null);
            }
            if (version.equals("0.9") && !method.equals("GET")) {
                weird(ts, "invalid_http_09_request_method", method);
            }
            if (uri.isEmpty()) {
                weird(ts, "missing_HTTP_uri", null);
            }
            confirm(); // Zeek confirms HTTP on the first request line it parses
            Txn t = newRequest(ts);
            entityOpen = true;
            t.method = method;
            t.requestVersion = version;
            t.uri = HttpSyntax.unescapeUri(uri, name -> weird(ts, name, null));
            txn = t;
            resetMessage();
            // Like Zeek, also an HTTP/0.9 request is followed by a header block (normally just an empty line).
            state = State.HEADERS;
        }

        void statusLine(double ts, String s, boolean tooLong, boolean cr) {
            Txn head = pending.peekFirst();
            if (!resync && head != null && "0.9".equals(head.requestVersion) && !s.startsWith("HTTP/")) {
                // HTTP/0.9: the whole reply is the body, without status line or headers.
                txn = pending.pollFirst();
                txn.statusCode = 0L;
                txn.statusMsg = "<empty>";
                txn.version = "0.9";
                resetMessage();
                http09 = true;
                state = State.BODY_EOF;
                byte[] again = (s + (cr ? "\r\n" : "\n")).getBytes(StandardCharsets.ISO_8859_1);
                body(again, 0, again.length);
                return;
            }
            String[] parts = tooLong ? new String[0] : s.split(" ", 3);
            boolean ok = parts.length >= 2 && HttpSyntax.isVersion(parts[0]) && parts[1].length() == 3
                    && Character.isDigit(parts[1].charAt(0)) && Character.isDigit(parts[1].charAt(1))
                    && Character.isDigit(parts[1].charAt(2));
            if (!ok) {
                if (s.isEmpty() || resync) {
                    return;
                }
                weird(ts, "bad_HTTP_reply", null);
                violation("not a http reply line");
                state = State.IGNORE;
                return;
            }
            resync = false;
            entityOpen = true;
            long code = Long.parseLong(parts[1]);
            String msg = parts.length > 2 ? parts[2] : "";
            String version = parts[0].substring(5);
            if (lastReplyVersion != null && !lastReplyVersion.equals(version)) {
                weird(ts, "HTTP_version_mismatch", null);
            }
            lastReplyVersion = version;
            resetMessage();
            if (code >= 100 && code < 200 && code != 101) {
                interim = true;
                txn = head;
                if (txn == null) {
                    if (unanswered == 0) {
                        weird(ts, "unmatched_HTTP_reply", null);
                    }
                    txn = newTxn(ts);
                    pending.addLast(txn);
                }
                txn.infoCode = code;
                txn.infoMsg = msg;
                txn.version = version;
            } else {
                if (unanswered > 0) {
                    unanswered--;
                } else {
                    weird(ts, "unmatched_HTTP_reply", null);
                }
                txn = pending.pollFirst();
                if (txn == null || !txn.orphan) {
                    scriptResponses++;
                }
                if (txn == null) {
                    txn = newTxn(ts);
                }
                txn.statusCode = code;
                txn.statusMsg = msg;
                txn.version = version;
            }
            confirm();
            state = State.HEADERS;
        }

        // ---------------- headers

        void headerLine(double ts, String s) {
            if (s.isEmpty()) {
                flushHeader(ts);
                headersDone(ts);
                return;
            }
            char c0 = s.charAt(0);
            if ((c0 == ' ' || c0 == '\t') && headerName != null) {
                if (!headerFolded) {
                    headerFolded = true;
                    weird(ts, "HTTP_obsolete_line_folding", headerOriginalName);
                }
                if (headerValue.length() < MAX_LINE) {
                    headerValue.append(' ').append(s.strip());
                }
                return;
            }
            flushHeader(ts);
            int colon = s.indexOf(':');
            if (colon <= 0) {
                return; // not a header: ignored
            }
            headerOriginalName = s.substring(0, colon).strip();
            headerName = headerOriginalName.toUpperCase(Locale.ROOT);
            headerValue = new StringBuilder(s.substring(colon + 1).strip());
            headerFolded = false;
        }

        void flushHeader(double ts) {
            if (headerName == null) {
                return;
            }
            String name = headerName;
            String value = headerValue.toString().strip();
            headerName = null;
            headerValue = null;
            switch (name) {
                case "CONTENT-LENGTH" -> {
                    long n = parseCount(value);
                    if (n >= 0) {
                        contentLength = n;
                        if (value.length() > 1 && value.charAt(0) == '0') {
                            weird(ts, "HTTP_content_length_leading_zeros", value);
                        }
                    } else {
                        weird(ts, "HTTP_bad_content_length", value);
                    }
                }
                case "TRANSFER-ENCODING" -> {
                    String lower = value.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("chunked")) {
                        chunked = true;
                        if (lower.length() > 7) {
                            weird(ts, "HTTP_chunked_multi", value.substring(7));
                        }
                    } else {
                        String[] codings = lower.split(",");
                        if (codings[codings.length - 1].strip().equals("chunked")) {
                            chunked = true; // RFC 9112: chunked as the final coding
                        }
                    }
                }
                case "EXPECT" -> {
                    if (isOrig && value.toLowerCase(Locale.ROOT).startsWith("100-continue")) {
                        expect100 = true;
                    }
                }
                case "CONTENT-ENCODING" -> contentEncoding = value.toLowerCase(Locale.ROOT).strip();
                case "CONTENT-TYPE" -> contentType = value;
                case "CONTENT-DISPOSITION" -> {
                    if (value.toLowerCase(Locale.ROOT).contains("filename") && !entityOpen) {
                        weird(ts, "missing_HTTP_entity", null);
                        return;
                    }
                    String f = HttpSyntax.headerParam(value, "filename");
                    if (f != null) {
                        filename = f;
                    }
                }
                case "CONTENT-RANGE" -> {
                    if (!isOrig) {
                        contentRange(ts, value);
                    }
                }
                default -> {
                    if (isOrig && txn != null && !ignoreRequestHeaders) {
                        current(ts);
                        requestHeader(name, value);
                    }
                }
            }
        }

        private void contentRange(double ts, String value) {
            String v = value.strip();
            boolean ok = false;
            if (v.toLowerCase(Locale.ROOT).startsWith("bytes")) {
                String r = v.substring(5).strip();
                int dash = r.indexOf('-');
                int slash = r.indexOf('/');
                if (dash > 0 && slash > dash && parseCount(r.substring(0, dash)) >= 0
                        && parseCount(r.substring(dash + 1, slash)) >= 0) {
                    rangeStart = parseCount(r.substring(0, dash));
                    String total = r.substring(slash + 1).strip();
                    if (total.equals("*")) {
                        ok = true;
                    } else if (parseCount(total) >= 0) {
                        rangeTotal = parseCount(total);
                        ok = true;
                    }
                } else if (slash > 0 && r.substring(0, slash).strip().equals("*")) {
                    ok = true;
                }
            }
            if (!ok) {
                String spec = v.toLowerCase(Locale.ROOT).startsWith("bytes") ? v.substring(5).strip() : v;
                weird(ts, "HTTP_content_range_cannot_parse", spec);
            }
        }

        private void requestHeader(String name, String value) {
            switch (name) {
                case "HOST" -> txn.host = value;
                case "REFERER" -> txn.referrer = value;
                case "USER-AGENT" -> txn.userAgent = value;
                case "ORIGIN" -> txn.origin = value;
                case "RANGE" -> txn.rangeRequest = true;
                case "AUTHORIZATION", "PROXY-AUTHORIZATION" -> basicAuth(value);
                default -> {
                    if (PROXY_HEADERS.contains(name)) {
                        if (txn.proxied == null) {
                            txn.proxied = new LinkedHashSet<>();
                        }
                        txn.proxied.add(name + " -> " + value);
                    }
                }
            }
        }

        private void basicAuth(String value) {
            if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
                return;
            }
            String b64 = value.substring(6).stripLeading();
            String creds = new String(lenientBase64(b64), StandardCharsets.ISO_8859_1);
            int colon = creds.indexOf(':');
            if (colon >= 0) {
                txn.username = creds.substring(0, colon);
                if (capturePassword) {
                    txn.password = creds.substring(colon + 1);
                }
            } else {
                // Zeek's wording for credentials without a colon
                txn.username = "<problem-decoding> (" + value + ")";
                if (capturePassword) {
                    txn.password = creds;
                }
            }
        }

        private byte[] lenientBase64(String text) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new MimeBody.Base64Stream().decode(text.getBytes(StandardCharsets.ISO_8859_1), 0, text.length(),
                    out::write);
            return out.toByteArray();
        }

        void headersDone(double ts) {
            if (chunked && contentLength >= 0) {
                weird(ts, "HTTP_content_length_and_chunked", null);
            }
            if (isOrig && expect100 && contentLength == 0) {
                weird(ts, "HTTP_content_length_0_and_expect_100_cont", null);
            }
            if (isOrig) {
                if (chunked) {
                    startBody(ts, State.CHUNK_SIZE);
                } else if (contentLength > 0) {
                    startBody(ts, State.BODY_LENGTH);
                    remaining = contentLength;
                } else {
                    endMessage(ts);
                }
                return;
            }
            long code = txn.statusCode == null || interim ? -1 : txn.statusCode;
            if (interim) {
                endMessage(ts);
                return;
            }
            String method = txn.method == null ? "" : txn.method;
            if (code == 101 || (method.equals("CONNECT") && code >= 200 && code < 300)) {
                // The connection leaves HTTP (protocol switch or tunnel): log and stop parsing.
                endMessage(ts);
                state = State.IGNORE;
                orig.abandonMessage(ts);
                orig.state = State.IGNORE;
                return;
            }
            if (code == 206 && rangeStart < 0
                    && (contentType == null || !MimeBody.mediaType(contentType).startsWith("multipart/"))) {
                noFile = true; // a partial body whose place in the file is unknown: not analyzed as a file
            }
            if (method.equals("HEAD") || code == 204 || code == 304) {
                endMessage(ts);
            } else if (chunked) {
                startBody(ts, State.CHUNK_SIZE);
            } else if (contentLength >= 0) {
                if (contentLength == 0) {
                    endMessage(ts);
                } else {
                    startBody(ts, State.BODY_LENGTH);
                    remaining = contentLength;
                }
            } else {
                startBody(ts, State.BODY_EOF);
            }
        }

        // ---------------- bodies

        private void startBody(double ts, State s) {
            state = s;
            if (!noFile) {
                mime = MimeBody.forHttpBody(mimeHost, contentType);
            }
            String ce = contentEncoding;
            if (ce != null && (ce.equals("gzip") || ce.equals("x-gzip") || ce.equals("deflate"))) {
                decoder = new BodyDecoder(!ce.equals("deflate"), this::decoded);
            }
        }

        void chunkSize(double ts, String text) {
            String s = text.strip();
            if (s.isEmpty()) {
                return; // tolerate blank lines between chunks
            }
            int semi = s.indexOf(';');
            String hex = (semi < 0 ? s : s.substring(0, semi)).strip();
            long size = -1;
            if (!hex.isEmpty() && hex.length() <= 15) {
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    size = -1;
                }
            }
            if (size < 0) {
                weird(ts, "HTTP_bad_chunk_size", s.length() > 64 ? s.substring(0, 64) : s);
                endMessage(ts);
                state = State.IGNORE;
                return;
            }
            if (size == 0) {
                state = State.TRAILERS;
            } else {
                remaining = size;
                state = State.CHUNK_DATA;
            }
        }

        private void body(byte[] d, int off, int n) {
            if (n <= 0) {
                return;
            }
            if (decoder != null) {
                if (!decoder.failed()) {
                    decoder.feed(d, off, n);
                    if (decoder.failed()) {
                        weird(curTs, "inflate_failed", decoder.failure());
                    }
                }
                return;
            }
            decoded(d, off, n);
        }

        private void decoded(byte[] d, int off, int n) {
            if (n <= 0) {
                return;
            }
            bodyLen += n;
            if (mime != null) {
                lastBodyByte = d[off + n - 1];
                mime.data(curTs, d, off, n);
            } else if (!noFile) {
                AnalyzedFile f = ensureFile(curTs);
                if (rangeFile) {
                    f.dataAt(curTs, rangeStart + bodyLen - n, d, off, n);
                } else {
                    f.data(curTs, d, off, n);
                }
            }
        }

        /** Files of the parts of a MIME-structured body. */
        private final MimeBody.Host mimeHost = new MimeBody.Host() {
            @Override
            public AnalyzedFile openFile(double ts, String name) {
                AnalyzedFile f = files.newFile(ts, conn.uid(), conn.id(), "HTTP", isOrig);
                if (name != null) {
                    f.setFilename(name);
                }
                if (txn != null) {
                    Txn t = current(ts);
                    addCapped(isOrig ? t.origFuids : t.respFuids, f.fuid());
                }
                return f;
            }

            @Override
            public void closeFile(double ts, AnalyzedFile f) {
                f.end(ts);
                noteFileDone(f);
            }

            @Override
            public void weird(double ts, String name, String addl) {
                HttpStreamAnalyzer.this.weird(ts, name, addl);
            }

            @Override
            public AnalyzedFile openRangeFile(double ts, String name, long total) {
                return rangeResponseFile(ts, name, total);
            }
        };

        /**
         * For a 206 reply to a request with a Range header, the one file of the requested resource, as Zeek names
         * such files by direction, client address and URL rather than by message: the pieces of all range
         * replies for one URL go to one file, placed by their Content-Range offsets. The file is not ended with the
         * message (Zeek logs it when it times out, here at the end of the analysis). Null when not a range reply.
         */
        private AnalyzedFile rangeResponseFile(double ts, String name, long total) {
            if (isOrig || txn == null || txn.statusCode == null || txn.statusCode != 206 || !txn.rangeRequest) {
                return null;
            }
            String url = (txn.host == null ? "" : txn.host) + (txn.uri == null ? "" : txn.uri);
            String handle = "HTTP|resp|" + conn.id().origH().getHostAddress() + "|" + url;
            AnalyzedFile f = files.fileByHandle(handle, ts, conn.uid(), conn.id(), "HTTP", false);
            if (name != null && f.filename() == null) {
                f.setFilename(name);
            }
            if (total >= 0) {
                f.setTotalBytes(total);
            }
            if (!txn.respFuids.contains(f.fuid())) {
                addCapped(txn.respFuids, f.fuid());
            }
            return f;
        }

        private void noteFileDone(AnalyzedFile f) {
            if (txn == null) {
                return;
            }
            Txn t = current(curTs);
            if (f.mimeType() != null) {
                addCapped(isOrig ? t.origMimeTypes : t.respMimeTypes, f.mimeType());
            }
            if (f.filename() != null) {
                addCapped(isOrig ? t.origFilenames : t.respFilenames, f.filename());
            }
        }

        private AnalyzedFile ensureFile(double ts) {
            if (file == null && rangeStart >= 0) {
                file = rangeResponseFile(ts, filename, rangeTotal);
                rangeFile = file != null;
            }
            if (file == null) {
                file = files.newFile(ts, conn.uid(), conn.id(), "HTTP", isOrig);
                if (filename != null) {
                    file.setFilename(filename);
                }
                if (rangeTotal >= 0) {
                    file.setTotalBytes(rangeTotal);
                } else if (decoder == null && !chunked && contentLength >= 0) {
                    file.setTotalBytes(contentLength);
                }
                if (txn != null) {
                    Txn t = current(ts);
                    addCapped(isOrig ? t.origFuids : t.respFuids, file.fuid());
                }
                if (rangeStart > 0) {
                    // a later part of the file: its beginning was not in this message
                    file.gap(curTs, rangeStart);
                }
            }
            return file;
        }

        private void bodyGap(double ts, long n) {
            if (n <= 0) {
                return;
            }
            bodyLen += n;
            if (noFile) {
                return;
            }
            if (decoder != null && !decoder.failed()) {
                // compressed bytes are lost: the rest of the body cannot be decoded
                decoder.abandon("content gap");
            }
            if (mime != null) {
                mime.gap(ts, n);
                return;
            }
            if (ensureFile(ts) != null && rangeFile) {
                return; // the next piece's offset accounts for the missing bytes
            }
            ensureFile(ts).gap(ts, n);
        }

        void gap(double ts, long len) {
            curTs = ts;
            switch (state) {
                case IGNORE -> { }
                case BODY_EOF -> bodyGap(ts, len);
                case BODY_LENGTH, CHUNK_DATA -> {
                    long n = Math.min(len, remaining);
                    bodyGap(ts, n);
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.BODY_LENGTH) {
                            endMessage(ts);
                        } else {
                            state = State.CHUNK_DATA_END;
                        }
                    }
                    if (len > n) {
                        lost(ts);
                    }
                }
                default -> lost(ts);
            }
        }

        /**
         * Framing is unknown after a gap. As Zeek does, end what is in progress and stop parsing this direction
         * (for a gap from the originator, the responder too, since replies depend on their requests); with
         * resynchronisation enabled, skip instead to the next line that parses as a first line.
         */
        private void lost(double ts) {
            abandonMessage(ts);
            lineLen = 0;
            lineTooLong = false;
            if (resyncAfterGaps) {
                state = State.FIRST_LINE;
                resync = true;
                return;
            }
            state = State.IGNORE;
            if (isOrig) {
                resp.abandonMessage(ts);
                resp.state = State.IGNORE;
            }
        }

        void endOfData(double ts) {
            if (state == State.IGNORE) {
                return;
            }
            if (state == State.BODY_EOF || state == State.BODY_LENGTH || state == State.CHUNK_DATA
                    || state == State.CHUNK_SIZE || state == State.CHUNK_DATA_END || state == State.TRAILERS) {
                endMessage(ts);
            }
        }

        /** Ends a message cut short (connection end or lost framing). */
        void abandonMessage(double ts) {
            if (state == State.HEADERS || state == State.BODY_EOF || state == State.BODY_LENGTH
                    || state == State.CHUNK_DATA || state == State.CHUNK_SIZE || state == State.CHUNK_DATA_END
                    || state == State.TRAILERS) {
                if (state == State.HEADERS) {
                    flushHeader(ts);
                }
                endMessage(ts);
            }
        }

        /**
         * The transaction request data goes to. As in Zeek's HTTP script, request data that arrives after the
         * transaction was already logged (its reply complete) opens a new, otherwise empty transaction, which is
         * logged at the end of the connection (e.g. the row after an HTTP/0.9 exchange).
         */
        private Txn current(double ts) {
            if (isOrig && txn != null && txn.logged) {
                Txn o = newTxn(ts);
                o.orphan = true;
                pending.addLast(o);
                txn = o;
            }
            return txn;
        }

        private void resetMessage() {
            interim = false;
            http09 = false;
            headerName = null;
            headerValue = null;
            headerFolded = false;
            expect100 = false;
            ignoreRequestHeaders = false;
            contentLength = -1;
            chunked = false;
            contentEncoding = null;
            contentType = null;
            mime = null;
            lastBodyByte = 0;
            filename = null;
            rangeTotal = -1;
            rangeStart = -1;
            noFile = false;
            rangeFile = false;
            remaining = 0;
            bodyLen = 0;
            decoder = null;
            file = null;
        }

        void endMessage(double ts) {
            if (decoder != null) {
                decoder.finish();
            }
            Txn t = txn == null ? null : current(ts);
            if (mime != null) {
                if (bodyLen > 0 && lastBodyByte != '\n') {
                    // The MIME body's last line has no line end. Zeek's line splitter ends it at the end of the
                    // body and counts it with a CRLF, so the body length comes out 2 bytes longer.
                    bodyLen += 2;
                    if (!unterminatedLineReported) {
                        unterminatedLineReported = true;
                        weird(ts, "line_terminated_without_CRLF", null, "CONTENTLINE");
                    }
                }
                mime.end(ts);
            }
            if (file != null && !rangeFile) {
                file.end(ts);
                noteFileDone(file);
            }
            if (t != null) {
                if (isOrig) {
                    t.requestBodyLen = bodyLen;
                } else if (!interim) {
                    t.responseBodyLen = bodyLen;
                    pending.remove(t);
                    writeLog(t);
                }
            }
            boolean wasInterim = interim;
            entityOpen = false;
            resetMessage();
            txn = isOrig || wasInterim ? txn : null;
            if (isOrig) {
                txn = null;
            }
            state = State.FIRST_LINE;
        }
    }
}
