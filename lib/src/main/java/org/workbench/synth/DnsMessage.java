package org.workbench.synth;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds DNS messages (RFC 1035 section 4): one question and any number of answers of type A (1), CNAME (5),
 * PTR (12) or AAAA (28), with optional name compression (RFC 1035 section 4.1.4). Class IN only.
 *
 * <pre>{@code
 * byte[] q = DnsMessage.query(0x1234, "www.example.com", DnsMessage.TYPE_A).build();
 * byte[] r = DnsMessage.response(0x1234, "www.example.com", DnsMessage.TYPE_A)
 *         .cname("www.example.com", 300, "web.example.net")
 *         .a("web.example.net", 60, "192.0.2.7").build();
 * }</pre>
 */
public final class DnsMessage {
    /** Record types (IANA DNS parameters). */
    public static final int TYPE_A = 1, TYPE_CNAME = 5, TYPE_PTR = 12, TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;

    private record Answer(String name, int type, long ttl, Object data) {
    }

    private final int id;
    private final boolean response;
    private final String qname;
    private final int qtype;
    private int rcode;
    private boolean recursionDesired = true;
    private boolean compress = true;
    private final List<Answer> answers = new ArrayList<>();

    private DnsMessage(int id, boolean response, String qname, int qtype) {
        this.id = id & 0xffff;
        this.response = response;
        this.qname = Objects.requireNonNull(qname, "qname");
        this.qtype = qtype;
    }

    /**
     * A standard query with RD set.
     *
     * @param id    transaction id (16 bits)
     * @param qname the name asked for, dotted ({@code "www.example.com"}; a trailing dot is allowed)
     * @param qtype record type asked for ({@link #TYPE_A}, ...)
     * @return a builder; call {@link #build()}
     */
    public static DnsMessage query(int id, String qname, int qtype) {
        return new DnsMessage(id, false, qname, qtype);
    }

    /**
     * A response (QR, RD, RA set; rcode 0 unless changed) repeating the question; add answers before building.
     *
     * @param id    transaction id of the query answered
     * @param qname the question's name
     * @param qtype the question's type
     * @return a builder; call {@link #build()}
     */
    public static DnsMessage response(int id, String qname, int qtype) {
        return new DnsMessage(id, true, qname, qtype);
    }

    /** Sets the response code (0 NOERROR, 3 NXDOMAIN, ...). */
    public DnsMessage rcode(int rcode) {
        this.rcode = rcode & 0xf;
        return this;
    }

    /** Turns name compression on (the default) or off. */
    public DnsMessage compress(boolean on) {
        this.compress = on;
        return this;
    }

    /** Sets or clears the RD (recursion desired) flag; set by default. */
    public DnsMessage recursionDesired(boolean rd) {
        this.recursionDesired = rd;
        return this;
    }

    /** Adds an A answer. @param ttl seconds @param ipv4 a literal dotted-quad address */
    public DnsMessage a(String name, long ttl, String ipv4) {
        byte[] a = literal(ipv4);
        if (a.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ipv4);
        }
        answers.add(new Answer(name, TYPE_A, ttl, a));
        return this;
    }

    /** Adds an AAAA answer. @param ttl seconds @param ipv6 a literal IPv6 address */
    public DnsMessage aaaa(String name, long ttl, String ipv6) {
        byte[] a = literal(ipv6);
        if (a.length != 16) {
            throw new IllegalArgumentException("not an IPv6 address: " + ipv6);
        }
        answers.add(new Answer(name, TYPE_AAAA, ttl, a));
        return this;
    }

    /** Adds a CNAME answer. @param ttl seconds */
    public DnsMessage cname(String name, long ttl, String target) {
        answers.add(new Answer(name, TYPE_CNAME, ttl, target));
        return this;
    }

    /** Adds a PTR answer. @param ttl seconds */
    public DnsMessage ptr(String name, long ttl, String target) {
        answers.add(new Answer(name, TYPE_PTR, ttl, target));
        return this;
    }

    /** The message bytes (as carried in a UDP payload). */
    public byte[] build() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new HashMap<>();
        put16(b, id);
        int flags = (response ? 0x8000 : 0) | (recursionDesired ? 0x0100 : 0) | (response ? 0x0080 : 0) | rcode;
        put16(b, flags);
        put16(b, 1);
        put16(b, answers.size());
        put16(b, 0);
        put16(b, 0);
        name(b, qname, offsets);
        put16(b, qtype);
        put16(b, CLASS_IN);
        for (Answer a : answers) {
            name(b, a.name(), offsets);
            put16(b, a.type());
            put16(b, CLASS_IN);
            put32(b, a.ttl());
            if (a.data() instanceof byte[] addr) {
                put16(b, addr.length);
                b.writeBytes(addr);
            } else {
                // RDATA is a domain name: write it to learn its length, compressing against earlier names
                ByteArrayOutputStream rd = new ByteArrayOutputStream();
                Map<String, Integer> tentative = new HashMap<>(offsets);
                int rdStart = b.size() + 2;
                nameAt(rd, (String) a.data(), tentative, rdStart);
                put16(b, rd.size());
                b.writeBytes(rd.toByteArray());
                offsets.putAll(tentative);
            }
        }
        return b.toByteArray();
    }

    private void name(ByteArrayOutputStream b, String name, Map<String, Integer> offsets) {
        ByteArrayOutputStream tmp = new ByteArrayOutputStream();
        nameAt(tmp, name, offsets, b.size());
        b.writeBytes(tmp.toByteArray());
    }

    /** Writes a name whose first byte will sit at message offset {@code base}. */
    private void nameAt(ByteArrayOutputStream b, String name, Map<String, Integer> offsets, int base) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String[] labels = n.isEmpty() ? new String[0] : n.split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length))
                    .toLowerCase(Locale.ROOT);
            Integer ptr = compress ? offsets.get(suffix) : null;
            if (ptr != null) {
                put16(b, 0xc000 | ptr);
                return;
            }
            int here = base + b.size();
            if (here < 0x4000) {
                offsets.putIfAbsent(suffix, here);
            }
            byte[] l = labels[i].getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("bad label in DNS name: " + name);
            }
            b.write(l.length);
            b.writeBytes(l);
        }
        b.write(0);
    }

    private static byte[] literal(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not a literal IP address: " + ip);
        }
        try {
            return InetAddress.getByName(ip).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad IP address: " + ip, e);
        }
    }

    private static void put16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }

    private static void put32(ByteArrayOutputStream b, long v) {
        put16(b, (int) (v >>> 16) & 0xffff);
        put16(b, (int) v & 0xffff);
    }
}
