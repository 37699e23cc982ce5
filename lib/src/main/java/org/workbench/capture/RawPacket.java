package org.workbench.capture;

/**
 * One packet record as read from a capture file, before any decoding.
 *
 * @param index          0-based position of the record in the capture
 * @param timestampNanos capture time in nanoseconds since the Unix epoch (UTC)
 * @param linkType       the link-layer header type of the interface that captured it, as numbered by
 *                       the tcpdump.org LINKTYPE_ registry (1 = Ethernet, 101 = raw IP, 113 = Linux cooked)
 * @param capturedLength bytes of the packet present in {@code data} (the pcap "incl_len")
 * @param originalLength bytes the packet had on the wire (the pcap "orig_len"); at least {@code capturedLength}
 *                       for well-formed records
 * @param data           the captured bytes; its length equals {@code capturedLength}
 */
public record RawPacket(long index, long timestampNanos, int linkType, int capturedLength, int originalLength,
                        byte[] data) {

    /** Capture time as Zeek represents it: seconds since the epoch as a double, microsecond resolution. */
    public double timestampSeconds() {
        long micros = Math.floorDiv(timestampNanos, 1000L);
        return Math.floorDiv(micros, 1_000_000L) + Math.floorMod(micros, 1_000_000L) / 1e6;
    }
}
