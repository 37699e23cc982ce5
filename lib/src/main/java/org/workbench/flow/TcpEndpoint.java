package org.workbench.flow;

/**
 * One side of a TCP connection: its state in Zeek's endpoint state machine and its sequence space (Zeek
 * source, {@code TCP_Endpoint}). Sequence numbers are kept as unsigned 32-bit values in {@code int}s plus
 * wrap counters; {@link #startSeq} is the unsigned initial sequence number in a {@code long}.
 */
final class TcpEndpoint {
    /** Zeek's {@code EndpointState}, in the order of the script-level TCP_* constants. */
    enum State { INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET }

    final Connection conn;
    boolean isOrig;
    TcpEndpoint peer;
    State state = State.INACTIVE, prevState = State.INACTIVE;
    long startSeq;
    int lastSeq, ackSeq;
    int seqWraps, ackWraps;
    int window, windowScale, windowSeq, windowAckSeq;
    int finCount, rstCount;
    long finSeq;
    boolean didClose;
    double startTime, lastTime;
    long histLastSyn, histLastFin, histLastRst;
    int gapCnt, chkCnt, rxmtCnt, win0Cnt;
    int gapThresh = 1, chkThresh = 1, rxmtThresh = 1, win0Thresh = 1;
    TcpReassembler reassembler;

    TcpEndpoint(Connection conn, boolean isOrig) {
        this.conn = conn;
        this.isOrig = isOrig;
    }

    Connection conn() {
        return conn;
    }

    static long full(int seq, int wraps) {
        return ((long) wraps << 32) + (seq & 0xFFFFFFFFL);
    }

    long toRelative(int seq, int wraps) {
        return full(seq, wraps) - startSeq;
    }

    int startSeq32() {
        return (int) startSeq;
    }

    void initStartSeq(int seq) {
        startSeq = seq & 0xFFFFFFFFL;
    }

    void updateLastSeq(int seq) {
        if (Integer.compareUnsigned(seq, lastSeq) < 0) {
            seqWraps++;
        }
        lastSeq = seq;
    }

    void updateAckSeq(int seq) {
        if (Integer.compareUnsigned(seq, ackSeq) < 0) {
            ackWraps++;
        }
        ackSeq = seq;
    }

    boolean noDataAcked() {
        long ack = full(ackSeq, ackWraps);
        return ack == startSeq || ack == startSeq + 1;
    }

    boolean isActive() {
        return state != State.INACTIVE && !didClose;
    }

    boolean hasDoneSomething() {
        return lastTime != 0.0;
    }

    void setState(State s) {
        if (s != state) {
            if (!isHandshake(s) && isHandshake(state) && isHandshake(peer.state)) {
                conn.tracker.setInactivityTimeout(conn, conn.tracker.options().tcpInactivityTimeout());
            }
            prevState = state;
            state = s;
        }
    }

    private static boolean isHandshake(State s) {
        return s == State.INACTIVE || s == State.SYN_SENT || s == State.SYN_ACK_SENT;
    }

    /** Payload bytes sent, from sequence numbers (Zeek's {@code TCP_Endpoint::Size}). */
    long size() {
        if (prevState == State.SYN_SENT && state == State.RESET && peer.state == State.INACTIVE && !noDataAcked()) {
            return 0;
        }
        long last = full(lastSeq, seqWraps);
        long ack = full(ackSeq, ackWraps);
        long size = (last > ack ? last : ack) - startSeq;
        if (size != 0) {
            size--;
        }
        if (finCount > 0 && size != 0) {
            size--;
        }
        return size;
    }
}
