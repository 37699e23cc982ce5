package org.workbench.analyzer.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

/** Fakes and message builders shared by the DNS tests. */
final class DnsTestSupport {
    private DnsTestSupport() {
    }

    /** A connection context that records what the analyzer tells it. */
    static final class FakeConn implements ConnectionContext {
        final String uid;
        final ConnId id;
        final double start;
        final List<String> confirmed = new ArrayList<>();
        final List<String> violations = new ArrayList<>();

        FakeConn(String uid, ConnId id, double start) {
            this.uid = uid;
            this.id = id;
            this.start = start;
        }

        @Override
        public String uid() {
            return uid;
        }

        @Override
        public ConnId id() {
            return id;
        }

        @Override
        public double startTime() {
            return start;
        }

        @Override
        public void confirmProtocol(String service) {
            confirmed.add(service);
        }

        @Override
        public void protocolViolation(String service, String reason) {
            violations.add(reason);
        }

        @Override
        public void weird(double ts, String name, String addl, String source) {
            throw new AssertionError("the DNS analyzer reports weirds through its WeirdReporter");
        }
    }

    static final class Records implements LogSink {
        final List<LogRecord> rows = new ArrayList<>();

        @Override
        public void write(LogRecord record) {
            rows.add(record);
        }
    }

    record Weird(double ts, String name, String uid, ConnId id, String addl, String source) {
    }

    static final class Weirds implements WeirdReporter {
        final List<Weird> list = new ArrayList<>();

        @Override
        public void weird(double ts, String name, String uid, ConnId id, String addl, String source) {
            list.add(new Weird(ts, name, uid, id, addl, source));
        }

        List<String> names() {
            List<String> out = new ArrayList<>();
            for (Weird w : list) {
                out.add(w.addl() == null ? w.name() : w.name() + "(" + w.addl() + ")");
            }
            return out;
        }
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    static ConnId udp(String o, int op, String r, int rp) {
        return new ConnId(ip(o), op, ip(r), rp, TransportProto.UDP);
    }

    static ConnId tcp(String o, int op, String r, int rp) {
        return new ConnId(ip(o), op, ip(r), rp, TransportProto.TCP);
    }

    /** Builds DNS messages byte by byte (RFC 1035 wire format). */
    static final class Msg {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Msg header(int id, int flags, int qd, int an, int ns, int ar) {
            return new Msg().u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
        }

        /** A standard query header: RD set. */
        static Msg query(int id) {
            return header(id, 0x0100, 1, 0, 0, 0);
        }

        Msg u8(int v) {
            out.write(v & 0xff);
            return this;
        }

        Msg u16(int v) {
            return u8(v >> 8).u8(v);
        }

        Msg u32(long v) {
            return u16((int) (v >> 16)).u16((int) v);
        }

        Msg bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Msg bytes(int... b) {
            for (int x : b) {
                u8(x);
            }
            return this;
        }

        /** An uncompressed name; "" is the root. */
        Msg name(String dotted) {
            if (!dotted.isEmpty()) {
                for (String label : dotted.split("\\.")) {
                    byte[] l = label.getBytes(StandardCharsets.ISO_8859_1);
                    u8(l.length).bytes(l);
                }
            }
            return u8(0);
        }

        Msg pointer(int offset) {
            return u16(0xc000 | offset);
        }

        Msg question(String name, int qtype, int qclass) {
            return name(name).u16(qtype).u16(qclass);
        }

        /** A record header with the given RDATA. */
        Msg rr(String name, int type, int cls, long ttl, byte[] rdata) {
            return name(name).u16(type).u16(cls).u32(ttl).u16(rdata.length).bytes(rdata);
        }

        int size() {
            return out.size();
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    static byte[] rdata(java.util.function.Consumer<Msg> body) {
        Msg m = new Msg();
        body.accept(m);
        return m.build();
    }
}
