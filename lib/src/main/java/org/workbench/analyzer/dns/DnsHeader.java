package org.workbench.analyzer.dns;

/**
 * The fixed 12-byte header of a DNS message (RFC 1035 section 4.1.1), decoded the way Zeek's {@code dns_msg}
 * record carries it. {@code z} is the 3-bit field that includes the AD and CD bits (RFC 4035).
 */
record DnsHeader(int id, int opcode, int rcode, boolean qr, boolean aa, boolean tc, boolean rd, boolean ra, int z,
                 int qdCount, int anCount, int nsCount, int arCount, boolean netbios) {

    static final int LENGTH = 12;

    static DnsHeader decode(byte[] b, int off, boolean netbios) {
        int flags = u16(b, off + 2);
        return new DnsHeader(u16(b, off), (flags >> 11) & 0xf, flags & 0xf, (flags & 0x8000) != 0,
                (flags & 0x0400) != 0, (flags & 0x0200) != 0, (flags & 0x0100) != 0, (flags & 0x0080) != 0,
                (flags >> 4) & 0x7, u16(b, off + 4), u16(b, off + 6), u16(b, off + 8), u16(b, off + 10), netbios);
    }

    private static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
