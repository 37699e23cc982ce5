package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.workbench.flow.ConnId;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;

class WeirdLogTest {
    final List<LogRecord> out = new ArrayList<>();
    final WeirdLog log = new WeirdLog(out::add);

    static ConnId id(String o, int op, String r, int rp) throws Exception {
        return new ConnId(InetAddress.getByName(o), op, InetAddress.getByName(r), rp, TransportProto.TCP);
    }

    @Test
    void writesZeekColumns() throws Exception {
        log.weird(5.5, "data_before_established", "Cabc", id("10.0.0.1", 1, "10.0.0.2", 2), null, "TCP");
        LogRecord r = out.get(0);
        assertEquals(5.5, r.get("ts"));
        assertEquals("Cabc", r.get("uid"));
        assertEquals(InetAddress.getByName("10.0.0.1"), r.get("id.orig_h"));
        assertEquals(2, r.get("id.resp_p"));
        assertEquals("data_before_established", r.get("name"));
        assertNull(r.get("addl"));
        assertEquals(false, r.get("notice"));
        assertEquals("zeek", r.get("peer"));
        assertEquals("TCP", r.get("source"));
    }

    @Test
    void repeatsOfOneNameOnOneConnectionAreSuppressedForTenMinutes() throws Exception {
        ConnId id = id("10.0.0.1", 1, "10.0.0.2", 2);
        log.weird(1, "window_recision", "C1", id, null, "TCP");
        log.weird(2, "window_recision", "C1", id, null, "TCP");
        log.weird(599, "window_recision", "C1", id, null, "TCP");
        assertEquals(1, out.size());
        log.weird(602, "window_recision", "C1", id, null, "TCP");
        assertEquals(2, out.size(), "weird_ignore entries expire 10 minutes after creation");
        log.weird(603, "SYN_seq_jump", "C1", id, null, "TCP");
        assertEquals(3, out.size(), "another name is another entry");
    }

    @Test
    void checksumWeirdsAreLoggedOncePerOriginator() throws Exception {
        log.weird(1, "bad_TCP_checksum", "C1", id("10.0.0.1", 1, "10.0.0.2", 2), null, "TCP");
        log.weird(2, "bad_TCP_checksum", "C2", id("10.0.0.1", 3, "10.0.0.9", 4), null, "TCP");
        log.weird(3, "bad_TCP_checksum", "C3", id("10.0.0.5", 3, "10.0.0.9", 4), null, "TCP");
        assertEquals(2, out.size(), "ACTION_LOG_PER_ORIG");
    }

    @Test
    void ignoredAndNoticeActions() throws Exception {
        log.weird(1, "spontaneous_FIN", "C1", id("10.0.0.1", 1, "10.0.0.2", 2), null, "TCP");
        assertEquals(0, out.size(), "ACTION_IGNORE");
        log.weird(1, "SYN_after_partial", "C1", id("10.0.0.1", 1, "10.0.0.2", 2), null, "TCP");
        assertEquals(true, out.get(0).get("notice"));
    }

    @Test
    void perConnectionSamplingLetsThresholdThenOneInRate() throws Exception {
        // A name with suppression disabled would still be rate limited by the core: use a tiny custom setup.
        WeirdLog small = new WeirdLog(out::add, 3, 10, 600, "zeek",
                java.util.Map.of("bad_TCP_checksum", WeirdLog.Action.LOG));
        ConnId id = id("10.0.0.1", 1, "10.0.0.2", 2);
        for (int i = 0; i < 33; i++) {
            small.weird(1 + i * 0.001, "bad_TCP_checksum", "C1", id, null, "TCP");
        }
        // counts 1..3 pass, then counts 13, 23, 33 (every 10th above the threshold)
        assertEquals(6, out.size());
        small.connectionRemoved("C1");
        small.weird(2, "bad_TCP_checksum", "C1", id, null, "TCP");
        assertEquals(7, out.size(), "state of an ended connection is forgotten");
    }

    @Test
    void flowAndNetWeirds() throws Exception {
        log.weird(1, "truncated_IP", null, null, "12", "IP");
        log.weird(2, "truncated_IP", null, null, "12", "IP");
        assertEquals(1, out.size(), "same net weird within 10 minutes is suppressed");
        assertNull(out.get(0).get("uid"));
        assertNull(out.get(0).get("id.orig_h"));
        assertEquals("12", out.get(0).get("addl"));
        log.weird(3, "fragment_overlap", null, id("10.0.0.1", 0, "10.0.0.2", 0), null, "IP");
        assertEquals(2, out.size());
        assertEquals(0, out.get(1).get("id.orig_p"));
    }
}
