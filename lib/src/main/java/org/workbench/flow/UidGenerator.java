package org.workbench.flow;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Makes Zeek-looking unique identifiers: a one-letter prefix ({@code C} for connections, {@code F} for files)
 * followed by the base62 digits of 96 random bits, as Zeek writes its {@code uid} and {@code fuid} fields
 * (Zeek documentation, "Conn::Info" and "Files::Info"). Only the look is Zeek's; the values differ from Zeek's.
 *
 * <p>A generator built with a seed yields the same sequence on every run (reproducible logs); the no-argument
 * constructor seeds itself from {@link SecureRandom}. Instances are thread-safe.
 */
public final class UidGenerator {
    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SplittableRandom random;

    /** A generator seeded from a secure random source (different UIDs on every run). */
    public UidGenerator() {
        this(new SecureRandom().nextLong());
    }

    /** A generator whose sequence of UIDs is fully determined by {@code seed}. */
    public UidGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A new connection UID, e.g. {@code CHhAvVGS1DHFjwGM9}. */
    public String connectionUid() {
        return next('C');
    }

    /** A new file UID, e.g. {@code FakNcS1Jfe01uljb3}. */
    public String fileUid() {
        return next('F');
    }

    /**
     * A new UID with the given prefix letter.
     *
     * @param prefix the leading character
     * @return prefix followed by 1 to 17 base62 digits
     */
    public synchronized String next(char prefix) {
        long high = random.nextLong() & 0xFFFFFFFFL; // 32 bits
        long low = random.nextLong();                // 64 bits
        StringBuilder sb = new StringBuilder(18);
        // Divide the 96-bit number (high:low) by 62 repeatedly.
        do {
            long rHigh = high % 62;
            high = high / 62;
            // (rHigh << 64 | low) / 62, done in two 32-bit halves
            long upper = (rHigh << 32) | (low >>> 32);
            long qUpper = upper / 62;
            long rUpper = upper % 62;
            long lower = (rUpper << 32) | (low & 0xFFFFFFFFL);
            long qLower = lower / 62;
            long rem = lower % 62;
            low = (qUpper << 32) | (qLower & 0xFFFFFFFFL);
            sb.append(DIGITS[(int) rem]);
        } while (high != 0 || low != 0);
        sb.append(prefix);
        return sb.reverse().toString();
    }
}
