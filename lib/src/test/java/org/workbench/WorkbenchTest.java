package org.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.magic.SampleFiles;
import org.workbench.store.SampleInfo;
import org.workbench.worker.MetaResult;
import org.workbench.worker.Worker;
import org.workbench.worker.WorkerContext;

class WorkbenchTest {
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

    private static <T extends Throwable> T assertMessage(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /** A pcap-only worker that counts its executions. */
    static final class PcapCounter implements Worker {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public String name() {
            return "pcap_counter";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public List<String> dependencies() {
            return List.of("meta");
        }

        @Override
        public Set<String> acceptedTypes() {
            return Set.of("pcap");
        }

        @Override
        public Map<String, Object> execute(WorkerContext ctx) {
            runs.incrementAndGet();
            return Map.of("md5", ctx.md5(), "size", ctx.dependency("meta").get("file_size"));
        }
    }

    @Test
    void metaOfRealSamplesMatchesTheFileCommand() throws Exception {
        List<Path> files = List.of(SampleFiles.samples("pe").get(0), SampleFiles.samples("pdf").get(0),
                SampleFiles.samples("swf").get(0));
        List<String> types = List.of("exe", "pdf", "swf");
        List<String> desc = SampleFiles.fileCommand(List.of(), files);
        List<String> mime = SampleFiles.fileCommand(List.of("--mime-type"), files);
        List<String> enc = SampleFiles.fileCommand(List.of("--mime-encoding"), files);
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            String md5 = wb.storeSample(f, types.get(i));
            Map<String, Object> meta = wb.workRequest("meta", md5);
            assertEquals(List.of("md5", "sha1", "sha256", "file_size", "filename", "import_time", "type_tag",
                    "mime_type", "encoding", "file_type", "magic_source"), List.copyOf(meta.keySet()));
            MetaResult m = MetaResult.from(meta);
            SampleInfo info = wb.sampleInfo(md5);
            assertEquals(md5, m.md5());
            assertEquals(info.sha1(), m.sha1());
            assertEquals(info.sha256(), m.sha256());
            assertEquals(Files.size(f), m.fileSize());
            assertEquals(f.getFileName().toString(), m.filename());
            assertEquals(info.importTime(), m.importTime());
            assertEquals(types.get(i), m.typeTag());
            assertEquals(desc.get(i), m.fileType(), "file -b of " + f);
            assertEquals(mime.get(i), m.mimeType(), "file --mime-type of " + f);
            assertEquals(enc.get(i), m.encoding(), "file --mime-encoding of " + f);
            assertEquals("libmagic", m.magicSource());
            assertEquals(m, wb.meta(md5));
            assertArrayEquals(Files.readAllBytes(f), wb.getSample(md5));
            try (InputStream in = wb.openSample(md5)) {
                assertArrayEquals(Files.readAllBytes(f), in.readAllBytes());
            }
        }
        assertEquals(3, wb.listSamples().size());
    }

    @Test
    void errorsAreWorkbenchExceptionsNamingTheProblem() {
        String md5 = wb.storeSample("%PDF-1.4".getBytes(), "a.pdf", "pdf");
        assertMessage(UnknownWorkerException.class, () -> wb.workRequest("nope", md5), "'nope'", "meta");
        String missing = "ffffffffffffffffffffffffffffffff";
        assertMessage(UnknownSampleException.class, () -> wb.workRequest("meta", missing), missing);
        assertMessage(UnknownSampleException.class, () -> wb.getSample(missing), missing);
        assertMessage(InvalidInputException.class, () -> wb.sampleInfo("12"), "'12'");
        wb.registry().register(new PcapCounter());
        assertMessage(WrongSampleKindException.class, () -> wb.workRequest("pcap_counter", md5),
                "'pcap_counter'", md5, "'pdf'");
        // the seed's name resolves to pcap_zeek, which refuses a PDF by name
        assertMessage(WrongSampleKindException.class, () -> wb.workRequest("pcap_bro", md5), "'pcap_zeek'", "'pdf'");
        assertMessage(UnknownWorkerException.class, () -> wb.batchWorkRequest("nope", List.of(md5)), "'nope'");
        assertMessage(InvalidInputException.class, () -> wb.storeSample(new byte[1], "", "pdf"), "filename");
    }

    @Test
    void batchWorkRequestIsLazyAndInOrder() {
        PcapCounter counter = new PcapCounter();
        wb.registry().register(counter);
        assertTrue(wb.listWorkers().containsAll(List.of("meta", "pcap_counter", "pcap_zeek", "view_pcap_details")));
        String a = wb.storeSample(new byte[] {1}, "a.pcap", "pcap");
        String b = wb.storeSample(new byte[] {2, 2}, "b.pcap", "pcap");
        String c = wb.storeSample(new byte[] {3, 3, 3}, "c.pcap", "pcap");

        Stream<Map<String, Object>> results = wb.batchWorkRequest("pcap_counter", List.of(c, a, b, a));
        assertEquals(0, counter.runs.get(), "nothing runs before the stream is consumed");
        Iterator<Map<String, Object>> it = results.iterator();
        assertEquals(Map.of("md5", c, "size", 3), it.next());
        assertEquals(1, counter.runs.get());
        List<Object> rest = Stream.of(it.next(), it.next(), it.next()).map(m -> m.get("md5"))
                .collect(Collectors.toList());
        assertEquals(List.of(a, b, a), rest);
        assertEquals(3, counter.runs.get(), "the repeated sample is served from the cache");
    }

    @Test
    void resultsSurviveReopening() {
        PcapCounter counter = new PcapCounter();
        wb.registry().register(counter);
        String md5 = wb.storeSample(new byte[] {1, 2, 3, 4}, "x.pcap", "pcap");
        Map<String, Object> first = wb.workRequest("pcap_counter", md5);
        wb.close();
        PcapCounter again = new PcapCounter();
        wb = Workbench.open(home);
        wb.registry().register(again);
        assertEquals(first, wb.workRequest("pcap_counter", md5));
        assertEquals(0, again.runs.get());
        assertTrue(wb.hasSample(md5));
    }

    @Test
    void defaultHomeFollowsThePropertyThenTheEnvironment() {
        String old = System.getProperty(Workbench.HOME_PROPERTY);
        try {
            System.setProperty(Workbench.HOME_PROPERTY, home.resolve("from-property").toString());
            assertEquals(home.resolve("from-property"), Workbench.defaultHome());
            try (Workbench w = Workbench.open()) {
                assertEquals(home.resolve("from-property").toAbsolutePath(), w.home());
                assertTrue(Files.isDirectory(home.resolve("from-property/samples")));
            }
            System.clearProperty(Workbench.HOME_PROPERTY);
            String env = System.getenv(Workbench.HOME_ENV);
            Path expected = env != null && !env.isBlank() ? Path.of(env)
                    : Path.of(System.getProperty("user.home"), ".workbench");
            assertEquals(expected, Workbench.defaultHome());
        } finally {
            if (old == null) {
                System.clearProperty(Workbench.HOME_PROPERTY);
            } else {
                System.setProperty(Workbench.HOME_PROPERTY, old);
            }
        }
    }

    @Test
    void workersRefuseACorruptedSample() throws Exception {
        String md5 = wb.storeSample("some sample bytes".getBytes(), "s.bin", "unknown");
        Path file = wb.store().path(md5);
        Files.write(file, "SOME SAMPLE BYTES".getBytes());
        assertMessage(CorruptSampleException.class, () -> wb.workRequest("meta", md5), md5, file.toString());
        assertMessage(CorruptSampleException.class, () -> wb.getSample(md5), md5, file.toString());
    }

    @Test
    void closedWorkbenchRefusesWork() {
        String md5 = wb.storeSample(new byte[] {5}, "five.bin", "unknown");
        wb.close();
        assertMessage(WorkbenchException.class, () -> wb.workRequest("meta", md5), "closed");
        assertMessage(WorkbenchException.class, () -> wb.getSample(md5), "closed");
    }
}
