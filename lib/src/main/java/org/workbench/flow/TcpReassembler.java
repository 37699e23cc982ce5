package org.workbench.flow;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles one direction of a TCP connection into an in-order byte stream, following the rules of Zeek's
 * TCP reassembler (Zeek source, {@code TCP_Reassembler} and {@code Reassembler}):
 * <ul>
 *   <li>sequence numbers are relative: the first payload byte after the SYN is 1 (for connections seen
 *       without a SYN, numbering starts as if a SYN had come just before the first packet);</li>
 *   <li>bytes are handed over once, in order; a retransmission or overlap never replaces bytes already
 *       received (the first copy wins), and bytes below what was already delivered are dropped;</li>
 *   <li>out-of-order segments wait in a bounded buffer until the hole before them fills;</li>
 *   <li>a hole is given up on (reported as a gap) when the peer acknowledges data beyond it, which is how
 *       Zeek detects content gaps and counts {@code missed_bytes};</li>
 *   <li>when nothing was ever acknowledged and more than {@link TrackerOptions#tcpMaxAboveHoleWithoutAnyAcks()}
 *       bytes wait above a hole, or more than {@link TrackerOptions#maxBufferedOutOfOrderBytes()} bytes wait
 *       at all, the direction stops being reassembled (weirds {@code above_hole_data_without_any_acks} /
 *       {@code excessive_data_without_further_acks}).</li>
 * </ul>
 * Instances belong to a {@link ConnectionTracker}; the public methods only inspect them.
 */
public final class TcpReassembler {
    /** What the reassembler reports to its connection. */
    interface Sink {
        void deliver(TcpReassembler r, long seq, byte[] data, int offset, int length);

        void gap(TcpReassembler r, long seq, long length);

        void weird(String name);
    }

    final TcpEndpoint endp;
    private final Sink sink;
    private final TrackerOptions options;
    /** Waiting (not yet delivered) blocks by relative start sequence; never overlapping. */
    private final TreeMap<Long, byte[]> blocks = new TreeMap<>();
    private long bufferedBytes;
    private long lastReassemSeq = 1;
    private long trimSeq = 1;
    /** Upper end of delivered data that the peer has not yet acknowledged (Zeek keeps such blocks). */
    private long deliveredUpper = 0;
    private boolean skipDeliveries;
    private boolean didEof;
    private boolean hadGap;
    private long inconsistentOverlaps;

    TcpReassembler(TcpEndpoint endp, Sink sink, TrackerOptions options) {
        this.endp = endp;
        this.sink = sink;
        this.options = options;
    }

    /** Relative sequence number of the next byte to deliver (all before it were delivered or reported as gaps). */
    public long deliveredUpTo() {
        return lastReassemSeq;
    }

    /** Bytes waiting above a hole. */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Whether a gap was reported in this direction. */
    public boolean hadGap() {
        return hadGap;
    }

    /** Times a retransmission disagreed with bytes still waiting in the buffer (the first copy was kept). */
    public long inconsistentOverlaps() {
        return inconsistentOverlaps;
    }

    boolean skipping() {
        return skipDeliveries;
    }

    boolean didEof() {
        return didEof;
    }

    boolean hasBlocks() {
        return !blocks.isEmpty() || deliveredUpper > trimSeq;
    }

    /** Data sent by this direction at relative sequence {@code seq}. */
    void dataSent(long seq, byte[] data, int offset, int len) {
        if (skipDeliveries || len <= 0) {
            return;
        }
        long ack = endp.toRelative(endp.ackSeq, endp.ackWraps);
        long upper = seq + len;
        if (seq < ack) {
            if (upper <= ack) {
                return; // already delivered and acknowledged
            }
            int cut = (int) (ack - seq);
            seq += cut;
            offset += cut;
            len -= cut;
        }
        newBlock(seq, data, offset, len);

        if (endp.noDataAcked() && options.tcpMaxAboveHoleWithoutAnyAcks() > 0
                && numUndeliveredBytes() > options.tcpMaxAboveHoleWithoutAnyAcks()) {
            sink.weird("above_hole_data_without_any_acks");
            clear();
            skipDeliveries = true;
        }
        if (options.tcpExcessiveDataWithoutFurtherAcks() > 0
                && bufferedBytes > options.tcpExcessiveDataWithoutFurtherAcks()) {
            sink.weird("excessive_data_without_further_acks");
            clear();
            skipDeliveries = true;
        }
    }

    private long numUndeliveredBytes() {
        if (blocks.isEmpty()) {
            return 0;
        }
        Map.Entry<Long, byte[]> last = blocks.lastEntry();
        return last.getKey() + last.getValue().length - lastReassemSeq;
    }

    private void clear() {
        blocks.clear();
        bufferedBytes = 0;
        deliveredUpper = 0;
    }

    private void newBlock(long seq, byte[] data, int offset, int len) {
        long upper = seq + len;
        if (upper <= trimSeq) {
            return;
        }
        long floor = Math.max(trimSeq, lastReassemSeq);
        if (upper <= floor) {
            return;
        }
        if (seq < floor) {
            int cut = (int) (floor - seq);
            seq += cut;
            offset += cut;
            len -= cut;
        }
        insert(seq, data, offset, len);
        deliverReady();
    }

    /** Inserts the parts of [seq, seq+len) not already buffered; existing bytes win. */
    private void insert(long seq, byte[] data, int offset, int len) {
        long upper = seq + len;
        long cur = seq;
        Map.Entry<Long, byte[]> prev = blocks.floorEntry(cur);
        if (prev != null) {
            long pUpper = prev.getKey() + prev.getValue().length;
            if (pUpper > cur) {
                long ovEnd = Math.min(pUpper, upper);
                compare(prev.getKey(), prev.getValue(), cur, data, offset + (int) (cur - seq), (int) (ovEnd - cur));
                cur = ovEnd;
            }
        }
        while (cur < upper) {
            Map.Entry<Long, byte[]> next = blocks.ceilingEntry(cur);
            long end = next == null ? upper : Math.min(upper, next.getKey());
            if (end > cur) {
                byte[] piece = new byte[(int) (end - cur)];
                System.arraycopy(data, offset + (int) (cur - seq), piece, 0, piece.length);
                blocks.put(cur, piece);
                bufferedBytes += piece.length;
                cur = end;
            }
            if (next != null && cur < upper && next.getKey() == cur) {
                long nUpper = next.getKey() + next.getValue().length;
                long ovEnd = Math.min(nUpper, upper);
                compare(next.getKey(), next.getValue(), cur, data, offset + (int) (cur - seq), (int) (ovEnd - cur));
                cur = ovEnd;
            }
        }
    }

    private void compare(long bSeq, byte[] b, long at, byte[] data, int off, int n) {
        int bo = (int) (at - bSeq);
        for (int i = 0; i < n; i++) {
            if (b[bo + i] != data[off + i]) {
                inconsistentOverlaps++;
                return;
            }
        }
    }

    private void deliverReady() {
        while (!blocks.isEmpty() && blocks.firstKey() == lastReassemSeq) {
            Map.Entry<Long, byte[]> e = blocks.pollFirstEntry();
            byte[] b = e.getValue();
            bufferedBytes -= b.length;
            long seq = lastReassemSeq;
            lastReassemSeq += b.length;
            deliveredUpper = Math.max(deliveredUpper, lastReassemSeq);
            if (!skipDeliveries) {
                sink.deliver(this, seq, b, 0, b.length);
            }
        }
        // Zeek stops holding delivered data for acknowledgement tracking when nothing was acked yet and the
        // initial window is exceeded.
        if (endp.noDataAcked() && options.tcpMaxInitialWindow() > 0 && endp.size() > options.tcpMaxInitialWindow()) {
            trimToSeq(lastReassemSeq);
        }
    }

    /** The peer acknowledged relative sequence {@code seq} of this direction. */
    void ackReceived(long seq) {
        if (endp.finCount > 0 && seq >= endp.finSeq) {
            seq = endp.finSeq - 1;
        }
        if (seq <= trimSeq) {
            return;
        }
        trimToSeq(seq);
        checkEof();
    }

    private void trimToSeq(long seq) {
        if (seq > lastReassemSeq) {
            undelivered(seq);
        }
        // drop delivered extents below seq
        if (deliveredUpper <= seq) {
            deliveredUpper = 0;
        }
        trimSeq = seq;
        if (!blocks.isEmpty() && blocks.firstKey() == lastReassemSeq) {
            deliverReady();
        }
    }

    private void undelivered(long upTo) {
        if (upTo <= 2 && endp.conn().tcp.isPartial) {
            // A partial connection's faked initial sequence: the first ack complains about the SYN octet or
            // a keep-alive byte. Zeek ignores it.
            return;
        }
        if (!skipDeliveries) {
            while (!blocks.isEmpty() && blocks.firstKey() < upTo) {
                long first = blocks.firstKey();
                long gapLen = first - lastReassemSeq;
                if (gapLen > 0) {
                    gap(lastReassemSeq, gapLen);
                    lastReassemSeq += gapLen;
                }
                deliverReady();
            }
            if (upTo > lastReassemSeq) {
                gap(lastReassemSeq, upTo - lastReassemSeq);
            }
        }
        if (upTo > lastReassemSeq) {
            lastReassemSeq = upTo;
        }
    }

    private void gap(long seq, long len) {
        hadGap = true;
        sink.gap(this, seq, len);
    }

    /** Signals end of data for this direction once a FIN/RST was seen and everything was delivered. */
    void checkEof() {
        if (!didEof && (endp.finCount > 0 || endp.state == TcpEndpoint.State.CLOSED
                || endp.state == TcpEndpoint.State.RESET) && !dataPending()) {
            didEof = true;
            endp.conn().tracker.endpointEof(endp.conn(), this);
        }
    }

    /** Zeek's {@code TCP_Reassembler::DataPending}. */
    boolean dataPending() {
        if (skipDeliveries) {
            return false;
        }
        long delivered = endp.startSeq + lastReassemSeq;
        long last = TcpEndpoint.full(endp.lastSeq, endp.seqWraps);
        if (last < delivered) {
            return false;
        }
        if (delivered != last - 1 && delivered != last) {
            return true;
        }
        return endp.state != TcpEndpoint.State.RESET && endp.peer.reassembler.hasBlocks();
    }
}
