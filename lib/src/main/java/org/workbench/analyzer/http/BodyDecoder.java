package org.workbench.analyzer.http;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streaming decoder for an HTTP {@code Content-Encoding} ({@code gzip}, {@code x-gzip}, {@code deflate}, RFC 9110
 * section 8.4.1; gzip framing RFC 1952, zlib RFC 1950, raw deflate RFC 1951). Decoded bytes go to an
 * {@link Output} in bounded chunks; memory use does not grow with the body. A {@code deflate} body without a
 * zlib header is decoded as raw deflate, as browsers and Zeek accept it.
 */
final class BodyDecoder {
    /** Receives decoded bytes; valid only during the call. */
    interface Output {
        void write(byte[] b, int off, int len);
    }

    private static final int MAX_GZIP_HEADER = 65536 + 1024;

    private final boolean gzip;
    private final Output out;
    private final byte[] buf = new byte[16384];
    private Inflater inflater;
    private boolean failed;
    private String failure;
    // gzip member framing
    private byte[] header = new byte[16];
    private int headerLen;
    private int trailerLeft;

    BodyDecoder(boolean gzip, Output out) {
        this.gzip = gzip;
        this.out = out;
    }

    /** Whether decoding failed (later input is ignored). */
    boolean failed() {
        return failed;
    }

    /** Why decoding failed, or null. */
    String failure() {
        return failure;
    }

    /** Feeds encoded bytes. */
    void feed(byte[] b, int off, int len) {
        while (len > 0 && !failed) {
            if (inflater == null) {
                if (trailerLeft > 0) {
                    int t = Math.min(trailerLeft, len);
                    trailerLeft -= t;
                    off += t;
                    len -= t;
                    continue;
                }
                int used = startMember(b, off, len);
                off += used;
                len -= used;
                continue;
            }
            inflater.setInput(b, off, len);
            drain();
            if (failed) {
                return;
            }
            if (inflater.finished()) {
                int rest = inflater.getRemaining();
                off += len - rest;
                len = rest;
                inflater.end();
                inflater = null;
                if (!gzip) {
                    return; // anything after a deflate stream is ignored
                }
                trailerLeft = 8;
                headerLen = 0;
            } else {
                len = 0;
            }
        }
    }

    /** Stops decoding (e.g. after compressed bytes were lost); later input is ignored. */
    void abandon(String why) {
        if (!failed) {
            fail(why);
        }
    }

    /** Releases the inflater; call when the body ends. */
    void finish() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private void drain() {
        try {
            while (true) {
                int n = inflater.inflate(buf);
                if (n > 0) {
                    out.write(buf, 0, n);
                    continue;
                }
                if (inflater.finished() || inflater.needsInput()) {
                    return;
                }
                if (inflater.needsDictionary()) {
                    fail("preset dictionary");
                    return;
                }
                return;
            }
        } catch (DataFormatException e) {
            fail(e.getMessage());
        }
    }

    private void fail(String why) {
        failed = true;
        failure = why == null ? "bad compressed data" : why;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Buffers a member header; returns bytes consumed, creating the inflater once the header is complete. */
    private int startMember(byte[] b, int off, int len) {
        int need = gzip ? 10 : 2;
        int used = 0;
        while (used < len) {
            if (headerLen == header.length) {
                if (header.length >= MAX_GZIP_HEADER) {
                    fail("gzip header too long");
                    return len;
                }
                header = java.util.Arrays.copyOf(header, Math.min(MAX_GZIP_HEADER, header.length * 2));
            }
            header[headerLen++] = b[off + used];
            used++;
            if (headerLen < need) {
                continue;
            }
            if (!gzip) {
                int b0 = header[0] & 0xff;
                int b1 = header[1] & 0xff;
                boolean zlib = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
                inflater = new Inflater(!zlib);
                inflater.setInput(header, 0, 2);
                drain();
                return used;
            }
            int h = gzipHeaderLength();
            if (h == -2) {
                fail("not gzip data");
                return len;
            }
            if (h > 0) {
                inflater = new Inflater(true);
                return used;
            }
        }
        return used;
    }

    /** Length of a complete gzip header in {@code header}, -1 when more bytes are needed, -2 when invalid. */
    private int gzipHeaderLength() {
        if ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8) {
            return -2;
        }
        int flags = header[3] & 0xff;
        int p = 10;
        if ((flags & 4) != 0) {
            if (headerLen < p + 2) {
                return -1;
            }
            p += 2 + ((header[p] & 0xff) | (header[p + 1] & 0xff) << 8);
            if (headerLen < p) {
                return -1;
            }
        }
        for (int bit : new int[] {8, 16}) {
            if ((flags & bit) != 0) {
                while (true) {
                    if (p >= headerLen) {
                        return -1;
                    }
                    if (header[p++] == 0) {
                        break;
                    }
                }
            }
        }
        if ((flags & 2) != 0) {
            p += 2;
        }
        return headerLen >= p ? p : -1;
    }
}
