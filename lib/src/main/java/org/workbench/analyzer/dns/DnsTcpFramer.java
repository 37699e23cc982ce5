package org.workbench.analyzer.dns;

/**
 * Splits one direction of a DNS-over-TCP stream into messages: each is preceded by a two-byte big-endian length
 * (RFC 1035 section 4.2.2, RFC 7766). Lengths and messages may be split across deliveries and several may share
 * one. The buffer holds at most one message (65535 bytes).
 *
 * <p>A gap inside a message loses that message and parsing resumes at the next length prefix; a gap anywhere
 * else (where a length prefix was due) loses the framing, and the rest of the direction is ignored.
 */
final class DnsTcpFramer {

    /** Receives each complete (or flushed partial) message; the array is reused after the call. */
    interface Handler {
        void message(byte[] buf, int len, boolean partial);
    }

    private enum State { LEN_HI, LEN_LO, BODY, LOST }

    private final Handler handler;
    private State state = State.LEN_HI;
    private byte[] buf = new byte[512];
    private int size;
    private int have;
    private boolean damaged;

    DnsTcpFramer(Handler handler) {
        this.handler = handler;
    }

    void deliver(byte[] data, int off, int len) {
        int end = off + len;
        while (off < end && state != State.LOST) {
            switch (state) {
                case LEN_HI:
                    size = (data[off++] & 0xff) << 8;
                    state = State.LEN_LO;
                    break;
                case LEN_LO:
                    size |= data[off++] & 0xff;
                    have = 0;
                    damaged = false;
                    if (buf.length < size) {
                        buf = new byte[size];
                    }
                    state = State.BODY;
                    if (size == 0) {
                        complete();
                    }
                    break;
                case BODY:
                    int n = Math.min(size - have, end - off);
                    System.arraycopy(data, off, buf, have, n);
                    have += n;
                    off += n;
                    if (have == size) {
                        complete();
                    }
                    break;
                default:
                    return;
            }
        }
    }

    private void complete() {
        state = State.LEN_HI;
        if (!damaged) {
            handler.message(buf, size, false);
        }
        have = 0;
    }

    /** {@code length} bytes of this direction were not captured. */
    void gap(long length) {
        if (length <= 0 || state == State.LOST) {
            return;
        }
        if (state == State.BODY && length < size - have) {
            have += (int) length;
            damaged = true;
        } else if (state == State.BODY && length == size - have) {
            have = 0;
            state = State.LEN_HI; // the message is lost, but the next length prefix is where we expect it
        } else {
            state = State.LOST;
        }
    }

    /** The direction ended: an incomplete message is handed over as it is (Zeek parses it too). */
    void flush() {
        if (state == State.BODY && have > 0 && !damaged) {
            handler.message(buf, have, true);
        }
        if (state != State.LOST) {
            state = State.LEN_HI;
        }
        have = 0;
    }

    /** Bytes currently buffered. */
    int buffered() {
        return have;
    }
}
