package org.workbench.pe;

/**
 * The PE image checksum, as {@code CheckSumMappedFile} (imagehlp.dll) computes it and the Microsoft PE/COFF
 * specification (section "Optional Header Windows-Specific Fields", {@code CheckSum}) refers to: the file is read
 * as little-endian 16-bit words (an odd final byte padded with zero), the 4 bytes of the {@code CheckSum} field
 * itself are skipped, the words are summed with the carry folded back into the low 16 bits after each addition,
 * and the file length in bytes is added to the folded 16-bit sum.
 */
public final class PeChecksum {
    private PeChecksum() {
    }

    /**
     * @param data           the whole file
     * @param checksumOffset file offset of the optional header's {@code CheckSum} field (optional header start +
     *                       64, for PE32 and PE32+ alike); bytes there are treated as zero
     * @return the checksum, an unsigned 32-bit value
     */
    public static long compute(byte[] data, int checksumOffset) {
        long sum = 0;
        int n = data.length;
        for (int i = 0; i < n; i += 2) {
            if (i >= checksumOffset && i < checksumOffset + 4) {
                continue;
            }
            int lo = data[i] & 0xff;
            int hi = i + 1 < n ? data[i + 1] & 0xff : 0;
            sum += lo | (hi << 8);
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum + n) & 0xffffffffL;
    }
}
