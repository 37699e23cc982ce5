package org.workbench.swf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.apache.commons.compress.compressors.lzma.LZMACompressorInputStream;

/**
 * Reads a SWF file: header and ordered tag list, with a few tags decoded. Follows the Adobe "SWF File Format
 * Specification" version 19.
 *
 * <p>Layout. Bytes 0-2 are the signature: {@code FWS} (uncompressed), {@code CWS} (everything after byte 8 is a
 * zlib stream, decoded with {@link Inflater}) or {@code ZWS} (LZMA: bytes 8-11 the compressed length, bytes 12-16
 * the LZMA properties, then the raw LZMA stream; decoded with commons-compress's
 * {@link LZMACompressorInputStream}, which needs {@code org.tukaani:xz} at run time, behind a synthesized
 * {@code .lzma} header of the 5 property bytes and the 8-byte little-endian uncompressed size). Byte 3 is the
 * version, bytes 4-7 {@code FileLength} (little-endian, the uncompressed total including the header). The
 * (uncompressed) body starts with {@code FrameSize} (RECT: {@code Nbits} UB[5] then four SB[Nbits] in twips),
 * {@code FrameRate} (UI16, 8.8 fixed point) and {@code FrameCount} (UI16), then tags until {@code End}. A tag's
 * RECORDHEADER is a UI16 {@code code << 6 | length}; a length of 0x3f means a UI32 length follows.
 *
 * <p>Decoded tag details (keys of {@link SwfTag#details()}):
 * <ul>
 *   <li>{@code FileAttributes}: {@code use_direct_blit, use_gpu, has_metadata, actionscript3, use_network}
 *       (booleans, from the first flag byte: 0x40, 0x20, 0x10, 0x08, 0x01)</li>
 *   <li>{@code SetBackgroundColor}: {@code color} ({@code #rrggbb})</li>
 *   <li>{@code DefineSprite}: {@code sprite_id, frame_count}, and the nested tags</li>
 *   <li>{@code FrameLabel}: {@code label}, {@code named_anchor} (boolean, when the optional flag byte is
 *       present)</li>
 *   <li>{@code SymbolClass}: {@code symbols} [{@code id, name}]; {@code ExportAssets}: {@code assets}
 *       [{@code id, name}]</li>
 *   <li>{@code DoABC}: {@code lazy_initialize} (flag 1), {@code abc_name}, {@code abc_size} (bytes of ABC data);
 *       {@code DoABCDefine}: {@code abc_size}</li>
 *   <li>{@code Metadata}: {@code metadata} (the XML text, at most {@value #MAX_TEXT} characters)</li>
 *   <li>{@code DefineBinaryData}: {@code character_id}, {@code data_size} (bytes)</li>
 *   <li>{@code ScriptLimits}: {@code max_recursion_depth}, {@code script_timeout_seconds}</li>
 * </ul>
 * Strings are NUL-terminated, UTF-8 from SWF 6 on and ISO-8859-1 before.
 *
 * <p>Bad input never raises: the result carries an error naming the problem (wrong or missing signature,
 * truncated header, data or tag, a declared length above the limit, a broken compressed stream, LZMA support
 * missing) and everything parsed before it. Memory is bounded by {@code maxUncompressed} (the body is decoded
 * into memory, at most that many bytes) and {@code maxTags} (tags listed, nested ones included).
 */
public final class SwfParser {
    /** Default limit on the uncompressed body size: 256 MiB. */
    public static final long DEFAULT_MAX_UNCOMPRESSED = 256L << 20;
    /** Default limit on the number of tags listed (nested ones included). */
    public static final int DEFAULT_MAX_TAGS = 100_000;
    /** Longest string (Metadata text, labels, names) kept, in characters; longer ones are cut. */
    public static final int MAX_TEXT = 65_536;
    private static final int MAX_SPRITE_DEPTH = 4;

    private final long maxUncompressed;
    private final int maxTags;

    /** A parser with the default limits. */
    public SwfParser() {
        this(DEFAULT_MAX_UNCOMPRESSED, DEFAULT_MAX_TAGS);
    }

    /**
     * @param maxUncompressed at most this many bytes of the body (after the 8 header bytes) are decoded and read;
     *                        at most {@code Integer.MAX_VALUE - 16}
     * @param maxTags         at most this many tags are listed
     */
    public SwfParser(long maxUncompressed, int maxTags) {
        if (maxUncompressed < 1 || maxUncompressed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxUncompressed out of range: " + maxUncompressed);
        }
        if (maxTags < 1) {
            throw new IllegalArgumentException("maxTags must be positive: " + maxTags);
        }
        this.maxUncompressed = maxUncompressed;
        this.maxTags = maxTags;
    }

    /**
     * @param data a whole SWF file
     * @return what was found; never null
     */
    public SwfDocument parse(byte[] data) {
        try {
            return parse(new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen with a byte array", e);
        }
    }

    /**
     * Reads a SWF file from a stream (not closed; read at most up to the limit).
     *
     * @param in the file's bytes
     * @return what was found; never null
     * @throws IOException when reading the first 8 bytes or an uncompressed body fails; a failure inside a
     *                     compressed stream is reported as an error entry instead
     */
    public SwfDocument parse(InputStream in) throws IOException {
        List<String> errors = new ArrayList<>();
        byte[] head = in.readNBytes(8);
        if (head.length < 3) {
            errors.add("not a SWF file: only " + head.length + " bytes, too short for a signature");
            return new SwfDocument(null, List.of(), errors);
        }
        String sig = new String(head, 0, 3, StandardCharsets.ISO_8859_1);
        if (!sig.equals("FWS") && !sig.equals("CWS") && !sig.equals("ZWS")) {
            errors.add("not a SWF file: signature " + hex(head, 3) + " is not FWS, CWS or ZWS");
            return new SwfDocument(null, List.of(), errors);
        }
        if (head.length < 8) {
            errors.add("truncated SWF header: " + head.length + " of 8 bytes");
            return new SwfDocument(null, List.of(), errors);
        }
        int version = head[3] & 0xff;
        long fileLength = le32(head, 4);
        long declaredBody = fileLength - 8;
        if (fileLength < 8) {
            errors.add("header declares file_length " + fileLength + ", less than the 8-byte header");
        } else if (declaredBody > maxUncompressed) {
            errors.add("header declares file_length " + fileLength + " bytes, above the limit of "
                    + maxUncompressed + " bytes of body; reading at most the limit");
        }
        Decoded body;
        switch (sig) {
            case "FWS":
                body = readCapped(in, errors, "uncompressed body", false, 1 << 16);
                break;
            case "CWS":
                Inflater inflater = new Inflater();
                try {
                    body = readCapped(new InflaterInputStream(in, inflater, 8192), errors, "zlib stream", true,
                            1 << 16);
                } finally {
                    inflater.end();
                }
                break;
            default:
                body = readLzma(in, declaredBody, errors);
                break;
        }
        if (body.bytes.length > maxUncompressed) {
            errors.add("uncompressed body exceeds the limit of " + maxUncompressed + " bytes; reading the first "
                    + maxUncompressed);
        }
        byte[] b = body.bytes.length > maxUncompressed ? Arrays.copyOf(body.bytes, (int) maxUncompressed)
                : body.bytes;
        if (fileLength >= 8 && b.length < declaredBody && b.length < maxUncompressed) {
            errors.add("truncated SWF: header declares file_length " + fileLength + " but the "
                    + (sig.equals("FWS") ? "" : "decompressed ") + "data ends at " + (8 + b.length) + " bytes");
        }
        return parseBody(sig, version, fileLength, b, errors);
    }

    private SwfDocument parseBody(String sig, int version, long fileLength, byte[] b, List<String> errors) {
        Reader r = new Reader(b);
        Integer xmin = null, xmax = null, ymin = null, ymax = null, frameCount = null;
        Double frameRate = null;
        List<SwfTag> tags = new ArrayList<>();
        try {
            int nbits = (int) r.ubits(5);
            int x0 = (int) r.sbits(nbits);
            int x1 = (int) r.sbits(nbits);
            int y0 = (int) r.sbits(nbits);
            int y1 = (int) r.sbits(nbits);
            xmin = x0;
            xmax = x1;
            ymin = y0;
            ymax = y1;
            r.align();
            frameRate = r.u16() / 256.0;
            frameCount = r.u16();
        } catch (Truncated e) {
            errors.add("truncated SWF header: the frame size, rate or count is missing");
        }
        SwfHeader header = new SwfHeader(sig, version, fileLength, xmin, xmax, ymin, ymax, frameRate,
                frameCount);
        if (frameCount != null) {
            Charset cs = version >= 6 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            new TagReader(b, cs, errors).readTags(r.pos, b.length, tags, 0, "");
        }
        return new SwfDocument(header, tags, errors);
    }

    private final class TagReader {
        private final byte[] b;
        private final Charset cs;
        private final List<String> errors;
        private int count;

        TagReader(byte[] b, Charset cs, List<String> errors) {
            this.b = b;
            this.cs = cs;
            this.errors = errors;
        }

        /** Reads tags in b[from, to) until End; returns false when the tag limit stopped it. */
        boolean readTags(int from, int to, List<SwfTag> out, int depth, String where) {
            int pos = from;
            while (true) {
                if (pos >= to) {
                    errors.add("truncated SWF: no End tag" + where + " (tags end at offset " + (pos + 8) + ")");
                    return true;
                }
                if (count >= maxTags) {
                    errors.add("more than " + maxTags + " tags; the tag list stops at offset " + (pos + 8));
                    return false;
                }
                int start = pos;
                if (to - pos < 2) {
                    errors.add("truncated tag header at offset " + (start + 8) + where);
                    return true;
                }
                int codeAndLength = (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
                pos += 2;
                int code = codeAndLength >>> 6;
                long length = codeAndLength & 0x3f;
                if (length == 0x3f) {
                    if (to - pos < 4) {
                        errors.add("truncated long tag header of " + SwfTagCodes.name(code) + " at offset "
                                + (start + 8) + where);
                        return true;
                    }
                    length = le32(b, pos);
                    pos += 4;
                }
                if (length > to - pos) {
                    errors.add("truncated tag " + SwfTagCodes.name(code) + " (code " + code + ") at offset "
                            + (start + 8) + where + ": declares " + length + " bytes, " + (to - pos)
                            + " remain");
                    return true;
                }
                count++;
                int bodyEnd = pos + (int) length;
                Map<String, Object> details = new LinkedHashMap<>();
                List<SwfTag> nested = new ArrayList<>();
                boolean go = true;
                try {
                    go = details(code, new Reader(b, pos, bodyEnd), details, nested, depth, start);
                } catch (Truncated e) {
                    errors.add("tag " + SwfTagCodes.name(code) + " at offset " + (start + 8) + where
                            + " is shorter than its fields");
                }
                out.add(new SwfTag(code, SwfTagCodes.name(code), start + 8L, length, details, nested));
                pos = bodyEnd;
                if (!go) {
                    return false;
                }
                if (code == SwfTagCodes.END) {
                    return true;
                }
            }
        }

        private boolean details(int code, Reader r, Map<String, Object> d, List<SwfTag> nested, int depth,
                                int start) {
            switch (code) {
                case SwfTagCodes.FILE_ATTRIBUTES: {
                    int f = r.u8();
                    d.put("use_direct_blit", (f & 0x40) != 0);
                    d.put("use_gpu", (f & 0x20) != 0);
                    d.put("has_metadata", (f & 0x10) != 0);
                    d.put("actionscript3", (f & 0x08) != 0);
                    d.put("use_network", (f & 0x01) != 0);
                    return true;
                }
                case SwfTagCodes.SET_BACKGROUND_COLOR:
                    d.put("color", String.format("#%02x%02x%02x", r.u8(), r.u8(), r.u8()));
                    return true;
                case SwfTagCodes.DEFINE_SPRITE: {
                    d.put("sprite_id", r.u16());
                    d.put("frame_count", r.u16());
                    if (depth >= MAX_SPRITE_DEPTH) {
                        errors.add("DefineSprite at offset " + (start + 8) + " nested deeper than "
                                + MAX_SPRITE_DEPTH + "; its tags are not listed");
                        return true;
                    }
                    return readTags(r.pos, r.end, nested, depth + 1,
                            " in DefineSprite " + d.get("sprite_id") + " at offset " + (start + 8));
                }
                case SwfTagCodes.FRAME_LABEL:
                    d.put("label", r.string(cs));
                    if (r.remaining() > 0) {
                        d.put("named_anchor", r.u8() == 1);
                    }
                    return true;
                case SwfTagCodes.SYMBOL_CLASS:
                case SwfTagCodes.EXPORT_ASSETS: {
                    int n = r.u16();
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        Map<String, Object> s = new LinkedHashMap<>();
                        s.put("id", r.u16());
                        s.put("name", r.string(cs));
                        list.add(s);
                    }
                    d.put(code == SwfTagCodes.SYMBOL_CLASS ? "symbols" : "assets", list);
                    return true;
                }
                case SwfTagCodes.DO_ABC: {
                    long flags = r.u32();
                    d.put("lazy_initialize", (flags & 1) != 0);
                    d.put("abc_name", r.string(cs));
                    d.put("abc_size", r.remaining());
                    return true;
                }
                case SwfTagCodes.DO_ABC_DEFINE:
                    d.put("abc_size", r.remaining());
                    return true;
                case SwfTagCodes.METADATA:
                    d.put("metadata", r.string(cs));
                    return true;
                case SwfTagCodes.DEFINE_BINARY_DATA:
                    d.put("character_id", r.u16());
                    r.u32();
                    d.put("data_size", r.remaining());
                    return true;
                case SwfTagCodes.SCRIPT_LIMITS:
                    d.put("max_recursion_depth", r.u16());
                    d.put("script_timeout_seconds", r.u16());
                    return true;
                default:
                    return true;
            }
        }
    }

    private record Decoded(byte[] bytes) {
    }

    /** Reads at most maxUncompressed + 1 bytes; a stream failure becomes an error and keeps what was read. */
    private Decoded readCapped(InputStream in, List<String> errors, String what, boolean compressed,
                               int chunk) throws IOException {
        long cap = maxUncompressed + 1;
        byte[] buf = new byte[(int) Math.min(cap, 1 << 16)];
        int n = 0;
        try {
            while (n < cap) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(cap, (long) buf.length * 2));
                }
                int k = in.read(buf, n, Math.min(chunk, buf.length - n));
                if (k < 0) {
                    break;
                }
                n += k;
            }
        } catch (IOException e) {
            if (!compressed) {
                throw e;
            }
            errors.add("broken " + what + " after " + n + " decompressed bytes: " + e.getMessage());
        }
        return new Decoded(Arrays.copyOf(buf, n));
    }

    private Decoded readLzma(InputStream in, long declaredBody, List<String> errors) throws IOException {
        byte[] lz = in.readNBytes(9);
        if (lz.length < 9) {
            errors.add("truncated ZWS header: " + (8 + lz.length) + " of 17 bytes");
            return new Decoded(new byte[0]);
        }
        // .lzma ("LZMA alone") header: 5 property bytes, then the uncompressed size as 8 bytes little-endian
        byte[] alone = new byte[13];
        System.arraycopy(lz, 4, alone, 0, 5);
        // a declared size above the limit is not believed: decode as "size unknown" (end marker or end of data)
        long size = declaredBody >= 0 && declaredBody <= maxUncompressed ? declaredBody : -1;
        for (int i = 0; i < 8; i++) {
            alone[5 + i] = (byte) (size >>> (8 * i));
        }
        int memoryLimitKiB = (int) Math.min(Integer.MAX_VALUE, maxUncompressed / 1024 + 1024);
        InputStream lzma;
        try {
            lzma = new LZMACompressorInputStream(
                    new SequenceInputStream(new ByteArrayInputStream(alone), in), memoryLimitKiB);
        } catch (NoClassDefFoundError e) {
            errors.add("cannot decode ZWS (LZMA): org.tukaani:xz is not on the classpath");
            return new Decoded(new byte[0]);
        } catch (IOException e) {
            errors.add("cannot decode ZWS (LZMA): " + e.getMessage());
            return new Decoded(new byte[0]);
        }
        // small reads: a read that fails loses what it decoded, so keep each one short
        return readCapped(lzma, errors, "LZMA stream", true, 512);
    }

    private static long le32(byte[] b, int i) {
        return (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }

    /** Thrown by {@link Reader} when a field runs past its end. */
    private static final class Truncated extends RuntimeException {
        Truncated() {
            super(null, null, false, false);
        }
    }

    /** Little-endian field and bit reader over b[pos, end). */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int pos;
        private int bitPos; // bits already consumed of b[pos]

        Reader(byte[] b) {
            this(b, 0, b.length);
        }

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        long ubits(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                if (pos >= end) {
                    throw new Truncated();
                }
                int bit = (b[pos] >> (7 - bitPos)) & 1;
                v = v << 1 | bit;
                if (++bitPos == 8) {
                    bitPos = 0;
                    pos++;
                }
            }
            return v;
        }

        long sbits(int n) {
            if (n == 0) {
                return 0;
            }
            long v = ubits(n);
            return (v & (1L << (n - 1))) != 0 ? v - (1L << n) : v;
        }

        void align() {
            if (bitPos != 0) {
                bitPos = 0;
                pos++;
            }
        }

        int u8() {
            align();
            if (pos >= end) {
                throw new Truncated();
            }
            return b[pos++] & 0xff;
        }

        int u16() {
            return u8() | u8() << 8;
        }

        long u32() {
            return u16() | (long) u16() << 16;
        }

        /** A NUL-terminated string; an unterminated one runs to the end. */
        String string(Charset cs) {
            align();
            int s = pos;
            while (pos < end && b[pos] != 0) {
                pos++;
            }
            int len = pos - s;
            if (pos < end) {
                pos++;
            }
            String str = new String(b, s, len, cs);
            return str.length() > MAX_TEXT ? str.substring(0, MAX_TEXT) : str;
        }
    }
}
