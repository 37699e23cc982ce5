package org.workbench.capture;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * Packets captured live from a network interface through libpcap (pcap4j), as a {@link PacketSource}: like
 * {@code zeek -i IFACE}. The interface is opened promiscuous with a snap length of {@value #SNAP_LENGTH} bytes and
 * a read timeout of {@value #READ_TIMEOUT_MILLIS} ms, and read in non-blocking mode (on Linux, libpcap's TPACKET_V3
 * read timeout does not expire while no packet arrives): when nothing is waiting {@link #next()} sleeps
 * {@value #IDLE_SLEEP_MILLIS} ms and retries, so it regularly gets control back even without traffic. It runs the tick action (at most every {@link #tickMillis(long)}, on the reading thread, e.g. to
 * flush logs) and checks whether to stop.
 *
 * <p>{@link #next()} returns {@code null} (the end of the source) once {@link #stop()} was called (from any
 * thread, e.g. a shutdown hook), once the {@link #duration(long) duration} has passed or the
 * {@link #maxPackets(long) packet count} was reached. Timestamps and original lengths come from the libpcap
 * packet header; the link type from the handle's data link type (Linux's DLT_RAW 12 is reported as LINKTYPE_RAW
 * 101, as in capture files).
 *
 * <p>Opening fails with an {@link IOException} whose one-line message says what is wrong: an unknown interface
 * (naming the available ones), no permission to capture, libpcap missing, or a BPF filter that does not compile.
 */
public final class LiveCapture implements PacketSource, Closeable {
    /** Bytes captured of each packet at most. */
    public static final int SNAP_LENGTH = 262_144;
    /** libpcap read timeout, milliseconds. */
    public static final int READ_TIMEOUT_MILLIS = 100;
    /** Pause before polling again when no packet is waiting, milliseconds. */
    public static final int IDLE_SLEEP_MILLIS = 5;

    private final String device;
    private final PcapHandle handle;
    private final int linkType;
    private volatile boolean stopped;
    private long maxPackets = Long.MAX_VALUE;
    private long deadlineNanos = Long.MAX_VALUE;
    private long tickMillis = 1000;
    private long lastTick = System.nanoTime();
    private Runnable tick = () -> { };
    private long index;

    private LiveCapture(String device, PcapHandle handle) {
        this.device = device;
        this.handle = handle;
        int dlt = handle.getDlt().value();
        this.linkType = dlt == 12 ? 101 : dlt;
    }

    /**
     * Opens an interface for capture.
     *
     * @param device the interface name (e.g. {@code eth0}, {@code lo})
     * @param filter a BPF filter expression, or {@code null} for every packet
     * @throws IOException with a one-line message when the interface is unknown, capturing is not permitted,
     *                     libpcap is missing or the filter does not compile
     */
    public static LiveCapture open(String device, String filter) throws IOException {
        Objects.requireNonNull(device, "device");
        PcapNetworkInterface nif;
        try {
            nif = Pcaps.getDevByName(device);
        } catch (PcapNativeException e) {
            throw new IOException(device + ": cannot list capture interfaces: " + oneLine(e.getMessage()), e);
        } catch (LinkageError e) {
            throw new IOException("libpcap is not available (install libpcap): " + oneLine(e.getMessage()), e);
        }
        if (nif == null) {
            throw new IOException(device + ": no such interface (available: " + available() + ")");
        }
        PcapHandle handle;
        try {
            handle = nif.openLive(SNAP_LENGTH, PcapNetworkInterface.PromiscuousMode.PROMISCUOUS,
                    READ_TIMEOUT_MILLIS);
        } catch (PcapNativeException e) {
            String m = oneLine(e.getMessage());
            String lower = m.toLowerCase(Locale.ROOT);
            if (lower.contains("permission") || lower.contains("not permitted")) {
                throw new IOException(device + ": no permission to capture (run as root or grant CAP_NET_RAW): "
                        + m, e);
            }
            throw new IOException(device + ": cannot open for capture: " + m, e);
        }
        try {
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new IOException(device + ": cannot set non-blocking mode: " + oneLine(e.getMessage()), e);
        }
        if (filter != null && !filter.isBlank()) {
            try {
                handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new IOException("BPF filter '" + filter + "' is invalid on " + device + ": "
                        + oneLine(e.getMessage()), e);
            }
        }
        return new LiveCapture(device, handle);
    }

    private static String available() {
        try {
            List<PcapNetworkInterface> all = Pcaps.findAllDevs();
            return all.isEmpty() ? "none" : all.stream().map(PcapNetworkInterface::getName)
                    .collect(Collectors.joining(", "));
        } catch (PcapNativeException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String oneLine(String m) {
        return m == null ? "" : m.strip().replace('\n', ' ');
    }

    /** Ends the capture after this many packets (default unlimited). */
    public LiveCapture maxPackets(long count) {
        this.maxPackets = count <= 0 ? Long.MAX_VALUE : count;
        return this;
    }

    /** Ends the capture this many milliseconds after this call (default never; 0 or less means never). */
    public LiveCapture duration(long millis) {
        this.deadlineNanos = millis <= 0 ? Long.MAX_VALUE : System.nanoTime() + millis * 1_000_000L;
        return this;
    }

    /** An action run on the reading thread at most every {@code millis} ms while reading (default none, 1000). */
    public LiveCapture tick(Runnable action, long millis) {
        this.tick = Objects.requireNonNull(action);
        this.tickMillis = Math.max(1, millis);
        return this;
    }

    /** Makes {@link #next()} return {@code null} at its next call or poll; callable from any thread. */
    public void stop() {
        stopped = true;
    }

    /** Whether the capture has ended (stopped, or duration or packet count reached). */
    public boolean ended() {
        return stopped;
    }

    @Override
    public RawPacket next() throws IOException {
        while (true) {
            if (!stopped && (index >= maxPackets || (deadlineNanos != Long.MAX_VALUE
                    && System.nanoTime() - deadlineNanos >= 0))) {
                stopped = true;
            }
            if (stopped) {
                return null;
            }
            maybeTick();
            byte[] data;
            try {
                data = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                try {
                    Thread.sleep(IDLE_SLEEP_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                }
                continue;
            } catch (EOFException e) {
                stopped = true;
                return null;
            } catch (PcapNativeException | NotOpenException e) {
                throw new IOException(device + ": capture failed: " + oneLine(e.getMessage()), e);
            }
            Timestamp ts = handle.getTimestamp();
            long nanos = Math.floorDiv(ts.getTime(), 1000L) * 1_000_000_000L + ts.getNanos();
            Integer orig = handle.getOriginalLength();
            int wire = orig == null ? data.length : orig;
            return new RawPacket(index++, nanos, linkType, data.length, wire, data);
        }
    }

    private void maybeTick() {
        long now = System.nanoTime();
        if (now - lastTick >= tickMillis * 1_000_000L) {
            lastTick = now;
            tick.run();
        }
    }

    @Override
    public String displayName() {
        return device;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public String format() {
        return "live";
    }

    /** Packets returned so far. */
    public long packetCount() {
        return index;
    }

    @Override
    public void close() {
        stopped = true;
        handle.close();
    }
}
