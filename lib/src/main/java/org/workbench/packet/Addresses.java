package org.workbench.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Conversions of the raw 4- and 16-byte addresses in a {@link DecodedPacket}. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * @param addr 4 bytes (IPv4) or 16 bytes (IPv6), network order
     * @return the address as an {@link InetAddress} (no name lookup), or null for null
     * @throws IllegalArgumentException if the array has another length
     */
    public static InetAddress toInet(byte[] addr) {
        if (addr == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + addr.length, e);
        }
    }

    /** The packet's source address, or null when it carries no IP datagram. */
    public static InetAddress source(DecodedPacket p) {
        return toInet(p.srcAddr);
    }

    /** The packet's destination address (the final one for IPv6 with a type 0 routing header), or null. */
    public static InetAddress destination(DecodedPacket p) {
        return toInet(p.dstAddr);
    }

    /**
     * Text form as Zeek writes addresses in logs: dotted quad for IPv4; for IPv6 the RFC 5952 canonical form
     * (lower-case hex, leading zeros dropped, the longest run of two or more zero groups written {@code ::}), with
     * IPv4-mapped addresses as {@code ::ffff:a.b.c.d}.
     *
     * @param addr 4 or 16 bytes
     * @return the text form
     * @throws IllegalArgumentException for other lengths
     */
    public static String format(byte[] addr) {
        // Unlike ZeekTsvFormat/DnsText (Zeek/libc log text): plain RFC 5952, ::ffff:a.b.c.d kept, no ::a.b.c.d form.
        if (addr.length == 4) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        if (addr.length != 16) {
            throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + addr.length);
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= addr[i] == 0;
        }
        mapped &= (addr[10] & 0xff) == 0xff && (addr[11] & 0xff) == 0xff;
        if (mapped) {
            return "::ffff:" + (addr[12] & 0xff) + "." + (addr[13] & 0xff) + "." + (addr[14] & 0xff) + "."
                    + (addr[15] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
