package org.workbench.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.LogSink;

/**
 * Progress reports of long requests: a capture's analysis reports bytes read of the file's size, a batch reports
 * samples delivered of the batch's size; counts only grow, the first report is 0 and the last one is the total.
 */
class ProgressTest {
    @TempDir
    Path tmp;

    /** Records every report; interval 0 so that every measurement is reported. */
    static final class Recorder implements ProgressListener {
        final List<Progress> reports = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onProgress(Progress p) {
            reports.add(p);
        }

        @Override
        public long intervalMillis() {
            return 0;
        }
    }

    static Path shared(String... parts) {
        String s = System.getProperty("workbench.shared");
        assertTrue(s != null, "system property workbench.shared is not set (surefire sets it to ../shared)");
        Path p = Path.of(s, parts);
        assertTrue(Files.exists(p), "missing shared data: " + p);
        return p;
    }

    static void assertMonotonicToTotal(List<Progress> reports, long total, String unit) {
        assertFalse(reports.isEmpty(), "no progress reports");
        assertEquals(0, reports.get(0).done(), "first report starts at 0: " + reports.get(0));
        long prev = -1;
        double prevElapsed = -1;
        for (int i = 0; i < reports.size(); i++) {
            Progress p = reports.get(i);
            assertEquals(unit, p.unit());
            assertEquals(total, p.total(), "every report carries the total: " + p);
            assertTrue(p.done() >= prev, "counts never decrease: " + reports);
            assertTrue(p.elapsedSeconds() >= prevElapsed, "elapsed time never decreases");
            assertEquals(i == reports.size() - 1, p.finished(), "only the last report is final: " + p);
            prev = p.done();
            prevElapsed = p.elapsedSeconds();
        }
        Progress last = reports.get(reports.size() - 1);
        assertFalse(last.failed());
        assertEquals(total, last.done(), "the last report is the total");
        assertTrue(last.text().contains("done"), last.text());
    }

    @Test
    void analysisReportsBytesReadOfTheCaptureSize() throws IOException {
        Path pcap = shared("data", "pcap", "gold_xxx.pcap");
        Recorder r = new Recorder();
        LogSink discard = record -> { };
        ZeekAnalysis.builder().progress(r, "zeek gold").build().run(pcap, discard, ExtractedFileSink.discarding());
        long size = Files.size(pcap);
        assertMonotonicToTotal(r.reports, size, Progress.BYTES);
        assertEquals("zeek gold", r.reports.get(0).task());
        // the file has thousands of packets: the reader's position is measured along the way, not only at the end
        long between = r.reports.stream().filter(p -> p.done() > 0 && p.done() < size)
                .count();
        assertTrue(between >= 2, "intermediate reports while reading: " + r.reports.size());
    }

    @Test
    void pcapZeekRequestReportsThroughTheWorkbench() throws IOException {
        Path pcap = shared("data", "pcap", "kitchen_boss.pcap");
        Recorder r = new Recorder();
        try (Workbench wb = Workbench.open(tmp.resolve("home")).progress(r)) {
            String md5 = wb.storeSample(pcap, "pcap");
            // view_pcap_details depends on pcap_zeek: the dependency's progress reaches the listener too
            wb.workRequest("view_pcap_details", md5);
            assertMonotonicToTotal(r.reports, Files.size(pcap), Progress.BYTES);
            assertTrue(r.reports.get(0).task().startsWith("pcap_zeek kitchen_boss.pcap"), r.reports.get(0).task());
            int before = r.reports.size();
            wb.workRequest("pcap_zeek", md5); // cached: no work, no reports
            assertEquals(before, r.reports.size(), "a cached result reports nothing");
        }
    }

    @Test
    void perRequestListenerWinsAndDefaultFactoryIsAskedPerRequest() throws IOException {
        Path pcap = shared("data", "pcap", "http.pcap");
        Recorder own = new Recorder();
        Recorder fromFactory = new Recorder();
        int[] asked = new int[1];
        ProgressDefaults.setFactory(() -> {
            asked[0]++;
            return fromFactory;
        });
        try (Workbench wb = Workbench.open(tmp.resolve("home2"))) {
            String md5 = wb.storeSample(pcap, "pcap");
            wb.workRequest("pcap_zeek", md5, Map.of("json_logs", true), own);
            assertMonotonicToTotal(own.reports, Files.size(pcap), Progress.BYTES);
            assertTrue(fromFactory.reports.isEmpty(), "the per-request listener wins");
            wb.workRequest("pcap_zeek", md5);
            assertEquals(1, asked[0], "the factory is asked once per request without a listener");
            assertMonotonicToTotal(fromFactory.reports, Files.size(pcap), Progress.BYTES);
        } finally {
            ProgressDefaults.setFactory(null);
        }
    }

    @Test
    void batchesReportSamplesDoneOfTotal() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(shared("data", "samples", "pe", "good"))) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 3, "a few PE samples in " + files);
        Recorder stream = new Recorder();
        Recorder sequential = new Recorder();
        try (Workbench wb = Workbench.open(tmp.resolve("home3"))) {
            List<String> md5s = new ArrayList<>();
            for (Path f : files) {
                md5s.add(wb.storeSample(f, "exe"));
            }
            md5s.add("0123456789abcdef0123456789abcdef"); // unknown: an error document, still one sample done
            wb.progress(stream);
            List<Map<String, Object>> docs;
            try (Stream<Map<String, Object>> s = wb.batchWorkStream("meta", md5s, 2)) {
                docs = s.collect(Collectors.toList());
            }
            assertEquals(md5s.size(), docs.size());
            assertMonotonicToTotal(stream.reports, md5s.size(), Progress.SAMPLES);
            assertEquals("meta batch", stream.reports.get(0).task());

            wb.progress(sequential);
            List<Map<String, Object>> seq = wb.batchWorkRequest("strings", md5s).collect(Collectors.toList());
            assertEquals(md5s.size(), seq.size());
            assertMonotonicToTotal(sequential.reports, md5s.size(), Progress.SAMPLES);
            // one report per sample at interval 0: 0, 1, ..., n
            assertEquals(md5s.size() + 1, sequential.reports.size(), sequential.reports.toString());
        }
    }

    @Test
    void batchOfOneSampleReportsTheSamplesOwnProgress() throws IOException {
        Path pcap = shared("data", "pcap", "http.pcap");
        Recorder r = new Recorder();
        try (Workbench wb = Workbench.open(tmp.resolve("home5")).progress(r)) {
            String md5 = wb.storeSample(pcap, "pcap");
            try (Stream<Map<String, Object>> s = wb.batchWorkStream("pcap_zeek", List.of(md5))) {
                List<Map<String, Object>> docs = s.collect(Collectors.toList());
                assertTrue(docs.get(0).containsKey("result"), docs.toString());
            }
        }
        assertMonotonicToTotal(r.reports, Files.size(pcap), Progress.BYTES);
        assertTrue(r.reports.get(0).task().startsWith("pcap_zeek "), r.reports.get(0).task());
    }

    @Test
    void compressedCaptureHasNoTotalUntilTheEnd() throws IOException {
        Path pcap = shared("data", "pcap", "speedup_computer.pcap");
        Path gz = tmp.resolve("speedup_computer.pcap.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(pcap, out);
        }
        Recorder r = new Recorder();
        ZeekAnalysis.builder().progress(r, null).build().run(gz, rec -> { }, ExtractedFileSink.discarding());
        Progress last = r.reports.get(r.reports.size() - 1);
        assertTrue(last.finished() && !last.failed());
        assertEquals(Files.size(pcap), last.done(), "the decompressed bytes read");
        assertEquals(last.done(), last.total(), "the total is known at the end");
        for (Progress p : r.reports.subList(0, r.reports.size() - 1)) {
            assertEquals(-1, p.total(), "unknown total while reading a compressed file: " + p);
        }
        assertEquals("zeek " + gz, r.reports.get(0).task(), "default task name");
    }

    @Test
    void abandonedBatchEndsWithAFailedReport() throws IOException {
        Recorder r = new Recorder();
        try (Workbench wb = Workbench.open(tmp.resolve("home4")).progress(r)) {
            List<String> md5s = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                md5s.add(wb.storeSample(("sample " + i).getBytes(), "s" + i + ".txt", "text"));
            }
            try (Stream<Map<String, Object>> s = wb.batchWorkStream("meta", md5s, 1)) {
                s.limit(2).forEach(d -> { });
            }
        }
        Progress last = r.reports.get(r.reports.size() - 1);
        assertTrue(last.finished() && last.failed(), "closing early ends the task as failed: " + last);
        assertTrue(last.done() < 5, last.toString());
    }

    @Test
    void trackerThrottlesAndNeverGoesBack() {
        List<Progress> got = new ArrayList<>();
        ProgressListener slow = new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                got.add(p);
            }

            @Override
            public long intervalMillis() {
                return 60_000;
            }
        };
        ProgressTracker t = ProgressTracker.start(slow, "x", 1_000_000, Progress.BYTES);
        for (int i = 1; i <= 1_000_000; i++) {
            t.update(i);
        }
        t.update(5);
        assertEquals(1_000_000, t.done());
        t.finish();
        t.fail(); // after finish: ignored
        assertEquals(2, got.size(), "first and last report only within the interval: " + got);
        assertEquals(1_000_000, got.get(1).done());
        assertFalse(got.get(1).failed());
    }
}
