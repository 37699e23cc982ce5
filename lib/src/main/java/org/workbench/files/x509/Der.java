package org.workbench.files.x509;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal DER (ASN.1 distinguished encoding) reader over a byte array: one {@link Der} is one
 * tag-length-value element. Only definite lengths are accepted; anything malformed raises
 * {@link DerException}, which callers turn into weirds.
 */
final class Der {
    final byte[] buf;
    /** Offset of the tag byte. */
    final int start;
    /** The identifier octet (class, constructed bit, tag number; high tag numbers are not supported). */
    final int tag;
    /** Offset of the first content byte. */
    final int contentStart;
    /** Number of content bytes. */
    final int length;

    /** Thrown for input that is not well-formed DER. */
    static final class DerException extends Exception {
        DerException(String msg) {
            super(msg);
        }
    }

    private Der(byte[] buf, int start, int tag, int contentStart, int length) {
        this.buf = buf;
        this.start = start;
        this.tag = tag;
        this.contentStart = contentStart;
        this.length = length;
    }

    /** Reads the element starting at {@code off}, which must end at or before {@code limit}. */
    static Der read(byte[] buf, int off, int limit) throws DerException {
        if (off + 2 > limit) {
            throw new DerException("truncated element");
        }
        int tag = buf[off] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new DerException("high tag number");
        }
        int p = off + 1;
        int first = buf[p++] & 0xff;
        long len;
        if (first < 0x80) {
            len = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) {
                throw new DerException("unsupported length form");
            }
            if (p + n > limit) {
                throw new DerException("truncated length");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (buf[p++] & 0xff);
            }
        }
        if (len > limit - p) {
            throw new DerException("element longer than its container");
        }
        return new Der(buf, off, tag, p, (int) len);
    }

    int end() {
        return contentStart + length;
    }

    boolean constructed() {
        return (tag & 0x20) != 0;
    }

    /** The children of a constructed element. */
    List<Der> children() throws DerException {
        List<Der> out = new ArrayList<>();
        int p = contentStart;
        while (p < end()) {
            Der d = read(buf, p, end());
            out.add(d);
            p = d.end();
        }
        return out;
    }

    byte[] content() {
        byte[] b = new byte[length];
        System.arraycopy(buf, contentStart, b, 0, length);
        return b;
    }

    /** The whole encoding, tag and length included. */
    byte[] encoded() {
        byte[] b = new byte[end() - start];
        System.arraycopy(buf, start, b, 0, b.length);
        return b;
    }

    Der expect(int expectedTag) throws DerException {
        if (tag != expectedTag) {
            throw new DerException(String.format("expected tag 0x%02x, found 0x%02x", expectedTag, tag));
        }
        return this;
    }

    /** Dotted text of an OBJECT IDENTIFIER's content. */
    String oid() throws DerException {
        if (tag != 0x06 || length == 0) {
            throw new DerException("not an object identifier");
        }
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        for (int i = contentStart; i < end(); i++) {
            int b = buf[i] & 0xff;
            if (v > (Long.MAX_VALUE >> 8)) {
                throw new DerException("object identifier arc too large");
            }
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                if (first) {
                    long a = v < 40 ? 0 : v < 80 ? 1 : 2;
                    sb.append(a).append('.').append(v - a * 40);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            }
        }
        if ((buf[end() - 1] & 0x80) != 0) {
            throw new DerException("truncated object identifier");
        }
        return sb.toString();
    }
}
