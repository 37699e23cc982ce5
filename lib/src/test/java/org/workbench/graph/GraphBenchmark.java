package org.workbench.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.workbench.Workbench;
import org.workbench.worker.PcapZeekWorker;

/**
 * Wall-time benchmark of the graph store: for the largest capture in {@code ${workbench.shared}/data/pcap} (or
 * the capture given as first argument) it runs {@code pcap_zeek} once (not timed), then, several times, starts
 * a fresh embedded database in an empty directory (timed: "start", from the call to the first answered
 * connectivity check), builds the capture's graph with {@link PcapGraphBuilder#full()} (timed: "build", the
 * database already up), builds it again (timed: "rebuild", all {@code MERGE}s finding their elements) and shuts
 * the database down (timed: "shutdown"). Prints each run and the medians, in seconds.
 *
 * <p>Run it from the repository root (no {@code mvn install} needed: the lib module alone):
 *
 * <pre>
 * mvn -q -B -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *     -Dmdep.includeScope=test
 * java -Dworkbench.shared=../shared -cp lib/target/test-classes:lib/target/classes:$(cat lib/target/cp.txt) \
 *     org.workbench.graph.GraphBenchmark [CAPTURE] [RUNS]
 * </pre>
 *
 * <p>Defaults: the largest {@code *.pcap} of the shared folder and 3 runs. The first run of a JVM pays for class
 * loading and query planning (the numbers depend on the machine and its load).
 */
public final class GraphBenchmark {
    private GraphBenchmark() {
    }

    /**
     * @param args optional: the capture, then the number of runs
     * @throws IOException when the capture or temporary directories cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path capture = args.length > 0 ? Path.of(args[0]) : largestSharedCapture();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path home = Files.createTempDirectory("workbench-graph-bench-");
        try (Workbench wb = Workbench.open(home)) {
            String md5 = wb.storeSample(capture, "pcap");
            long t = System.nanoTime();
            Map<String, Object> zeek = wb.workRequest(PcapZeekWorker.NAME, md5);
            System.out.printf("capture %s (%,d bytes): pcap_zeek %.2f s (not part of the graph times)%n",
                    capture, Files.size(capture), (System.nanoTime() - t) / 1e9);
            List<Double> start = new ArrayList<>();
            List<Double> build = new ArrayList<>();
            List<Double> rebuild = new ArrayList<>();
            List<Double> shutdown = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Path dir = home.resolve("graph-" + i);
                t = System.nanoTime();
                GraphStore g = GraphStore.open(GraphConfig.embedded(dir));
                start.add((System.nanoTime() - t) / 1e9);
                Map<String, Object> r;
                try {
                    t = System.nanoTime();
                    r = PcapGraphBuilder.full().build(g, wb.store(), md5, zeek, () -> false);
                    build.add((System.nanoTime() - t) / 1e9);
                    t = System.nanoTime();
                    PcapGraphBuilder.full().build(g, wb.store(), md5, zeek, () -> false);
                    rebuild.add((System.nanoTime() - t) / 1e9);
                } finally {
                    t = System.nanoTime();
                    g.close();
                    shutdown.add((System.nanoTime() - t) / 1e9);
                }
                System.out.printf("run %d: start %.2f s, build %.2f s (%s nodes, %s relationships), rebuild %.2f s,"
                        + " shutdown %.2f s%n", i, start.get(i - 1), build.get(i - 1), r.get("nodes"),
                        r.get("relationships"), rebuild.get(i - 1), shutdown.get(i - 1));
            }
            System.out.printf("median of %d runs: start %.2f s, build %.2f s, rebuild %.2f s, shutdown %.2f s%n",
                    runs, median(start), median(build), median(rebuild), median(shutdown));
        } finally {
            try (Stream<Path> w = Files.walk(home)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path largestSharedCapture() throws IOException {
        String shared = System.getProperty("workbench.shared", "../shared");
        Path dir = Path.of(shared, "data", "pcap");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".pcap")).max(Comparator.comparingLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return -1L;
                }
            })).orElseThrow(() -> new IOException("no .pcap in " + dir.toAbsolutePath()));
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
