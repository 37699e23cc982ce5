package org.workbench.vt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VtReportsTest {
    static JsonNode report() throws IOException {
        try (InputStream in = VtReportsTest.class.getResourceAsStream("file_report.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void summarizesAFileObject() throws IOException {
        Map<String, Object> s = VtReports.summarize(report().get("data"), "https://www.virustotal.com", 0);
        assertEquals("Win32 EXE", s.get("file_type"));
        assertEquals(4L, s.get("positives"));
        assertEquals(1L, s.get("suspicious"));
        assertEquals(10L, s.get("total"));
        assertEquals("2014-02-14 16:57:05", s.get("scan_date"));
        assertEquals(List.of(List.of("W32.Trojan", 3L), List.of("Trojan.Win32.Generic", 1L),
                List.of("a variant of Win32/Kryptik", 1L)), s.get("scan_results"));
        assertEquals(8, ((Map<?, ?>) s.get("stats")).size());
        assertEquals("https://www.virustotal.com/gui/file/"
                + "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", s.get("permalink"));
        Map<String, Object> top1 = VtReports.summarize(report().get("data"), "x", 1);
        assertEquals(List.of(List.of("W32.Trojan", 3L)), top1.get("scan_results"));
    }

    @Test
    void toleratesMissingFields() throws IOException {
        JsonNode bare = new ObjectMapper().readTree("{\"type\":\"file\",\"id\":\"abc\",\"attributes\":{}}");
        Map<String, Object> s = VtReports.summarize(bare, "b", 5);
        assertNull(s.get("file_type"));
        assertEquals(0L, s.get("positives"));
        assertEquals(0L, s.get("total"));
        assertNull(s.get("scan_date"));
        assertEquals(List.of(), s.get("scan_results"));
        assertEquals("b/gui/file/abc", s.get("permalink"));
    }
}
