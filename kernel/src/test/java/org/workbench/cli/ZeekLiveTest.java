package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.Pcaps;
import org.workbench.synth.DnsMessage;

/**
 * {@code workbench zeek -i lo}: a live capture run in-process ({@link Main#run(String...)} on a thread) while the
 * test makes its own traffic on 127.0.0.1: a DNS query answered by a tiny UDP responder and an HTTP GET served by
 * {@code com.sun.net.httpserver}. Needs root (or CAP_NET_RAW) and libpcap: without them it fails, naming what is
 * missing.
 *
 * <p>The DNS exchange goes from client port 53535 to a responder on port 53: like Zeek, the DNS analyzer is chosen
 * by the responder's port (DNS has no content signature), while HTTP on 58080 is found by content.
 */
class ZeekLiveTest {
    private static final String FILTER = "host 127.0.0.1 and (port 53535 or port 58080)";
    private static final String QNAME = "live.workbench.test";

    @TempDir
    Path dir;

    @Test
    void capturesDnsAndHttpOnLoopback() throws Exception {
        requireRootAndLibpcap();
        Path out = dir.resolve("live");
        InetAddress lo = InetAddress.getByName("127.0.0.1");

        DatagramSocket responder = bind(new InetSocketAddress(lo, 53));
        Thread dns = new Thread(() -> answer(responder), "dns-responder");
        dns.setDaemon(true);
        dns.start();
        HttpServer http = HttpServer.create(new InetSocketAddress(lo, 58080), 0);
        byte[] body = "hello from the live test\n".getBytes(StandardCharsets.US_ASCII);
        http.createContext("/hello", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        http.start();

        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger rc = new AtomicInteger(-1);
        Thread zeek;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            zeek = new Thread(() -> rc.set(Main.run("zeek", "-i", "lo", "-f", FILTER, "--duration", "4",
                    "-d", out.toString(), "-C", "--seed", "7")), "zeek-live");
            zeek.start();
            long until = System.nanoTime() + 10_000_000_000L;
            while (!text(err).contains("listening on lo")) {
                if (!zeek.isAlive() || System.nanoTime() > until) {
                    fail("capture did not start: " + text(err));
                }
                Thread.sleep(20);
            }
            Thread.sleep(300);

            // DNS: client port 53535 -> responder 127.0.0.1:53
            try (DatagramSocket client = bind(new InetSocketAddress(lo, 53535))) {
                client.setSoTimeout(3000);
                byte[] q = DnsMessage.query(0x4242, QNAME, DnsMessage.TYPE_A).build();
                client.send(new DatagramPacket(q, q.length, lo, 53));
                DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                client.receive(reply);
                assertEquals(0x4242, ByteBuffer.wrap(reply.getData()).getShort() & 0xffff, "DNS reply id");
            }
            // HTTP: GET /hello on 58080
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:58080/hello").openConnection();
            c.setRequestProperty("Connection", "close");
            assertEquals(200, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                assertTrue(Arrays.equals(body, in.readAllBytes()), "HTTP body");
            }
            c.disconnect();

            // logs are flushed while the capture runs: the DNS row is readable before the end
            Thread.sleep(1600);
            assertTrue(zeek.isAlive(), "capture still running for --duration 4");
            Path dnsLog = out.resolve("dns.log");
            assertTrue(Files.isRegularFile(dnsLog) && Files.readString(dnsLog).contains(QNAME),
                    "dns.log readable during the capture: " + (Files.exists(dnsLog) ? Files.readString(dnsLog)
                            : "missing"));

            zeek.join(20_000);
            assertTrue(!zeek.isAlive(), "capture stopped after --duration 4");
        } finally {
            System.setErr(oldErr);
            http.stop(0);
            responder.close();
        }
        assertEquals(0, rc.get(), text(err));
        assertTrue(text(err).contains("lo: ") && text(err).contains("logs in"), text(err));

        List<Map<String, String>> conn = rows(out.resolve("conn.log"));
        assertTrue(conn.stream().anyMatch(r -> r.get("proto").equals("udp") && r.get("id.orig_p").equals("53535")
                && r.get("id.resp_p").equals("53") && r.get("service").equals("dns")), "UDP DNS conn: " + conn);
        assertTrue(conn.stream().anyMatch(r -> r.get("proto").equals("tcp") && r.get("id.resp_p").equals("58080")
                && r.get("service").equals("http")), "TCP HTTP conn: " + conn);
        List<Map<String, String>> dnsRows = rows(out.resolve("dns.log"));
        assertTrue(dnsRows.stream().anyMatch(r -> r.get("query").equals(QNAME) && r.get("rcode_name").equals("NOERROR")
                && r.get("answers").contains("10.1.2.3")), "dns.log: " + dnsRows);
        List<Map<String, String>> httpRows = rows(out.resolve("http.log"));
        assertTrue(httpRows.stream().anyMatch(r -> r.get("method").equals("GET") && r.get("uri").equals("/hello")
                && r.get("status_code").equals("200")), "http.log: " + httpRows);
        String connText = Files.readString(out.resolve("conn.log"));
        assertTrue(connText.contains("\n#close\t"), "conn.log closed: " + connText);
    }

    @Test
    void unknownInterfaceIsAOneLineError() throws Exception {
        requireRootAndLibpcap();
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-i", "nosuchif0", "-d", dir.toString());
        assertEquals(1, r.code(), r.err());
        String line = r.oneLine();
        assertTrue(line.contains("nosuchif0: no such interface") && line.contains("lo"), line);
    }

    @Test
    void readAndInterfaceAreExclusive() {
        ZeekCommandTest.Result r = ZeekCommandTest.run("zeek", "-i", "lo", "-r", "x.pcap", "-d", dir.toString());
        assertEquals(2, r.code(), r.err());
        String line = r.oneLine();
        assertTrue(line.contains("-r") && line.contains("-i"), line);
    }

    /** Fails (never skips) when the test cannot capture. */
    private static void requireRootAndLibpcap() throws Exception {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            fail("ZeekLiveTest captures on 'lo' and must run as root (uid is " + uid + ")");
        }
        try {
            Pcaps.findAllDevs();
        } catch (Throwable t) {
            fail("ZeekLiveTest needs libpcap (e.g. apt-get install libpcap0.8): " + t);
        }
    }

    private static DatagramSocket bind(InetSocketAddress at) throws SocketException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(at);
        return s;
    }

    private static void answer(DatagramSocket socket) {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                int id = ByteBuffer.wrap(p.getData(), 0, 2).getShort() & 0xffff;
                byte[] r = DnsMessage.response(id, QNAME, DnsMessage.TYPE_A).a(QNAME, 60, "10.1.2.3").build();
                socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    private static String text(ByteArrayOutputStream b) {
        synchronized (b) {
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    /** The rows of a TSV Zeek log, by field name. */
    private static List<Map<String, String>> rows(Path log) throws Exception {
        assertTrue(Files.isRegularFile(log), "missing " + log);
        String[] fields = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("#fields\t")) {
                fields = line.substring("#fields\t".length()).split("\t", -1);
            } else if (!line.startsWith("#") && fields != null) {
                String[] v = line.split("\t", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < fields.length && i < v.length; i++) {
                    row.put(fields[i], v[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
