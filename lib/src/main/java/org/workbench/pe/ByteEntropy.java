package org.workbench.pe;

/** Shannon entropy of a byte range, in bits per byte (0 for an empty range, at most 8). */
public final class ByteEntropy {
    private ByteEntropy() {
    }

    /**
     * @param data bytes
     * @param from first index (clamped to the array)
     * @param to   end index, exclusive (clamped to the array)
     * @return entropy in bits per byte, 0.0 .. 8.0
     */
    public static double of(byte[] data, long from, long to) {
        int a = (int) Math.max(0, Math.min(from, data.length));
        int b = (int) Math.max(a, Math.min(to, data.length));
        int len = b - a;
        if (len == 0) {
            return 0.0;
        }
        long[] counts = new long[256];
        for (int i = a; i < b; i++) {
            counts[data[i] & 0xff]++;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / len;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }
}
