package org.workbench.analyzer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.workbench.analyzer.http.HttpTestSupport.send;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.zeeklog.LogRecord;

/** Bytes in, records out: HTTP behaviours matched to Zeek's reference logs. */
class HttpConformanceFixesTest {

    private static final String BOUNDARY = "THIS_STRING_SEPARATES";

    private static String part(String range, String content) {
        return "--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\nContent-Range: " + range
                + "\r\n\r\n" + content + "\r\n";
    }

    @Test
    void multipartByterangesReplyIsOneFilePlacedByOffsetAndTimesOut() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /big.bin HTTP/1.1\r\nHost: h\r\nRange: bytes=10-14,20-22\r\n\r\n");
        String body = part("bytes 10-14/1000", "ABCDE") + part("bytes 20-22/1000", "XYZ") + "--" + BOUNDARY
                + "--\r\n";
        send(a, false, 1.1, "HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary="
                + BOUNDARY + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        a.connectionDone(2.0);
        // the file outlives the message and the connection: it is logged when the analysis ends
        assertTrue(t.log("files").isEmpty());
        t.files.closeAll(3.0);
        List<LogRecord> files = t.log("files");
        assertEquals(1, files.size());
        LogRecord f = files.get(0);
        assertEquals(8L, f.get("seen_bytes"));
        assertEquals(1000L, f.get("total_bytes"));
        assertEquals(23L - 8L, f.get("missing_bytes")); // 0..22 covered, 8 bytes seen
        assertEquals(true, f.get("timedout"));
        assertNull(f.get("mime_type"));
        LogRecord h = t.log("http").get(0);
        assertEquals(206L, h.get("status_code"));
        assertEquals(List.of(f.get("fuid")), h.get("resp_fuids"));
    }

    @Test
    void rangeRepliesForOneUrlShareOneFile() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-3/10\r\n"
                + "Content-Length: 4\r\n\r\nabcd");
        send(a, true, 2.0, "GET /f HTTP/1.1\r\nHost: h\r\nRange: bytes=6-9\r\n\r\n");
        send(a, false, 2.1, "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 6-9/10\r\n"
                + "Content-Length: 4\r\n\r\nghij");
        a.connectionDone(3.0);
        t.files.closeAll(4.0);
        List<LogRecord> files = t.log("files");
        assertEquals(1, files.size());
        assertEquals(8L, files.get(0).get("seen_bytes"));
        assertEquals(2L, files.get(0).get("missing_bytes"));
        assertEquals(10L, files.get(0).get("total_bytes"));
        assertEquals(false, files.get(0).get("timedout")); // every byte accounted for
        List<LogRecord> http = t.log("http");
        assertEquals(List.of(files.get(0).get("fuid")), http.get(0).get("resp_fuids"));
    }

    @Test
    void lowerCaseVersionInReplyLineIsAccepted() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        a.connectionDone(2.0);
        LogRecord h = t.log("http").get(0);
        assertEquals("1.1", h.get("version"));
        assertEquals(200L, h.get("status_code"));
        assertEquals("OK", h.get("status_msg"));
    }

    @Test
    void atMostFifteenFilesPerDirectionAreListed() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            body.append("--b\r\nContent-Type: text/plain\r\n\r\nPart number ").append(i).append("\r\n");
        }
        body.append("--b--\r\n");
        send(a, true, 1.0, "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        a.connectionDone(2.0);
        LogRecord h = t.log("http").get(0);
        assertEquals(15, ((List<?>) h.get("orig_fuids")).size());
        assertEquals(15, ((List<?>) h.get("orig_mime_types")).size());
        assertEquals(20, t.log("files").size());
    }

    @Test
    void unterminatedLastMimeLineCountsACrlf() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--";
        send(a, true, 1.0, "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        a.connectionDone(2.0);
        assertEquals((long) body.length() + 2, t.log("http").get(0).get("request_body_len"));
        assertTrue(t.weirds.stream().anyMatch(w -> w[0].equals("line_terminated_without_CRLF")
                && w[2].equals("CONTENTLINE")));
    }

    @Test
    void filenameHeaderWhileNoEntityIsOpenIsDroppedWithWeird() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n1234\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n");
        send(a, true, 1.2, "4567\n"); // the request ends while the reply's headers are still coming
        send(a, false, 1.3, "Content-Disposition: attachment; filename=\"test.txt\"\r\n\r\nfin");
        a.connectionDone(2.0);
        LogRecord h = t.log("http").get(0);
        assertNull(h.get("resp_filenames"));
        assertTrue(t.weirdNames().contains("missing_HTTP_entity"));
    }

    @Test
    void filenameInsideAnEntityIsKept() {
        HttpTestSupport t = new HttpTestSupport();
        StreamAnalyzer a = t.analyzer();
        send(a, true, 1.0, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        send(a, false, 1.1, "HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n"
                + "Content-Length: 3\r\n\r\nfin");
        a.connectionDone(2.0);
        assertEquals(List.of("a.txt"), t.log("http").get(0).get("resp_filenames"));
        assertTrue(!t.weirdNames().contains("missing_HTTP_entity"));
    }
}
