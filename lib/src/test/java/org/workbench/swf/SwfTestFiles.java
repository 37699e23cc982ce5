package org.workbench.swf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorOutputStream;

/** Builds small SWF files for the tests, after the Adobe SWF File Format Specification v19. */
public final class SwfTestFiles {
    private SwfTestFiles() {
    }

    /** A tag: code and body. */
    public static byte[] tag(int code, byte[] body, boolean longHeader) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (!longHeader && body.length < 0x3f) {
            le16(o, code << 6 | body.length);
        } else {
            le16(o, code << 6 | 0x3f);
            le32(o, body.length);
        }
        o.writeBytes(body);
        return o.toByteArray();
    }

    public static byte[] tag(int code, byte[] body) {
        return tag(code, body, false);
    }

    public static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    public static byte[] str(String s) {
        return cat(s.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    public static byte[] u16(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8)};
    }

    public static byte[] u32(long v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** The body after the 8 header bytes: RECT (0, 550, 0, 400 pixels), 24 fps, 1 frame, then the tags. */
    public static byte[] body(byte[] tags) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        // RECT with Nbits = 15: 5 + 4 * 15 = 65 bits -> 9 bytes
        long[] fields = {0, 550 * 20, 0, 400 * 20};
        BitWriter w = new BitWriter();
        w.write(15, 5);
        for (long f : fields) {
            w.write(f, 15);
        }
        o.writeBytes(w.bytes());
        le16(o, 24 << 8); // 8.8 fixed: 24.0
        le16(o, 1);
        o.writeBytes(tags);
        return o.toByteArray();
    }

    /** The standard test tags: FileAttributes .. End. */
    public static byte[] standardTags() {
        return cat(
                tag(69, new byte[] {0x19, 0, 0, 0}),                       // AS3 + metadata + network
                tag(77, str("<rdf:RDF>test</rdf:RDF>")),
                tag(9, new byte[] {(byte) 0xff, 0x00, (byte) 0x80}),
                tag(39, cat(u16(5), u16(2),                                  // DefineSprite id 5, 2 frames
                        tag(1, new byte[0]),
                        tag(43, str("inner")),
                        tag(1, new byte[0]),
                        tag(0, new byte[0]))),
                tag(43, str("main")),
                tag(82, cat(u32(1), str("frame1"), new byte[10]), true),    // DoABC, long header
                tag(72, new byte[5]),
                tag(76, cat(u16(2), u16(0), str("Main"), u16(5), str("Sprite5"))),
                tag(1, new byte[0]),
                tag(0, new byte[0]));
    }

    /** @return an uncompressed SWF around the body, with the correct file length */
    public static byte[] fws(int version, byte[] body) {
        return cat(header("FWS", version, 8 + body.length), body);
    }

    /** @return a zlib-compressed SWF */
    public static byte[] cws(int version, byte[] body) {
        return cat(header("CWS", version, 8 + body.length), zlib(body));
    }

    public static byte[] zlib(byte[] body) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
            d.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return z.toByteArray();
    }

    /** @return an LZMA-compressed SWF: header, UI32 compressed length, 5 property bytes, raw stream */
    public static byte[] zws(int version, byte[] body) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (LZMACompressorOutputStream l = new LZMACompressorOutputStream(z)) {
            l.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] alone = z.toByteArray(); // 5 props, 8 size, stream
        byte[] stream = java.util.Arrays.copyOfRange(alone, 13, alone.length);
        return cat(header("ZWS", version, 8 + body.length), u32(stream.length),
                java.util.Arrays.copyOfRange(alone, 0, 5), stream);
    }

    public static byte[] header(String sig, int version, long fileLength) {
        return cat(sig.getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) version}, u32(fileLength));
    }

    private static void le16(ByteArrayOutputStream o, int v) {
        o.write(v);
        o.write(v >> 8);
    }

    private static void le32(ByteArrayOutputStream o, long v) {
        o.writeBytes(u32(v));
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream o = new ByteArrayOutputStream();
        private int cur;
        private int n;

        void write(long v, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                cur = cur << 1 | (int) ((v >> i) & 1);
                if (++n == 8) {
                    o.write(cur);
                    cur = 0;
                    n = 0;
                }
            }
        }

        byte[] bytes() {
            if (n > 0) {
                o.write(cur << (8 - n));
                cur = 0;
                n = 0;
            }
            return o.toByteArray();
        }
    }
}
