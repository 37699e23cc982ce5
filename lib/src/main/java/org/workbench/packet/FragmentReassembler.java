package org.workbench.packet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles fragmented IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) datagrams with bounded memory.
 *
 * <p>Datagrams are keyed by source, destination and identification (and IP version). Data already received
 * wins over later data for the same bytes; overlaps are reported as {@code fragment_overlap} (same bytes) or
 * {@code fragment_inconsistency} (different bytes), and the other irregularities with Zeek's fragment weird names:
 * {@code fragment_protocol_inconsistency}, {@code fragment_with_DF}, {@code fragment_size_inconsistency},
 * {@code excessively_small_fragment} (a non-final fragment whose IP datagram is under 64 bytes) and
 * {@code excessively_large_fragment} (data reaching beyond offset 64000).
 *
 * <p>Limits: a datagram whose first fragment arrived more than {@code timeoutSeconds} (packet time) ago is
 * dropped; at most {@code maxDatagrams} datagrams and {@code maxBufferedBytes} bytes of fragment data are held;
 * beyond that the oldest datagram is dropped. Nothing is reported for dropped datagrams.
 */
final class FragmentReassembler {
    static final int MIN_ACCEPTABLE_FRAG_SIZE = 64;
    static final int MAX_ACCEPTABLE_FRAG_SIZE = 64000;

    /** Receives fragment weirds; {@code header} is the stored first-seen IP header (for the addresses). */
    interface Weirds {
        void weird(String name, Datagram datagram);
    }

    /** Key of one datagram under reassembly. */
    private record Key(int version, long addrHash, String addrs, long id) {
    }

    /** One fragmented datagram being collected. */
    static final class Datagram {
        final int version;
        final byte[] src, dst;
        /** IPv4: the first-received fragment's header. IPv6: the unfragmentable part, next-header patched. */
        byte[] header;
        /** IPv6: offset in {@link #header} of the next-header byte that named the fragment header. */
        int nextFieldPos;
        int proto;
        final double firstSeen;
        long fragSize; // 0 = unknown
        final List<int[]> ranges = new ArrayList<>(); // {start, end}, arrival order
        final List<byte[]> blocks = new ArrayList<>();
        int bytes;

        Datagram(int version, byte[] src, byte[] dst, double firstSeen) {
            this.version = version;
            this.src = src;
            this.dst = dst;
            this.firstSeen = firstSeen;
        }
    }

    private final Map<Key, Datagram> pending = new LinkedHashMap<>();
    private final double timeoutSeconds;
    private final int maxDatagrams;
    private final long maxBufferedBytes;
    private long bufferedBytes;

    FragmentReassembler(double timeoutSeconds, int maxDatagrams, long maxBufferedBytes) {
        this.timeoutSeconds = timeoutSeconds;
        this.maxDatagrams = maxDatagrams;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    int pendingDatagrams() {
        return pending.size();
    }

    long bufferedBytes() {
        return bufferedBytes;
    }

    /** Drops datagrams older than the timeout relative to {@code now} (seconds). */
    void expire(double now) {
        Iterator<Datagram> it = pending.values().iterator();
        while (it.hasNext()) {
            Datagram d = it.next();
            if (now - d.firstSeen <= timeoutSeconds) {
                break; // insertion order = first-seen order (timestamps normally non-decreasing)
            }
            bufferedBytes -= d.bytes;
            it.remove();
        }
    }

    /**
     * Adds one fragment.
     *
     * @param ts            packet time, seconds
     * @param version       4 or 6
     * @param src           source address
     * @param dst           destination address
     * @param id            identification (IPv4 16-bit, IPv6 32-bit)
     * @param header        IPv4: the fragment's IP header; IPv6: the unfragmentable headers (without the
     *                      fragment header)
     * @param nextFieldPos  IPv6 only: offset in {@code header} of the next-header byte pointing to the fragment
     *                      header
     * @param proto         protocol carried (IPv4 protocol field; IPv6 the fragment header's next header)
     * @param ipTotalLength the fragment's IP total length, bytes
     * @param df            IPv4 DF bit
     * @param offset        fragment offset, bytes
     * @param more          MF bit
     * @param data          buffer holding the fragment data
     * @param dataOff       where the data starts
     * @param dataLen       fragment data length, bytes
     * @return the whole datagram (header + payload, lengths patched, fragment fields cleared) once complete,
     *         else null
     */
    byte[] add(double ts, int version, byte[] src, byte[] dst, long id, byte[] header, int nextFieldPos, int proto,
               int ipTotalLength, boolean df, int offset, boolean more, byte[] data, int dataOff, int dataLen,
               Weirds weirds) {
        expire(ts);
        Key key = new Key(version, Arrays.hashCode(src) * 31L + Arrays.hashCode(dst),
                Arrays.toString(src) + Arrays.toString(dst), id);
        Datagram dg = pending.get(key);
        if (dg == null) {
            dg = new Datagram(version, src, dst, ts);
            dg.header = header;
            dg.nextFieldPos = nextFieldPos;
            dg.proto = proto;
            pending.put(key, dg);
        } else if (version == 4) {
            if (proto != dg.proto || header.length != dg.header.length) {
                weirds.weird("fragment_protocol_inconsistency", dg);
            }
        } else if (proto != dg.proto || header.length != dg.header.length) {
            weirds.weird("fragment_protocol_inconsistency", dg);
        }
        if (df) {
            weirds.weird("fragment_with_DF", dg);
        }
        long upper = (long) offset + dataLen;
        if (offset == 0) {
            dg.proto = proto;
            if (version == 6) {
                dg.header = header;
                dg.nextFieldPos = nextFieldPos;
            }
        }
        if (!more) {
            if (dg.fragSize == 0) {
                dg.fragSize = upper;
            } else if (upper != dg.fragSize) {
                weirds.weird("fragment_size_inconsistency", dg);
                if (upper > dg.fragSize) {
                    dg.fragSize = upper;
                }
            }
        } else if (ipTotalLength < MIN_ACCEPTABLE_FRAG_SIZE) {
            weirds.weird("excessively_small_fragment", dg);
        }
        if (upper > MAX_ACCEPTABLE_FRAG_SIZE) {
            weirds.weird("excessively_large_fragment", dg);
        }
        if (dg.fragSize != 0 && upper > dg.fragSize) {
            weirds.weird("fragment_size_inconsistency", dg);
            dg.fragSize = upper;
        }
        if (upper > 65535 + 65535L) {
            return null; // impossible offset: ignore the data
        }
        // overlaps with data already held
        for (int i = 0; i < dg.ranges.size(); i++) {
            int[] r = dg.ranges.get(i);
            int s = Math.max(r[0], offset);
            int e = (int) Math.min(r[1], upper);
            if (s < e) {
                byte[] old = dg.blocks.get(i);
                boolean same = Arrays.equals(old, s - r[0], e - r[0], data, dataOff + (s - offset),
                        dataOff + (e - offset));
                weirds.weird(same ? "fragment_overlap" : "fragment_inconsistency", dg);
            }
        }
        dg.ranges.add(new int[]{offset, (int) upper});
        dg.blocks.add(Arrays.copyOfRange(data, dataOff, dataOff + dataLen));
        dg.bytes += dataLen;
        bufferedBytes += dataLen;

        byte[] whole = tryAssemble(dg, weirds);
        if (whole != null) {
            pending.remove(key);
            bufferedBytes -= dg.bytes;
        } else {
            enforceLimits();
        }
        return whole;
    }

    private void enforceLimits() {
        Iterator<Datagram> it = pending.values().iterator();
        while ((pending.size() > maxDatagrams || bufferedBytes > maxBufferedBytes) && it.hasNext()) {
            Datagram d = it.next();
            bufferedBytes -= d.bytes;
            it.remove();
        }
    }

    private static byte[] tryAssemble(Datagram dg, Weirds weirds) {
        if (dg.fragSize == 0) {
            return null;
        }
        int[][] sorted = dg.ranges.toArray(new int[0][]);
        Arrays.sort(sorted, (a, b) -> Integer.compare(a[0], b[0]));
        if (sorted[0][0] > 0) {
            return null;
        }
        long reach = 0;
        boolean hole = false;
        long maxUpper = 0;
        for (int[] r : sorted) {
            if (r[0] > reach) {
                hole = true;
            } else if (!hole) {
                reach = Math.max(reach, r[1]);
            }
            maxUpper = Math.max(maxUpper, r[1]);
        }
        if (reach < dg.fragSize) {
            return null;
        }
        if (hole) {
            // contiguous up to the expected end, but more data lies beyond a gap
            weirds.weird("fragment_size_inconsistency", dg);
            dg.fragSize = reach;
        } else if (maxUpper > dg.fragSize) {
            weirds.weird("fragment_size_inconsistency", dg);
            dg.fragSize = maxUpper;
        }
        int hdr = dg.header.length;
        long n = hdr + dg.fragSize;
        if (n > 65535 + 40 + hdr) {
            return null;
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(dg.header, 0, out, 0, hdr);
        // Copy newest first so that the earliest-received bytes end up on top.
        for (int i = dg.ranges.size() - 1; i >= 0; i--) {
            int[] r = dg.ranges.get(i);
            if (r[0] >= dg.fragSize) {
                continue;
            }
            int len = (int) Math.min(r[1], dg.fragSize) - r[0];
            System.arraycopy(dg.blocks.get(i), 0, out, hdr + r[0], len);
        }
        if (dg.version == 4) {
            int total = (int) Math.min(n, 65535);
            out[2] = (byte) (total >>> 8);
            out[3] = (byte) total;
            out[6] &= 0x40; // keep DF, clear MF and the offset
            out[7] = 0;
            out[9] = (byte) dg.proto;
            out[10] = 0;
            out[11] = 0;
            int sum = Checksums.finish(Checksums.add(0, out, 0, hdr));
            out[10] = (byte) (sum >>> 8);
            out[11] = (byte) sum;
        } else {
            int plen = (int) Math.min(n - 40, 65535);
            out[4] = (byte) (plen >>> 8);
            out[5] = (byte) plen;
            out[dg.nextFieldPos] = (byte) dg.proto;
        }
        return out;
    }
}
