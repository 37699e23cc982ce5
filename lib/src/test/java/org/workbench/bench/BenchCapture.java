package org.workbench.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import org.workbench.capture.PcapWriter;
import org.workbench.synth.DnsMessage;
import org.workbench.synth.Host;
import org.workbench.synth.PacketFrames;
import org.workbench.synth.TcpSession;
import org.workbench.synth.Timeline;

/**
 * Benchmark capture generator (not a test; run by {@code bench/run.sh}). Writes a large synthetic Ethernet pcap
 * of a requested size with the project's own {@link PcapWriter} and {@code org.workbench.synth} builders:
 * tens of thousands of client hosts, short DNS (UDP) and HTTP flows, TLS handshakes (ClientHello/ServerHello
 * plus a few application-data records), and a few long HTTP downloads with gzip or chunked bodies; about one
 * TCP data transfer in twenty carries a retransmitted or out-of-order segment.
 *
 * <p>Streaming: flows are built in small batches, each flow on its own {@link Timeline} starting at the batch
 * start; a batch's frames are merged by timestamp (so flows interleave), written and dropped, and the next
 * batch starts after the last frame of the previous one, so timestamps never decrease and memory stays bounded
 * by one batch (at most a few MB).
 *
 * <p>Usage: {@code BenchCapture OUT.pcap SIZE_MB [SEED]}; prints packets, bytes and the flow mix.
 */
public final class BenchCapture {
    private static final int CLIENTS = 40_000, SERVERS = 5_000, BATCH = 48;

    private final SplittableRandom rnd;
    private final Host[] clients = new Host[CLIENTS];
    private final Host[] servers = new Host[SERVERS];
    private final Host resolver = Host.of("02:00:00:00:35:35", "10.255.0.53");
    private final byte[][] gzipBodies = new byte[6][];
    private final byte[][] plainBodies = new byte[6][];
    private final byte[][] smallBodies = new byte[16][];
    long dns, http, tls, downloads, faulted;

    BenchCapture(long seed) throws IOException {
        rnd = new SplittableRandom(seed);
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = Host.of(String.format("02:00:%02x:%02x:%02x:01", i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff),
                    "10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (1 + (i & 0xfe)));
        }
        for (int i = 0; i < SERVERS; i++) {
            servers[i] = Host.of(String.format("02:01:00:%02x:%02x:02", i >> 8 & 0xff, i & 0xff),
                    "198.18." + (i >> 8 & 0xff) + "." + (i & 0xff));
        }
        for (int i = 0; i < gzipBodies.length; i++) {
            gzipBodies[i] = gzip(text(150_000 + rnd.nextInt(400_000)));  // compressed: roughly 40-150 KB
            plainBodies[i] = text(100_000 + rnd.nextInt(500_000));
        }
        for (int i = 0; i < smallBodies.length; i++) {
            smallBodies[i] = text(200 + rnd.nextInt(i < 8 ? 1500 : 12_000));
        }
    }

    /** Semi-compressible text: words from a small vocabulary with random numbers. */
    private byte[] text(int n) {
        String[] words = {"lorem", "ipsum", "<div class=\"row\">", "</div>", "function", "var", "return",
                "{\"id\":", "\"name\":", "null", "true", "<a href=\"/p/", "\n", "data", "style", "span"};
        StringBuilder sb = new StringBuilder(n + 32);
        while (sb.length() < n) {
            sb.append(words[rnd.nextInt(words.length)]).append(' ');
            if (rnd.nextInt(4) == 0) {
                sb.append(Long.toHexString(rnd.nextLong())).append(' ');
            }
        }
        sb.setLength(n);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    private static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(body.length + body.length / chunk * 8 + 16);
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            o.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            o.write(body, off, n);
            o.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        o.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private String hostName(int server) {
        return "www.site" + server + ".example";
    }

    private int port() {
        return 1024 + rnd.nextInt(64_000);
    }

    private TcpSession.Faults faults(int segments) {
        TcpSession.Faults f = TcpSession.Faults.none();
        if (segments >= 2 && rnd.nextInt(20) == 0) {
            faulted++;
            int i = rnd.nextInt(segments - 1);
            if (rnd.nextBoolean()) {
                f.retransmit(i);
            } else {
                f.swapWithNext(i);
            }
        }
        return f;
    }

    private void dnsFlow(Timeline t) {
        Host c = clients[rnd.nextInt(CLIENTS)];
        int s = rnd.nextInt(SERVERS);
        int id = rnd.nextInt(65_536), sport = port();
        String name = rnd.nextInt(10) == 0 ? "x" + Long.toHexString(rnd.nextLong()) + ".example" : hostName(s);
        boolean aaaa = rnd.nextInt(5) == 0;
        int qtype = aaaa ? DnsMessage.TYPE_AAAA : DnsMessage.TYPE_A;
        t.add(PacketFrames.udpFrame(c, sport, resolver, 53, id, DnsMessage.query(id, name, qtype).build()));
        t.advance(200 + rnd.nextInt(30_000));
        DnsMessage r = DnsMessage.response(id, name, qtype);
        if (name.startsWith("x")) {
            r.rcode(3);
        } else if (aaaa) {
            r.aaaa(name, 300, "2001:db8::" + Integer.toHexString(s + 1));
        } else {
            r.cname(name, 60, "edge" + s + ".cdn.example").a("edge" + s + ".cdn.example", 300,
                    "198.18." + (s >> 8) + "." + (s & 0xff));
        }
        t.add(PacketFrames.udpFrame(resolver, 53, c, sport, id, r.build()));
        dns++;
    }

    private TcpSession session(Timeline t, int serverPort) {
        return new TcpSession(t, clients[rnd.nextInt(CLIENTS)], port(), servers[rnd.nextInt(SERVERS)], serverPort,
                1460, rnd.nextLong() & 0xffffffffL, rnd.nextLong() & 0xffffffffL);
    }

    private void httpFlow(Timeline t) {
        int s = rnd.nextInt(SERVERS);
        TcpSession ts = session(t, 80).handshake();
        byte[] req = ascii("GET /p/" + rnd.nextInt(1_000_000) + ".html HTTP/1.1\r\nHost: " + hostName(s)
                + "\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64) bench\r\nAccept: */*\r\n\r\n");
        ts.send(true, req);
        t.advance(1000 + rnd.nextInt(50_000));
        byte[] body = smallBodies[rnd.nextInt(smallBodies.length)];
        boolean json = rnd.nextBoolean();
        byte[] head = ascii("HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Type: " + (json ? "application/json"
                : "text/html") + "\r\nContent-Length: " + body.length + "\r\n\r\n");
        byte[] resp = concat(head, body);
        ts.send(false, resp, faults((resp.length + 1459) / 1460));
        ts.close(rnd.nextBoolean());
        http++;
    }

    private void download(Timeline t) {
        int s = rnd.nextInt(SERVERS);
        TcpSession ts = session(t, 80).handshake();
        boolean gz = rnd.nextBoolean();
        byte[] req = ascii("GET /dl/" + rnd.nextInt(1_000_000) + (gz ? ".js" : ".bin") + " HTTP/1.1\r\nHost: "
                + hostName(s) + "\r\nAccept-Encoding: gzip\r\n\r\n");
        ts.send(true, req);
        t.advance(20_000);
        byte[] body, head;
        if (gz) {
            body = gzipBodies[rnd.nextInt(gzipBodies.length)];
            head = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
        } else {
            body = chunked(plainBodies[rnd.nextInt(plainBodies.length)], 8192);
            head = ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
        }
        byte[] resp = concat(head, body);
        // a window of 64 KB at a time, each acknowledged, like a real download
        int win = 65_160;
        for (int off = 0; off < resp.length; off += win) {
            byte[] part = java.util.Arrays.copyOfRange(resp, off, Math.min(resp.length, off + win));
            ts.send(false, part, faults((part.length + 1459) / 1460));
            t.advance(2_000);
        }
        ts.close(false);
        downloads++;
    }

    private byte[] tlsRecord(int type, byte[] body) {
        byte[] r = new byte[5 + body.length];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) (body.length >> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, 5, body.length);
        return r;
    }

    private byte[] handshake(int type, byte[] body) {
        byte[] h = new byte[4 + body.length];
        h[0] = (byte) type;
        h[1] = (byte) (body.length >> 16);
        h[2] = (byte) (body.length >> 8);
        h[3] = (byte) body.length;
        System.arraycopy(body, 0, h, 4, body.length);
        return h;
    }

    private byte[] clientHello(String sni) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(3);
        b.write(3);
        byte[] random = new byte[32];
        for (int i = 0; i < 32; i++) {
            random[i] = (byte) rnd.nextInt(256);
        }
        b.writeBytes(random);
        b.write(0); // session id
        b.writeBytes(new byte[] {0, 6, 0x13, 0x01, 0x13, 0x02, (byte) 0xc0, 0x2f});
        b.writeBytes(new byte[] {1, 0}); // compression: null
        byte[] name = ascii(sni);
        int sniLen = name.length + 5;
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext.writeBytes(new byte[] {0, 0, (byte) (sniLen >> 8), (byte) sniLen, (byte) ((sniLen - 2) >> 8),
                (byte) (sniLen - 2), 0, (byte) (name.length >> 8), (byte) name.length});
        ext.writeBytes(name);
        ext.writeBytes(new byte[] {0, 0x2b, 0, 3, 2, 3, 4}); // supported_versions: TLS 1.3
        b.write(ext.size() >> 8);
        b.write(ext.size() & 0xff);
        b.writeBytes(ext.toByteArray());
        return tlsRecord(22, handshake(1, b.toByteArray()));
    }

    private byte[] serverHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(3);
        b.write(3);
        for (int i = 0; i < 32; i++) {
            b.write(rnd.nextInt(256));
        }
        b.write(0);
        b.writeBytes(new byte[] {0x13, 0x01, 0}); // cipher, compression
        b.writeBytes(new byte[] {0, 6, 0, 0x2b, 0, 2, 3, 4}); // extensions: supported_versions TLS 1.3
        byte[] hello = tlsRecord(22, handshake(2, b.toByteArray()));
        byte[] ccs = tlsRecord(20, new byte[] {1});
        byte[] enc = new byte[2_000 + rnd.nextInt(3_000)]; // encrypted extensions + certificate
        for (int i = 0; i < enc.length; i++) {
            enc[i] = (byte) rnd.nextInt(256);
        }
        return concat(concat(hello, ccs), tlsRecord(23, enc));
    }

    private void tlsFlow(Timeline t) {
        int s = rnd.nextInt(SERVERS);
        TcpSession ts = session(t, 443).handshake();
        ts.send(true, clientHello(hostName(s)));
        t.advance(5_000 + rnd.nextInt(40_000));
        byte[] sh = serverHello();
        ts.send(false, sh, faults((sh.length + 1459) / 1460));
        byte[] app = new byte[100 + rnd.nextInt(600)];
        ts.send(true, tlsRecord(23, app));
        byte[] resp = new byte[1_000 + rnd.nextInt(8_000)];
        ts.send(false, tlsRecord(23, resp));
        ts.close(true);
        tls++;
    }

    /** Writes flows until {@code targetBytes} have been written. @return packets written */
    long write(Path out, long targetBytes) throws IOException {
        long start = 1_700_000_000L * 1_000_000_000L;
        long packets = 0, bytes = 24;
        try (PcapWriter w = PcapWriter.create(out, PcapWriter.LINKTYPE_ETHERNET)) {
            List<Timeline.Frame> batch = new ArrayList<>();
            while (bytes < targetBytes) {
                long end = start;
                for (int i = 0; i < BATCH; i++) {
                    Timeline t = new Timeline(start + rnd.nextInt(2_000_000) * 1000L, 30 + rnd.nextInt(300));
                    int p = rnd.nextInt(10_000);
                    if (p < 45) {
                        download(t);
                    } else if (p < 800) {
                        tlsFlow(t);
                    } else if (p < 4_500) {
                        httpFlow(t);
                    } else {
                        dnsFlow(t);
                    }
                    batch.addAll(t.frames());
                    end = Math.max(end, t.now());
                }
                batch.sort((a, b) -> Long.compare(a.timestampNanos(), b.timestampNanos())); // stable
                for (Timeline.Frame f : batch) {
                    w.write(f.timestampNanos(), f.bytes());
                    bytes += 16 + f.bytes().length;
                    packets++;
                }
                batch.clear();
                start = end;
            }
        }
        return packets;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BenchCapture OUT.pcap SIZE_MB [SEED]");
            System.exit(2);
        }
        long target = Long.parseLong(args[1]) * 1_000_000L;
        BenchCapture g = new BenchCapture(args.length > 2 ? Long.parseLong(args[2]) : 1L);
        long t0 = System.nanoTime();
        long packets = g.write(Path.of(args[0]), target);
        System.out.printf("packets=%d bytes=%d dns=%d http=%d tls=%d downloads=%d faulted=%d hosts=%d gen_s=%.1f%n",
                packets, java.nio.file.Files.size(Path.of(args[0])), g.dns, g.http, g.tls, g.downloads, g.faulted,
                CLIENTS + SERVERS + 1, (System.nanoTime() - t0) / 1e9);
    }
}
