package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.capture.CaptureReader;
import org.workbench.capture.PcapWriter;
import org.workbench.capture.RawPacket;
import org.workbench.files.ExtractedFileSink;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.ZeekLogReader;

/**
 * Robustness on real traffic damaged at random: every shared capture ({@code workbench.shared}/data/pcap) is
 * corrupted with Wireshark's {@code editcap -E RATE -S 0 --seed N} at several error rates and many seeds, and
 * each variant is analysed in this JVM by {@link ZeekAnalysis} (checksums off and on) into a
 * {@link DirectoryLogSink}. For every variant:
 *
 * <ul>
 *   <li>no exception escapes ({@code editcap -E} leaves the file header alone, so not even a
 *       {@link org.workbench.capture.CaptureFormatException} is acceptable);</li>
 *   <li>each run finishes within {@value #RUN_TIMEOUT_SECONDS} s (run in a {@link Future}, cancelled on
 *       timeout);</li>
 *   <li>every written log parses with {@link ZeekLogReader};</li>
 *   <li>the intact part survives: the variant's packets are compared with the undamaged capture's to find the
 *       first damaged packet; the undamaged prefix before it is written with {@link PcapWriter} and analysed, and
 *       every conn/dns/http row that prefix logs identically to the whole undamaged capture (so its connection had
 *       finished before the damage) must be logged by the variant too;</li>
 *   <li>damage to IPv4/TCP/UDP headers leaves evidence in the run with or the one without checksum verification:
 *       weird rows, or conn rows that differ from the undamaged capture's.</li>
 * </ul>
 * Across the variants at rates of 0.05 and above, weird.log rows must exist for every capture.
 *
 * <p>The undamaged reference is {@code editcap -S 0} of the original (no errors), so that timestamp adjustment
 * by {@code -S 0} is the same on both sides. Variants are generated into a temporary folder and deleted as the
 * test goes. Failing variants are kept in {@code target/corrupted-captures-failures/} for reproduction.
 * {@code -Dcorrupt.scale=F} scales the number of seeds (default 1).
 */
class CorruptedCapturesTest {
    private static final Path EDITCAP = Path.of("/usr/bin/editcap");
    private static final double[] RATES = {0.001, 0.01, 0.05, 0.2};
    private static final long RUN_TIMEOUT_SECONDS = 10;
    private static final List<String> COMPARED_LOGS = List.of("conn", "dns", "http");
    /** Seeds per rate, by capture: small captures get many, big ones a few. */
    private static final Map<String, Integer> SEEDS = new LinkedHashMap<>();

    static {
        SEEDS.put("IBM_IM_URI_SQLi.pcap", 250);
        SEEDS.put("dhcp-and-dyndns.pcap", 220);
        SEEDS.put("http.pcap", 180);
        SEEDS.put("speedup_computer.pcap", 15);
        SEEDS.put("winmediaplayer.pcap", 15);
        SEEDS.put("kitchen_boss.pcap", 10);
        SEEDS.put("gold_xxx.pcap", 10);
    }

    @TempDir
    Path tmp;

    /** The logs of one run: for each log path, its data lines. */
    record Logs(Map<String, List<String>> lines) {
        List<String> of(String path) {
            return lines.getOrDefault(path, List.of());
        }
    }

    /** The undamaged capture: its packets and the logs of the whole of it, checksums off [0] and on [1]. */
    record Reference(Path file, List<RawPacket> packets, Logs[] logs) {
    }

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "corrupted-capture-run");
        t.setDaemon(true);
        return t;
    });
    private final List<String> failures = new ArrayList<>();
    private int variants;
    private int runs;
    private long intactRowsChecked;

    @Test
    void damagedCapturesAreAnalysedWithoutErrorsAndKeepTheirIntactPart() throws Exception {
        String shared = System.getProperty("workbench.shared");
        assertTrue(shared != null, "system property workbench.shared is not set");
        Path pcaps = Path.of(shared, "data", "pcap");
        assertTrue(Files.isDirectory(pcaps), "shared capture folder missing: " + pcaps);
        assertTrue(Files.isExecutable(EDITCAP), EDITCAP + " is missing (Debian package wireshark-common)");
        double scale = Double.parseDouble(System.getProperty("corrupt.scale", "1"));
        long start = System.nanoTime();
        StringBuilder summary = new StringBuilder();
        try {
            for (Map.Entry<String, Integer> e : SEEDS.entrySet()) {
                Path original = pcaps.resolve(e.getKey());
                assertTrue(Files.isRegularFile(original), "shared capture missing: " + original);
                long t0 = System.nanoTime();
                int before = variants;
                int seeds = Math.max(1, (int) Math.round(e.getValue() * scale));
                long[] weirdyVariants = capture(original, seeds);
                summary.append(String.format("%s: %d variants in %.1f s; variants at rate >= 0.05 with weirds: "
                                + "%d of %d%n", e.getKey(), variants - before, (System.nanoTime() - t0) / 1e9,
                        weirdyVariants[0], weirdyVariants[1]));
                if (weirdyVariants[1] > 0 && weirdyVariants[0] == 0) {
                    failures.add(e.getKey() + ": no variant at rate >= 0.05 logged a weird");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        summary.append(String.format("total: %d variants, %d analysis runs, %d rows of intact parts checked, "
                + "%.1f s%n", variants, runs, intactRowsChecked, (System.nanoTime() - start) / 1e9));
        System.out.print(summary);
        if (!failures.isEmpty()) {
            fail(failures.size() + " problems (first 40):\n" + String.join("\n",
                    failures.subList(0, Math.min(40, failures.size()))) + "\n" + summary);
        }
        if (scale >= 1) {
            assertTrue(variants >= 2000, "too few variants: " + variants);
            assertTrue(intactRowsChecked >= 1000, "too few rows of intact parts checked: " + intactRowsChecked);
        }
    }

    /** Runs every variant of one capture; returns {variants at rate >= 0.05 with weirds, such variants}. */
    private long[] capture(Path original, int seeds) throws Exception {
        String name = original.getFileName().toString();
        Path refFile = tmp.resolve("ref-" + name);
        editcap(List.of("-S", "0", original.toString(), refFile.toString()));
        List<RawPacket> packets = readAll(refFile);
        Logs[] refLogs = new Logs[2];
        for (int mode = 0; mode < 2; mode++) {
            Path out = tmp.resolve("ref-" + name + "-" + mode);
            refLogs[mode] = analyse(refFile, mode == 1, out, name + " (undamaged)");
            assertTrue(refLogs[mode] != null, "the undamaged " + name + " cannot be analysed: " + failures);
            deleteTree(out);
        }
        Reference ref = new Reference(refFile, packets, refLogs);
        long[] weirdy = new long[2];
        for (double rate : RATES) {
            for (int seed = 1; seed <= seeds; seed++) {
                Path variant = tmp.resolve("variant-" + name);
                String label = name + " -E " + rate + " --seed " + seed;
                editcap(List.of("-E", Double.toString(rate), "-S", "0", "--seed", Integer.toString(seed),
                        refFile.toString(), variant.toString()));
                variants++;
                int before = failures.size();
                boolean weirds = variant(ref, variant, label);
                if (rate >= 0.05) {
                    weirdy[1]++;
                    if (weirds) {
                        weirdy[0]++;
                    }
                }
                if (failures.size() > before) {
                    keep(variant, name, rate, seed);
                }
                Files.deleteIfExists(variant);
            }
        }
        Files.deleteIfExists(refFile);
        return weirdy;
    }

    /** Checks one variant; returns whether any run of it logged weirds. */
    private boolean variant(Reference ref, Path variant, String label) throws IOException {
        List<RawPacket> damaged = readAll(variant);
        if (damaged.size() != ref.packets.size()) {
            failures.add(label + ": editcap changed the packet count " + ref.packets.size() + " -> "
                    + damaged.size());
            return false;
        }
        int firstDamaged = -1;
        boolean headerHit = false;
        for (int i = 0; i < damaged.size(); i++) {
            RawPacket a = ref.packets.get(i);
            RawPacket b = damaged.get(i);
            if (a.timestampNanos() != b.timestampNanos() || a.capturedLength() != b.capturedLength()) {
                failures.add(label + ": editcap changed more than packet bytes at packet " + i);
                return false;
            }
            if (!Arrays.equals(a.data(), b.data())) {
                if (firstDamaged < 0) {
                    firstDamaged = i;
                }
                headerHit |= hitsIpHeaders(a, b);
            }
        }
        boolean weirds = false;
        boolean evidence = false;
        Path prefix = null;
        if (firstDamaged > 0) {
            prefix = tmp.resolve("prefix.pcap");
            try (PcapWriter w = PcapWriter.create(prefix, ref.packets.get(0).linkType())) {
                for (int i = 0; i < firstDamaged; i++) {
                    w.write(ref.packets.get(i));
                }
            }
        }
        for (int mode = 0; mode < 2; mode++) {
            String runLabel = label + (mode == 1 ? "" : " -C") + (firstDamaged < 0 ? " (no packet damaged)"
                    : " (first damaged packet " + firstDamaged + ")");
            Path out = tmp.resolve("out-" + mode);
            Logs logs = analyse(variant, mode == 1, out, runLabel);
            deleteTree(out);
            if (logs == null) {
                continue;
            }
            boolean hasWeirds = !logs.of("weird").isEmpty();
            weirds |= hasWeirds;
            Logs full = ref.logs[mode];
            if (firstDamaged < 0) {
                for (String path : COMPARED_LOGS) {
                    if (!new HashSet<>(logs.of(path)).equals(new HashSet<>(full.of(path)))) {
                        failures.add(runLabel + ": an undamaged variant logs different " + path + " rows");
                    }
                }
                continue;
            }
            evidence |= hasWeirds || !new HashSet<>(logs.of("conn")).equals(new HashSet<>(full.of("conn")));
            if (prefix != null) {
                Path prefixOut = tmp.resolve("prefix-out-" + mode);
                Logs intact = analyse(prefix, mode == 1, prefixOut, runLabel + " prefix");
                deleteTree(prefixOut);
                if (intact != null) {
                    for (String path : COMPARED_LOGS) {
                        Set<String> finished = new HashSet<>(intact.of(path));
                        finished.retainAll(new HashSet<>(full.of(path)));
                        intactRowsChecked += finished.size();
                        finished.removeAll(new HashSet<>(logs.of(path)));
                        if (!finished.isEmpty()) {
                            failures.add(runLabel + ": " + finished.size() + " " + path + " rows of the intact "
                                    + "part are missing, e.g. " + finished.iterator().next());
                        }
                    }
                }
            }
        }
        if (prefix != null) {
            Files.deleteIfExists(prefix);
        }
        if (headerHit && !evidence) {
            // without checksum verification a changed TTL or window may go unnoticed, but not with it
            failures.add(label + ": IP/TCP/UDP headers were damaged but neither run logged a weird or changed "
                    + "conn.log");
        }
        return weirds;
    }

    /** Whether a damaged byte lies in the IPv4 header or the TCP/UDP header of an Ethernet frame. */
    private static boolean hitsIpHeaders(RawPacket original, RawPacket damaged) {
        byte[] f = original.data();
        byte[] g = damaged.data();
        if (original.linkType() != 1 || f.length < 34 || (f[12] & 0xff) != 0x08 || f[13] != 0) {
            return false;
        }
        int ihl = (f[14] & 0x0f) * 4;
        int proto = f[23] & 0xff;
        int l4 = 14 + ihl;
        int end = l4;
        if (proto == 6 && f.length >= l4 + 13) {
            end = l4 + Math.max(20, ((f[l4 + 12] >> 4) & 0x0f) * 4);
        } else if (proto == 17) {
            end = l4 + 8;
        }
        end = Math.min(end, f.length);
        for (int i = 14; i < end; i++) {
            if (f[i] != g[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Analyses a capture into a {@link DirectoryLogSink} under a time limit and parses every log written; null
     * (with the problem recorded) when the run throws, hangs, or writes a log that does not parse.
     */
    private Logs analyse(Path capture, boolean checksums, Path out, String label) {
        runs++;
        AtomicBoolean cancel = new AtomicBoolean();
        ZeekAnalysis analysis = ZeekAnalysis.builder().verifyChecksums(checksums).uidSeed(42)
                .cancelled(cancel::get).build();
        Future<DirectoryLogSink> run = pool.submit(() -> {
            DirectoryLogSink sink = new DirectoryLogSink(out);
            try (sink) {
                analysis.run(capture, sink, ExtractedFileSink.discarding());
            }
            return sink;
        });
        DirectoryLogSink sink;
        try {
            sink = run.get(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            cancel.set(true);
            run.cancel(true);
            failures.add(label + ": not finished after " + RUN_TIMEOUT_SECONDS + " s");
            return null;
        } catch (ExecutionException e) {
            failures.add(label + ": " + stackTrace(e.getCause()));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (Map.Entry<String, Path> f : sink.files().entrySet()) {
            try (LogStream s = ZeekLogReader.open(f.getValue())) {
                long n = 0;
                for (LogRecord r : s) {
                    n++;
                }
                List<String> data = Files.readAllLines(f.getValue(), StandardCharsets.UTF_8).stream()
                        .filter(l -> !l.startsWith("#")).toList();
                assertEquals(n, data.size(), label + ": " + f.getKey() + " rows read");
                lines.put(f.getKey(), data);
            } catch (IOException | RuntimeException | AssertionError e) {
                failures.add(label + ": " + f.getKey() + ".log does not parse: " + e);
                return null;
            }
        }
        return new Logs(lines);
    }

    private static List<RawPacket> readAll(Path file) throws IOException {
        List<RawPacket> packets = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(file)) {
            for (RawPacket p; (p = r.next()) != null; ) {
                packets.add(p);
            }
        }
        return packets;
    }

    private static void editcap(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(EDITCAP.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static void keep(Path variant, String name, double rate, int seed) {
        try {
            Path dir = Path.of("target", "corrupted-captures-failures");
            Files.createDirectories(dir);
            Files.copy(variant, dir.resolve(name.replace(".pcap", "") + "-E" + rate + "-seed" + seed + ".pcap"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // keeping the file is a convenience only
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        return s.length() > 1500 ? s.substring(0, 1500) + "..." : s;
    }
}
