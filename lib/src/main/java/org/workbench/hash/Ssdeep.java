package org.workbench.hash;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A pure-Java context-triggered piecewise hash (CTPH), the "spamsum" algorithm of Andrew Tridgell as used by
 * Jesse Kornblum's {@code ssdeep} (J. Kornblum, "Identifying almost identical files using context triggered
 * piecewise hashing", Digital Investigation 3S, 2006). The output equals what {@code ssdeep} 2.14 (libfuzzy 2.x)
 * prints for the same bytes, character for character: {@code blocksize:hash1:hash2}, e.g. {@code 3:E:E} for the
 * single byte {@code a}, {@code 3::} for no bytes.
 *
 * <p>The algorithm: a rolling hash over the last {@value #ROLLING_WINDOW} bytes picks "trigger points"; at each
 * trigger point for block size {@code b} (when {@code rolling % b == b - 1}) the 6-bit FNV-style hash of the bytes
 * since the previous trigger point is emitted as one base64 character. Block sizes {@code 3 * 2^i} are computed
 * side by side in one pass; the digest uses the block size whose signature has at least 32 characters
 * (the first part, up to 64 characters) and the next larger one (the second part, cut to 32 characters). Like
 * libfuzzy, this implementation drops block sizes as soon as they can no longer be chosen, so it needs a single
 * pass, constant memory, and any input size up to {@code 3 * 2^30 * 64} bytes.
 *
 * <p>Not thread-safe: use one instance per input. {@link #hash(byte[])} and {@link #hash(InputStream)} are the
 * one-call forms.
 */
public final class Ssdeep {
    /** Bytes in the rolling-hash window. */
    public static final int ROLLING_WINDOW = 7;
    /** The smallest block size. */
    public static final int MIN_BLOCKSIZE = 3;
    /** Maximum characters in a signature part. */
    public static final int SPAMSUM_LENGTH = 64;
    /** Longest digest, including the C terminator (libfuzzy's {@code FUZZY_MAX_RESULT}). */
    public static final int FUZZY_MAX_RESULT = 2 * SPAMSUM_LENGTH + 20;
    private static final int NUM_BLOCKHASHES = 31;
    /** 6-bit part of the FNV offset basis libfuzzy uses ({@code HASH_INIT 0x28021967}). */
    private static final int HASH_INIT = 0x28021967 & 0x3f;
    private static final int HASH_PRIME = 0x01000193;
    /** Largest input libfuzzy accepts: {@code blocksize(30) * 64}. */
    public static final long TOTAL_SIZE_MAX = blockSize(NUM_BLOCKHASHES - 1) * SPAMSUM_LENGTH;
    private static final byte[] B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    // Rolling hash state.
    private final int[] window = new int[ROLLING_WINDOW];
    private int h1;
    private int h2;
    private int h3;
    private int n;
    private int slot;

    // Per-block-size state: 6-bit hashes, emitted characters.
    private final int[] h = new int[NUM_BLOCKHASHES];
    private final int[] halfh = new int[NUM_BLOCKHASHES];
    private final byte[][] digest = new byte[NUM_BLOCKHASHES][SPAMSUM_LENGTH];
    private final int[] dindex = new int[NUM_BLOCKHASHES];
    private final int[] halfdigest = new int[NUM_BLOCKHASHES];
    private int bhstart;
    private int bhend = 1;
    private long totalSize;
    private long reduceBorder = (long) MIN_BLOCKSIZE * SPAMSUM_LENGTH;
    private int rollmask;
    private boolean needLastHash;
    private int lasth;

    /** A fresh state for one input. */
    public Ssdeep() {
        h[0] = HASH_INIT;
        halfh[0] = HASH_INIT;
    }

    private static long blockSize(int index) {
        return (long) MIN_BLOCKSIZE << index;
    }

    /**
     * @param data bytes
     * @return their ssdeep digest
     */
    public static String hash(byte[] data) {
        Ssdeep s = new Ssdeep();
        s.update(data, 0, data.length);
        return s.digest();
    }

    /**
     * Hashes a stream to its end (not closed).
     *
     * @param in bytes
     * @return their ssdeep digest
     * @throws IOException when reading fails
     */
    public static String hash(InputStream in) throws IOException {
        Ssdeep s = new Ssdeep();
        byte[] buf = new byte[64 * 1024];
        for (int r; (r = in.read(buf)) > 0; ) {
            s.update(buf, 0, r);
        }
        return s.digest();
    }

    /**
     * Feeds bytes.
     *
     * @param buf bytes
     * @param off first index
     * @param len how many
     * @return this
     */
    public Ssdeep update(byte[] buf, int off, int len) {
        totalSize = len > TOTAL_SIZE_MAX || TOTAL_SIZE_MAX - len < totalSize ? TOTAL_SIZE_MAX + 1 : totalSize + len;
        for (int i = off, end = off + len; i < end; i++) {
            step(buf[i] & 0xff);
        }
        return this;
    }

    /** @return the number of bytes fed so far (capped just above {@link #TOTAL_SIZE_MAX}) */
    public long size() {
        return totalSize;
    }

    private static int sumHash(int c, int hash) {
        return ((hash * HASH_PRIME) ^ c) & 0x3f;
    }

    private void step(int c) {
        h2 -= h1;
        h2 += ROLLING_WINDOW * c;
        h1 += c;
        // libfuzzy indexes its window with a uint32_t byte counter modulo 7; the counter wraps after 4 GiB (to
        // slot 0, since 2^32 is not a multiple of 7), and so does this.
        h1 -= window[slot];
        window[slot] = c;
        if (++slot == ROLLING_WINDOW) {
            slot = 0;
        }
        if (++n == 0) {
            slot = 0;
        }
        h3 = (h3 << 5) ^ c;
        int roll = h1 + h2 + h3;

        for (int i = bhstart; i < bhend; i++) {
            h[i] = sumHash(c, h[i]);
            halfh[i] = sumHash(c, halfh[i]);
        }
        if (needLastHash) {
            lasth = sumHash(c, lasth);
        }
        // A trigger point for block size 3 * 2^i is roll % (3 * 2^i) == 3 * 2^i - 1, i.e. (roll + 1) divisible by
        // 3 * 2^i. Test the cheap necessary conditions for the smallest live block size first (as libfuzzy does).
        long r1 = Integer.toUnsignedLong(roll) + 1;
        if ((r1 & rollmask) != 0 || r1 % MIN_BLOCKSIZE != 0) {
            return;
        }
        long r = r1 - 1;
        for (int i = bhstart; i < bhend; i++) {
            long bs = blockSize(i);
            if (r % bs != bs - 1) {
                break;
            }
            if (dindex[i] == 0) {
                tryForkBlockhash();
            }
            digest[i][dindex[i]] = B64[h[i]];
            halfdigest[i] = B64[halfh[i]];
            if (dindex[i] < SPAMSUM_LENGTH - 1) {
                dindex[i]++;
                h[i] = HASH_INIT;
                if (dindex[i] < SPAMSUM_LENGTH / 2) {
                    halfh[i] = HASH_INIT;
                    halfdigest[i] = 0;
                }
            } else {
                tryReduceBlockhash();
            }
        }
    }

    private void tryForkBlockhash() {
        int o = bhend - 1;
        if (bhend <= NUM_BLOCKHASHES - 1) {
            int nb = o + 1;
            h[nb] = h[o];
            halfh[nb] = halfh[o];
            dindex[nb] = 0;
            halfdigest[nb] = 0;
            bhend++;
        } else if (bhend == NUM_BLOCKHASHES && !needLastHash) {
            needLastHash = true;
            lasth = h[o];
        }
    }

    private void tryReduceBlockhash() {
        if (bhend - bhstart < 2) {
            return; // need at least two working block sizes
        }
        if (reduceBorder >= totalSize) {
            return; // the initial block-size guess could still pick this one
        }
        if (dindex[bhstart + 1] < SPAMSUM_LENGTH / 2) {
            return; // the guess adjustment could still pick this one
        }
        bhstart++;
        reduceBorder *= 2;
        rollmask = rollmask * 2 + 1;
    }

    /**
     * The digest of the bytes fed so far (the state is not changed; more bytes may follow).
     *
     * @return {@code blocksize:hash1:hash2}
     * @throws IllegalStateException when more than {@link #TOTAL_SIZE_MAX} bytes were fed
     */
    public String digest() {
        if (totalSize > TOTAL_SIZE_MAX) {
            throw new IllegalStateException("input too large for ssdeep: more than " + TOTAL_SIZE_MAX + " bytes");
        }
        int roll = h1 + h2 + h3;
        int bi = bhstart;
        while (blockSize(bi) * SPAMSUM_LENGTH < totalSize) {
            bi++;
        }
        while (bi >= bhend) {
            bi--;
        }
        while (bi > bhstart && dindex[bi] < SPAMSUM_LENGTH / 2) {
            bi--;
        }
        StringBuilder sb = new StringBuilder(FUZZY_MAX_RESULT);
        sb.append(blockSize(bi)).append(':');
        appendAscii(sb, digest[bi], dindex[bi]);
        if (roll != 0) {
            sb.append((char) B64[h[bi]]);
        } else if (dindex[bi] == SPAMSUM_LENGTH - 1 && digest[bi][dindex[bi]] != 0) {
            sb.append((char) digest[bi][dindex[bi]]);
        }
        sb.append(':');
        if (bi < bhend - 1) {
            int nb = bi + 1;
            appendAscii(sb, digest[nb], Math.min(dindex[nb], SPAMSUM_LENGTH / 2 - 1));
            if (roll != 0) {
                sb.append((char) B64[halfh[nb]]);
            } else if (halfdigest[nb] != 0) {
                sb.append((char) halfdigest[nb]);
            }
        } else if (roll != 0) {
            sb.append((char) B64[bi == 0 ? h[bi] : lasth]);
        }
        return sb.toString();
    }

    private static void appendAscii(StringBuilder sb, byte[] chars, int len) {
        for (int i = 0; i < len; i++) {
            sb.append((char) chars[i]);
        }
    }
}
