package org.workbench.capture;

import java.io.IOException;

/**
 * Where an analysis gets its packets: a capture file ({@link CaptureReader}) or a live interface
 * ({@link LiveCapture}). Read by one thread.
 */
public interface PacketSource {
    /**
     * The next packet.
     *
     * @return the next packet, or {@code null} when the source has ended (end of file, or a live capture stopped)
     * @throws IOException when reading fails
     */
    RawPacket next() throws IOException;

    /** How messages name the source (a file name, or an interface name). */
    String displayName();

    /** The source's link type (tcpdump.org LINKTYPE_ number), or -1 when not known yet. */
    int linkType();

    /** What kind of source it is, e.g. {@code pcap}, {@code pcapng} or {@code live}. */
    String format();

    /** Anomalies of the source itself reported so far (default none). */
    default long anomalyCount() {
        return 0;
    }

    /** Whether the source ended inside a record (default false). */
    default boolean endedWithTruncatedRecord() {
        return false;
    }

    /**
     * When the source ended early at a structurally impossible record (see
     * {@link CaptureReader#CORRUPT_CAPTURE_RECORD}): one line naming the source, the record's index and its byte
     * offset; otherwise (the default) {@code null}.
     */
    default String corruptRecordDetail() {
        return null;
    }
}
