package org.workbench.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.workbench.CorruptSampleException;

/**
 * Reads a stored sample and checks its MD5 when the end is reached: a reader that reaches the end of a
 * damaged sample gets a {@link CorruptSampleException} instead of end-of-stream.
 */
final class VerifyingInputStream extends InputStream {
    private final InputStream in;
    private final String md5;
    private final Path path;
    private final MessageDigest digest = Digests.digest("MD5");
    private boolean verified;

    VerifyingInputStream(InputStream in, String md5, Path path) {
        this.in = in;
        this.md5 = md5;
        this.path = path;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            atEnd();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            atEnd();
        } else {
            digest.update(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, so read through them.
        byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - Math.max(left, 0);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void atEnd() {
        if (verified) {
            return;
        }
        verified = true;
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(md5)) {
            throw new CorruptSampleException(md5, path, "its bytes now hash to md5 " + actual);
        }
    }
}
