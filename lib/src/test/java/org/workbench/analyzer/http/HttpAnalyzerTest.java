package org.workbench.analyzer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.workbench.analyzer.http.HttpTestSupport.b;
import static org.workbench.analyzer.http.HttpTestSupport.concat;
import static org.workbench.analyzer.http.HttpTestSupport.md5;
import static org.workbench.analyzer.http.HttpTestSupport.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.workbench.files.FilesLog;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;

class HttpAnalyzerTest {
    private static final String HTML = "<html><head><title>x</title></head><body>hello</body></html>\n";

    private static String response(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void schemasMatchZeekHeaders() {
        assertEquals("ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host uri referrer version "
                + "user_agent origin request_body_len response_body_len status_code status_msg info_code info_msg "
                + "tags username password proxied orig_fuids orig_filenames orig_mime_types resp_fuids "
                + "resp_filenames resp_mime_types", String.join(" ", HttpLog.SCHEMA.names()));
        assertEquals("ts fuid uid id.orig_h id.orig_p id.resp_h id.resp_p source depth analyzers mime_type filename "
                + "duration local_orig is_orig seen_bytes total_bytes missing_bytes overflow_bytes timedout "
                + "parent_fuid md5 sha1 sha256 extracted extracted_cutoff extracted_size",
                String.join(" ", FilesLog.SCHEMA.names()));
        assertEquals("set[enum]", HttpLog.SCHEMA.fields().get(HttpLog.SCHEMA.indexOf("tags")).type().toString());
        assertEquals("set[string]",
                FilesLog.SCHEMA.fields().get(FilesLog.SCHEMA.indexOf("analyzers")).type().toString());
    }

    @Test
    void keepAliveTwoTransactions() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /a.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: UA/1\r\n"
                + "Referer: http://r/\r\nOrigin: http://o\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n");
        send(a, false, 1.1, response(HTML));
        send(a, true, 2.0, "GET /b%20c.txt HTTP/1.1\r\nHost: example.com\r\n\r\n");
        send(a, false, 2.1, "HTTP/1.1 404 Not Found\r\nContent-Length: 11\r\n\r\nnot found\r\n");
        a.connectionDone(3.0);
        List<LogRecord> http = t.log("http");
        assertEquals(2, http.size());
        LogRecord r1 = http.get(0);
        assertEquals(1.0, r1.get("ts"));
        assertEquals(1L, r1.get("trans_depth"));
        assertEquals("GET", r1.get("method"));
        assertEquals("example.com", r1.get("host"));
        assertEquals("/a.html", r1.get("uri"));
        assertEquals("http://r/", r1.get("referrer"));
        assertEquals("1.1", r1.get("version"));
        assertEquals("UA/1", r1.get("user_agent"));
        assertEquals("http://o", r1.get("origin"));
        assertEquals(0L, r1.get("request_body_len"));
        assertEquals((long) HTML.length(), r1.get("response_body_len"));
        assertEquals(200L, r1.get("status_code"));
        assertEquals("OK", r1.get("status_msg"));
        assertEquals(List.of(), r1.get("tags"));
        assertEquals(List.of("X-FORWARDED-FOR -> 1.2.3.4"), r1.get("proxied"));
        assertEquals(List.of("text/html"), r1.get("resp_mime_types"));
        assertNull(r1.get("orig_fuids"));
        LogRecord r2 = http.get(1);
        assertEquals(2L, r2.get("trans_depth"));
        assertEquals("/b c.txt", r2.get("uri"));
        assertEquals(404L, r2.get("status_code"));
        assertEquals("Not Found", r2.get("status_msg"));
        assertEquals(List.of("text/plain"), r2.get("resp_mime_types"));
        List<LogRecord> files = t.log("files");
        assertEquals(2, files.size());
        LogRecord f1 = files.get(0);
        assertEquals(((List<?>) r1.get("resp_fuids")).get(0), f1.get("fuid"));
        assertEquals("HTTP", f1.get("source"));
        assertEquals("CtestUid1", f1.get("uid"));
        assertEquals(md5(b(HTML)), f1.get("md5"));
        assertEquals((long) HTML.length(), f1.get("seen_bytes"));
        assertEquals((long) HTML.length(), f1.get("total_bytes"));
        assertEquals(0L, f1.get("missing_bytes"));
        assertEquals(false, f1.get("is_orig"));
        assertEquals(false, f1.get("local_orig"));
        assertEquals(false, f1.get("timedout"));
        assertEquals(List.of("MD5", "SHA1", "SHA256"), f1.get("analyzers"));
        assertNull(f1.get("extracted"));
        assertEquals(List.of("http"), t.confirmations);
        assertTrue(t.weirds.isEmpty(), () -> t.weirdNames().toString());
    }

    @Test
    void pipelinedRequestsMatchResponsesInOrder() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.5, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
        a.connectionDone(2.0);
        List<LogRecord> http = t.log("http");
        assertEquals(3, http.size());
        assertEquals("/1", http.get(0).get("uri"));
        assertEquals(3L, http.get(0).get("response_body_len"));
        assertEquals("/2", http.get(1).get("uri"));
        assertEquals("HEAD", http.get(1).get("method"));
        assertEquals(0L, http.get(1).get("response_body_len"));
        assertEquals("/3", http.get(2).get("uri"));
        assertEquals(304L, http.get(2).get("status_code"));
        assertEquals(3L, http.get(2).get("trans_depth"));
        assertTrue(t.weirds.isEmpty(), () -> t.weirdNames().toString());
    }

    @Test
    void chunkedBodyWithTrailersIsDechunked() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n");
        send(a, false, 1.2, "7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n");
        send(a, true, 2.0, "GET /next HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 2.1, "HTTP/1.1 204 No Content\r\n\r\n");
        a.connectionDone(3.0);
        List<LogRecord> http = t.log("http");
        assertEquals(2, http.size());
        assertEquals(12L, http.get(0).get("response_body_len"));
        assertEquals(204L, http.get(1).get("status_code"));
        LogRecord f = t.log("files").get(0);
        assertEquals(md5(b("hello, world")), f.get("md5"));
        assertNull(f.get("total_bytes"));
        assertEquals(0.1, (Double) f.get("duration"), 1e-9);
    }

    @Test
    void tenThousandHeadersAndATwoGigabyteChunkDoNotStopAnalysis() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        StringBuilder req = new StringBuilder("GET /many HTTP/1.1\r\nHost: h\r\n");
        for (int i = 0; i < 10_000; i++) {
            req.append("X-Header-").append(i).append(": value ").append(i).append("\r\n");
        }
        req.append("\r\n");
        long t0 = System.nanoTime();
        send(a, true, 1.0, req.toString());
        // a chunk declared as 2 GB (0x80000000 bytes) of which only a few bytes ever arrive
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n80000000\r\nonly a little");
        a.endOfData(false, 1.2);
        a.connectionDone(1.3);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded time");
        List<LogRecord> http = t.log("http");
        assertEquals(1, http.size(), "the transaction is logged");
        assertEquals("/many", http.get(0).get("uri"));
        assertEquals(200L, http.get(0).get("status_code"));
        LogRecord f = t.log("files").get(0);
        assertEquals((long) "only a little".length(), f.get("seen_bytes"), "the bytes that arrived are analysed");
    }

    private static byte[] gzip(byte[] d) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
            g.write(d);
        }
        return bos.toByteArray();
    }

    private static byte[] deflate(byte[] d, boolean zlibHeader) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(bos, new Deflater(6, !zlibHeader))) {
            z.write(d);
        }
        return bos.toByteArray();
    }

    @Test
    void gzipBodyIsHashedDecoded() throws IOException {
        byte[] body = b("%PDF-1.4\n" + "stream of words ".repeat(2000) + "\n%%EOF\n");
        byte[] wire = gzip(body);
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /doc.pdf HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + wire.length
                + "\r\nContent-Disposition: attachment; filename=\"doc.pdf\"\r\n\r\n");
        // deliver in small pieces to exercise the streaming decoder
        for (int i = 0; i < wire.length; i += 7) {
            a.deliver(false, 1.2, wire, i, Math.min(7, wire.length - i));
        }
        a.connectionDone(2.0);
        LogRecord h = t.log("http").get(0);
        assertEquals((long) body.length, h.get("response_body_len"));
        assertEquals(List.of("application/pdf"), h.get("resp_mime_types"));
        assertEquals(List.of("doc.pdf"), h.get("resp_filenames"));
        LogRecord f = t.log("files").get(0);
        assertEquals(md5(body), f.get("md5"));
        assertEquals("application/pdf", f.get("mime_type"));
        assertEquals("doc.pdf", f.get("filename"));
        assertEquals((long) body.length, f.get("seen_bytes"));
        assertNull(f.get("total_bytes"));
        assertEquals(List.of("MD5", "SHA1", "SHA256", "EXTRACT"), f.get("analyzers"));
        assertEquals(1, t.extracted.size());
        assertEquals(md5(body), md5(t.extractedContent.get(0)));
        assertEquals(md5(body), t.extracted.get(0).md5());
        assertEquals(false, f.get("extracted_cutoff"));
        assertEquals("extract-1.200000-HTTP-" + f.get("fuid"), f.get("extracted"));
    }

    @Test
    void deflateWithAndWithoutZlibHeader() throws IOException {
        byte[] body = b("plain text body, repeated. ".repeat(100));
        for (boolean header : new boolean[] {true, false}) {
            byte[] wire = deflate(body, header);
            HttpTestSupport t = new HttpTestSupport();
            StreamAnalyzer a = t.analyzer();
            send(a, true, 1.0, "GET / HTTP/1.1\r\n\r\n");
            send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: " + wire.length
                    + "\r\n\r\n");
            send(a, false, 1.2, wire);
            a.connectionDone(2.0);
            assertEquals(md5(body), t.log("files").get(0).get("md5"), "zlib header " + header);
            assertEquals((long) body.length, t.log("http").get(0).get("response_body_len"));
        }
    }

    @Test
    void hundredContinue() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 20\r\nExpect: 100-continue\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 100 Continue\r\n\r\n");
        send(a, true, 1.2, "field=value&other=xy");
        send(a, false, 1.3, response(HTML));
        a.connectionDone(2.0);
        List<LogRecord> http = t.log("http");
        assertEquals(1, http.size());
        LogRecord r = http.get(0);
        assertEquals(100L, r.get("info_code"));
        assertEquals("Continue", r.get("info_msg"));
        assertEquals(200L, r.get("status_code"));
        assertEquals(20L, r.get("request_body_len"));
        assertEquals(List.of("text/plain"), r.get("orig_mime_types"));
        assertEquals(List.of("text/html"), r.get("resp_mime_types"));
        LogRecord origFile = t.log("files").stream().filter(f -> Boolean.TRUE.equals(f.get("is_orig")))
                .findFirst().orElseThrow();
        assertEquals(true, origFile.get("local_orig"));
        assertEquals(md5(b("field=value&other=xy")), origFile.get("md5"));
    }

    @Test
    void gapInBodyCountsMissingBytesAndDropsHashes() {
        HttpTestSupport t = new HttpTestSupport(org.workbench.files.ExtractionPolicy.all(), true);
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /f HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n0123456789");
        a.gap(false, 1.2, 10);
        send(a, false, 1.3, "ABCDEFGHIJ");
        // the next transaction still parses
        send(a, true, 2.0, "GET /g HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 2.1, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        a.connectionDone(3.0);
        List<LogRecord> http = t.log("http");
        assertEquals(2, http.size());
        assertEquals(30L, http.get(0).get("response_body_len"));
        LogRecord f = t.log("files").get(0);
        assertEquals(20L, f.get("seen_bytes"));
        assertEquals(10L, f.get("missing_bytes"));
        assertEquals(30L, f.get("total_bytes"));
        assertNull(f.get("md5"));
        assertNull(f.get("sha1"));
        assertNull(f.get("sha256"));
        assertEquals(30, t.extractedContent.get(0).length);
        assertEquals(10L, t.extracted.get(0).missingBytes());
        assertEquals("/g", http.get(1).get("uri"));
    }

    private static HttpTestSupport gapPastMessage(boolean resync) {
        HttpTestSupport t = new HttpTestSupport();
        t.factory.resyncAfterGaps(resync);
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /f HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234");
        a.gap(false, 1.2, 500);
        send(a, true, 1.25, "GET /g HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.3, "tail of an unknown message\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        a.connectionDone(3.0);
        return t;
    }

    @Test
    void gapPastMessageStopsTheDirectionLikeZeek() {
        HttpTestSupport t = gapPastMessage(false);
        List<LogRecord> http = t.log("http");
        assertEquals(2, http.size());
        assertEquals(10L, http.get(0).get("response_body_len"));
        assertEquals(5L, t.log("files").get(0).get("missing_bytes"));
        assertEquals("/g", http.get(1).get("uri"));
        assertNull(http.get(1).get("status_code"), "no reply is parsed after the gap");
        assertTrue(t.weirds.isEmpty(), () -> t.weirdNames().toString());
    }

    @Test
    void gapPastMessageCanResynchronise() {
        HttpTestSupport t = gapPastMessage(true);
        List<LogRecord> http = t.log("http");
        assertEquals(2, http.size());
        assertEquals(10L, http.get(0).get("response_body_len"));
        assertEquals("/g", http.get(1).get("uri"));
        assertEquals(200L, http.get(1).get("status_code"));
        assertEquals(2L, http.get(1).get("response_body_len"));
        assertFalse(t.weirdNames().contains("bad_HTTP_reply"));
    }

    @Test
    void originatorGapOutsideBodyStopsBothDirections() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /a HTTP/1.1\r\nHo");
        a.gap(true, 1.1, 20);
        send(a, false, 1.2, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        a.connectionDone(2.0);
        List<LogRecord> http = t.log("http");
        assertEquals(1, http.size());
        assertEquals("/a", http.get(0).get("uri"));
        assertNull(http.get(0).get("status_code"));
    }

    @Test
    void bodyToEndOfConnection() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET / HTTP/1.0\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.0 200 OK\r\n\r\nGIF89a......");
        send(a, false, 1.2, "more");
        a.endOfData(false, 1.3);
        a.connectionDone(1.4);
        LogRecord r = t.log("http").get(0);
        assertEquals(16L, r.get("response_body_len"));
        assertEquals(List.of("image/gif"), r.get("resp_mime_types"));
    }

    @Test
    void unansweredRequestIsLoggedAtConnectionEnd() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /x HTTP/1.1\r\nHost: h\r\nAuthorization: Basic dXNlcjpzZWNyZXQ=\r\n\r\n");
        a.connectionDone(2.0);
        LogRecord r = t.log("http").get(0);
        assertEquals("/x", r.get("uri"));
        assertNull(r.get("status_code"));
        assertEquals("user", r.get("username"));
        assertNull(r.get("password"));
        assertEquals(List.of("http"), t.confirmations, "a parsed request line confirms HTTP");
    }

    @Test
    void malformedTrafficBecomesWeirds() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, false, 0.5, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        send(a, true, 1.0, "GET /a HTTP/1.1\r\n\r\n");
        send(a, false, 1.05, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        send(a, true, 1.1, "GET /b%4 HTTP/1.0\r\n\r\n");
        send(a, true, 1.2, "\u0001\u0002garbage\r\n");
        send(a, true, 1.3, "GET /never HTTP/1.1\r\n\r\n");
        a.connectionDone(2.0);
        List<String> names = t.weirdNames();
        assertTrue(names.contains("unmatched_HTTP_reply"), names::toString);
        assertTrue(names.contains("HTTP_version_mismatch"), names::toString);
        assertTrue(names.contains("partial_escape_at_end_of_URI"), names::toString);
        assertTrue(names.contains("bad_HTTP_request"), names::toString);
        assertEquals("HTTP", t.weirds.get(0)[2]);
        assertEquals(1, t.violations.size());
        // the unmatched reply, /a answered, /b unanswered; nothing after the bad line
        assertEquals(3, t.log("http").size());
        assertTrue(t.log("http").stream().noneMatch(r -> "/never".equals(r.get("uri"))));
    }

    @Test
    void neverThrowsOnRandomInput() {
        java.util.Random rnd = new java.util.Random(7);
        for (int round = 0; round < 50; round++) {
            HttpTestSupport t = new HttpTestSupport();
            t.factory.resyncAfterGaps(round % 2 == 0);
            StreamAnalyzer a = t.analyzer();
            send(a, true, 1.0, round % 3 == 0
                    ? "POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 900\r\n\r\n"
                            + "--b\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=c\r\n"
                    : "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n");
            send(a, false, 1.0, "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[rnd.nextInt(300)];
                rnd.nextBytes(junk);
                a.deliver(rnd.nextBoolean(), 1.0 + i, junk, 0, junk.length);
                if (rnd.nextInt(5) == 0) {
                    a.gap(rnd.nextBoolean(), 1.0 + i, rnd.nextInt(1000));
                }
            }
            a.connectionDone(100);
            assertEquals(0, t.files.openFiles());
        }
    }

    @Test
    void factoryPortsAndDetection() {
        HttpAnalyzerFactory f = new HttpTestSupport().factory;
        assertEquals("http", f.service());
        assertEquals(java.util.Set.of(80, 81, 631, 1080, 3128, 8000, 8080, 8888), f.wellKnownPorts(TransportProto.TCP));
        assertTrue(f.wellKnownPorts(TransportProto.UDP).isEmpty());
        byte[] req = b("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(f.detect(TransportProto.TCP, true, req, 0, req.length));
        byte[] rsp = b("HTTP/1.1 404 Not Found\r\n");
        assertTrue(f.detect(TransportProto.TCP, false, rsp, 0, rsp.length));
        byte[] ssh = b("SSH-2.0-OpenSSH_8.9\r\n");
        assertFalse(f.detect(TransportProto.TCP, true, ssh, 0, ssh.length));
        assertFalse(f.detect(TransportProto.UDP, true, req, 0, req.length));
    }

    @Test
    void largeBodyIsStreamedNotBuffered() {
        HttpTestSupport t = new HttpTestSupport(org.workbench.files.ExtractionPolicy.all(), false);
        StreamAnalyzer a = t.analyzer();
        long total = 192L * 1024 * 1024;
        send(a, true, 1.0, "GET /big.bin HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n");
        byte[] chunk = new byte[64 * 1024];
        chunk[0] = 'M';
        chunk[1] = 'Z';
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        long sent = 0;
        long peak = 0;
        int i = 0;
        while (sent < total) {
            chunk[2] = (byte) i;
            a.deliver(false, 1.2, chunk, 0, chunk.length);
            md.update(chunk);
            chunk[0] = (byte) (i * 31);
            chunk[1] = (byte) (i * 7);
            sent += chunk.length;
            if (++i % 1024 == 0) {
                System.gc();
                peak = Math.max(peak, rt.totalMemory() - rt.freeMemory() - before);
            }
        }
        assertTrue(peak < 48L * 1024 * 1024, "heap grew by " + peak + " bytes while streaming " + total);
        a.connectionDone(2.0);
        LogRecord f = t.log("files").get(0);
        assertEquals(total, f.get("seen_bytes"));
        assertEquals("application/x-dosexec", f.get("mime_type"));
        assertEquals(java.util.HexFormat.of().formatHex(md.digest()), f.get("md5"));
        assertEquals(total, t.extracted.get(0).size());
        assertEquals(f.get("md5"), t.extracted.get(0).md5());
    }

    @Test
    void http09RequestAndResponse() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /zeek.html\r\n");
        send(a, false, 1.1, "<html><body>old</body></html>\n");
        a.endOfData(false, 1.2);
        a.connectionDone(1.3);
        LogRecord r = t.log("http").get(0);
        assertEquals("0.9", r.get("version"));
        assertEquals(0L, r.get("status_code"));
        assertEquals("<empty>", r.get("status_msg"));
        assertEquals(30L, r.get("response_body_len"));
        assertEquals(List.of("text/html"), r.get("resp_mime_types"));
        // as Zeek does, an empty transaction follows an HTTP/0.9 reply
        LogRecord extra = t.log("http").get(1);
        assertEquals(2L, extra.get("trans_depth"));
        assertNull(extra.get("method"));
        assertNull(extra.get("status_code"));
    }

    @Test
    void connectTunnelStopsParsing() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "CONNECT mail.example:25 HTTP/1.0\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.0 200 Connection established\r\n\r\n220 mail ESMTP\r\n");
        send(a, true, 1.2, "EHLO me\r\n");
        a.connectionDone(2.0);
        assertEquals(1, t.log("http").size());
        assertEquals("mail.example:25", t.log("http").get(0).get("uri"));
        assertTrue(t.weirds.isEmpty(), () -> t.weirdNames().toString());
        assertEquals(0, concat().length);
    }

    @Test
    void multipartUploadBecomesOneFilePerPart() {
        byte[] exe = new byte[300];
        exe[0] = 'M';
        exe[1] = 'Z';
        exe[299] = 7;
        String b64 = java.util.Base64.getMimeEncoder().encodeToString(exe);
        String body = "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                + "a short text field value\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"up\"; filename=\"tool.exe\"\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64 + "\r\n"
                + "--XyZ--\r\n";
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n");
        // split the body at awkward places, including inside a boundary
        for (int i = 0; i < body.length(); i += 5) {
            send(a, true, 1.1, body.substring(i, Math.min(body.length(), i + 5)));
        }
        send(a, false, 1.2, "HTTP/1.1 204 No Content\r\n\r\n");
        a.connectionDone(2.0);
        LogRecord r = t.log("http").get(0);
        assertEquals((long) body.length(), r.get("request_body_len"));
        assertEquals(2, ((List<?>) r.get("orig_fuids")).size());
        assertEquals(List.of("tool.exe"), r.get("orig_filenames"));
        assertEquals(List.of("text/plain", "application/x-dosexec"), r.get("orig_mime_types"));
        LogRecord exeFile = t.log("files").stream().filter(f -> "tool.exe".equals(f.get("filename"))).findFirst()
                .orElseThrow();
        assertEquals(md5(exe), exeFile.get("md5"));
        assertEquals(300L, exeFile.get("seen_bytes"));
        assertEquals(md5(exe), t.extracted.get(0).md5());
        LogRecord text = t.log("files").stream().filter(f -> f.get("filename") == null).findFirst().orElseThrow();
        assertEquals(md5(b("a short text field value")), text.get("md5"));
        assertTrue(t.weirds.isEmpty(), () -> t.weirdNames().toString());
    }

    @Test
    void fileNameFromContentDispositionAndTotalFromContentLength() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /dl HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n"
                + "Content-Disposition: attachment; filename=report.txt\r\n\r\nplain words!");
        a.connectionDone(2.0);
        LogRecord f = t.log("files").get(0);
        assertEquals("report.txt", f.get("filename"));
        assertEquals(12L, f.get("total_bytes"));
        assertEquals(List.of("report.txt"), t.log("http").get(0).get("resp_filenames"));
    }

    @Test
    void zeekScriptBookkeeping() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        // an early reply: the request body still arrives after the transaction was logged
        send(a, true, 1.0, "PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello");
        send(a, false, 1.1, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
        send(a, true, 1.2, " world");
        // two replies without request (the first fills the empty transaction), then a request
        send(a, false, 1.3, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        send(a, false, 1.35, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        send(a, true, 1.4, "PATCH /p HTTP/1.1\r\nProxy-Authorization: Basic bm9jb2xvbg==\r\n\r\n");
        a.connectionDone(2.0);
        List<String> names = t.weirdNames();
        assertTrue(names.contains("unmatched_HTTP_reply"), names::toString);
        assertTrue(names.contains("HTTP_response_before_request"), names::toString);
        assertTrue(names.contains("unknown_HTTP_method"), names::toString);
        List<LogRecord> http = t.log("http");
        LogRecord first = http.stream().filter(r -> "/big".equals(r.get("uri"))).findFirst().orElseThrow();
        assertEquals(413L, first.get("status_code"));
        // the PUT ends after its reply: its body length lands in a new, otherwise empty transaction (as in
        // Zeek), which the next unmatched reply fills
        assertTrue(http.stream().anyMatch(r -> r.get("method") == null && Long.valueOf(11).equals(
                r.get("request_body_len")) && Long.valueOf(200).equals(r.get("status_code"))), http::toString);
        LogRecord patch = http.stream().filter(r -> "PATCH".equals(r.get("method"))).findFirst().orElseThrow();
        assertEquals("<problem-decoding> (Basic bm9jb2xvbg==)", patch.get("username"));
    }

    @Test
    void excessivePipeliningFlushesPendingRequests() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        StringBuilder reqs = new StringBuilder();
        for (int i = 0; i < 102; i++) {
            reqs.append("GET /").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        }
        send(a, true, 1.0, reqs.toString());
        assertEquals(101, t.log("http").size(), "the 102nd request flushes the 101 pending ones");
        assertTrue(t.weirdNames().contains("HTTP_excessive_pipelining"));
        a.connectionDone(2.0);
        assertEquals(102, t.log("http").size());
    }
}
