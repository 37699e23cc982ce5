package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workbench zeek -r} on captures damaged inside, built here from the shared Kitchen Boss capture: junk
 * bytes inserted at a record boundary (a corrupt record header) and a link type the decoder does not support.
 * The command succeeds (exit 0), prints the summary line and one warning line, and writes logs that agree with
 * each other and with those of the capture cut at the corrupt offset (the oracle).
 */
class ZeekCommandDamagedTest {
    @TempDir
    Path dir;

    static Path kitchenBoss() {
        String s = System.getProperty("workbench.shared");
        assertNotNull(s, "system property workbench.shared is not set");
        Path p = Path.of(s, "data", "pcap", "kitchen_boss.pcap");
        assertTrue(Files.isRegularFile(p), "missing " + p.toAbsolutePath());
        return p;
    }

    /** Record offsets of a little-endian pcap, from its record headers. */
    static List<Integer> recordOffsets(byte[] pcap) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> offsets = new ArrayList<>();
        for (int o = 24; o + 16 <= pcap.length; o += 16 + b.getInt(o + 8)) {
            offsets.add(o);
        }
        return offsets;
    }

    static byte[] withJunkAt(byte[] whole, int at) {
        byte[] out = new byte[whole.length + 200];
        System.arraycopy(whole, 0, out, 0, at);
        for (int i = 0; i < 200; i++) {
            out[at + i] = (byte) i;
        }
        System.arraycopy(whole, at, out, at + 200, whole.length - at);
        return out;
    }

    /** stderr's lines; no stack trace. */
    static List<String> lines(ZeekCommandTest.Result r) {
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().endsWith("\n"), r.err());
        return List.of(r.err().split("\n"));
    }

    static List<String[]> rows(Path log) throws IOException {
        List<String[]> rows = new ArrayList<>();
        if (!Files.exists(log)) {
            return rows;
        }
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!l.isEmpty() && !l.startsWith("#")) {
                rows.add(l.split("\t", -1));
            }
        }
        return rows;
    }

    static List<String> dataLines(Path log) throws IOException {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static Set<String> column(Path log, String field) throws IOException {
        Set<String> out = new TreeSet<>();
        if (!Files.exists(log)) {
            return out;
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        String f = all.stream().filter(l -> l.startsWith("#fields\t")).findFirst().orElseThrow();
        int i = Arrays.asList(f.substring(8).split("\t")).indexOf(field);
        assertTrue(i >= 0, field + " in " + log);
        for (String[] r : rows(log)) {
            if (!"-".equals(r[i])) {
                out.add(r[i]);
            }
        }
        return out;
    }

    @Test
    void corruptRecordInTheMiddleWarnsAndLogsTheReadablePrefix() throws Exception {
        byte[] whole = Files.readAllBytes(kitchenBoss());
        List<Integer> offsets = recordOffsets(whole);
        int index = offsets.indexOf(906028) >= 0 ? offsets.indexOf(906028) : offsets.size() / 2;
        int at = offsets.get(index);
        Path damaged = dir.resolve("garbage_mid.pcap");
        Files.write(damaged, withJunkAt(whole, at));
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, at));

        Path out = dir.resolve("oo");
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-r", damaged.toString(), "-d", out.toString(),
                "--seed", "3");
        assertEquals(0, r.code(), r.err());
        List<String> err = lines(r);
        assertEquals(2, err.size(), "summary and one warning: " + err);
        assertTrue(err.get(0).contains(index + " packets"), err.get(0));
        String warning = err.get(1);
        assertTrue(warning.startsWith("workbench: warning: " + damaged + ": record " + index + " at offset " + at
                + " claims " + 0x0b0a0908 + " captured bytes"), warning);
        assertTrue(warning.contains("corrupt_capture_record"), warning);

        Path oracle = dir.resolve("cut");
        ZeekCommandTest.Result rc = ZeekCommandTest.run("zeek", "-r", cut.toString(), "-d", oracle.toString(),
                "--seed", "3");
        assertEquals(0, rc.code(), rc.err());
        assertEquals(1, lines(rc).size(), "no warning for a clean cut: " + rc.err());

        Set<String> connUids = column(out.resolve("conn.log"), "uid");
        for (String log : List.of("conn", "dns", "http", "files")) {
            assertFalse(dataLines(oracle.resolve(log + ".log")).isEmpty(), log);
            assertEquals(dataLines(oracle.resolve(log + ".log")), dataLines(out.resolve(log + ".log")),
                    log + ".log as for the capture cut at offset " + at);
            if (!log.equals("conn")) {
                Set<String> missing = new TreeSet<>(column(out.resolve(log + ".log"), "uid"));
                missing.removeAll(connUids);
                assertTrue(missing.isEmpty(), log + ".log uids missing from conn.log: " + missing);
            }
        }
        List<String> weird = dataLines(out.resolve("weird.log"));
        List<String> corrupt = weird.stream().filter(l -> l.contains("\tcorrupt_capture_record\t")).toList();
        assertEquals(1, corrupt.size(), "" + weird);
        assertTrue(corrupt.get(0).contains("record " + index + " at offset " + at), corrupt.get(0));
        List<String> oracleWeird = Files.exists(oracle.resolve("weird.log"))
                ? dataLines(oracle.resolve("weird.log")) : List.of();
        assertEquals(oracleWeird.size() + 1, weird.size());
    }

    @Test
    void corruptFirstRecordGivesOnlyTheWeird() throws Exception {
        Path damaged = dir.resolve("garbage_first.pcap");
        Files.write(damaged, withJunkAt(Files.readAllBytes(kitchenBoss()), 24));
        Path out = dir.resolve("o");
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-r", damaged.toString(), "-d", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> err = lines(r);
        assertEquals(2, err.size(), "" + err);
        assertTrue(err.get(0).contains("0 packets"), err.get(0));
        assertTrue(err.get(1).startsWith("workbench: warning: " + damaged + ": record 0 at offset 24 "), err.get(1));
        assertFalse(Files.exists(out.resolve("conn.log")));
        List<String> weird = dataLines(out.resolve("weird.log"));
        assertEquals(1, weird.size());
        assertTrue(weird.get(0).contains("\tcorrupt_capture_record\t"), weird.get(0));
    }

    @Test
    void badMagicIsStillAnError() throws Exception {
        byte[] b = Files.readAllBytes(kitchenBoss());
        b[0] = 0;
        b[1] = 0;
        Path p = dir.resolve("bad_magic.pcap");
        Files.write(p, b);
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-r", p.toString(), "-d", dir.resolve("x").toString());
        assertEquals(1, r.code());
        List<String> err = lines(r);
        assertEquals(1, err.size());
        assertTrue(err.get(0).startsWith("workbench: " + p + ": not a capture file"), err.get(0));
    }

    @Test
    void unsupportedLinkTypeWarnsAndWritesAWeird() throws Exception {
        byte[] b = Files.readAllBytes(kitchenBoss());
        int packets = recordOffsets(b).size();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 147);
        Path p = dir.resolve("linktype.pcap");
        Files.write(p, b);
        Path out = dir.resolve("lt");
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-r", p.toString(), "-d", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> err = lines(r);
        assertEquals(2, err.size(), "" + err);
        assertEquals("workbench: warning: " + p + ": link type 147 is not supported: its " + packets
                + " packets were not analysed (weird unsupported_link_type)", err.get(1));
        List<String> weird = dataLines(out.resolve("weird.log"));
        assertEquals(1, weird.size(), "" + weird);
        assertTrue(weird.get(0).contains("\tunsupported_link_type\t") && weird.get(0).contains("link type 147"),
                weird.get(0));
        assertFalse(Files.exists(out.resolve("conn.log")));
    }
}
