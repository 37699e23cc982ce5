package org.workbench.capture;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.workbench.packet.DecodedPacket;
import org.workbench.packet.PacketDecoder;

/**
 * Throughput benchmark of {@link CaptureReader} (and of {@link PacketDecoder} on top of it), with pcap4j's
 * {@code getNextRawPacketEx} as the reference. It repeats a source capture N times into a temporary file
 * (timestamps shifted so they keep increasing), reads it a few times to warm up, then times each reader.
 *
 * <p>Run from the project root (the worktree), after {@code mvn -q -o -pl lib test-compile}:
 * <pre>
 * mvn -q -o -pl lib dependency:build-classpath -Dmdep.outputFile=/tmp/wb.cp
 * java -cp lib/target/classes:lib/target/test-classes:$(cat /tmp/wb.cp) \
 *     org.workbench.capture.CaptureReadBenchmark ../shared/data/pcap/kitchen_boss.pcap 40
 * </pre>
 * Arguments: the source capture (default {@code ../shared/data/pcap/kitchen_boss.pcap}) and the repetition
 * count (default 40). After ten warm-up passes of each reader it times five passes of each and prints packets per
 * second and megabytes (10^6 bytes) per second for every pass, then the best pass of each. The file is read from
 * the page cache, so this measures parsing, not the disk.
 */
public final class CaptureReadBenchmark {
    private CaptureReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path src = Paths.get(args.length > 0 ? args[0] : "../shared/data/pcap/kitchen_boss.pcap");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path big = Files.createTempFile("bench", ".pcap");
        try {
            long packets = 0;
            int linkType;
            try (CaptureReader in0 = CaptureReader.open(src)) {
                linkType = in0.linkType();
            }
            try (PcapWriter w = PcapWriter.create(big, linkType)) {
                for (int r = 0; r < reps; r++) {
                    long shift = r * 3_600_000_000_000L;
                    try (CaptureReader in = CaptureReader.open(src)) {
                        for (RawPacket p; (p = in.next()) != null; packets++) {
                            w.write(p.timestampNanos() + shift, p.data(), 0, p.capturedLength(), p.originalLength());
                        }
                    }
                }
            }
            long bytes = Files.size(big);
            System.out.printf("capture: %s x %d = %d packets, %.1f MB%n", src.getFileName(), reps, packets,
                    bytes / 1e6);
            // JIT warm-up: the first passes run interpreted or with early compilations
            for (int round = 0; round < 10; round++) {
                readOurs(big, false);
                readOurs(big, true);
                readPcap4j(big);
            }
            double[] best = new double[3];
            for (int round = 0; round < 5; round++) {
                best[0] = Math.max(best[0], time("CaptureReader", bytes, () -> readOurs(big, false)));
                best[1] = Math.max(best[1], time("CaptureReader+PacketDecoder", bytes, () -> readOurs(big, true)));
                best[2] = Math.max(best[2], time("pcap4j getNextRawPacketEx", bytes, () -> readPcap4j(big)));
            }
            System.out.printf("best: CaptureReader %,.0f packets/s, with PacketDecoder %,.0f packets/s,"
                    + " pcap4j %,.0f packets/s%n", best[0], best[1], best[2]);
        } finally {
            Files.deleteIfExists(big);
        }
    }

    interface Run {
        long run() throws Exception;
    }

    /** Runs once and prints the rate; returns packets per second. */
    private static double time(String what, long bytes, Run r) throws Exception {
        long t0 = System.nanoTime();
        long n = r.run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-30s %9d packets in %6.3f s: %,12.0f packets/s %8.1f MB/s%n", what, n, s, n / s,
                bytes / 1e6 / s);
        return n / s;
    }

    private static long readOurs(Path f, boolean decode) throws Exception {
        long n = 0;
        long sink = 0;
        PacketDecoder dec = new PacketDecoder((ts, name, uid, id, addl, src) -> { }, true);
        DecodedPacket out = new DecodedPacket();
        try (CaptureReader r = CaptureReader.open(f)) {
            for (RawPacket p; (p = r.next()) != null; n++) {
                sink += p.capturedLength();
                if (decode && dec.decode(p, out)) {
                    sink += out.srcPort;
                }
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return n;
    }

    private static long readPcap4j(Path f) throws Exception {
        long n = 0;
        PcapHandle h = Pcaps.openOffline(f.toString(), PcapHandle.TimestampPrecision.NANO);
        try {
            while (true) {
                try {
                    h.getNextRawPacketEx();
                    n++;
                } catch (EOFException e) {
                    break;
                }
            }
        } finally {
            h.close();
        }
        return n;
    }
}
