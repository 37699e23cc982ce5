package org.workbench.hash;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming Shannon entropy of a byte sequence, in bits per byte: {@code H = -sum(p_i * log2(p_i))} over the 256
 * byte values, with {@code p_i} the share of value {@code i} (C. E. Shannon, "A Mathematical Theory of
 * Communication", 1948). Ranges from 0 (empty input, or one value repeated) to 8 (all 256 values equally often).
 * Feed any amount with {@link #update}; memory is constant. Not thread-safe.
 */
public final class Entropy {
    private final long[] counts = new long[256];
    private long total;

    /**
     * @param buf bytes
     * @param off first index
     * @param len how many
     * @return this
     */
    public Entropy update(byte[] buf, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) {
            counts[buf[i] & 0xff]++;
        }
        total += len;
        return this;
    }

    /** @return bytes counted so far */
    public long size() {
        return total;
    }

    /** @return the entropy of the bytes so far, bits per byte in [0, 8]; 0 for no bytes */
    public double bitsPerByte() {
        if (total == 0) {
            return 0.0;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return Math.max(0.0, Math.min(8.0, h));
    }

    /**
     * @param data bytes
     * @return their entropy, bits per byte
     */
    public static double of(byte[] data) {
        return new Entropy().update(data, 0, data.length).bitsPerByte();
    }

    /**
     * Reads a stream to its end (not closed).
     *
     * @param in bytes
     * @return their entropy, bits per byte
     * @throws IOException when reading fails
     */
    public static double of(InputStream in) throws IOException {
        Entropy e = new Entropy();
        byte[] buf = new byte[64 * 1024];
        for (int r; (r = in.read(buf)) > 0; ) {
            e.update(buf, 0, r);
        }
        return e.bitsPerByte();
    }
}
