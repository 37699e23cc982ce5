package org.workbench.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.workbench.Workbench;

/**
 * Wall-time benchmark of {@code Workbench.batchWorkStream}: stores 1,000 small samples (a few hundred bytes each:
 * text, HTML, PDF/PNG/GIF/ZIP/ELF/PE headers) in a temporary home and runs the {@code meta} worker (libmagic)
 * over all of them with 1 and then 2 threads, each time with an empty result cache, and prints the wall time of
 * each run in milliseconds.
 *
 * <p>Run it from the repository root (the exec-maven-plugin is not in the offline Maven repository, so build the
 * class path with the dependency plugin and start {@code java} directly):
 *
 * <pre>
 * mvn -q -B -o install -DskipTests
 * mvn -q -B -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *     -Dmdep.includeScope=test
 * java -cp lib/target/test-classes:lib/target/classes:$(cat lib/target/cp.txt) \
 *     org.workbench.worker.BatchBenchmark
 * </pre>
 *
 * <p>Optional arguments: the number of samples (default 1000) and the thread counts to try (default 1 2), e.g.
 * {@code ... BatchBenchmark 1000 1 2 4}. The numbers depend on the machine and its load. libmagic's cost per
 * small file is small; most of a {@code meta} request is file I/O, above all the durable result write (the
 * result file and its directory are forced to disk), so a second thread mostly overlaps those waits and can
 * speed the run up by more than the number of cores would suggest.
 */
public final class BatchBenchmark {
    private BatchBenchmark() {
    }

    /**
     * @param args optional: sample count, then thread counts
     * @throws IOException when the temporary home cannot be created or removed
     */
    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<Integer> threadCounts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            threadCounts.add(Integer.parseInt(args[i]));
        }
        if (threadCounts.isEmpty()) {
            threadCounts = List.of(1, 2);
        }
        Path home = Files.createTempDirectory("workbench-batch-bench-");
        try (Workbench wb = Workbench.open(home)) {
            List<String> md5s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                md5s.add(wb.storeSample(sample(i), "sample" + i + ".bin", "unknown"));
            }
            System.out.printf("stored %d samples in %s; libmagic: %s; %d processors%n", n, home,
                    wb.fileMagic().usesLibmagic(), Runtime.getRuntime().availableProcessors());
            // warm-up (JIT, libmagic database), not timed
            wb.batchWorkStream("meta", md5s.subList(0, Math.min(50, n)), 1).forEach(d -> { });
            for (int threads : threadCounts) {
                deleteTree(home.resolve("results"));
                long t0 = System.nanoTime();
                long errors;
                try (Stream<Map<String, Object>> s = wb.batchWorkStream("meta", md5s, threads)) {
                    errors = s.filter(d -> d.containsKey("error")).count();
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("meta over %d samples, %d thread(s): %d ms (%d errors)%n", n, threads, ms,
                        errors);
            }
        } finally {
            deleteTree(home);
        }
    }

    private static final String[] HEADS = {
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n",
        "\u0089PNG\r\n\u001a\n",
        "GIF89a",
        "PK\u0003\u0004",
        "\u007fELF\u0002\u0001\u0001",
        "MZ\u0090\u0000",
        "<!DOCTYPE html><html><body>",
        "plain text line ",
    };

    /** A distinct small sample: a header from {@link #HEADS} plus filler text naming its index. */
    private static byte[] sample(int i) {
        StringBuilder sb = new StringBuilder(HEADS[i % HEADS.length]);
        for (int k = 0; k < 8; k++) {
            sb.append("sample ").append(i).append(" line ").append(k).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
