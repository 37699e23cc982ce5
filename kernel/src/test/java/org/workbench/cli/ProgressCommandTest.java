package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;

/**
 * Text progress bars of {@code workbench zeek} and {@code workbench work}: drawn on standard error with
 * {@code --progress} (here standard error is not a terminal, so none by default), ending in the final state
 * (100 %, done); {@code --no-progress} draws none.
 */
class ProgressCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearHome() {
        System.clearProperty(Workbench.HOME_PROPERTY);
    }

    static Path shared(String... parts) {
        String s = System.getProperty("workbench.shared");
        assertTrue(s != null, "system property workbench.shared is not set");
        Path p = Path.of(s, parts);
        assertTrue(Files.exists(p), "missing shared data: " + p);
        return p;
    }

    /** The last state of each bar: the text after the last carriage return of each line. */
    static List<String> finalBars(String err) {
        List<String> out = new ArrayList<>();
        for (String line : err.split("\n")) {
            if (line.contains("\r")) {
                out.add(line.substring(line.lastIndexOf('\r') + 1));
            }
        }
        return out;
    }

    @Test
    void zeekDrawsABarOfTheCaptureWithProgress() {
        Path pcap = shared("data", "pcap", "gold_xxx.pcap");
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-r", pcap.toString(), "-d", dir.resolve("a").toString(),
                "--progress");
        assertEquals(0, r.code(), r.err());
        List<String> bars = finalBars(r.err());
        assertEquals(1, bars.size(), "one bar: [" + r.err() + "]");
        String bar = bars.get(0);
        long kb = Math.round(pcap.toFile().length() / 1000.0);
        assertTrue(bar.startsWith("zeek " + pcap.getFileName()) && bar.contains("100%") && bar.contains(" done"), bar);
        assertTrue(bar.contains((pcap.toFile().length() / 1000) + "/" + (pcap.toFile().length() / 1000) + " kB")
                || bar.contains(kb + "/" + kb + " kB"), "kB read of the size: " + bar);
        assertTrue(r.err().strip().endsWith("logs in " + dir.resolve("a")), "the summary line still ends it");

        ZeekCommandTest.Result quiet = ZeekCommandTest.run("zeek", "-r", pcap.toString(), "-d",
                dir.resolve("b").toString(), "--no-progress");
        assertEquals(0, quiet.code(), quiet.err());
        assertFalse(quiet.err().contains("\r"), "no bar: " + quiet.err());
        ZeekCommandTest.Result auto = ZeekCommandTest.run("zeek", "-r", pcap.toString(), "-d",
                dir.resolve("c").toString());
        assertFalse(auto.err().contains("\r"), "no bar when standard error is not a terminal: " + auto.err());
    }

    @Test
    void workDrawsBytesForOneSampleAndSamplesForABatch() throws Exception {
        System.setProperty(Workbench.HOME_PROPERTY, dir.resolve("home").toString());
        String pcapMd5;
        List<String> md5s = new ArrayList<>();
        try (Workbench wb = Workbench.open(); Stream<Path> files = Files.list(shared("data", "samples", "pe", "good"))) {
            pcapMd5 = wb.storeSample(shared("data", "pcap", "speedup_computer.pcap"), "pcap");
            for (Path f : files.sorted().toList()) {
                md5s.add(wb.storeSample(f, "exe"));
            }
        }
        ZeekCommandTest.Result one = ZeekCommandTest.run("work", "pcap_zeek", pcapMd5, "--progress");
        assertEquals(0, one.code(), one.err());
        List<String> bars = finalBars(one.err());
        assertEquals(1, bars.size(), one.err());
        assertTrue(bars.get(0).startsWith("pcap_zeek speedup_computer.pcap") && bars.get(0).contains("100%")
                && bars.get(0).contains(" kB"), bars.get(0));

        List<String> args = new ArrayList<>(List.of("work", "meta", "--progress", "--threads", "2"));
        args.addAll(md5s);
        ZeekCommandTest.Result batch = ZeekCommandTest.run(args.toArray(new String[0]));
        assertEquals(0, batch.code(), batch.err());
        bars = finalBars(batch.err());
        assertEquals(1, bars.size(), batch.err());
        assertTrue(bars.get(0).startsWith("meta batch") && bars.get(0).contains("100%")
                && bars.get(0).contains(md5s.size() + "/" + md5s.size() + " samples"), bars.get(0));
    }
}
