package org.workbench.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoreTableTest {
    private static LogScore s(String c, boolean in, String log, long cells, long agree, double score) {
        return new LogScore(c, in, 0, log, 2, 2, 2, cells, agree, score, null);
    }

    @Test
    void poolsCellsLikeComparePy() {
        List<LogScore> scores = List.of(
                s("a", true, "dns", 10, 9, 0.9), s("b", true, "dns", 30, 30, 1.0), s("c", false, "dns", 60, 0, 0),
                s("a", true, "weird", 0, 0, 1.0), s("b", true, "weird", 0, 0, 0.0),
                s("a", true, "ftp", 1, 1, 1.0), s("a", true, "conn", 4, 2, 0.5));
        ScoreTable all = ScoreTable.of(scores, x -> true);
        ScoreTable in = ScoreTable.of(scores, LogScore::inScope);
        assertEquals(39.0 / 100, all.score("dns"), 1e-12);
        assertEquals(39.0 / 40, in.score("dns"), 1e-12);
        assertEquals(3, all.rows().get("dns").cases());
        assertEquals(0.5, in.score("weird"), 1e-12); // no cells: mean of the scores, as compare.py's overall
        assertEquals(List.of("conn", "dns", "weird", "ftp"), List.copyOf(all.rows().keySet()));
        assertTrue(Double.isNaN(in.score("ssl")));
        assertEquals(List.of("conn", "weird"), in.failures(Map.of("conn", 0.6, "dns", 0.97, "weird", 0.51,
                "ssl", 0.9)));
        String text = in.format("In scope:", Map.of("conn", 0.6));
        assertTrue(text.contains("0.6 FAIL"), text);
        assertTrue(text.contains("dns"), text);
    }
}
