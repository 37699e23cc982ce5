package org.workbench.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.workbench.capture.PcapWriter;

/**
 * Writes a small, deterministic "drive-by download" capture for demos and tests. All content is harmless: the
 * files only have the shape (magic numbers, headers) of the real types.
 *
 * <p>The story, on one Ethernet segment, starting at {@link #START_SECONDS}:
 * <ol>
 *   <li>Client {@value #CLIENT_IP} asks DNS server {@value #DNS_IP} for the compromised site {@value #SITE}
 *       (answer: a CNAME to {@value #SITE_CNAME} and its A record), then for two random-looking (DGA-like)
 *       names, {@value #DGA1} and {@value #DGA2}, each answered with one A record.</li>
 *   <li>HTTP/1.1 over TCP (segments of {@value #SEGMENT} bytes), one connection per download:
 *       <ul>
 *         <li>{@code GET /} from the site: an HTML page ({@code text/html}) whose script tag points at DGA1;</li>
 *         <li>{@code GET /js/jquery.min.js} from the site: a JavaScript file ({@code application/javascript});</li>
 *         <li>{@code GET /flash/banner.swf} from DGA1: a tiny uncompressed SWF ({@code FWS} header,
 *             {@code application/x-shockwave-flash}); one data segment is retransmitted;</li>
 *         <li>{@code GET /applet/update.jar} from DGA1: a real JAR (a zip made with {@link java.util.jar.JarOutputStream}) holding
 *             {@code META-INF/MANIFEST.MF} and {@code a/Loader.class} ({@code application/java-archive}); two data
 *             segments arrive out of order;</li>
 *         <li>{@code GET /docs/invoice.pdf} from DGA2: a minimal PDF served with {@code Content-Encoding: gzip}
 *             ({@code application/pdf});</li>
 *         <li>{@code GET /download/setup.exe} from DGA2: a minimal MZ/PE header ({@code application/x-msdownload}).</li>
 *       </ul></li>
 * </ol>
 * Addresses come from the documentation ranges (RFC 5737) and names from the reserved {@code .test} and
 * {@code .example} domains (RFC 2606), except the DNS server and client, which the scenario fixes.
 */
public final class DriveByCapture {
    /** Time of the first packet, seconds since the epoch (2014-01-15 14:53:20 UTC). */
    public static final long START_SECONDS = 1_389_797_600L;
    /** The victim. */
    public static final String CLIENT_IP = "192.168.22.10";
    /** The resolver the victim uses. */
    public static final String DNS_IP = "4.2.2.3";
    /** The compromised web site. */
    public static final String SITE = "www.greenvalley-bakery.example";
    /** The site's canonical name. */
    public static final String SITE_CNAME = "greenvalley-bakery.hosting.example";
    /** Address of the compromised site. */
    public static final String SITE_IP = "198.51.100.20";
    /** First DGA-like domain (exploit kit landing). */
    public static final String DGA1 = "qx7vkz3mtw9p.test";
    /** Address of the first DGA domain. */
    public static final String DGA1_IP = "203.0.113.66";
    /** Second DGA-like domain (payload host). */
    public static final String DGA2 = "vt4nq8rjx2lc.test";
    /** Address of the second DGA domain. */
    public static final String DGA2_IP = "203.0.113.99";
    /** TCP data bytes per segment. */
    public static final int SEGMENT = 536;

    private static final Host CLIENT = Host.of("00:1c:42:aa:10:0a", CLIENT_IP);
    /** Everything off the LAN is reached through the gateway's MAC. */
    private static final String GATEWAY_MAC = "00:1c:42:00:00:01";

    private DriveByCapture() {
    }

    /**
     * Writes the capture (classic pcap, Ethernet, microsecond timestamps). The same bytes every time.
     *
     * @param out the file to create or replace
     * @throws IOException if writing fails
     */
    public static void write(Path out) throws IOException {
        build().writePcap(out, PcapWriter.LINKTYPE_ETHERNET);
    }

    /**
     * The capture as bytes, for callers that need no file: the same bytes {@link #write} writes.
     *
     * @return the classic pcap file's bytes
     */
    public static byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, PcapWriter.LINKTYPE_ETHERNET)) {
            build().writeTo(w);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Command line: {@code java -cp workbench-lib.jar org.workbench.synth.DriveByCapture OUT.pcap} writes the
     * capture to OUT.pcap (default {@code driveby.pcap} in the current directory).
     *
     * @param args the output path, optional
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "driveby.pcap");
        write(out);
        System.out.println("wrote " + build().frames().size() + " packets to " + out);
    }

    /** The capture's frames, for callers that want them in memory. */
    public static Timeline build() {
        Timeline t = new Timeline(START_SECONDS * 1_000_000_000L, 250);
        Host dns = Host.of(GATEWAY_MAC, DNS_IP);
        Host site = Host.of(GATEWAY_MAC, SITE_IP);
        Host dga1 = Host.of(GATEWAY_MAC, DGA1_IP);
        Host dga2 = Host.of(GATEWAY_MAC, DGA2_IP);

        // 1. DNS
        dnsExchange(t, dns, 51001, 0x1a01, SITE, DnsMessage.response(0x1a01, SITE, DnsMessage.TYPE_A)
                .cname(SITE, 3600, SITE_CNAME).a(SITE_CNAME, 300, SITE_IP));
        t.advance(2_000);
        byte[] html = html();
        byte[] js = javascript();
        http(t, site, 49301, SITE, "/", "text/html; charset=utf-8", null, html, TcpSession.Faults.none());
        t.advance(5_000);
        http(t, site, 49302, SITE, "/js/jquery.min.js", "application/javascript", null, js,
                TcpSession.Faults.none());
        t.advance(40_000);
        dnsExchange(t, dns, 51002, 0x1a02, DGA1, DnsMessage.response(0x1a02, DGA1, DnsMessage.TYPE_A)
                .a(DGA1, 60, DGA1_IP));
        t.advance(2_000);
        http(t, dga1, 49303, DGA1, "/flash/banner.swf", "application/x-shockwave-flash", null, swf(),
                TcpSession.Faults.none().retransmit(0));
        t.advance(10_000);
        http(t, dga1, 49304, DGA1, "/applet/update.jar", "application/java-archive", null, jar(),
                TcpSession.Faults.none().swapWithNext(0));
        t.advance(300_000);
        dnsExchange(t, dns, 51003, 0x1a03, DGA2, DnsMessage.response(0x1a03, DGA2, DnsMessage.TYPE_A)
                .a(DGA2, 60, DGA2_IP));
        t.advance(2_000);
        http(t, dga2, 49305, DGA2, "/docs/invoice.pdf", "application/pdf", "gzip", gzip(pdf()),
                TcpSession.Faults.none());
        t.advance(20_000);
        http(t, dga2, 49306, DGA2, "/download/setup.exe", "application/x-msdownload", null, pe(),
                TcpSession.Faults.none());
        return t;
    }

    private static void dnsExchange(Timeline t, Host dns, int clientPort, int id, String name, DnsMessage answer) {
        byte[] q = DnsMessage.query(id, name, DnsMessage.TYPE_A).build();
        t.add(PacketFrames.udpFrame(CLIENT, clientPort, dns, 53, id & 0x7fff, q));
        t.advance(30_000);
        t.add(PacketFrames.udpFrame(dns, 53, CLIENT, clientPort, (id + 7) & 0x7fff, answer.build()));
    }

    private static void http(Timeline t, Host server, int clientPort, String host, String path, String type,
                             String encoding, byte[] body, TcpSession.Faults faults) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: Mozilla/5.0 (Windows NT 6.1; rv:26.0) Gecko/20100101 Firefox/26.0\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n";
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 200 OK\r\n")
                .append("Server: nginx\r\n")
                .append("Content-Type: ").append(type).append("\r\n");
        if (encoding != null) {
            head.append("Content-Encoding: ").append(encoding).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n")
                .append("Connection: close\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] response = new byte[h.length + body.length];
        System.arraycopy(h, 0, response, 0, h.length);
        System.arraycopy(body, 0, response, h.length, body.length);

        long isn = 0x10000000L * (clientPort % 13) + clientPort * 7919L;
        TcpSession s = new TcpSession(t, CLIENT, clientPort, server, 80, SEGMENT, isn, isn ^ 0x5a5a5a5aL);
        s.handshake();
        t.advance(1_000);
        s.send(true, request.getBytes(StandardCharsets.US_ASCII));
        t.advance(20_000);
        s.send(false, response, faults);
        s.close(false);
    }

    // ------------------------------------------------------------------ harmless look-alike files

    static byte[] html() {
        String s = "<!DOCTYPE html>\n<html><head><title>Green Valley Bakery</title>\n"
                + "<script src=\"/js/jquery.min.js\"></script></head>\n<body>\n"
                + "<h1>Fresh bread every morning</h1>\n"
                + "<p>Order cakes for birthdays and weddings. Open Monday to Saturday.</p>\n"
                + "<script>document.write('<iframe src=\"http://" + DGA1 + "/flash/banner.swf\" width=1 height=1>"
                + "</iframe>');</script>\n"
                + "</body></html>\n";
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] javascript() {
        StringBuilder sb = new StringBuilder("/*! demo helper library, not jQuery */\n(function (window) {\n"
                + "  'use strict';\n  var lib = {};\n");
        for (int i = 0; i < 30; i++) {
            sb.append("  lib.helper").append(i).append(" = function (a, b) { return (a || 0) + (b || 0) + ")
                    .append(i).append("; };\n");
        }
        sb.append("  window.demoLib = lib;\n})(window);\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** An uncompressed SWF: "FWS", version 10, file length, then a tiny rectangle/frame header and End tag. */
    static byte[] swf() {
        byte[] body = {0x08, 0x00, 0x00, 0x18, 0x01, 0x00, 0x00, 0x00}; // RECT(nbits=1), frame rate, count, End
        ByteBuffer b = ByteBuffer.allocate(8 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'F').put((byte) 'W').put((byte) 'S').put((byte) 10).putInt(8 + body.length).put(body);
        return b.array();
    }

    /** A real zip with a manifest and a class-named entry; fixed entry times so the bytes never change. */
    static byte[] jar() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            // JarOutputStream marks the first entry with the 0xCAFE extra field that identifies a JAR
            try (ZipOutputStream z = new java.util.jar.JarOutputStream(bos)) {
                long time = START_SECONDS * 1000L;
                ZipEntry m = new ZipEntry("META-INF/MANIFEST.MF");
                m.setTime(time);
                z.putNextEntry(m);
                z.write(("Manifest-Version: 1.0\r\nMain-Class: a.Loader\r\nCreated-By: workbench demo\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                z.closeEntry();
                ZipEntry c = new ZipEntry("a/Loader.class");
                c.setTime(time);
                z.putNextEntry(c);
                // class-file magic and version, then filler: not a loadable class
                z.write(new byte[]{(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 0x32});
                z.write("harmless demo bytes, not a real class".getBytes(StandardCharsets.US_ASCII));
                z.closeEntry();
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal one-page PDF (ISO 32000-1 structure: header, objects, xref, trailer). */
    static byte[] pdf() {
        List<String> objs = new ArrayList<>();
        objs.add("<< /Type /Catalog /Pages 2 0 R >>");
        objs.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        objs.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>");
        String stream = "BT /F1 12 Tf 72 720 Td (Invoice 2014-0115) Tj ET";
        objs.add("<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream");
        StringBuilder sb = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objs.size(); i++) {
            offsets.add(sb.length());
            sb.append(i + 1).append(" 0 obj\n").append(objs.get(i)).append("\nendobj\n");
        }
        int xref = sb.length();
        sb.append("xref\n0 ").append(objs.size() + 1).append("\n0000000000 65535 f \n");
        for (int off : offsets) {
            sb.append(String.format("%010d 00000 n \n", off));
        }
        sb.append("trailer\n<< /Size ").append(objs.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** gzip with the header's modification time left at 0 (what {@link GZIPOutputStream} writes): deterministic. */
    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
                g.write(data);
            }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The headers of a PE file and nothing to run: DOS header ("MZ", e_lfanew = 0x80), DOS stub text, "PE\0\0",
     * a COFF header for i386 with no sections and an optional-header magic of 0x10b (PE32).
     */
    static byte[] pe() {
        ByteBuffer b = ByteBuffer.allocate(0x80 + 24 + 224).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'M').put((byte) 'Z');
        b.putShort(0x3c, (short) 0x80);
        b.position(0x40);
        b.put("This program cannot be run in DOS mode.\r\r\n$".getBytes(StandardCharsets.US_ASCII));
        b.position(0x80);
        b.put((byte) 'P').put((byte) 'E').put((byte) 0).put((byte) 0);
        b.putShort((short) 0x014c);      // Machine: i386
        b.putShort((short) 0);           // NumberOfSections
        b.putInt((int) START_SECONDS);   // TimeDateStamp
        b.putInt(0).putInt(0);           // symbol table pointer, count
        b.putShort((short) 224);         // SizeOfOptionalHeader
        b.putShort((short) 0x0102);      // Characteristics: executable, 32-bit
        b.putShort((short) 0x010b);      // optional header magic: PE32
        return b.array();
    }
}
