package org.workbench.analyzer.dhcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.workbench.zeeklog.ZeekBytes;

/**
 * Parses DHCP datagrams of one direction of one connection the way Zeek's DHCP analyzer does, including its
 * quirks, so that the same messages come out:
 * <ul>
 *   <li>the 236-byte header and the 4-byte cookie must be present and the options must end with the End option
 *       (255) inside the datagram; otherwise the datagram is malformed (a protocol violation, no message);</li>
 *   <li>options with a fixed-size value (for example 51, lease time, 4 bytes) take that many bytes whatever their
 *       length octet says, address lists take a multiple of 4; the next option starts after what was taken;</li>
 *   <li>a cookie other than 99.130.83.99 is a violation and the message is dropped (its options are forgotten);
 *       a message without option 53 is a violation but still delivered with type 0;</li>
 *   <li>the options decoded from a datagram that turned out malformed are kept and carried into the next message
 *       of the same direction, and the running length of relay agent sub-options (option 82) is never reset
 *       within a direction, as in Zeek.</li>
 * </ul>
 * Not thread-safe; one instance per direction.
 */
public final class DhcpParser {
    /** The DHCP magic cookie (RFC 2131 section 3). */
    public static final long COOKIE = 0x63825363L;
    /** Offset of the cookie: the fixed BOOTP header is 236 bytes. */
    public static final int COOKIE_OFFSET = 236;

    /** What one datagram gave. */
    public record Result(DhcpMessage message, String violation) {
    }

    private DhcpMessage.Options pending;
    private int relaySumLen;

    /** Thrown internally when the datagram ends before a field Zeek reads. */
    private static final class OutOfBound extends Exception {
        OutOfBound(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * Parses one datagram.
     *
     * @return the message (null when none is delivered) and the violation reason (null when none)
     */
    public Result parse(byte[] data, int offset, int length) {
        int end = offset + length;
        try {
            need(offset, COOKIE_OFFSET + 4, end, "DHCP header");
            int op = u8(data, offset);
            long xid = u32(data, offset + 4);
            int secs = u16(data, offset + 8);
            int flags = u16(data, offset + 10);
            InetAddress ciaddr = addr(data, offset + 12);
            InetAddress yiaddr = addr(data, offset + 16);
            InetAddress siaddr = addr(data, offset + 20);
            InetAddress giaddr = addr(data, offset + 24);
            String chaddr = formatMac(data, offset + 28, 16);
            String sname = trimmed(data, offset + 44, 64);
            String file = trimmed(data, offset + 108, 128);
            long cookie = u32(data, offset + COOKIE_OFFSET);
            int p = offset + COOKIE_OFFSET + 4;
            if (pending == null) {
                pending = new DhcpMessage.Options();
            }
            int msgType = -1;
            while (true) {
                need(p, 1, end, "option code");
                int code = u8(data, p++);
                if (code == 255) {
                    break;
                }
                pending.codes.add(code);
                if (code == 0) {
                    continue;
                }
                need(p, 1, end, "option length");
                int len = u8(data, p++);
                if (code == 53 && msgType < 0) {
                    need(p, 1, end, "message type");
                    msgType = u8(data, p);
                }
                p = option(data, p, end, code, len, pending);
            }
            String violation = null;
            if (msgType <= 0) {
                msgType = 0;
                violation = "no DHCP message type option";
            }
            if (cookie != COOKIE) {
                pending = null;
                return new Result(null, violation != null ? violation : "bad cookie (" + (int) cookie + ")");
            }
            DhcpMessage msg = new DhcpMessage(op, msgType, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr,
                    sname, file, pending);
            pending = null;
            return new Result(msg, violation);
        } catch (OutOfBound e) {
            return new Result(null, "Binpac exception: out of bound: " + e.getMessage());
        }
    }

    /** Decodes one option's value at {@code p}; returns where the next option starts. */
    private int option(byte[] d, int p, int end, int code, int len, DhcpMessage.Options o) throws OutOfBound {
        switch (code) {
            case 1 -> { need(p, 4, end, "subnet"); o.subnetMask = addr(d, p); return p + 4; }
            case 2 -> { need(p, 4, end, "time offset"); o.timeOffset = (int) u32(d, p); return p + 4; }
            case 3 -> { o.routers = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 4 -> { o.timeServers = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 5 -> { o.nameServers = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 6 -> { o.dnsServers = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 12 -> { o.hostName = bytes(d, p, end, len); return p + len; }
            case 15 -> {
                need(p, len, end, "domain name");
                int lastNonNull = 0;
                for (int i = 0; i < len; i++) {
                    if (d[p + i] != 0) {
                        lastNonNull = i;
                    }
                }
                o.domainName = ZeekBytes.fromBytes(d, p, lastNonNull == 0 ? 0 : lastNonNull + 1);
                return p + len;
            }
            case 19 -> { need(p, 1, end, "forwarding"); o.forwarding = d[p] != 0; return p + 1; }
            case 28 -> { need(p, 4, end, "broadcast"); o.broadcast = addr(d, p); return p + 4; }
            case 42 -> { o.ntpServers = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 43 -> { o.vendor = bytes(d, p, end, len); return p + len; }
            case 44 -> { o.nbns = addrs(d, p, end, len); return p + len / 4 * 4; }
            case 50 -> { need(p, 4, end, "requested address"); o.addrRequest = addr(d, p); return p + 4; }
            case 51 -> { need(p, 4, end, "lease"); o.lease = (double) u32(d, p); return p + 4; }
            case 53 -> { need(p, 1, end, "message type"); return p + 1; }
            case 54 -> { need(p, 4, end, "server id"); o.servAddr = addr(d, p); return p + 4; }
            case 55 -> {
                need(p, len, end, "parameter list");
                List<Integer> l = new ArrayList<>(len);
                for (int i = 0; i < len; i++) {
                    l.add(u8(d, p + i));
                }
                o.paramList = l;
                return p + len;
            }
            case 56 -> { o.message = bytes(d, p, end, len); return p + len; }
            case 57 -> { need(p, 2, end, "max message size"); o.maxMsgSize = u16(d, p); return p + 2; }
            case 58 -> { need(p, 4, end, "renewal time"); o.renewalTime = (double) u32(d, p); return p + 4; }
            case 59 -> { need(p, 4, end, "rebinding time"); o.rebindingTime = (double) u32(d, p); return p + 4; }
            case 60 -> { o.vendorClass = bytes(d, p, end, len); return p + len; }
            case 61 -> {
                if (len < 1) {
                    throw new OutOfBound("client id length " + len);
                }
                need(p, len, end, "client id");
                int hwtype = u8(d, p);
                String hwaddr = hwtype == 0 ? ZeekBytes.fromBytes(d, p + 1, len - 1) : formatMac(d, p + 1, len - 1);
                o.clientId = new DhcpMessage.ClientId(hwtype, hwaddr);
                return p + len;
            }
            case 77 -> { o.userClass = bytes(d, p, end, len); return p + len; }
            case 81 -> {
                if (len < 3) {
                    throw new OutOfBound("client FQDN length " + len);
                }
                need(p, len, end, "client FQDN");
                o.clientFqdn = new DhcpMessage.ClientFqdn(u8(d, p), u8(d, p + 1), u8(d, p + 2),
                        ZeekBytes.fromBytes(d, p + 3, len - 3));
                return p + len;
            }
            case 82 -> {
                List<DhcpMessage.SubOption> subs = new ArrayList<>();
                int q = p;
                while (true) {
                    need(q, 2, end, "relay agent sub-option");
                    int sc = u8(d, q);
                    int sl = u8(d, q + 1);
                    need(q + 2, sl, end, "relay agent sub-option value");
                    subs.add(new DhcpMessage.SubOption(sc, ZeekBytes.fromBytes(d, q + 2, sl)));
                    q += 2 + sl;
                    relaySumLen = (relaySumLen + sl + 2) & 0xff;
                    if (relaySumLen == len) {
                        break;
                    }
                }
                o.subOpt = subs;
                return q;
            }
            case 116 -> { need(p, 1, end, "auto config"); o.autoConfig = d[p] != 0; return p + 1; }
            case 252 -> {
                need(p, len, end, "auto proxy config");
                int n = len > 0 && d[p + len - 1] == '\n' ? len - 1 : len;
                o.autoProxyConfig = ZeekBytes.fromBytes(d, p, n);
                return p + len;
            }
            default -> { need(p, len, end, "option " + code); return p + len; }
        }
    }

    /**
     * A hardware address as Zeek's {@code fmt_mac} writes it: empty below 6 bytes (and for 7), 6 bytes when the
     * length is 6 or bytes 6 and 7 are zero, else 8 bytes; lower-case hex separated by colons.
     */
    public static String formatMac(byte[] d, int off, int len) {
        if (len < 8 && len != 6) {
            return "";
        }
        int n = len == 6 || (d[off + 6] == 0 && d[off + 7] == 0) ? 6 : 8;
        StringBuilder sb = new StringBuilder(3 * n);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((d[off + i] >> 4) & 0xf, 16)).append(Character.forDigit(d[off + i] & 0xf, 16));
        }
        return sb.toString();
    }

    private static String trimmed(byte[] d, int off, int len) {
        int lastNonNull = 0;
        for (int i = 0; i < len; i++) {
            if (d[off + i] != 0) {
                lastNonNull = i;
            }
        }
        return lastNonNull > 0 ? ZeekBytes.fromBytes(d, off, lastNonNull + 1) : null;
    }

    private static List<InetAddress> addrs(byte[] d, int p, int end, int len) throws OutOfBound {
        int n = len / 4;
        need(p, 4 * n, end, "address list");
        List<InetAddress> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(addr(d, p + 4 * i));
        }
        return l;
    }

    private static String bytes(byte[] d, int p, int end, int len) throws OutOfBound {
        need(p, len, end, "option value");
        return ZeekBytes.fromBytes(d, p, len);
    }

    private static void need(int p, int n, int end, String what) throws OutOfBound {
        if (n > end - p) {
            throw new OutOfBound(what);
        }
    }

    private static int u8(byte[] d, int p) {
        return d[p] & 0xff;
    }

    private static int u16(byte[] d, int p) {
        return (d[p] & 0xff) << 8 | (d[p + 1] & 0xff);
    }

    private static long u32(byte[] d, int p) {
        return ((long) (d[p] & 0xff) << 24) | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | (d[p + 3] & 0xff);
    }

    static InetAddress addr(byte[] d, int p) {
        try {
            return InetAddress.getByAddress(new byte[] {d[p], d[p + 1], d[p + 2], d[p + 3]});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
