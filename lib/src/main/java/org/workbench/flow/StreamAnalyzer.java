package org.workbench.flow;

/**
 * A protocol analyzer for a TCP connection: receives each direction's reassembled byte stream in order.
 * Bytes handed over are only valid during the call.
 */
public interface StreamAnalyzer {
    /** In-order bytes of one direction ({@code isOrig} true for originator to responder). */
    void deliver(boolean isOrig, double ts, byte[] data, int offset, int length);

    /** {@code length} bytes of one direction were never captured (a hole in the stream). */
    void gap(boolean isOrig, double ts, long length);

    /** One direction ended (FIN, or RST); no more bytes follow in that direction. */
    void endOfData(boolean isOrig, double ts);

    /** The connection is finished or timed out: flush pending state and emit what is left. */
    void connectionDone(double ts);
}
