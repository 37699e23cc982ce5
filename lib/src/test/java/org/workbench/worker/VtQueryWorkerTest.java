package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;

/** The {@code vt_query} worker against a local stand-in for the VirusTotal API v3 on 127.0.0.1. */
class VtQueryWorkerTest {
    private static final String KEY = "test-key-0123";

    @TempDir
    Path home;
    private Workbench wb;
    private HttpServer server;
    private String base;
    /** Responses to give, in order: status and body (the last one repeats); "SLEEP" delays 10 s. */
    private final ConcurrentLinkedQueue<Object[]> script = new ConcurrentLinkedQueue<>();
    private volatile Object[] last = {500, "{}"};
    private final List<String> seenPaths = new CopyOnWriteArrayList<>();
    private final List<String> seenKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger hits = new AtomicInteger();
    private String md5;
    private java.util.concurrent.ExecutorService pool;

    @BeforeEach
    void start() throws IOException {
        wb = Workbench.open(home);
        md5 = wb.storeSample("not really malware".getBytes(StandardCharsets.US_ASCII), "x.exe", "exe");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
        wb.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        seenPaths.add(ex.getRequestURI().getPath());
        seenKeys.add(String.valueOf(ex.getRequestHeaders().getFirst("x-apikey")));
        Object[] r = script.poll();
        if (r == null) {
            r = last;
        } else {
            last = r;
        }
        if ("SLEEP".equals(r[1])) {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r = new Object[] {200, "{}"};
        }
        byte[] body = ((String) r[1]).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders((Integer) r[0], body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    private static String report() throws IOException {
        try (InputStream in = VtQueryWorkerTest.class.getResourceAsStream("/org/workbench/vt/file_report.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String reportUnchecked() {
        try {
            return report();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String error(String code, String message) {
        return "{\"error\": {\"code\": \"" + code + "\", \"message\": \"" + message + "\"}}";
    }

    private void register(Map<String, ?> extra) {
        Map<String, Object> cfg = new java.util.HashMap<>(Map.of("api_key", KEY, "base_url", base,
                "requests_per_minute", 0, "timeout_seconds", 1, "max_retries", 3, "retry_base_seconds", 0.05,
                "retry_max_seconds", 0.2));
        cfg.putAll(extra);
        wb.registry().replace(new VtQueryWorker(cfg, null, k -> null));
    }

    /** What the facade/batch is asked to do: turn {@link UncachedResultException} into its result. */
    private Map<String, Object> facade(String worker, String sample) {
        try {
            return wb.workRequest(worker, sample);
        } catch (UncachedResultException e) {
            return e.result();
        }
    }

    private long cachedVtResults() throws IOException {
        Path dir = home.resolve("results").resolve(VtQueryWorker.NAME);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void foundReportIsSummarizedAndCached() throws IOException {
        script.add(new Object[] {200, report()});
        register(Map.of());
        Map<String, Object> r = wb.workRequest(VtQueryWorker.NAME, md5);
        assertEquals(List.of("/api/v3/files/" + md5), seenPaths);
        assertEquals(List.of(KEY), seenKeys);
        assertEquals(md5, r.get("md5"));
        assertEquals("Win32 EXE", r.get("file_type"));
        assertEquals(4, ((Number) r.get("positives")).intValue());
        assertEquals(10, ((Number) r.get("total")).intValue());
        assertEquals("2014-02-14 16:57:05", r.get("scan_date"));
        assertEquals(List.of("W32.Trojan", 3), ((List<?>) r.get("scan_results")).get(0));
        VtResult t = VtResult.from(r);
        assertTrue(t.found());
        assertEquals(1, t.suspicious());
        assertEquals(new VtResult.Detection("W32.Trojan", 3), t.scanResults().get(0));
        assertEquals(4L, t.stats().get("malicious"));
        assertTrue(t.fetchedAt() != null);
        assertFalse(r.toString().contains(KEY), "the API key must not appear in the result");
        // Cached: a second request does not reach the server.
        assertEquals(r, wb.workRequest(VtQueryWorker.NAME, md5));
        assertEquals(1, hits.get());
        assertEquals(1, cachedVtResults());
        for (Path p : Files.list(home.resolve("results").resolve(VtQueryWorker.NAME)).toList()) {
            assertFalse(Files.readString(p).contains(KEY), "the API key must not be stored");
        }
    }

    @Test
    void notFoundIsAResult() {
        script.add(new Object[] {404, error("NotFoundError", "File not found")});
        register(Map.of());
        Map<String, Object> r = wb.workRequest(VtQueryWorker.NAME, md5);
        assertEquals(Boolean.TRUE, r.get("not_found"));
        VtResult t = VtResult.from(r);
        assertTrue(t.notFound());
        assertNull(t.error());
    }

    @Test
    void noKeyGivesAnUncachedErrorResult() throws IOException {
        wb.registry().replace(new VtQueryWorker(Map.of("base_url", base), home.resolve("config.json"), k -> null));
        // the engine sees an uncached-result exception; the facade hands its result back
        UncachedResultException e = assertThrows(UncachedResultException.class,
                () -> wb.engine().run(VtQueryWorker.NAME, md5, Map.of()));
        assertTrue(e.getMessage().startsWith("no VirusTotal API key: set VT_API_KEY"), e.getMessage());
        Map<String, Object> r = wb.workRequest(VtQueryWorker.NAME, md5);
        assertEquals(e.getMessage(), r.get("error"));
        assertEquals(md5, r.get("md5"));
        assertEquals(0, hits.get());
        assertEquals(0, cachedVtResults());
        // Once a key appears in <home>/config.json, the next request asks VirusTotal.
        Files.writeString(home.resolve("config.json"), "{\"virustotal\": {\"api_key\": \"" + KEY + "\","
                + " \"requests_per_minute\": 0}}");
        script.add(new Object[] {200, report()});
        assertEquals("Win32 EXE", wb.workRequest(VtQueryWorker.NAME, md5).get("file_type"));
        assertEquals(List.of(KEY), seenKeys);
    }

    @Test
    void rejectedKeyIsNotCached() throws IOException {
        script.add(new Object[] {401, error("WrongCredentialsError", "Wrong API key")});
        register(Map.of());
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("rejected the API key"), r.toString());
        assertTrue(((String) r.get("error")).contains("WrongCredentialsError"), r.toString());
        assertEquals(401, r.get("http_status"));
        assertEquals("Wrong API key", VtResult.from(r).error().replaceAll(".*: ", "").replace(")", ""));
        assertEquals(0, cachedVtResults());
    }

    @Test
    void quotaExceededIsRetriedWithBackOff() {
        script.add(new Object[] {429, error("QuotaExceededError", "Quota exceeded")});
        script.add(new Object[] {429, error("QuotaExceededError", "Quota exceeded")});
        script.add(new Object[] {200, reportUnchecked()});
        register(Map.of());
        long t0 = System.nanoTime();
        Map<String, Object> r = wb.workRequest(VtQueryWorker.NAME, md5);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("Win32 EXE", r.get("file_type"));
        assertEquals(3, hits.get());
        assertTrue(ms >= 140, "back-off 50 ms + 100 ms expected, took " + ms + " ms");
    }

    @Test
    void quotaStillExceededAfterRetriesIsAnError() throws IOException {
        script.add(new Object[] {429, error("QuotaExceededError", "Quota exceeded")});
        register(Map.of("max_retries", 2));
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("quota exceeded"), r.toString());
        assertEquals(3, hits.get());
        assertEquals(0, cachedVtResults());
    }

    @Test
    void malformedJsonIsAnError() throws IOException {
        script.add(new Object[] {200, "{\"data\": {\"attributes\": "});
        register(Map.of());
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("malformed JSON"), r.toString());
        script.add(new Object[] {200, "{\"data\": 3}"});
        r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("without a file object"), r.toString());
        assertEquals(0, cachedVtResults());
    }

    @Test
    void timeoutIsAnError() throws IOException {
        script.add(new Object[] {200, "SLEEP"});
        register(Map.of("timeout_seconds", 0.5));
        long t0 = System.nanoTime();
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 9_000, "should give up before the server answers");
        assertTrue(((String) r.get("error")).contains("did not answer within 0.5 s"), r.toString());
        assertEquals(0, cachedVtResults());
    }

    @Test
    void unreachableServerIsAnError() throws IOException {
        register(Map.of("base_url", "http://127.0.0.1:1"));
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("127.0.0.1:1"), r.toString());
        assertEquals(0, cachedVtResults());
    }

    @Test
    void rateLimitIsSharedAndEnforced() {
        script.add(new Object[] {404, error("NotFoundError", "x")});
        // 2 requests per minute for this server (each test has its own port, hence its own shared limiter):
        // the third request must wait; cancel it instead.
        register(Map.of("requests_per_minute", 2));
        String a = wb.storeSample(new byte[] {1}, "a", "unknown");
        String b = wb.storeSample(new byte[] {2}, "b", "unknown");
        wb.workRequest(VtQueryWorker.NAME, a);
        wb.workRequest(VtQueryWorker.NAME, b);
        Thread t = Thread.currentThread();
        java.util.concurrent.ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        s.schedule(t::interrupt, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        assertThrows(org.workbench.WorkCancelledException.class, () -> wb.workRequest(VtQueryWorker.NAME, md5));
        Thread.interrupted();
        s.shutdown();
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 250);
        assertEquals(2, hits.get());
    }

    @Test
    void malformedConfigFileIsAnErrorResultNotAnOpenFailure() throws IOException {
        Files.writeString(home.resolve("config.json"), "{oops");
        VtQueryWorker w = VtQueryWorker.fromHome(home);
        wb.registry().replace(w);
        Map<String, Object> r = facade(VtQueryWorker.NAME, md5);
        assertTrue(((String) r.get("error")).contains("config.json"), r.toString());
        assertEquals(0, cachedVtResults());
    }

    @Test
    void maxScanResultsSetting() throws IOException {
        script.add(new Object[] {200, report()});
        register(Map.of());
        Map<String, Object> r = wb.workRequest(VtQueryWorker.NAME, md5, Map.of("max_scan_results", 1));
        assertEquals(1, ((List<?>) r.get("scan_results")).size());
    }
}
