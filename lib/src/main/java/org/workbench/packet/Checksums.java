package org.workbench.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of 16-bit words,
 * used by IPv4 headers (RFC 791), TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792) and ICMPv6 (RFC 4443, with the
 * RFC 8200 section 8.1 pseudo-header).
 */
public final class Checksums {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);

    private Checksums() {
    }

    /**
     * Adds bytes to a running sum (big-endian 16-bit words; an odd last byte is padded with zero).
     *
     * @param sum running sum (start with 0)
     * @param d   bytes
     * @param off first byte
     * @param len byte count
     * @return the new running sum (not folded; stays exact for inputs up to 2^31 bytes)
     */
    public static long add(long sum, byte[] d, int off, int len) {
        int end = off + len;
        int i = off;
        // 8 bytes at a time: two 32-bit big-endian words; 2^16 = 1 (mod 0xffff), so folding later is exact
        for (; i + 7 < end; i += 8) {
            long v = (long) LONG_BE.get(d, i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
        for (; i + 1 < end; i += 2) {
            sum += ((d[i] & 0xff) << 8) | (d[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (d[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it: the value to store in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * Sum of the TCP/UDP/ICMPv6 pseudo-header (RFC 9293 section 3.1, RFC 768, RFC 8200 section 8.1).
     *
     * @param src    4- or 16-byte source address
     * @param dst    destination address of the same family
     * @param proto  upper-layer protocol number
     * @param length upper-layer length, bytes
     * @return a running sum to continue with {@link #add}
     */
    public static long pseudoHeader(byte[] src, byte[] dst, int proto, int length) {
        long sum = add(0, src, 0, src.length);
        sum = add(sum, dst, 0, dst.length);
        if (src.length == 4) {
            sum += proto + (length & 0xffff);
        } else {
            sum += (length >>> 16) + (length & 0xffff) + proto;
        }
        return sum;
    }
}
