package org.workbench.graph;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Facts about a capture from Wireshark's {@code tshark} and libmagic's {@code file}, tools that share no code
 * with the workbench (the approach of the kernel tests' TsharkOracle): exported HTTP objects, the server and
 * client address of each HTTP response body by MD5, and the A/AAAA answers per DNS query name.
 */
final class GraphOracle {
    static final String TSHARK = "/usr/bin/tshark";
    static final String FILE = "/usr/bin/file";

    private GraphOracle() {
    }

    /** @return the shared captures folder; fails the test naming it when absent */
    static Path pcapDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (surefire sets it to ../shared of the project)");
        }
        Path dir = Path.of(shared, "data", "pcap");
        if (!Files.isDirectory(dir)) {
            fail("shared captures folder is missing: " + dir.toAbsolutePath());
        }
        if (!Files.isExecutable(Path.of(TSHARK)) || !Files.isExecutable(Path.of(FILE))) {
            fail("missing tool: " + TSHARK + " and " + FILE + " (Debian packages tshark, file) are the oracle");
        }
        return dir;
    }

    /** An object of {@code --export-objects http}: MD5, size in bytes, libmagic MIME type. */
    record HttpObject(String md5, long size, String mime) {
    }

    /** An HTTP response body: its MD5 and the response's source (server) and destination (client) addresses. */
    record Body(String md5, String server, String client) {
    }

    /** {@code tshark -q --export-objects http,DIR}, then {@code file -b --mime-type} per object. */
    static List<HttpObject> exportHttpObjects(Path capture, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(List.of(TSHARK, "-r", capture.toString(), "-q", "--export-objects", "http," + dir), dir.getParent());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<HttpObject> out = new ArrayList<>();
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            String mime = run(List.of(FILE, "-b", "--mime-type", "--", f.toString()), dir.getParent()).strip();
            out.add(new HttpObject(md5(b), b.length, mime));
        }
        return out;
    }

    /** {@code tshark -Y "http.response and tcp" -T json -x -j "ip http"}: each body with its addresses. */
    static List<Body> httpBodies(Path capture, Path scratch) throws IOException, InterruptedException {
        String json = run(List.of(TSHARK, "-r", capture.toString(), "-Y", "http.response and tcp", "-T", "json",
                "-x", "-j", "ip http"), scratch);
        List<Body> out = new ArrayList<>();
        for (JsonNode p : new ObjectMapper().readTree(json)) {
            JsonNode layers = p.path("_source").path("layers");
            JsonNode ip = layers.path("ip");
            if (ip.isArray()) {
                ip = ip.get(ip.size() - 1);
            }
            JsonNode http = layers.path("http");
            for (JsonNode h : http.isArray() ? http : List.of(http)) {
                JsonNode raw = h.path("http.file_data_raw");
                if (raw.isArray() && raw.size() > 0) {
                    out.add(new Body(md5(HexFormat.of().parseHex(raw.get(0).asText())),
                            ip.path("ip.src").asText(), ip.path("ip.dst").asText()));
                }
            }
        }
        return out;
    }

    /** {@code tshark -Y "dns.flags.response==1" -T fields -e dns.qry.name -e dns.a}: query name to A answers. */
    static Map<String, Set<String>> dnsA(Path capture, Path scratch) throws IOException, InterruptedException {
        String out = run(List.of(TSHARK, "-r", capture.toString(), "-Y", "dns.flags.response==1", "-T", "fields",
                "-E", "separator=/t", "-e", "dns.qry.name", "-e", "dns.a"), scratch);
        Map<String, Set<String>> m = new TreeMap<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split("\t", -1);
            if (f.length < 2 || f[1].isBlank()) {
                continue;
            }
            Set<String> s = m.computeIfAbsent(f[0].toLowerCase(), k -> new TreeSet<>());
            for (String a : f[1].split(",")) {
                s.add(a.strip());
            }
        }
        return m;
    }

    /** @return body MD5 to the server addresses that sent it */
    static Map<String, Set<String>> serversByMd5(List<Body> bodies) {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        bodies.forEach(b -> m.computeIfAbsent(b.md5(), k -> new TreeSet<>()).add(b.server()));
        return m;
    }

    static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command (no shell) and returns its standard output; fails with its error output otherwise. */
    static String run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail(cmd + " did not finish in 2 minutes");
            }
            if (p.exitValue() != 0) {
                fail(cmd + " exited with " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
