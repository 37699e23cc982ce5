package org.workbench.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.DependencyCycleException;
import org.workbench.InvalidInputException;
import org.workbench.UnknownSampleException;
import org.workbench.UnknownWorkerException;
import org.workbench.WorkCancelledException;
import org.workbench.WorkerFailedException;
import org.workbench.WrongSampleKindException;
import org.workbench.store.SampleStore;

class WorkEngineTest {
    @TempDir
    Path home;

    private SampleStore store;
    private WorkerRegistry registry;
    private WorkEngine engine;
    private String pdf;
    private String pcap;

    /** A configurable worker that counts its executions. */
    static final class TestWorker implements Worker {
        final String name;
        final String version;
        final List<String> deps;
        final Set<String> types;
        final Map<String, Object> defaults;
        final Function<WorkerContext, Map<String, Object>> body;
        final AtomicInteger runs = new AtomicInteger();

        TestWorker(String name, String version, List<String> deps, Set<String> types, Map<String, Object> defaults,
                   Function<WorkerContext, Map<String, Object>> body) {
            this.name = name;
            this.version = version;
            this.deps = deps;
            this.types = types;
            this.defaults = defaults;
            this.body = body;
        }

        TestWorker(String name, String version, String... deps) {
            this(name, version, List.of(deps), Set.of(), Map.of(), ctx -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("worker", name);
                out.put("version", version);
                out.put("md5", ctx.md5());
                for (String d : deps) {
                    out.put("from_" + d, ctx.dependency(d));
                }
                return out;
            });
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public List<String> dependencies() {
            return deps;
        }

        @Override
        public Set<String> acceptedTypes() {
            return types;
        }

        @Override
        public Map<String, Object> defaultConfig() {
            return defaults;
        }

        @Override
        public Map<String, Object> execute(WorkerContext ctx) {
            runs.incrementAndGet();
            return body.apply(ctx);
        }
    }

    @BeforeEach
    void setUp() {
        store = SampleStore.openAt(home);
        registry = new WorkerRegistry();
        engine = new WorkEngine(store, registry);
        pdf = store.storeSample("%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII), "doc.pdf", "pdf");
        pcap = store.storeSample(new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, "x.pcap", "pcap");
    }

    private static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    @Test
    void dependencyChainRunsOnceAndIsCachedDurably() {
        TestWorker a = new TestWorker("a", "1");
        TestWorker b = new TestWorker("b", "1", "a");
        TestWorker c = new TestWorker("c", "1", "b", "a");
        registry.register(a).register(b).register(c);

        Map<String, Object> first = engine.run("c", pdf, Map.of());
        assertEquals(List.of(1, 1, 1), List.of(a.runs.get(), b.runs.get(), c.runs.get()));
        @SuppressWarnings("unchecked")
        Map<String, Object> fromB = (Map<String, Object>) first.get("from_b");
        assertEquals("b", fromB.get("worker"));
        assertEquals(Map.of("worker", "a", "version", "1", "md5", pdf), fromB.get("from_a"));

        Map<String, Object> second = engine.run("c", pdf, Map.of());
        assertEquals(first, second);
        assertNotSame(first, second);
        engine.run("b", pdf, Map.of());
        engine.run("a", pdf, Map.of());
        assertEquals(List.of(1, 1, 1), List.of(a.runs.get(), b.runs.get(), c.runs.get()));

        // Another sample is other work.
        engine.run("c", pcap, Map.of());
        assertEquals(List.of(2, 2, 2), List.of(a.runs.get(), b.runs.get(), c.runs.get()));

        // A new engine on the same home (a new session) reuses the stored results.
        TestWorker a2 = new TestWorker("a", "1");
        TestWorker b2 = new TestWorker("b", "1", "a");
        TestWorker c2 = new TestWorker("c", "1", "b", "a");
        WorkEngine again = new WorkEngine(SampleStore.openAt(home),
                new WorkerRegistry().register(a2).register(b2).register(c2));
        assertEquals(first, again.run("c", pdf, Map.of()));
        assertEquals(List.of(0, 0, 0), List.of(a2.runs.get(), b2.runs.get(), c2.runs.get()));
    }

    @Test
    void aSampleThatGetsATypeIsWorkedAfresh() {
        TestWorker typed = new TestWorker("typed", "1", List.of(), Set.of(), Map.of(),
                ctx -> Map.of("type_tag", ctx.sample().typeTag()));
        registry.register(typed);
        byte[] bytes = "MZ untyped at first".getBytes(StandardCharsets.US_ASCII);
        String md5 = store.storeSample(bytes, "blob.bin", "unknown");
        assertEquals("unknown", engine.run("typed", md5, Map.of()).get("type_tag"));
        assertEquals("unknown", engine.run("typed", md5, Map.of()).get("type_tag"));
        assertEquals(1, typed.runs.get());
        store.storeSample(bytes, "blob.bin", "exe");
        assertEquals("exe", engine.run("typed", md5, Map.of()).get("type_tag"), "not the result cached as unknown");
        assertEquals(2, typed.runs.get());
        TestWorker again = new TestWorker("typed", "1", List.of(), Set.of(), Map.of(),
                ctx -> Map.of("type_tag", ctx.sample().typeTag()));
        assertEquals("exe", new WorkEngine(SampleStore.openAt(home), new WorkerRegistry().register(again))
                .run("typed", md5, Map.of()).get("type_tag"));
        assertEquals(0, again.runs.get(), "the result computed for exe is cached");
    }

    @Test
    void newVersionOfAWorkerOrOfADependencyIsNotServedStale() {
        TestWorker a = new TestWorker("a", "1");
        TestWorker b = new TestWorker("b", "1", "a");
        registry.register(a).register(b);
        engine.run("b", pdf, Map.of());
        assertEquals(List.of(1, 1), List.of(a.runs.get(), b.runs.get()));

        TestWorker b2 = new TestWorker("b", "2", "a");
        registry.replace(b2);
        assertEquals("2", engine.run("b", pdf, Map.of()).get("version"));
        assertEquals(1, b2.runs.get());
        assertEquals(1, a.runs.get(), "the unchanged dependency is reused");

        TestWorker a2 = new TestWorker("a", "2");
        registry.replace(a2);
        @SuppressWarnings("unchecked")
        Map<String, Object> fromA = (Map<String, Object>) engine.run("b", pdf, Map.of()).get("from_a");
        assertEquals("2", fromA.get("version"));
        assertEquals(1, a2.runs.get());
        assertEquals(2, b2.runs.get(), "a dependency's new version invalidates the dependent");

        // Going back to version 1 finds the old results again.
        registry.replace(a).replace(b);
        engine.run("b", pdf, Map.of());
        assertEquals(List.of(1, 1), List.of(a.runs.get(), b.runs.get()));
    }

    @Test
    void configIsPartOfTheCacheKey() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("depth", 1);
        defaults.put("mode", "fast");
        TestWorker w = new TestWorker("cfg", "1", List.of(), Set.of(), defaults,
                ctx -> Map.of("depth", ctx.config("depth", Number.class), "mode", ctx.config().get("mode")));
        registry.register(w);

        assertEquals(Map.of("depth", 1, "mode", "fast"), engine.run("cfg", pdf, Map.of()));
        engine.run("cfg", pdf, Map.of("depth", 1));
        engine.run("cfg", pdf, Map.of("mode", "fast", "depth", 1));
        assertEquals(1, w.runs.get(), "the defaults, given or not, are one configuration");

        assertEquals(Map.of("depth", 2, "mode", "fast"), engine.run("cfg", pdf, Map.of("depth", 2)));
        assertEquals(2, w.runs.get());
        engine.run("cfg", pdf, Map.of("depth", 2));
        assertEquals(2, w.runs.get());
        engine.run("cfg", pdf, Map.of("mode", "slow"));
        assertEquals(3, w.runs.get());

        assertMessage(InvalidInputException.class, () -> engine.run("cfg", pdf, Map.of("dpeth", 3)),
                "'cfg'", "'dpeth'", "[depth, mode]");
        assertMessage(InvalidInputException.class, () -> engine.run("cfg", pdf, Map.of("depth", new Object())),
                "cfg", "$.depth");
        assertEquals(3, w.runs.get());
    }

    @Test
    void cyclesAreAClearError() {
        registry.register(new TestWorker("x", "1", "y"))
                .register(new TestWorker("y", "1", "z"))
                .register(new TestWorker("z", "1", "x"))
                .register(new TestWorker("selfish", "1", "selfish"))
                .register(new TestWorker("top", "1", "x"));
        assertMessage(DependencyCycleException.class, () -> engine.run("x", pdf, Map.of()), "x -> y -> z -> x");
        assertMessage(DependencyCycleException.class, () -> engine.run("top", pdf, Map.of()), "x -> y -> z -> x");
        assertMessage(DependencyCycleException.class, () -> engine.run("selfish", pdf, Map.of()),
                "selfish -> selfish");
    }

    @Test
    void nestedWorkRequestsAreCachedAndCyclesThroughThemDetected() {
        TestWorker leaf = new TestWorker("leaf", "1");
        registry.register(leaf);
        // A worker that stores a new sample (as an extractor would) and asks for work on it.
        registry.register(new TestWorker("extract", "1", List.of(), Set.of("pcap"), Map.of(), ctx -> {
            String child = ctx.store().storeSample("extracted payload".getBytes(StandardCharsets.US_ASCII),
                    "payload.txt", "unknown");
            return Map.of("child", child, "leaf", ctx.workRequest("leaf", child));
        }));
        Map<String, Object> r = engine.run("extract", pcap, Map.of());
        String child = (String) r.get("child");
        assertTrue(store.has(child));
        assertEquals(1, leaf.runs.get());
        engine.run("leaf", child, Map.of());
        assertEquals(1, leaf.runs.get());

        registry.register(new TestWorker("loop", "1", List.of(), Set.of(), Map.of(),
                ctx -> ctx.workRequest("loop", ctx.md5())));
        assertMessage(DependencyCycleException.class, () -> engine.run("loop", pdf, Map.of()),
                "loop(" + pdf + ") -> loop(" + pdf + ")");
    }

    @Test
    void unknownWorkerSampleAndDependencyAreClearErrors() {
        registry.register(new TestWorker("alpha", "1")).register(new TestWorker("needs_ghost", "1", "ghost"));
        UnknownWorkerException e = assertMessage(UnknownWorkerException.class,
                () -> engine.run("beta", pdf, Map.of()), "'beta'", "[alpha, needs_ghost]");
        assertEquals("beta", e.name());
        assertMessage(UnknownWorkerException.class, () -> engine.run("needs_ghost", pdf, Map.of()),
                "'ghost'", "dependency of worker 'needs_ghost'");
        assertMessage(UnknownWorkerException.class, () -> engine.run(null, pdf, Map.of()), "known workers");

        String missing = "00000000000000000000000000000000";
        assertMessage(UnknownSampleException.class, () -> engine.run("alpha", missing, Map.of()), missing);
        assertMessage(InvalidInputException.class, () -> engine.run("alpha", "not-an-md5", Map.of()),
                "not-an-md5");
    }

    @Test
    void wrongKindOfSampleNamesWorkerMd5AndType() {
        TestWorker pcapOnly = new TestWorker("pcap_only", "1", List.of(), Set.of("pcap"), Map.of(),
                ctx -> Map.of("ok", true));
        registry.register(pcapOnly).register(new TestWorker("on_top", "1", "pcap_only"));
        assertEquals(Map.of("ok", true), engine.run("pcap_only", pcap, Map.of()));
        assertMessage(WrongSampleKindException.class, () -> engine.run("pcap_only", pdf, Map.of()),
                "'pcap_only'", pdf, "'pdf'", "[pcap]");
        assertMessage(WrongSampleKindException.class, () -> engine.run("on_top", pdf, Map.of()),
                "'pcap_only'", pdf, "'pdf'");
        assertEquals(1, pcapOnly.runs.get());
    }

    @Test
    void aliasesResolveToTheSameWorkerAndCache() {
        TestWorker zeek = new TestWorker("pcap_zeek", "1");
        registry.alias("pcap_bro", "pcap_zeek");
        assertMessage(UnknownWorkerException.class, () -> engine.run("pcap_bro", pcap, Map.of()),
                "'pcap_bro'", "alias of 'pcap_zeek'");
        registry.register(zeek);
        assertEquals(engine.run("pcap_zeek", pcap, Map.of()), engine.run("pcap_bro", pcap, Map.of()));
        assertEquals(1, zeek.runs.get());
        registry.register(new TestWorker("uses_alias", "1", "pcap_bro"));
        Map<String, Object> r = engine.run("uses_alias", pcap, Map.of());
        assertTrue(r.containsKey("from_pcap_bro"), r.toString());
        assertEquals(1, zeek.runs.get());
        assertMessage(InvalidInputException.class, () -> registry.register(new TestWorker("pcap_bro", "1")),
                "already registered");
        assertMessage(InvalidInputException.class, () -> registry.register(new TestWorker("pcap_zeek", "9")),
                "already registered");
        assertMessage(InvalidInputException.class, () -> registry.register(new TestWorker("Bad-Name", "1")),
                "'Bad-Name'");
        assertMessage(InvalidInputException.class, () -> registry.register(new TestWorker("noversion", " ")),
                "no version");
    }

    @Test
    void failingWorkersAreReportedAndNotCached() {
        AtomicInteger calls = new AtomicInteger();
        registry.register(new TestWorker("flaky", "1", List.of(), Set.of(), Map.of(), ctx -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return Map.of("ok", true);
        }));
        WorkerFailedException e = assertMessage(WorkerFailedException.class,
                () -> engine.run("flaky", pdf, Map.of()), "'flaky'", pdf, "boom");
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(Map.of("ok", true), engine.run("flaky", pdf, Map.of()));
        assertEquals(2, calls.get());

        registry.register(new TestWorker("nullish", "1", List.of(), Set.of(), Map.of(), ctx -> null));
        assertMessage(WorkerFailedException.class, () -> engine.run("nullish", pdf, Map.of()), "'nullish'", "null");
        registry.register(new TestWorker("objecty", "1", List.of(), Set.of(), Map.of(),
                ctx -> Map.of("thing", new StringBuilder("x"))));
        assertMessage(WorkerFailedException.class, () -> engine.run("objecty", pdf, Map.of()), "'objecty'",
                "$.thing", "StringBuilder");
        registry.register(new TestWorker("nan", "1", List.of(), Set.of(), Map.of(),
                ctx -> Map.of("x", Double.NaN)));
        assertMessage(WorkerFailedException.class, () -> engine.run("nan", pdf, Map.of()), "non-finite");
    }

    @Test
    void cancelledRequestsStopAndCacheNothing() {
        TestWorker slow = new TestWorker("slow", "1", List.of(), Set.of(), Map.of(), ctx -> {
            ctx.checkCancelled();
            return Map.of("done", true);
        });
        registry.register(slow);
        assertMessage(WorkCancelledException.class, () -> engine.run("slow", pdf, Map.of(), () -> true),
                "'slow'", pdf);
        assertEquals(0, slow.runs.get());
        Thread.currentThread().interrupt();
        try {
            assertThrows(WorkCancelledException.class, () -> engine.run("slow", pdf, Map.of()));
        } finally {
            Thread.interrupted();
        }
        assertEquals(Map.of("done", true), engine.run("slow", pdf, Map.of()));
        assertEquals(1, slow.runs.get());
    }

    @Test
    void resultsKeepTheirShapeThroughTheCache() {
        registry.register(new TestWorker("shapes", "1", List.of(), Set.of(), Map.of(), ctx -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("z_first", "order kept");
            out.put("int", 7);
            out.put("long", 1L << 40);
            out.put("double", 0.25);
            out.put("bool", false);
            out.put("null", null);
            out.put("list", List.of(1, "two", Map.of("three", 3)));
            return out;
        }));
        Map<String, Object> first = engine.run("shapes", pdf, Map.of());
        Map<String, Object> cached = engine.run("shapes", pdf, Map.of());
        assertEquals(first, cached);
        assertEquals(List.of("z_first", "int", "long", "double", "bool", "null", "list"),
                new ArrayList<>(cached.keySet()));
        assertEquals(7, cached.get("int"));
        assertEquals(1L << 40, cached.get("long"));
        assertEquals(0.25, cached.get("double"));
        assertFalse((Boolean) cached.get("bool"));
        assertEquals(List.of(1, "two", Map.of("three", 3)), cached.get("list"));
    }

    @Test
    void identicalConcurrentRequestsExecuteOnce() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        TestWorker slow = new TestWorker("slow", "1", List.of(), Set.of(), Map.of(), ctx -> {
            inside.countDown();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("done", true);
        });
        registry.register(slow);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, Object>>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(pool.submit(() -> engine.run("slow", pdf, Map.of())));
            }
            for (Future<Map<String, Object>> f : fs) {
                assertEquals(Map.of("done", true), f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, slow.runs.get());
    }
}
