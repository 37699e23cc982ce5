package org.workbench.capture;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader for packet capture files: classic pcap and pcapng, read record by record through one
 * reusable buffer, so memory does not grow with the capture's size.
 *
 * <h2>Formats</h2>
 * <ul>
 *   <li><b>pcap</b> (tcpdump.org "pcap file format", draft-ietf-opsawg-pcap): both byte orders, magic
 *       {@code 0xa1b2c3d4} (microsecond timestamps) and {@code 0xa1b23c4d} (nanosecond timestamps), and the
 *       Kuznetzov "modified pcap" magic {@code 0xa1b2cd34} (8 extra bytes per record header). Version must be 2.x.
 *       The link type is the low 16 bits of the header's LinkType field.</li>
 *   <li><b>pcapng</b> (draft-ietf-opsawg-pcapng): Section Header Blocks in either byte order, any number of
 *       sections (each new section forgets the previous one's interfaces), Interface Description Blocks
 *       (link type, {@code if_tsresol} as a power of 10 or of 2, {@code if_tsoffset}), Enhanced Packet Blocks,
 *       Simple Packet Blocks and the obsolete Packet Block. Other block types are skipped. Every block's trailing
 *       length must equal its leading one. A Simple Packet
 *       Block has no timestamp: it gets the timestamp of the previous packet (0 for the first).</li>
 * </ul>
 *
 * <h2>Errors and anomalies</h2>
 * Problems with the file as a whole throw {@link CaptureFormatException} whose one-line message names the
 * input: an empty (zero-length) input, a wrong magic number (shown in hex; a gzip stream passed to
 * {@link #open(InputStream, String)} is recognised and named; gzip files opened by path are decompressed),
 * a file header cut short, an unsupported version, or a first pcapng section header that is broken.
 *
 * <p>Problems with single records are not exceptions; they go to the {@link AnomalyListener} given at open
 * time (the analysis engine turns them into weirds) and are counted in {@link #anomalyCount()}:
 * <ul>
 *   <li>{@value #TRUNCATED_CAPTURE_RECORD}: the input ends inside a record (typically a capture cut short
 *       while it was written). The partial record is dropped, {@link #next()} returns {@code null} and
 *       {@link #endedWithTruncatedRecord()} becomes true. The listener gets a {@code null} packet.</li>
 *   <li>{@value #CAPTURE_LEN_EXCEEDS_WIRE_LEN}: a record claims more captured bytes than the packet had on the
 *       wire. The packet is still returned, with both lengths as recorded.</li>
 *   <li>{@value #CAPTURE_BAD_INTERFACE}: a pcapng packet block names an interface that no Interface Description
 *       Block declared in its section; the packet is skipped (the listener gets {@code null}).</li>
 *   <li>{@value #CORRUPT_CAPTURE_RECORD}: a record header after the file header is structurally impossible, so
 *       where the next record starts is unknown: a pcap record claiming a negative captured length or more than
 *       {@link #MAX_RECORD_LENGTH} bytes; a pcapng block whose length is under 12, not a multiple of 4, over
 *       16 MiB (except for the block types the pcapng draft defines that are not packet or interface blocks),
 *       differs from its trailing length, or whose packet claims more than {@link #MAX_RECORD_LENGTH} captured
 *       bytes; a later pcapng
 *       section header or interface block that is broken. Reading ends there as if the input ended: the packets
 *       before it were returned, {@link #next()} returns {@code null}, {@link #corruptRecordDetail()} gives the
 *       detail (record index and byte offset). This holds also for the very first record (a valid file header
 *       followed by garbage): the capture then has no packets and one anomaly. The listener gets {@code null}.</li>
 * </ul>
 *
 * <p>Each returned {@link RawPacket} owns a fresh {@code data} array (safe to keep); {@link RawPacket#index()}
 * counts the packets returned, from 0. Timestamps are nanoseconds since the epoch whatever the file's resolution.
 *
 * <p>Not thread-safe; one reader per thread. Instances are obtained from the static {@code open} methods.
 */
public final class CaptureReader implements Closeable, PacketSource {

    /** Receives per-record anomalies; see the class comment for the names. */
    @FunctionalInterface
    public interface AnomalyListener {
        /**
         * @param packet the packet concerned, or {@code null} when the record was dropped
         * @param name   one of the anomaly names documented on {@link CaptureReader}
         * @param detail one line for a human: which record, at which byte offset, with which lengths
         */
        void anomaly(RawPacket packet, String name, String detail);
    }

    /** Anomaly name: the input ends inside a packet record; the partial record is dropped. */
    public static final String TRUNCATED_CAPTURE_RECORD = "truncated_capture_record";
    /** Anomaly name: a record's captured length is greater than its original (wire) length. */
    public static final String CAPTURE_LEN_EXCEEDS_WIRE_LEN = "capture_len_exceeds_wire_len";
    /** Anomaly name: a pcapng packet block refers to an undeclared interface; the packet is skipped. */
    public static final String CAPTURE_BAD_INTERFACE = "capture_bad_interface";
    /**
     * Anomaly name (ours, not one of Zeek's documented weirds): a record header is structurally impossible in the
     * middle of the capture; reading ends before it.
     */
    public static final String CORRUPT_CAPTURE_RECORD = "corrupt_capture_record";

    /** Largest captured length accepted for one record, in bytes (256 KiB, libpcap's maximum snapshot length). */
    public static final int MAX_RECORD_LENGTH = 256 * 1024;

    /**
     * Largest pcapng block read whole (headers, options, data), in bytes; larger blocks of types the pcapng draft
     * defines are skipped, larger blocks of other types are corrupt.
     */
    private static final int MAX_BLOCK_LENGTH = 16 * 1024 * 1024;

    private static final int BUFFER_SIZE = 1 << 20;

    private static final int PCAP_MAGIC_MICRO = 0xa1b2c3d4;
    private static final int PCAP_MAGIC_NANO = 0xa1b23c4d;
    private static final int PCAP_MAGIC_MODIFIED = 0xa1b2cd34;
    private static final int PCAPNG_SHB = 0x0a0d0d0a;
    private static final int PCAPNG_BOM = 0x1a2b3c4d;
    private static final int PCAPNG_IDB = 1, PCAPNG_PB = 2, PCAPNG_SPB = 3, PCAPNG_EPB = 6;

    /** Per-interface facts from a pcapng IDB. */
    private static final class Interface {
        final int linkType;
        final int snapLength;
        /** Timestamp units per second as 10^decimalExp (when binaryExp &lt; 0) or 2^binaryExp. */
        final int decimalExp;
        final int binaryExp;
        final long offsetSeconds;

        Interface(int linkType, int snapLength, int decimalExp, int binaryExp, long offsetSeconds) {
            this.linkType = linkType;
            this.snapLength = snapLength;
            this.decimalExp = decimalExp;
            this.binaryExp = binaryExp;
            this.offsetSeconds = offsetSeconds;
        }

        long toNanos(long ts) {
            long nanos;
            if (binaryExp >= 0) {
                long secs = binaryExp >= 64 ? 0 : ts >>> binaryExp;
                long frac = binaryExp >= 64 ? ts : ts & ((1L << binaryExp) - 1);
                long fracNanos = binaryExp <= 33 ? (frac * 1_000_000_000L) >>> binaryExp
                        : ((frac >>> (binaryExp - 33)) * 1_000_000_000L) >>> 33;
                nanos = secs * 1_000_000_000L + fracNanos;
            } else if (decimalExp <= 9) {
                nanos = ts * POW10[9 - decimalExp];
            } else {
                nanos = Long.divideUnsigned(ts, POW10[Math.min(18, decimalExp - 9)]);
            }
            return nanos + offsetSeconds * 1_000_000_000L;
        }
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private final String name;
    private final ReadableByteChannel channel;
    private final AnomalyListener listener;
    private ByteBuffer buf;
    private boolean eof;
    /** Absolute input offset of buf's position 0 after the last compaction. */
    private long bufBase;

    private final boolean pcapng;
    // classic pcap state
    private ByteOrder order;
    private boolean nanoResolution;
    private boolean modifiedRecords;
    private int pcapLinkType;
    private int pcapSnapLength;
    // pcapng state
    private final List<Interface> interfaces = new ArrayList<>();
    private int sectionCount;

    private long packetIndex;
    private long recordIndex;
    private long lastTimestampNanos;
    private long anomalyCount;
    private boolean truncatedAtEnd;
    private String corruptDetail;
    private long corruptOffset = -1;
    private long corruptRecord = -1;
    private boolean finished;

    private CaptureReader(String name, ReadableByteChannel channel, AnomalyListener listener, boolean direct)
            throws IOException {
        this.name = name;
        this.channel = channel;
        this.listener = listener != null ? listener : (p, n, d) -> { };
        this.buf = direct ? ByteBuffer.allocateDirect(BUFFER_SIZE) : ByteBuffer.allocate(BUFFER_SIZE);
        this.buf.limit(0);
        boolean ok = false;
        try {
            fill(4);
            if (buf.remaining() == 0) {
                throw new CaptureFormatException(name + ": empty file (zero length), not a capture");
            }
            if (buf.remaining() < 4) {
                throw new CaptureFormatException(name + ": truncated file header (" + buf.remaining()
                        + " bytes), not a capture");
            }
            int magicBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(buf.position());
            if (magicBe == PCAPNG_SHB) {
                pcapng = true;
                readSectionHeader(0); // file-level problems surface here, not at the first next()
            } else {
                pcapng = false;
                readPcapHeader(magicBe);
            }
            ok = true;
        } finally {
            if (!ok) {
                channel.close();
            }
        }
    }

    /**
     * Opens a capture file for reading, with no anomaly listener. A gzip-compressed file is decompressed on the fly.
     *
     * @param path a pcap or pcapng file, possibly gzip-compressed
     * @return a reader positioned before the first packet
     * @throws CaptureFormatException if the file is empty, not a capture, or its header is broken
     * @throws IOException            if the file cannot be read
     */
    public static CaptureReader open(Path path) throws IOException {
        return open(path, null);
    }

    /**
     * Opens a capture file for reading. A gzip-compressed file (magic {@code 1f 8b}) is decompressed on the fly.
     *
     * @param path     a pcap or pcapng file, possibly gzip-compressed
     * @param listener receives per-record anomalies, or null to only count them
     * @return a reader positioned before the first packet
     * @throws CaptureFormatException if the file is empty, not a capture, or its header is broken
     * @throws IOException            if the file cannot be read
     */
    public static CaptureReader open(Path path, AnomalyListener listener) throws IOException {
        Objects.requireNonNull(path, "path");
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer magic = ByteBuffer.allocate(2);
            while (magic.hasRemaining() && ch.read(magic, magic.position()) > 0) {
                // positional reads leave the channel at offset 0
            }
            if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
                // gzip (RFC 1952), as in Zeek's test traces: decompress on the fly
                ch.close();
                InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16),
                        1 << 16);
                return new CaptureReader(path.toString(), Channels.newChannel(in), listener, false);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new CaptureReader(path.toString(), ch, listener, true);
    }

    /**
     * Reads a capture from a stream (for example a {@link java.util.zip.GZIPInputStream} over a compressed
     * trace, or standard input). The reader closes the stream when it is closed.
     *
     * @param in          the capture bytes
     * @param displayName how messages name the input (e.g. {@code "trace.pcap.gz"} or {@code "-"})
     * @return a reader positioned before the first packet
     * @throws CaptureFormatException if the input is empty, not a capture, or its header is broken
     * @throws IOException            if reading fails
     */
    public static CaptureReader open(InputStream in, String displayName) throws IOException {
        return open(in, displayName, null);
    }

    /**
     * Like {@link #open(InputStream, String)}, with an anomaly listener.
     *
     * @param in          the capture bytes
     * @param displayName how messages name the input
     * @param listener    receives per-record anomalies, or null to only count them
     * @return a reader positioned before the first packet
     * @throws IOException as for {@link #open(InputStream, String)}
     */
    public static CaptureReader open(InputStream in, String displayName, AnomalyListener listener)
            throws IOException {
        Objects.requireNonNull(in, "in");
        return new CaptureReader(displayName == null ? "<stream>" : displayName, Channels.newChannel(in),
                listener, false);
    }

    /** How messages name the input. */
    @Override
    public String displayName() {
        return name;
    }

    /** {@code "pcap"} or {@code "pcapng"}. */
    @Override
    public String format() {
        return pcapng ? "pcapng" : "pcap";
    }

    /**
     * The link type of a classic pcap file (tcpdump.org LINKTYPE_ value); for pcapng, the link type of the first
     * interface seen so far, or -1 if none.
     */
    @Override
    public int linkType() {
        if (!pcapng) {
            return pcapLinkType;
        }
        return interfaces.isEmpty() ? -1 : interfaces.get(0).linkType;
    }

    /** Snapshot length from the pcap file header (or the first pcapng interface; 0 there means unlimited), bytes. */
    public int snapLength() {
        if (!pcapng) {
            return pcapSnapLength;
        }
        return interfaces.isEmpty() ? 0 : interfaces.get(0).snapLength;
    }

    /** Packets returned by {@link #next()} so far. */
    public long packetCount() {
        return packetIndex;
    }

    /** Anomalies reported so far. */
    @Override
    public long anomalyCount() {
        return anomalyCount;
    }

    /** True once {@link #next()} has returned {@code null} because the input ended inside a record. */
    @Override
    public boolean endedWithTruncatedRecord() {
        return truncatedAtEnd;
    }

    /**
     * The problem that ended reading early, when a record header was structurally impossible (anomaly
     * {@value #CORRUPT_CAPTURE_RECORD}): one line naming the input, the record's index (from 0, counting every
     * packet record of the file) and its byte offset; {@code null} while no such record was met.
     */
    @Override
    public String corruptRecordDetail() {
        return corruptDetail;
    }

    /** Byte offset (in the decompressed input) of the corrupt record that ended reading, or -1 when none. */
    public long corruptRecordOffset() {
        return corruptOffset;
    }

    /** Index (from 0) of the corrupt record that ended reading, or -1 when none. */
    public long corruptRecordIndex() {
        return corruptRecord;
    }

    /**
     * Reads the next packet.
     *
     * @return the next packet, or {@code null} at the end of the input (including an input that ends inside a
     *         record: see {@link #endedWithTruncatedRecord()}, and a structurally impossible record that ends
     *         reading: see {@link #corruptRecordDetail()})
     * @throws IOException if reading fails
     */
    @Override
    public RawPacket next() throws IOException {
        if (finished) {
            return null;
        }
        RawPacket p = pcapng ? nextPcapng() : nextPcap();
        if (p == null) {
            finished = true;
        }
        return p;
    }

    @Override
    public void close() throws IOException {
        finished = true;
        channel.close();
    }

    // ---------------------------------------------------------------- classic pcap

    private void readPcapHeader(int magicBe) throws IOException {
        int magicLe = Integer.reverseBytes(magicBe);
        if (magicBe == PCAP_MAGIC_MICRO || magicBe == PCAP_MAGIC_NANO || magicBe == PCAP_MAGIC_MODIFIED) {
            order = ByteOrder.BIG_ENDIAN;
        } else if (magicLe == PCAP_MAGIC_MICRO || magicLe == PCAP_MAGIC_NANO || magicLe == PCAP_MAGIC_MODIFIED) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            String hint = (magicBe >>> 16) == 0x1f8b ? ", gzip-compressed: decompress it first" : "";
            throw new CaptureFormatException(String.format("%s: not a capture file (magic 0x%08x%s)", name, magicBe,
                    hint));
        }
        int magic = order == ByteOrder.BIG_ENDIAN ? magicBe : magicLe;
        nanoResolution = magic == PCAP_MAGIC_NANO;
        modifiedRecords = magic == PCAP_MAGIC_MODIFIED;
        if (!fill(24)) {
            throw new CaptureFormatException(name + ": truncated pcap file header (" + buf.remaining()
                    + " of 24 bytes)");
        }
        buf.order(order);
        int p = buf.position();
        int major = buf.getShort(p + 4) & 0xffff;
        int minor = buf.getShort(p + 6) & 0xffff;
        if (major != 2) {
            throw new CaptureFormatException(name + ": unsupported pcap version " + major + "." + minor
                    + " (only 2.x is defined)");
        }
        pcapSnapLength = buf.getInt(p + 16);
        pcapLinkType = buf.getInt(p + 20) & 0xffff;
        buf.position(p + 24);
    }

    private RawPacket nextPcap() throws IOException {
        int hdrLen = modifiedRecords ? 24 : 16;
        long offset = offset();
        if (!fill(hdrLen)) {
            if (buf.remaining() > 0) {
                truncated(String.format("record %d at offset %d: %d of %d record header bytes present",
                        recordIndex, offset, buf.remaining(), hdrLen));
            }
            return null;
        }
        int p = buf.position();
        long sec = buf.getInt(p) & 0xffffffffL;
        long frac = buf.getInt(p + 4) & 0xffffffffL;
        int inclLen = buf.getInt(p + 8);
        int origLen = buf.getInt(p + 12);
        if (inclLen < 0 || inclLen > MAX_RECORD_LENGTH) {
            return corrupt(offset, String.format("claims %d captured bytes (more than %d)",
                    inclLen & 0xffffffffL, MAX_RECORD_LENGTH));
        }
        if (!fill(hdrLen + inclLen)) {
            truncated(String.format("record %d at offset %d: %d of %d captured bytes present", recordIndex, offset,
                    Math.max(0, buf.remaining() - hdrLen), inclLen));
            return null;
        }
        buf.position(buf.position() + hdrLen);
        byte[] data = new byte[inclLen];
        buf.get(data);
        long ts = sec * 1_000_000_000L + (nanoResolution ? frac : frac * 1000L);
        RawPacket pkt = new RawPacket(packetIndex++, ts, pcapLinkType, inclLen, origLen, data);
        recordIndex++;
        checkLengths(pkt, offset);
        return pkt;
    }

    // ---------------------------------------------------------------- pcapng

    private RawPacket nextPcapng() throws IOException {
        while (true) {
            long offset = offset();
            if (!fill(8)) {
                if (buf.remaining() > 0) {
                    truncated(String.format("block at offset %d: %d of 8 block header bytes present", offset,
                            buf.remaining()));
                }
                return null;
            }
            int p = buf.position();
            int typeBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(p);
            if (typeBe == PCAPNG_SHB) {
                if (!readSectionHeader(offset)) {
                    return null;
                }
                continue;
            }
            if (order == null) { // cannot happen: the constructor reads the first section header
                throw new CaptureFormatException(name + ": pcapng data before the first section header");
            }
            buf.order(order);
            int type = buf.getInt(p);
            long totalLen = buf.getInt(p + 4) & 0xffffffffL;
            if (totalLen < 12 || (totalLen & 3) != 0) {
                return corrupt(offset, String.format("is a pcapng block of type 0x%x with impossible length %d",
                        type, totalLen));
            }
            boolean packetBlock = type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB;
            // block types the pcapng draft defines (1-10) and its custom blocks: only these may exceed 16 MiB
            boolean definedType = (type >= 1 && type <= 10) || type == 0xbad || type == 0x40000bad;
            if (totalLen > MAX_BLOCK_LENGTH && (packetBlock || type == PCAPNG_IDB || !definedType)) {
                return corrupt(offset, String.format("is a pcapng block of type 0x%x claiming %d bytes (more than"
                        + " %d)", type, totalLen, MAX_BLOCK_LENGTH));
            }
            if (!packetBlock && type != PCAPNG_IDB) {
                if (totalLen > MAX_BLOCK_LENGTH) { // skipped without holding it whole, then its trailer checked
                    if (!skip(totalLen - 4) || !fill(4)) {
                        truncated(String.format("block of type 0x%x at offset %d: cut short", type, offset));
                        return null;
                    }
                    long trailer = buf.getInt(buf.position()) & 0xffffffffL;
                    buf.position(buf.position() + 4);
                    if (trailer != totalLen) {
                        return badTrailer(offset, type, trailer, totalLen);
                    }
                    continue;
                }
                if (!fill((int) totalLen)) {
                    truncated(String.format("block of type 0x%x at offset %d: cut short", type, offset));
                    return null;
                }
                long trailer = buf.getInt(buf.position() + (int) totalLen - 4) & 0xffffffffL;
                if (trailer != totalLen) {
                    return badTrailer(offset, type, trailer, totalLen);
                }
                buf.position(buf.position() + (int) totalLen);
                continue;
            }
            int len = (int) totalLen;
            if (packetBlock) {
                // Check the captured length before asking for the whole block, to fail clearly on corrupt input.
                if (fill(Math.min(len, 28))) {
                    int capOff = type == PCAPNG_EPB || type == PCAPNG_PB ? 20 : -1;
                    if (capOff > 0 && len >= 28) {
                        long capLen = buf.getInt(buf.position() + capOff) & 0xffffffffL;
                        if (capLen > MAX_RECORD_LENGTH) {
                            return corrupt(offset, String.format("claims %d captured bytes (more than %d)", capLen,
                                    MAX_RECORD_LENGTH));
                        }
                    }
                }
            }
            if (!fill(len)) {
                truncated(String.format("%s at offset %d: %d of %d block bytes present",
                        packetBlock ? "record " + recordIndex : "interface block", offset, buf.remaining(), len));
                return null;
            }
            p = buf.position();
            long trailer = buf.getInt(p + len - 4) & 0xffffffffL;
            if (trailer != len) {
                return badTrailer(offset, type, trailer, len);
            }
            buf.position(p + len);
            if (type == PCAPNG_IDB) {
                if (!readInterface(p, len, offset)) {
                    return null;
                }
                continue;
            }
            RawPacket pkt = readPacketBlock(type, p, len, offset);
            recordIndex++;
            if (pkt != null) {
                return pkt;
            }
        }
    }

    /**
     * Reads a section header at the buffer's position. The first one's problems are file-level errors; a later
     * broken one ends reading (truncated or corrupt record).
     *
     * @return false when reading ends here
     */
    private boolean readSectionHeader(long offset) throws IOException {
        if (!fill(12)) {
            if (sectionCount == 0) {
                throw new CaptureFormatException(name + ": truncated pcapng section header (" + buf.remaining()
                        + " bytes)");
            }
            truncated(String.format("section header at offset %d: cut short", offset));
            skip(buf.remaining());
            return false;
        }
        int p = buf.position();
        int bomBe = buf.order(ByteOrder.BIG_ENDIAN).getInt(p + 8);
        ByteOrder o;
        if (bomBe == PCAPNG_BOM) {
            o = ByteOrder.BIG_ENDIAN;
        } else if (Integer.reverseBytes(bomBe) == PCAPNG_BOM) {
            o = ByteOrder.LITTLE_ENDIAN;
        } else {
            if (sectionCount > 0) {
                corrupt(offset, String.format("is a pcapng section header with a bad byte-order magic 0x%08x",
                        bomBe));
                return false;
            }
            throw new CaptureFormatException(String.format(
                    "%s: pcapng section header at offset %d has a bad byte-order magic 0x%08x", name, offset, bomBe));
        }
        long totalLen = buf.order(o).getInt(p + 4) & 0xffffffffL;
        if (totalLen < 28 || (totalLen & 3) != 0 || totalLen > MAX_BLOCK_LENGTH) {
            if (sectionCount > 0) {
                corrupt(offset, String.format("is a pcapng section header with impossible length %d",
                        totalLen));
                return false;
            }
            throw new CaptureFormatException(String.format(
                    "%s: pcapng section header at offset %d has impossible length %d", name, offset, totalLen));
        }
        if (!fill((int) totalLen)) {
            if (sectionCount == 0) {
                throw new CaptureFormatException(name + ": truncated pcapng section header (" + buf.remaining()
                        + " of " + totalLen + " bytes)");
            }
            truncated(String.format("section header at offset %d: cut short", offset));
            skip(buf.remaining());
            return false;
        }
        p = buf.position();
        int major = buf.getShort(p + 12) & 0xffff;
        int minor = buf.getShort(p + 14) & 0xffff;
        if (major != 1) {
            if (sectionCount > 0) {
                corrupt(offset, "is a pcapng section header of unsupported version " + major + "." + minor);
                return false;
            }
            throw new CaptureFormatException(name + ": unsupported pcapng version " + major + "." + minor
                    + " (only 1.x is defined)");
        }
        buf.position(p + (int) totalLen);
        order = o;
        interfaces.clear();
        sectionCount++;
        return true;
    }

    /** @return false when the block is broken and reading ends here */
    private boolean readInterface(int p, int len, long offset) {
        if (len < 20) {
            corrupt(offset, String.format("is a pcapng interface block too short (%d bytes)", len));
            return false;
        }
        int linkType = buf.getShort(p + 8) & 0xffff;
        int snap = buf.getInt(p + 12);
        int decimalExp = 6;
        int binaryExp = -1;
        long tsOffset = 0;
        int o = p + 16;
        int end = p + len - 4;
        while (o + 4 <= end) {
            int code = buf.getShort(o) & 0xffff;
            int olen = buf.getShort(o + 2) & 0xffff;
            if (code == 0 || o + 4 + olen > end) {
                break;
            }
            if (code == 9 && olen >= 1) {
                int v = buf.get(o + 4) & 0xff;
                if ((v & 0x80) != 0) {
                    binaryExp = v & 0x7f;
                } else {
                    decimalExp = v;
                    binaryExp = -1;
                }
            } else if (code == 14 && olen >= 8) {
                tsOffset = buf.getLong(o + 4);
            }
            o += 4 + ((olen + 3) & ~3);
        }
        interfaces.add(new Interface(linkType, snap, decimalExp, binaryExp, tsOffset));
        return true;
    }

    private RawPacket readPacketBlock(int type, int p, int len, long offset) {
        int ifId;
        long ts;
        int capLen;
        int origLen;
        int dataOff;
        boolean hasTs = true;
        if (type == PCAPNG_EPB) {
            if (len < 32) {
                return badBlock(offset, "enhanced packet block too short");
            }
            ifId = buf.getInt(p + 8);
            ts = ((buf.getInt(p + 12) & 0xffffffffL) << 32) | (buf.getInt(p + 16) & 0xffffffffL);
            capLen = buf.getInt(p + 20);
            origLen = buf.getInt(p + 24);
            dataOff = 28;
        } else if (type == PCAPNG_PB) {
            if (len < 32) {
                return badBlock(offset, "packet block too short");
            }
            ifId = buf.getShort(p + 8) & 0xffff;
            ts = ((buf.getInt(p + 12) & 0xffffffffL) << 32) | (buf.getInt(p + 16) & 0xffffffffL);
            capLen = buf.getInt(p + 20);
            origLen = buf.getInt(p + 24);
            dataOff = 28;
        } else {
            if (len < 16) {
                return badBlock(offset, "simple packet block too short");
            }
            ifId = 0;
            ts = 0;
            hasTs = false;
            origLen = buf.getInt(p + 8);
            dataOff = 12;
            capLen = Math.min(origLen & 0x7fffffff, len - 16);
            if (!interfaces.isEmpty() && interfaces.get(0).snapLength > 0) {
                capLen = Math.min(capLen, interfaces.get(0).snapLength);
            }
        }
        if (ifId < 0 || ifId >= interfaces.size()) {
            report(null, CAPTURE_BAD_INTERFACE, String.format(
                    "record %d at offset %d refers to interface %d, but the section declares %d", recordIndex,
                    offset, ifId & 0xffffffffL, interfaces.size()));
            return null;
        }
        if (capLen < 0 || dataOff + capLen > len - 4) {
            return badBlock(offset, "captured length " + (capLen & 0xffffffffL) + " does not fit the block");
        }
        Interface itf = interfaces.get(ifId);
        long nanos = hasTs ? itf.toNanos(ts) : lastTimestampNanos;
        byte[] data = new byte[capLen];
        buf.get(p + dataOff, data);
        lastTimestampNanos = nanos;
        RawPacket pkt = new RawPacket(packetIndex++, nanos, itf.linkType, capLen, origLen, data);
        checkLengths(pkt, offset);
        return pkt;
    }

    /** A block whose trailing length differs from its leading one (the draft requires them equal): corrupt. */
    private RawPacket badTrailer(long offset, int type, long trailer, long totalLen) {
        return corrupt(offset, String.format("is a pcapng block of type 0x%x whose trailing length %d differs from"
                + " its length %d", type, trailer, totalLen));
    }

    private RawPacket badBlock(long offset, String what) {
        report(null, TRUNCATED_CAPTURE_RECORD, String.format("record %d at offset %d: %s", recordIndex, offset, what));
        return null;
    }

    // ---------------------------------------------------------------- shared

    private void checkLengths(RawPacket pkt, long offset) {
        if (pkt.capturedLength() > pkt.originalLength()) {
            report(pkt, CAPTURE_LEN_EXCEEDS_WIRE_LEN, String.format(
                    "record %d at offset %d: %d captured bytes but %d on the wire", pkt.index(), offset,
                    pkt.capturedLength(), pkt.originalLength()));
        }
    }

    /**
     * Ends reading at a structurally impossible record: reports {@value #CORRUPT_CAPTURE_RECORD} and remembers it.
     *
     * @param offset the record's byte offset
     * @param what   what is wrong, completing "record N at offset O ..."
     * @return null, for {@code return corrupt(...)}
     */
    private RawPacket corrupt(long offset, String what) {
        corruptOffset = offset;
        corruptRecord = recordIndex;
        corruptDetail = name + ": " + String.format("record %d at offset %d %s: corrupt capture, not read past it",
                recordIndex, offset, what);
        finished = true;
        anomalyCount++;
        listener.anomaly(null, CORRUPT_CAPTURE_RECORD, corruptDetail);
        return null;
    }

    private void truncated(String detail) {
        truncatedAtEnd = true;
        report(null, TRUNCATED_CAPTURE_RECORD, detail + " (input ends early)");
    }

    private void report(RawPacket pkt, String anomaly, String detail) {
        anomalyCount++;
        listener.anomaly(pkt, anomaly, name + ": " + detail);
    }

    /**
     * @return bytes of the capture consumed so far (after decompression for a gzip-compressed file): at the end of
     *         an uncompressed file, its size
     */
    public long position() {
        return offset();
    }

    private long offset() {
        return bufBase + buf.position();
    }

    /**
     * Makes at least {@code need} bytes available from the buffer's position, reading more input as needed.
     *
     * @return false if the input ended first (the buffer then holds all that was left)
     */
    private boolean fill(int need) throws IOException {
        if (buf.remaining() >= need) {
            return true;
        }
        if (need > buf.capacity()) {
            long newBase = bufBase + buf.position();
            ByteBuffer bigger = buf.isDirect() ? ByteBuffer.allocateDirect(need) : ByteBuffer.allocate(need);
            bigger.order(buf.order());
            bigger.put(buf);
            bigger.flip();
            bufBase = newBase;
            buf = bigger;
        }
        bufBase += buf.position();
        buf.compact();
        while (!eof && buf.position() < need) {
            int n = channel.read(buf);
            if (n < 0) {
                eof = true;
            }
        }
        buf.flip();
        return buf.remaining() >= need;
    }

    /** Skips {@code n} bytes; false if the input ended first. */
    private boolean skip(long n) throws IOException {
        while (n > 0) {
            if (buf.remaining() == 0 && !fill(1)) {
                return false;
            }
            int step = (int) Math.min(n, buf.remaining());
            buf.position(buf.position() + step);
            n -= step;
        }
        return true;
    }
}
