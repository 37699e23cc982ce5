package org.workbench.kernel;

/**
 * A canonical hex dump of the first bytes of a sample, in the layout of {@code hexdump -C}: an
 * 8-digit hexadecimal offset, 16 bytes in hexadecimal (a gap after the eighth), then the same bytes
 * as printable ASCII between bars ({@code .} for other bytes).
 */
public final class HexDump {
    /** Bytes per line. */
    public static final int WIDTH = 16;

    private HexDump() {
    }

    /**
     * Dumps the first bytes of an array.
     *
     * @param bytes the data, not null
     * @param limit most bytes dumped (&gt;= 0)
     * @return the dump, one line per 16 bytes, followed by a line giving the total size in bytes
     *         and how many were shown
     * @throws IllegalArgumentException when limit is negative
     */
    public static String dump(byte[] bytes, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("hex dump limit must be >= 0, got " + limit);
        }
        int n = Math.min(bytes.length, limit);
        StringBuilder b = new StringBuilder((n / WIDTH + 2) * 80);
        for (int off = 0; off < n; off += WIDTH) {
            b.append(String.format("%08x ", off));
            for (int i = 0; i < WIDTH; i++) {
                if (i == 8) {
                    b.append(' ');
                }
                if (off + i < n) {
                    b.append(' ').append(Character.forDigit((bytes[off + i] >> 4) & 0xf, 16))
                            .append(Character.forDigit(bytes[off + i] & 0xf, 16));
                } else {
                    b.append("   ");
                }
            }
            b.append("  |");
            for (int i = off; i < Math.min(off + WIDTH, n); i++) {
                int c = bytes[i] & 0xff;
                b.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            b.append("|\n");
        }
        b.append(bytes.length).append(bytes.length == 1 ? " byte" : " bytes");
        if (n < bytes.length) {
            b.append(", first ").append(n).append(" shown");
        }
        return b.toString();
    }

    /**
     * The bundle of a byte array: the dump as text and as a {@code <pre class="workbench-hexdump">}.
     *
     * @param bytes the data
     * @param limit most bytes dumped
     * @return the bundle
     */
    public static MimeBundle bundle(byte[] bytes, int limit) {
        String d = dump(bytes, limit);
        return MimeBundle.html("<pre class=\"workbench-hexdump\">" + Renderers.escape(d) + "</pre>", d);
    }

    /**
     * @param bytes data
     * @param from first index
     * @param to index after the last
     * @return the bytes as lowercase hexadecimal, two digits each, no separators
     */
    public static String hex(byte[] bytes, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 2);
        for (int i = from; i < to; i++) {
            b.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        }
        return b.toString();
    }
}
