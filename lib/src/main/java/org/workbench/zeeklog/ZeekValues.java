package org.workbench.zeeklog;

import com.google.common.net.InetAddresses;

import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;

/** Lenient conversions from the Java values analyzers put in records to the shapes the writers need. */
final class ZeekValues {
    private static final BigInteger MAX_COUNT = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private ZeekValues() {
    }

    static boolean toBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        throw mismatch("bool", v);
    }

    static long toLong(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        throw mismatch("int", v);
    }

    /** A count as the 64 bits of an unsigned value (Long values are read as unsigned). */
    static long toCount(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l < 0 && !(v instanceof Long)) {
                throw mismatch("count", v);
            }
            return l;
        }
        if (v instanceof BigInteger b && b.signum() >= 0 && b.compareTo(MAX_COUNT) <= 0) {
            return b.longValue();
        }
        throw mismatch("count", v);
    }

    static int toPort(Object v) {
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            long p = n.longValue();
            if (p >= 0 && p <= 65535) {
                return (int) p;
            }
        }
        throw mismatch("port", v);
    }

    static double toSeconds(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Instant i) {
            return i.getEpochSecond() + i.getNano() / 1e9;
        }
        if (v instanceof Duration d) {
            return d.getSeconds() + d.getNano() / 1e9;
        }
        throw mismatch("time/interval", v);
    }

    static double toDouble(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw mismatch("double", v);
    }

    static String text(Object v) {
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Collection<?> || v instanceof Object[]) {
            throw mismatch("text", v);
        }
        return v.toString();
    }

    /** The canonical text of an address given as an {@link InetAddress} or a literal string. */
    static String addressText(Object v) {
        if (v instanceof InetAddress a) {
            return ZeekTsvFormat.formatAddress(a);
        }
        if (v instanceof CharSequence cs) {
            String s = cs.toString();
            if (InetAddresses.isInetAddress(s)) {
                return ZeekTsvFormat.formatAddress(InetAddresses.forString(s));
            }
            return s;
        }
        throw mismatch("addr", v);
    }

    static Collection<?> toCollection(Object v) {
        if (v instanceof Collection<?> c) {
            return c;
        }
        if (v instanceof Object[] a) {
            return Arrays.asList(a);
        }
        throw mismatch("container (a Collection)", v);
    }

    private static IllegalArgumentException mismatch(String type, Object v) {
        return new IllegalArgumentException("expected a " + type + " value, got " + v.getClass().getSimpleName()
                + " " + abbreviate(String.valueOf(v)));
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
