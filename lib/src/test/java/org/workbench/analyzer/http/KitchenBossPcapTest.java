package org.workbench.analyzer.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.workbench.files.ExtractionPolicy;
import org.workbench.zeeklog.LogRecord;

/**
 * Runs the HTTP analyzer over the reference capture's port-80 connections, reassembled simply by
 * {@link PcapReplay} (segments sorted by sequence number, duplicates and overlaps trimmed, holes delivered as
 * gaps), and checks that the files known to be in it are found with the right type and MD5 and are extracted.
 */
class KitchenBossPcapTest {
    /** Files the reference case is known to contain (MD5 of the decoded HTTP body, and Zeek's MIME name). */
    private static final Map<String, String> EXPECTED = Map.of(
            "16cf037b8c8caad6759afc8c309de0f9", "application/x-shockwave-flash",
            "c762b6ba4f560692b6b84ac212cd3ec2", "application/java-archive",
            "40b8c3c98f50e078251ec272620dfb5b", "application/pdf",
            "4410133f571476f2e76e29e61767b557", "application/x-dosexec");

    private static Path capture() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (expected the shared data folder)");
        }
        Path p = Path.of(shared, "data", "pcap", "kitchen_boss.pcap");
        if (!Files.isRegularFile(p)) {
            fail("missing reference capture " + p + " (folder " + p.getParent() + ")");
        }
        return p;
    }

    @Test
    void findsTheKnownFilesInTheReferenceCapture() throws Exception {
        List<PcapReplay.Flow> flows = PcapReplay.read(capture()).stream()
                .filter(f -> f.id.respP() == 80).toList();
        assertTrue(flows.size() > 5, "expected several port-80 connections, got " + flows.size());
        HttpTestSupport t = new HttpTestSupport(ExtractionPolicy.defaults(), false);
        int n = 0;
        for (PcapReplay.Flow flow : flows) {
            PcapReplay.replay(flow, t.analyzer(flow.id, "Ckb" + (++n)));
        }
        t.files.closeAll(Double.MAX_VALUE);
        List<LogRecord> files = t.log("files");
        Map<String, String> byMd5 = files.stream().filter(f -> f.get("md5") != null)
                .collect(Collectors.toMap(f -> (String) f.get("md5"), f -> String.valueOf(f.get("mime_type")),
                        (x, y) -> x));
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            assertEquals(e.getValue(), byMd5.get(e.getKey()),
                    "file with MD5 " + e.getKey() + " among " + describe(files));
        }
        // every expected file is also extracted by the default policy
        for (String md5 : EXPECTED.keySet()) {
            assertTrue(t.extracted.stream().anyMatch(x -> md5.equals(x.md5())), "extracted " + md5);
        }
        assertTrue(t.log("http").size() >= files.size() / 2, "http.log rows for the transfers");
    }

    private static String describe(List<LogRecord> files) {
        return files.stream().map(f -> f.get("mime_type") + "/" + f.get("seen_bytes") + "/" + f.get("missing_bytes")
                + "/" + f.get("md5")).collect(Collectors.joining(", "));
    }
}
