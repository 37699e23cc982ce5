package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.DependencyCycleException;
import org.workbench.InvalidInputException;
import org.workbench.UnknownWorkerException;
import org.workbench.worker.WorkEngineTest.TestWorker;
import org.workbench.store.SampleStore;

/** {@link WorkEngine#batch}: parallel, streaming, lazy, cancellable, errors as documents. */
class BatchWorkTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private SampleStore store;
    private WorkerRegistry registry;
    private WorkEngine engine;
    private final List<String> samples = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = SampleStore.openAt(home);
        registry = new WorkerRegistry();
        engine = new WorkEngine(store, registry);
        for (int i = 0; i < 6; i++) {
            samples.add(store.storeSample(("sample " + i).getBytes(StandardCharsets.US_ASCII), "s" + i + ".bin",
                    "unknown"));
        }
    }

    private static TestWorker worker(String name, java.util.function.Function<WorkerContext, Map<String, Object>> body) {
        return new TestWorker(name, "1", List.of(), Set.of(), Map.of(), body);
    }

    private static Map<String, Object> md5Of(WorkerContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seen", ctx.md5());
        return m;
    }

    @Test
    void oneDocumentPerSampleLazilyWithDuplicatesRunOnce() {
        TestWorker w = worker("echo", BatchWorkTest::md5Of);
        registry.register(w);
        registry.alias("echo_alias", "echo");
        List<String> md5s = new ArrayList<>(samples);
        md5s.add(samples.get(0));
        md5s.add(samples.get(0));
        try (Stream<Map<String, Object>> s = engine.batch("echo_alias", md5s, Map.of(), 3)) {
            assertEquals(0, w.runs.get(), "nothing runs before the stream is consumed");
            List<Map<String, Object>> docs = s.collect(Collectors.toList());
            assertEquals(md5s.size(), docs.size());
            Map<String, Integer> count = new HashMap<>();
            for (Map<String, Object> d : docs) {
                assertEquals(Set.of("md5", "worker", "result"), d.keySet(), d.toString());
                assertEquals("echo", d.get("worker"), "aliases resolve to the real name");
                assertEquals(Map.of("seen", d.get("md5")), d.get("result"));
                count.merge((String) d.get("md5"), 1, Integer::sum);
                BatchResult r = BatchResult.from(d);
                assertTrue(r.ok());
                assertEquals(d, r.toMap());
            }
            assertEquals(3, count.get(samples.get(0)));
            assertEquals(samples.size(), w.runs.get(), "the repeated sample is executed once");
        }
        // cached: a second batch runs nothing
        assertEquals(samples.size(), engine.batch("echo", samples, Map.of(), 2).count());
        assertEquals(samples.size(), w.runs.get());
    }

    @Test
    void samplesRunInParallelAndArriveAsTheyFinish() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        String slow = samples.get(0);
        String fast = samples.get(1);
        registry.register(worker("gate", ctx -> {
            bothRunning.countDown();
            try {
                assertTrue(bothRunning.await(30, TimeUnit.SECONDS), "two samples never ran at the same time");
                if (ctx.md5().equals(slow)) {
                    assertTrue(releaseFirst.await(30, TimeUnit.SECONDS));
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return md5Of(ctx);
        }));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Stream<Map<String, Object>> s = engine.batch("gate", List.of(slow, fast), Map.of(), 2)) {
                Iterator<Map<String, Object>> it = s.iterator();
                Map<String, Object> first = it.next();
                assertEquals(fast, first.get("md5"), "completion order: the sample that finished first comes first");
                releaseFirst.countDown();
                assertEquals(slow, it.next().get("md5"));
                assertFalse(it.hasNext());
            }
        });
    }

    @Test
    void failuresBecomeErrorDocumentsAndNeverStopTheBatch() {
        registry.register(worker("picky", ctx -> {
            if (ctx.md5().equals(samples.get(2))) {
                throw new IllegalStateException("sample two is bad");
            }
            return md5Of(ctx);
        }));
        registry.register(new TestWorker("pdf_only", "1", List.of(), Set.of("pdf"), Map.of(), BatchWorkTest::md5Of));
        String unknown = "ffffffffffffffffffffffffffffffff";
        List<String> md5s = List.of(samples.get(0), unknown, "not-an-md5", samples.get(2), samples.get(1));
        Map<String, BatchResult> byMd5 = engine.batch("picky", md5s, Map.of(), 2)
                .map(BatchResult::from).collect(Collectors.toMap(BatchResult::md5, r -> r));
        assertEquals(5, byMd5.size());
        assertTrue(byMd5.get(samples.get(0)).ok());
        assertTrue(byMd5.get(samples.get(1)).ok());
        BatchResult u = byMd5.get(unknown);
        assertEquals("UnknownSampleException", u.errorType());
        assertTrue(u.error().contains(unknown), u.error());
        assertNull(u.result());
        assertEquals("InvalidInputException", byMd5.get("not-an-md5").errorType());
        BatchResult bad = byMd5.get(samples.get(2));
        assertEquals("WorkerFailedException", bad.errorType());
        assertTrue(bad.error().contains("sample two is bad") && bad.error().contains("picky"), bad.error());
        assertEquals(Set.of("md5", "worker", "error", "error_type"), bad.toMap().keySet());

        BatchResult wrong = BatchResult.from(engine.batch("pdf_only", List.of(samples.get(0)), Map.of(), 1)
                .findFirst().orElseThrow());
        assertEquals("WrongSampleKindException", wrong.errorType());
        assertTrue(wrong.error().contains("'unknown'"), wrong.error());
    }

    @Test
    void requestErrorsAreImmediate() {
        registry.register(new TestWorker("conf", "1", List.of(), Set.of(), Map.of("level", 1),
                ctx -> Map.of("level", ctx.config().get("level"))));
        assertThrows(UnknownWorkerException.class, () -> engine.batch("nope", samples, Map.of(), 2));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> engine.batch("conf", samples, Map.of("colour", "red"), 2));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> engine.batch("conf", samples, Map.of(), 0));
        assertThrows(InvalidInputException.class, () -> engine.batch("conf", null, Map.of(), 1));
        // with an override: every document carries the overridden result
        assertEquals(Set.of(2), engine.batch("conf", samples, Map.of("level", 2), 2)
                .map(d -> ((Map<?, ?>) d.get("result")).get("level")).collect(Collectors.toSet()));
        assertEquals(0, engine.batch("conf", List.of(), Map.of(), 2).count());
    }

    @Test
    void closingTheStreamCancelsPendingWork() {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger sawCancel = new AtomicInteger();
        CountDownLatch secondStarted = new CountDownLatch(1);
        String first = samples.get(0);
        TestWorker w = worker("spin", ctx -> {
            started.incrementAndGet();
            if (ctx.md5().equals(first)) {
                return md5Of(ctx);
            }
            secondStarted.countDown();
            while (!ctx.isCancelled()) {
                Thread.onSpinWait();
            }
            sawCancel.incrementAndGet();
            ctx.checkCancelled();
            return md5Of(ctx);
        });
        registry.register(w);
        assertTimeoutPreemptively(LIMIT, () -> {
            Stream<Map<String, Object>> s = engine.batch("spin", samples, Map.of(), 1);
            Iterator<Map<String, Object>> it = s.iterator();
            assertEquals(first, it.next().get("md5"));
            assertTrue(secondStarted.await(30, TimeUnit.SECONDS));
            s.close();
            assertFalse(it.hasNext(), "nothing is delivered after close");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sawCancel.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, sawCancel.get(), "the running worker saw the cancellation");
            Thread.sleep(200);
            assertEquals(2, started.get(), "pending samples never started");
        });
        // the finished sample was cached; the cancelled one cached nothing (its request runs the worker again)
        assertEquals(Map.of("seen", first), engine.run("spin", first, Map.of()));
        assertEquals(2, started.get());
        AtomicInteger cancelledAgain = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                engine.run("spin", samples.get(1), Map.of());
            } catch (org.workbench.WorkCancelledException e) {
                cancelledAgain.incrementAndGet();
            }
        });
        t.start();
        assertTimeoutPreemptively(LIMIT, () -> {
            while (started.get() < 3) {
                Thread.sleep(5);
            }
        });
        t.interrupt();
        assertTimeoutPreemptively(LIMIT, () -> t.join());
        assertEquals(1, cancelledAgain.get());
    }

    @Test
    void cyclesAcrossThreadsAreReportedNotDeadlocked() {
        String a = samples.get(0);
        String b = samples.get(1);
        CyclicBarrier together = new CyclicBarrier(2);
        Set<String> entered = ConcurrentHashMap.newKeySet();
        registry.register(worker("ping", ctx -> {
            if (entered.add(ctx.md5())) {
                try {
                    together.await(30, TimeUnit.SECONDS); // both samples hold their lock before the nested request
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return ctx.workRequest("ping", ctx.md5().equals(a) ? b : a);
        }));
        List<BatchResult> docs = assertTimeoutPreemptively(LIMIT, () -> engine.batch("ping", List.of(a, b),
                Map.of(), 2).map(BatchResult::from).collect(Collectors.toList()));
        assertEquals(2, docs.size());
        for (BatchResult r : docs) {
            assertEquals(DependencyCycleException.class.getSimpleName(), r.errorType(), r.toString());
            assertTrue(r.error().contains("ping(" + a + ")") && r.error().contains("ping(" + b + ")"), r.error());
        }
    }
}
