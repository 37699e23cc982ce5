package org.workbench.flow;

/** A protocol analyzer for a UDP "connection": receives each datagram's payload. */
public interface DatagramAnalyzer {
    /** One datagram's payload; bytes are only valid during the call. */
    void datagram(boolean isOrig, double ts, byte[] data, int offset, int length);

    /** The connection is finished or timed out: flush pending state and emit what is left. */
    void connectionDone(double ts);
}
