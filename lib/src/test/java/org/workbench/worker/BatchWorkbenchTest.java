package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.InvalidInputException;
import org.workbench.UnknownWorkerException;
import org.workbench.Workbench;

/** The batch API of {@link Workbench}: {@code batchWorkStream}, {@code batchThreads}, {@code batchWorkRequest}. */
class BatchWorkbenchTest {
    @TempDir
    Path home;

    private Workbench wb;

    @BeforeEach
    void open() {
        wb = Workbench.open(home);
    }

    @AfterEach
    void close() {
        wb.close();
    }

    private static Path shared() {
        String s = System.getProperty("workbench.shared");
        assertTrue(s != null && Files.isDirectory(Path.of(s, "data/samples")),
                "shared data missing: set -Dworkbench.shared to a directory with data/samples (got " + s + ")");
        return Path.of(s, "data/samples");
    }

    @Test
    void metaOverTheRealSamplesInParallelMatchesSingleRequests() throws IOException {
        List<String> md5s = new ArrayList<>();
        try (Stream<Path> files = Files.walk(shared())) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                md5s.add(wb.storeSample(f, "unknown"));
            }
        }
        assertTrue(md5s.size() >= 20, "expected the shared PE/PDF/SWF/ZIP samples, found " + md5s.size());
        assertEquals(Runtime.getRuntime().availableProcessors(), wb.batchThreads(), "default: one per processor");
        Map<String, Map<String, Object>> byMd5;
        try (Stream<Map<String, Object>> s = wb.batchThreads(2).batchWorkStream("meta", md5s)) {
            byMd5 = s.collect(Collectors.toMap(d -> (String) d.get("md5"), d -> d, (x, y) -> x));
        }
        assertEquals(new java.util.HashSet<>(md5s), byMd5.keySet());
        for (String md5 : md5s) {
            BatchResult r = BatchResult.from(byMd5.get(md5));
            assertTrue(r.ok(), r.toString());
            assertEquals("meta", r.worker());
            assertEquals(md5, r.result().get("md5"));
            assertEquals("libmagic", r.result().get("magic_source"));
            assertEquals(wb.workRequest("meta", md5), r.result(), "same as a single (cached) request");
        }
    }

    @Test
    void inOrderBatchTurnsFailuresIntoErrorDocuments() {
        String a = wb.storeSample(new byte[] {1, 2, 3}, "a.bin", "unknown");
        String missing = "0123456789abcdef0123456789abcdef";
        List<Map<String, Object>> docs = wb.batchWorkRequest("meta", List.of(a, missing, a))
                .collect(Collectors.toList());
        assertEquals(3, docs.size());
        assertEquals(a, docs.get(0).get("md5"));
        assertEquals("application/octet-stream", docs.get(0).get("mime_type"), "in-order API: the bare result");
        assertEquals(missing, docs.get(1).get("md5"));
        assertEquals("UnknownSampleException", docs.get(1).get("error_type"));
        assertTrue(((String) docs.get(1).get("error")).contains(missing));
        assertEquals(docs.get(0), docs.get(2));
    }

    @Test
    void streamingBatchWithConfigAndThreadsAndErrors() {
        String a = wb.storeSample(new byte[] {1}, "a.pcap", "pcap");
        assertThrows(UnknownWorkerException.class, () -> wb.batchWorkStream("nope", List.of(a)));
        assertThrows(InvalidInputException.class, () -> wb.batchThreads(0));
        assertThrows(InvalidInputException.class, () -> wb.batchWorkStream("meta", List.of(a), 0));
        assertThrows(InvalidInputException.class,
                () -> wb.batchWorkStream("pcap_zeek", List.of(a), Map.of("no_such", 1), 1));
        List<BatchResult> rs = wb.batchWorkStream("pcap_bro", List.of(a, "zz"), 1).map(BatchResult::from)
                .collect(Collectors.toList());
        assertEquals(2, rs.size());
        assertTrue(rs.stream().allMatch(r -> r.worker().equals("pcap_zeek")), rs.toString());
        assertTrue(rs.stream().anyMatch(r -> r.md5().equals("zz") && "InvalidInputException".equals(r.errorType())),
                rs.toString());
    }
}
