package org.workbench.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a classic pcap file (tcpdump.org "pcap file format", version 2.4): a 24-byte file header, then one
 * 16-byte record header and the captured bytes per packet. By default timestamps are microseconds (magic
 * {@code 0xa1b2c3d4}) and fields are little-endian, as libpcap writes on x86; the constructor can also write
 * nanosecond files (magic {@code 0xa1b23c4d}) or big-endian files, which the tests use to exercise the reader.
 *
 * <p>Not thread-safe. Closing the writer closes the underlying stream.
 */
public final class PcapWriter implements Closeable {
    /** LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** LINKTYPE_RAW: the packet starts with an IPv4 or IPv6 header. */
    public static final int LINKTYPE_RAW = 101;
    /** LINKTYPE_LINUX_SLL: Linux "cooked" capture, 16-byte header. */
    public static final int LINKTYPE_LINUX_SLL = 113;

    private final OutputStream out;
    private final ByteOrder order;
    private final boolean nanos;
    private final int snapLength;
    private final ByteBuffer header = ByteBuffer.allocate(24);
    private long count;

    /**
     * A microsecond, little-endian pcap writer with a 262144-byte snapshot length.
     *
     * @param out      where the file goes (buffer it yourself or use {@link #create})
     * @param linkType tcpdump.org LINKTYPE_ value of every packet (1 = Ethernet, 101 = raw IP, ...)
     * @throws IOException if writing the file header fails
     */
    public PcapWriter(OutputStream out, int linkType) throws IOException {
        this(out, linkType, CaptureReader.MAX_RECORD_LENGTH, false, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param out        where the file goes
     * @param linkType   tcpdump.org LINKTYPE_ value of every packet
     * @param snapLength the snapshot length written in the header, bytes; longer packets are cut to it
     * @param nanosecond true for nanosecond timestamps (magic 0xa1b23c4d), false for microseconds
     * @param order      byte order of every header field
     * @throws IOException if writing the file header fails
     */
    public PcapWriter(OutputStream out, int linkType, int snapLength, boolean nanosecond, ByteOrder order)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        this.order = Objects.requireNonNull(order, "order");
        this.nanos = nanosecond;
        if (snapLength <= 0) {
            throw new IllegalArgumentException("snapLength must be positive: " + snapLength);
        }
        this.snapLength = snapLength;
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
        h.putShort((short) 2).putShort((short) 4);
        h.putInt(0).putInt(0);
        h.putInt(snapLength);
        h.putInt(linkType);
        out.write(h.array());
        header.order(order);
    }

    /**
     * Creates (or replaces) a microsecond little-endian pcap file.
     *
     * @param path     the file to write
     * @param linkType tcpdump.org LINKTYPE_ value of every packet
     * @return an open writer; close it to flush
     * @throws IOException if the file cannot be created
     */
    public static PcapWriter create(Path path, int linkType) throws IOException {
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        try {
            return new PcapWriter(os, linkType);
        } catch (IOException | RuntimeException e) {
            os.close();
            throw e;
        }
    }

    /**
     * Writes one whole packet.
     *
     * @param timestampNanos capture time, nanoseconds since the Unix epoch (cut to microseconds in a
     *                       microsecond file)
     * @param frame          the packet bytes, link header included
     * @throws IOException if writing fails
     */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        write(timestampNanos, frame, 0, frame.length, frame.length);
    }

    /**
     * Writes one packet, possibly snapped.
     *
     * @param timestampNanos capture time, nanoseconds since the Unix epoch
     * @param data           buffer holding the captured bytes
     * @param off            offset of the first captured byte in {@code data}
     * @param len            captured bytes; cut to the snapshot length if longer
     * @param originalLength the packet's length on the wire, bytes (written as given, even if smaller than len,
     *                       so that tests can build anomalous records)
     * @throws IOException if writing fails
     */
    public void write(long timestampNanos, byte[] data, int off, int len, int originalLength) throws IOException {
        Objects.checkFromIndexSize(off, len, data.length);
        int incl = Math.min(len, snapLength);
        long sec = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long sub = Math.floorMod(timestampNanos, 1_000_000_000L);
        header.clear();
        header.putInt((int) sec);
        header.putInt((int) (nanos ? sub : sub / 1000));
        header.putInt(incl);
        header.putInt(originalLength);
        out.write(header.array(), 0, 16);
        out.write(data, off, incl);
        count++;
    }

    /**
     * Copies a packet record as it was read (timestamp, captured bytes, original length).
     *
     * @param packet a record, normally from a {@link CaptureReader}
     * @throws IOException if writing fails
     */
    public void write(RawPacket packet) throws IOException {
        write(packet.timestampNanos(), packet.data(), 0, packet.capturedLength(), packet.originalLength());
    }

    /** Packets written so far. */
    public long packetCount() {
        return count;
    }

    /** The byte order of the file's header fields. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** Flushes buffered bytes to the underlying stream. */
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
