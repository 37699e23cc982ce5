package org.workbench.analyzer.dns;

/** Text forms Zeek uses when it renders DNS record data. */
final class DnsText {
    private DnsText() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Lower-case hex of {@code n} bytes, two digits each (Zeek's {@code bytestring_to_hexstr}). */
    static String hex(byte[] b, int off, int n) {
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            sb.append(HEX[(b[off + i] >> 4) & 0xf]).append(HEX[b[off + i] & 0xf]);
        }
        return sb.toString();
    }

    /**
     * A 16-byte address as Zeek prints it: IPv4-mapped addresses ({@code ::ffff:a.b.c.d}) in dotted IPv4 form,
     * others as the C library's {@code inet_ntop} does (RFC 5952 style: lower-case hex, the first longest run of
     * two or more zero groups as {@code ::}, and {@code ::a.b.c.d} for IPv4-compatible addresses).
     */
    static String ipv6(byte[] a) {
        // C library inet_ntop: unlike ZeekTsvFormat.formatAddress it writes IPv4-translated (::ffff:0:a.b.c.d) in hex.
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= a[i] == 0;
        }
        if (mapped && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return dotted(a, 12);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (w[i] == 0) {
                if (curBase < 0) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase >= 0) {
                if (bestBase < 0 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase >= 0 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(dotted(a, 12));
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }

    private static String dotted(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }
}
