package org.workbench.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Facts about a capture from tools that share no code with the workbench: Wireshark's {@code tshark} (objects,
 * DNS queries, HTTP responses) and libmagic's {@code file} (MIME types). MD5s are computed here with the JDK.
 */
final class TsharkOracle {
    static final String TSHARK = "/usr/bin/tshark";
    static final String FILE = "/usr/bin/file";

    /**
     * libmagic MIME types ({@code file -b --mime-type}, file 5.44) of files worth extracting from a drive-by:
     * executables, PDF, Flash, Java classes and archives, other archives and Office containers. Scripts, HTML,
     * CSS, images and fonts are not in it.
     */
    static final Set<String> EXECUTABLE_OR_CONTAINER = Set.of(
            "application/vnd.microsoft.portable-executable", "application/x-dosexec", "application/x-msdownload",
            "application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
            "application/x-mach-binary",
            "application/pdf", "application/x-shockwave-flash",
            "application/java-archive", "application/x-java-archive", "application/x-java-applet",
            "application/x-java-pack200",
            "application/zip", "application/x-rar", "application/vnd.rar", "application/x-7z-compressed",
            "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz", "application/x-tar",
            "application/vnd.ms-cab-compressed", "application/x-rpm", "application/vnd.debian.binary-package",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/rtf",
            "text/rtf", "application/CDFV2", "application/x-ole-storage");

    private TsharkOracle() {
    }

    /** Fails (never skips) when tshark or file is missing. */
    static void requireTools() {
        if (!Files.isExecutable(Path.of(TSHARK))) {
            fail("missing tool: " + TSHARK + " (Debian package tshark) is the oracle of the drive-by notebook test");
        }
        if (!Files.isExecutable(Path.of(FILE))) {
            fail("missing tool: " + FILE + " (Debian package file) gives the oracle's MIME types");
        }
    }

    static boolean isExecutableOrContainer(String libmagicMime) {
        return EXECUTABLE_OR_CONTAINER.contains(libmagicMime)
                || libmagicMime.startsWith("application/vnd.openxmlformats-officedocument.")
                || libmagicMime.startsWith("application/vnd.oasis.opendocument.");
    }

    /** An object of {@code --export-objects http}: its file name, MD5, size and libmagic MIME type. */
    record HttpObject(String name, String md5, long size, String mime) {
    }

    /** A DNS query frame: its time, query name and numeric query type. */
    record DnsQuery(Instant time, String name, int type) {
    }

    /**
     * An HTTP response PDU as tshark dissects it: time of the frame completing it, host and percent-decoded
     * request URI of its request, Content-Type, and MD5 and length of its entity body (de-chunked and decoded).
     */
    record HttpResponse(Instant time, String host, String uri, String contentType, String bodyMd5, long bodyLength) {
    }

    /** An HTTP request: host and percent-decoded URI. */
    record HttpRequest(String host, String uri) {
    }

    /** {@code tshark -r CAP -q --export-objects http,DIR}, then {@code file -b --mime-type} on each object. */
    static List<HttpObject> exportHttpObjects(Path capture, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(List.of(TSHARK, "-r", capture.toString(), "-q", "--export-objects", "http," + dir), dir.getParent());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (files.isEmpty()) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>(List.of(FILE, "-b", "--mime-type", "--"));
        files.forEach(f -> cmd.add(f.toString()));
        List<String> mimes = run(cmd, dir.getParent()).lines().toList();
        if (mimes.size() != files.size()) {
            fail("file printed " + mimes.size() + " MIME types for " + files.size() + " files: " + mimes);
        }
        List<HttpObject> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            byte[] b = Files.readAllBytes(files.get(i));
            out.add(new HttpObject(files.get(i).getFileName().toString(), md5(b), b.length, mimes.get(i).strip()));
        }
        return out;
    }

    /** {@code tshark -Y "dns.flags.response==0" -T fields -e frame.time_epoch -e dns.qry.name -e dns.qry.type}. */
    static List<DnsQuery> dnsQueries(Path capture, Path scratch) throws IOException, InterruptedException {
        String out = run(List.of(TSHARK, "-r", capture.toString(), "-Y", "dns.flags.response==0", "-T", "fields",
                "-E", "separator=/t", "-e", "frame.time_epoch", "-e", "dns.qry.name", "-e", "dns.qry.type"), scratch);
        List<DnsQuery> q = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split("\t", -1);
            q.add(new DnsQuery(epoch(f[0]), f[1], Integer.parseInt(f[2].split(",")[0])));
        }
        return q;
    }

    private static final Pattern URL = Pattern.compile("(?i)https?://([^/]*)(.*)");

    /**
     * HTTP responses over TCP with their bodies: {@code tshark -Y "http.response and tcp" -T json -x}
     * ({@code http.file_data_raw}).
     */
    static List<HttpResponse> httpResponses(Path capture, Path scratch) throws IOException, InterruptedException {
        Path json = scratch.resolve("http-responses.json");
        runTo(List.of(TSHARK, "-r", capture.toString(), "-Y", "http.response and tcp", "-T", "json", "-x",
                "-j", "frame http"), scratch, json);
        JsonNode packets = new ObjectMapper().readTree(json.toFile());
        Files.delete(json);
        List<HttpResponse> out = new ArrayList<>();
        for (JsonNode p : packets) {
            JsonNode layers = p.path("_source").path("layers");
            Instant time = epoch(layers.path("frame").path("frame.time_epoch").asText());
            JsonNode http = layers.path("http");
            for (JsonNode h : http.isArray() ? http : List.of(http)) {
                if (!h.has("http.response_for.uri")) {
                    continue;
                }
                Matcher m = URL.matcher(h.get("http.response_for.uri").asText());
                if (!m.matches()) {
                    fail("unexpected http.response_for.uri " + h.get("http.response_for.uri"));
                }
                JsonNode raw = h.path("http.file_data_raw");
                byte[] body = raw.isArray() && raw.size() > 0 ? HexFormat.of().parseHex(raw.get(0).asText())
                        : new byte[0];
                out.add(new HttpResponse(time, m.group(1), decode(m.group(2)), h.path("http.content_type").asText(""),
                        md5(body), body.length));
            }
        }
        return out;
    }

    /** {@code tshark -Y "http.request and tcp" -T fields -e http.host -e http.request.uri} (no SSDP over UDP). */
    static List<HttpRequest> httpRequests(Path capture, Path scratch) throws IOException, InterruptedException {
        String out = run(List.of(TSHARK, "-r", capture.toString(), "-Y", "http.request and tcp", "-T", "fields",
                "-E", "separator=/t", "-e", "http.host", "-e", "http.request.uri"), scratch);
        List<HttpRequest> r = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split("\t", -1);
            r.add(new HttpRequest(f[0], decode(f[1])));
        }
        return r;
    }

    /**
     * Percent-decoding of a URI as Zeek logs it: {@code %HH} of a printable ASCII character is decoded, anything
     * else (a plus, a malformed escape, a control or non-ASCII byte) is kept as written.
     */
    static String decode(String uri) {
        StringBuilder b = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '%' && i + 2 < uri.length()) {
                int hi = Character.digit(uri.charAt(i + 1), 16);
                int lo = Character.digit(uri.charAt(i + 2), 16);
                int v = hi * 16 + lo;
                if (hi >= 0 && lo >= 0 && v >= 0x20 && v < 0x7f) {
                    b.append((char) v);
                    i += 2;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    static Instant epoch(String s) {
        BigDecimal d = new BigDecimal(s.strip());
        long sec = d.longValue();
        return Instant.ofEpochSecond(sec, d.subtract(BigDecimal.valueOf(sec)).movePointRight(9).longValue());
    }

    static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ processes

    /** Runs a command (no shell), returns its stdout; fails with its stderr on a non-zero exit. */
    static String run(List<String> cmd, Path scratch) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        try {
            runTo(cmd, scratch, out);
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void runTo(List<String> cmd, Path scratch, Path stdout) throws IOException, InterruptedException {
        Result r = exec(cmd, Map.of(), scratch, stdout, Duration.ofMinutes(2));
        if (r.code() != 0) {
            fail(cmd + " exited with " + r.code() + ": " + r.stderr());
        }
    }

    record Result(int code, String stdout, String stderr) {
    }

    /**
     * Runs a command with extra environment variables in {@code dir}, stdout to {@code stdoutFile} (or a temp file
     * read back when null), stderr collected; fails when it does not finish in time (killing it and its children).
     */
    static Result exec(List<String> cmd, Map<String, String> env, Path dir, Path stdoutFile, Duration timeout)
            throws IOException, InterruptedException {
        Path out = stdoutFile != null ? stdoutFile : Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                fail(cmd + " did not finish in " + timeout.toSeconds() + " s; stderr:\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), stdoutFile != null ? "" : Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
            if (stdoutFile == null) {
                Files.deleteIfExists(out);
            }
        }
    }
}
