package org.workbench.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A raw, streaming keyword scan of a PDF file for triage, in the manner of Didier Stevens' {@code pdfid}: no
 * parsing, so it works on damaged, truncated and deliberately malformed files alike.
 *
 * <p>The bytes are cut into words of ASCII letters and digits. A word preceded by {@code /} is a name: inside a
 * name, {@code #} followed by two hex digits is decoded (PDF 1.7, ISO 32000-1 &sect;7.3.5), so
 * {@code /J#61vaScript} counts as {@code /JavaScript} and is also counted in {@link Result#hexEscaped()}, the
 * obfuscation signal {@code pdfid} shows in parentheses. A word counts when it equals one of {@link #KEYWORDS}
 * exactly (case-sensitive; {@code /Pages} is not {@code /Page}). Counting happens everywhere in the file,
 * including inside (compressed) streams, exactly as {@code pdfid} does, so counts are hints, not structure.
 *
 * <p>Also found: the {@code %PDF-} header within the first {@value #HEADER_WINDOW} bytes (where Adobe readers
 * look for it; ISO 32000-1 &sect;7.5.2 wants it at offset 0), its version text, and the number of
 * {@code %%EOF} markers (more than one means incremental updates, ISO 32000-1 &sect;7.5.6).
 *
 * <p>Memory use is constant (a 64 KiB buffer); words longer than {@value #MAX_WORD} bytes never match.
 */
public final class PdfKeywordScanner {
    /** How many leading bytes may precede the {@code %PDF-} header. */
    public static final int HEADER_WINDOW = 1024;
    /** Longest word kept; every keyword is shorter. */
    static final int MAX_WORD = 64;

    /**
     * The counted keywords, in report order: the structure words, then the names analysts triage on (the set
     * {@code pdfid} reports, plus {@code /URI}).
     */
    public static final List<String> KEYWORDS = List.of(
            "obj", "endobj", "stream", "endstream", "xref", "trailer", "startxref",
            "/Page", "/Encrypt", "/ObjStm", "/JS", "/JavaScript", "/AA", "/OpenAction", "/AcroForm",
            "/JBIG2Decode", "/RichMedia", "/Launch", "/EmbeddedFile", "/XFA", "/URI");

    /** The keywords that suggest active content or hidden payloads (a subset of {@link #KEYWORDS}). */
    public static final List<String> RISKY = List.of(
            "/JS", "/JavaScript", "/AA", "/OpenAction", "/AcroForm", "/JBIG2Decode", "/RichMedia", "/Launch",
            "/EmbeddedFile", "/XFA", "/ObjStm", "/URI", "/Encrypt");

    private static final byte[] HEADER = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EOF = "%%EOF".getBytes(StandardCharsets.US_ASCII);

    /**
     * What a scan found.
     *
     * @param bytesScanned  bytes read (the file size, unless cancelled)
     * @param headerOffset  offset of {@code %PDF-} within the first {@value #HEADER_WINDOW} bytes, or -1
     * @param headerVersion the version after {@code %PDF-} (digits and dots, e.g. {@code 1.6}), or null
     * @param counts        every keyword of {@link #KEYWORDS} to its count (zeros included), in that order
     * @param hexEscaped    per keyword, how many of its occurrences used {@code #xx} escapes (only non-zero ones)
     * @param eofMarkers    number of {@code %%EOF} markers
     */
    public record Result(long bytesScanned, long headerOffset, String headerVersion, Map<String, Long> counts,
                         Map<String, Long> hexEscaped, long eofMarkers) {
        /** @return the count for a keyword of {@link #KEYWORDS} (0 for others) */
        public long count(String keyword) {
            return counts.getOrDefault(keyword, 0L);
        }
    }

    private PdfKeywordScanner() {
    }

    /** As {@link #scan(InputStream, BooleanSupplier)} without cancellation. */
    public static Result scan(InputStream in) throws IOException {
        return scan(in, () -> false);
    }

    /**
     * Scans a whole stream (not closed).
     *
     * @param in        the file's bytes
     * @param cancelled checked every 64 KiB; when true the scan stops early and returns what it counted
     * @return the counts
     * @throws IOException when reading fails
     */
    public static Result scan(InputStream in, BooleanSupplier cancelled) throws IOException {
        return new Scan(in, cancelled).run();
    }

    private static final class Scan {
        private final InputStream in;
        private final BooleanSupplier cancelled;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int len;
        private long consumed;
        /** Up to two bytes pushed back after a failed {@code #xx} escape. */
        private final int[] pushed = new int[2];
        private int pushedCount;

        private final Map<String, long[]> counts = new LinkedHashMap<>();
        private final Map<String, long[]> hex = new LinkedHashMap<>();
        private final byte[] word = new byte[MAX_WORD];
        private int wordLen;
        private boolean wordTooLong;
        private boolean wordHex;
        private boolean slash;

        private final byte[] head = new byte[HEADER_WINDOW + 32];
        private int headLen;
        private int eofMatched;
        private long eofMarkers;

        Scan(InputStream in, BooleanSupplier cancelled) {
            this.in = in;
            this.cancelled = cancelled;
            for (String k : KEYWORDS) {
                counts.put(k, new long[1]);
            }
        }

        private int next() throws IOException {
            if (pushedCount > 0) {
                return pushed[--pushedCount];
            }
            if (pos == len) {
                if (cancelled.getAsBoolean()) {
                    return -1;
                }
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
            }
            int b = buf[pos++] & 0xff;
            consumed++;
            if (headLen < head.length) {
                head[headLen++] = (byte) b;
            }
            // %%EOF: a substring search; on a mismatch only a run of '%' can start the pattern again.
            if (b == EOF[eofMatched]) {
                if (++eofMatched == EOF.length) {
                    eofMarkers++;
                    eofMatched = 0;
                }
            } else {
                eofMatched = b == '%' ? (eofMatched == 2 ? 2 : 1) : 0;
            }
            return b;
        }

        private void unread(int b) {
            pushed[pushedCount++] = b;
        }

        Result run() throws IOException {
            int b;
            while ((b = next()) >= 0) {
                if (isAlnum(b)) {
                    append(b);
                } else if (slash && b == '#') {
                    int d1 = next();
                    int d2 = d1 < 0 ? -1 : next();
                    if (isHex(d1) && isHex(d2)) {
                        append(Character.digit(d1, 16) << 4 | Character.digit(d2, 16));
                        wordHex = true;
                    } else {
                        if (d2 >= 0) {
                            unread(d2);
                        }
                        if (d1 >= 0) {
                            unread(d1);
                        }
                        endWord();
                        slash = false;
                    }
                } else {
                    endWord();
                    slash = b == '/';
                }
            }
            endWord();
            return result();
        }

        private void append(int b) {
            if (wordLen < MAX_WORD) {
                word[wordLen++] = (byte) b;
            } else {
                wordTooLong = true;
            }
        }

        private void endWord() {
            if (wordLen > 0 && !wordTooLong) {
                String w = (slash ? "/" : "") + new String(word, 0, wordLen, StandardCharsets.ISO_8859_1);
                long[] c = counts.get(w);
                if (c != null) {
                    c[0]++;
                    if (wordHex) {
                        hex.computeIfAbsent(w, k -> new long[1])[0]++;
                    }
                }
            }
            wordLen = 0;
            wordTooLong = false;
            wordHex = false;
        }

        private Result result() {
            long headerOffset = indexOf(head, headLen, HEADER, HEADER_WINDOW);
            String version = null;
            if (headerOffset >= 0) {
                int i = (int) headerOffset + HEADER.length;
                StringBuilder v = new StringBuilder();
                while (i < headLen && v.length() < 8 && (Character.isDigit(head[i]) || head[i] == '.')) {
                    v.append((char) head[i++]);
                }
                version = v.length() == 0 ? null : v.toString();
            }
            Map<String, Long> c = new LinkedHashMap<>();
            counts.forEach((k, v) -> c.put(k, v[0]));
            Map<String, Long> h = new LinkedHashMap<>();
            for (String k : KEYWORDS) {
                if (hex.containsKey(k)) {
                    h.put(k, hex.get(k)[0]);
                }
            }
            return new Result(consumed, headerOffset, version, Collections.unmodifiableMap(c),
                    Collections.unmodifiableMap(h), eofMarkers);
        }
    }

    /** @return offset of {@code pattern} starting before {@code maxStart} within {@code data[0..len)}, or -1 */
    static long indexOf(byte[] data, int len, byte[] pattern, int maxStart) {
        outer:
        for (int i = 0; i < maxStart && i + pattern.length <= len; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * @param head the first bytes of a file (any length)
     * @return whether {@code %PDF-} starts within its first {@value #HEADER_WINDOW} bytes
     */
    public static boolean hasPdfHeader(byte[] head) {
        return indexOf(head, head.length, HEADER, HEADER_WINDOW) >= 0;
    }

    private static boolean isAlnum(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    private static boolean isHex(int b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
