package org.workbench.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 or IPv6 network in CIDR notation, and the set of networks Zeek treats as local by default.
 * IPv4 networks also match IPv4-mapped IPv6 forms, as in Zeek where IPv4 addresses are stored that way.
 */
final class Cidr {
    /**
     * {@code Site::private_address_space} of Zeek 9 ({@code scripts/base/utils/site.zeek}), taken from the IANA
     * IPv4 and IPv6 Special-Purpose Address Registries (RFC 1918, 6598, 1122, 3927, 6890, 5737, 2544, 5771,
     * 2365, 1112, 919/8190, 4291, 8215, 6666, 2928, 5180, 3849, 4193, 3879; 6to4 forms per RFC 3056).
     */
    static final List<String> PRIVATE_ADDRESS_SPACE = List.of(
            "0.0.0.0/8", "2002::/24", "10.0.0.0/8", "2002:a00::/24", "100.64.0.0/10", "2002:6440::/26",
            "127.0.0.0/8", "2002:7f00::/24", "169.254.0.0/16", "2002:a9fe::/32", "172.16.0.0/12", "2002:ac10::/28",
            "192.0.0.0/24", "2002:c000::/40", "192.0.2.0/24", "2002:c000:200::/40", "192.168.0.0/16",
            "2002:c0a8::/32", "198.18.0.0/15", "2002:c612::/31", "198.51.100.0/24", "2002:c633:6400::/40",
            "203.0.113.0/24", "2002:cb00:7100::/40", "224.0.0.0/24", "2002:e000::/40", "239.0.0.0/8",
            "2002:ef00::/24", "240.0.0.0/4", "2002:f000::/20", "255.255.255.255/32", "2002:ffff:ffff::/48",
            "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:2::/48", "2001:db8::/32",
            "fc00::/7", "fe80::/10", "fec0::/10");

    private final byte[] net; // 16 bytes
    private final int bits;   // prefix length in the 128-bit space

    private Cidr(byte[] net, int bits) {
        this.net = net;
        this.bits = bits;
    }

    /**
     * @throws IllegalArgumentException naming the text when it is not {@code address/prefix}
     */
    static Cidr parse(String text) {
        int slash = text.indexOf('/');
        try {
            String addr = slash < 0 ? text.trim() : text.substring(0, slash).trim();
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            if (!addr.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not a CIDR network: '" + text + "'");
            }
            byte[] raw = InetAddress.getByName(addr).getAddress();
            int max = raw.length * 8;
            int len = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1).trim());
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("not a CIDR network: '" + text + "'");
            }
            byte[] full = to16(raw);
            int bits = raw.length == 4 ? len + 96 : len;
            return new Cidr(mask(full, bits), bits);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR network: '" + text + "'", e);
        }
    }

    static byte[] to16(byte[] raw) {
        if (raw.length == 16) {
            return raw.clone();
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(raw, 0, out, 12, 4);
        return out;
    }

    private static byte[] mask(byte[] a, int bits) {
        byte[] out = a.clone();
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - keep)));
        }
        return out;
    }

    boolean contains(byte[] addr16) {
        for (int i = 0; i < 16; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            if (keep == 0) {
                return true;
            }
            int m = (0xff << (8 - keep)) & 0xff;
            if ((addr16[i] & m) != (net[i] & m)) {
                return false;
            }
        }
        return true;
    }

    /** The local networks: the given CIDRs plus, when asked, Zeek's private address space. */
    static List<Cidr> localNets(List<String> extra, boolean withPrivate) {
        List<Cidr> out = new ArrayList<>();
        for (String s : extra) {
            out.add(parse(s));
        }
        if (withPrivate) {
            for (String s : PRIVATE_ADDRESS_SPACE) {
                out.add(parse(s));
            }
        }
        return out;
    }
}
