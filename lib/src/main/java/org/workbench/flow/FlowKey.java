package org.workbench.flow;

import java.util.Arrays;

/**
 * The connection table key: both endpoints (16-byte addresses, IPv4 mapped), ports and IP protocol,
 * ordered so that both directions of a flow give the same key (except one-way ICMP messages, as in Zeek).
 */
final class FlowKey {
    private final byte[] a1, a2;
    private final int p1, p2, proto;
    private final int hash;

    private FlowKey(byte[] a1, int p1, byte[] a2, int p2, int proto) {
        this.a1 = a1;
        this.a2 = a2;
        this.p1 = p1;
        this.p2 = p2;
        this.proto = proto;
        this.hash = 31 * (31 * (31 * (31 * Arrays.hashCode(a1) + Arrays.hashCode(a2)) + p1) + p2) + proto;
    }

    static FlowKey of(byte[] src16, int sp, byte[] dst16, int dp, int proto, boolean oneWay) {
        if (oneWay || lessThan(src16, sp, dst16, dp)) {
            return new FlowKey(src16, sp, dst16, dp, proto);
        }
        return new FlowKey(dst16, dp, src16, sp, proto);
    }

    private static boolean lessThan(byte[] a, int pa, byte[] b, int pb) {
        int c = Arrays.compareUnsigned(a, b);
        return c < 0 || (c == 0 && pa < pb);
    }

    /** Orders keys deterministically (used when flushing at end of input). */
    int compareTo(FlowKey o) {
        int c = Arrays.compareUnsigned(a1, o.a1);
        if (c != 0) return c;
        c = Arrays.compareUnsigned(a2, o.a2);
        if (c != 0) return c;
        c = Integer.compare(p1, o.p1);
        if (c != 0) return c;
        c = Integer.compare(p2, o.p2);
        return c != 0 ? c : Integer.compare(proto, o.proto);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && k.hash == hash && k.p1 == p1 && k.p2 == p2 && k.proto == proto
                && Arrays.equals(k.a1, a1) && Arrays.equals(k.a2, a2);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
