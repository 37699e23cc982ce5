package org.workbench.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.workbench.capture.CaptureReader;
import org.workbench.capture.PcapWriter;
import org.workbench.capture.RawPacket;
import org.workbench.files.ExtractedFile;
import org.workbench.synth.DriveByCapture;
import org.workbench.zeeklog.LogCollector;
import org.workbench.zeeklog.LogRecord;

/**
 * Checks {@link ZeekAnalysis} against an independent oracle: Wireshark's {@code tshark} (objects exported with
 * {@code --export-objects http}, typed by {@code file --mime-type}; DNS and HTTP fields; TCP/UDP conversation
 * tables) and {@code capinfos}. Nothing here comes from constants of the code under test: the expected values are
 * what the external tools report on the same capture.
 *
 * <p>Two captures: the reference {@code kitchen_boss.pcap} (from the folder named by the system property
 * {@code workbench.shared}; analysed with checksums off, as it has server packets with wrong TCP checksums) and
 * the synthetic drive-by capture of {@link DriveByCapture}.
 */
class ZeekAnalysisOracleTest {
    private static final String TSHARK = "/usr/bin/tshark";
    private static final String CAPINFOS = "/usr/bin/capinfos";
    private static final String FILE = "/usr/bin/file";

    /**
     * What {@code file --mime-type} calls executables and containers (the test's own list, in libmagic's names,
     * old and new spellings): the kinds of file a forensic extraction keeps.
     */
    private static final Set<String> EXECUTABLE_OR_CONTAINER = Set.of(
            "application/x-dosexec", "application/vnd.microsoft.portable-executable", "application/x-msdownload",
            "application/x-executable", "application/x-pie-executable", "application/x-sharedlib",
            "application/x-mach-binary", "application/x-java-applet", "application/java-archive",
            "application/zip", "application/x-shockwave-flash", "application/pdf", "application/gzip",
            "application/x-gzip", "application/x-bzip2", "application/x-xz", "application/x-7z-compressed",
            "application/x-rar", "application/vnd.rar", "application/x-tar", "application/vnd.ms-cab-compressed",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/CDFV2",
            "application/x-ole-storage", "application/rtf", "text/rtf");

    @TempDir
    static Path tmp;

    /** Per capture name: our analysis and tshark's view, computed once. */
    private static final Map<String, Ours> OURS = new ConcurrentHashMap<>();
    private static final Map<String, Oracle> ORACLE = new ConcurrentHashMap<>();

    // ------------------------------------------------------------------ the checks

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void packetCountEqualsCapinfosAndTshark(String name) throws Exception {
        Path capture = capture(name);
        String out = exec(List.of(tool(CAPINFOS), "-c", "-M", capture.toString()));
        long capinfos = -1;
        for (String line : out.split("\n")) {
            if (line.startsWith("Number of packets")) {
                capinfos = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        assertTrue(capinfos > 0, "capinfos gave no packet count: " + out);
        long tshark = exec(List.of(tool(TSHARK), "-n", "-r", capture.toString(), "-T", "fields", "-e",
                "frame.number")).lines().count();
        assertEquals(capinfos, tshark, "capinfos and tshark disagree on " + capture);
        ZeekAnalysis.Summary s = ours(name).summary;
        assertEquals(capinfos, s.packets(), "packets read from " + capture);
        assertFalse(s.truncated());
        assertEquals(0, s.anomalies(), "capture anomalies in " + capture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void extractedFilesAreTsharksExecutablesAndContainers(String name) throws Exception {
        Ours ours = ours(name);
        Oracle oracle = oracle(name);
        List<String> expected = oracle.objects.stream().filter(o -> isExecutableOrContainer(o.mime))
                .map(o -> o.md5).sorted().toList();
        assertFalse(expected.isEmpty(), "tshark exported no executable or container from " + name);
        for (Extracted x : ours.extracted) {
            assertNotNull(x.file.md5(), "extracted file without md5 (missing bytes?): " + x.file);
            assertEquals(x.contentMd5, x.file.md5(), "md5 of the extracted bytes vs the one reported for "
                    + x.file.extractedName());
            assertEquals(x.file.size(), x.contentSize, "size of " + x.file.extractedName());
        }
        List<String> actual = ours.extracted.stream().map(x -> x.contentMd5).sorted().toList();
        assertSameMultiset(expected, actual, "MD5s of extracted files vs tshark's executable/container objects "
                + describe(oracle.objects));
        if (name.equals("kitchen_boss")) {
            assertEquals(9, actual.size(), "the walkthrough's 9 files (5 jar, 2 swf, pdf, exe)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void filesLogHashesAreTsharksHttpObjects(String name) throws Exception {
        Ours ours = ours(name);
        Oracle oracle = oracle(name);
        Set<String> exported = oracle.objects.stream().map(o -> o.md5).collect(Collectors.toSet());
        List<LogRecord> files = ours.logs.records("files");
        assertFalse(files.isEmpty(), "files.log of " + name);
        Set<String> logged = new HashSet<>();
        for (LogRecord f : files) {
            long missing = count(f.get("missing_bytes"));
            String md5 = (String) f.get("md5");
            if (missing == 0) {
                assertNotNull(md5, "files.log row without missing bytes but without md5: " + f);
                assertTrue(exported.contains(md5), "files.log md5 " + md5 + " (" + f.get("mime_type") + ", "
                        + f.get("seen_bytes") + " bytes) is not among tshark's HTTP objects " + describe(
                        oracle.objects));
                logged.add(md5);
            }
        }
        // Vice versa. A legitimate difference: tshark exports an object for a response whose body lost bytes in
        // the capture (it exports what it has), while Zeek reports missing_bytes > 0 and no hash; such objects are
        // allowed when files.log has an incomplete file of the same connection direction. None of the two
        // captures has such a hole, so every exported object must be hashed here.
        List<String> notLogged = oracle.objects.stream().filter(o -> !logged.contains(o.md5))
                .map(o -> o.name + " " + o.mime + " " + o.md5 + " " + o.size).toList();
        long incomplete = files.stream().filter(f -> count(f.get("missing_bytes")) > 0).count();
        assertTrue(notLogged.size() <= incomplete, "tshark objects with no files.log md5: " + notLogged
                + " (files.log rows with missing bytes: " + incomplete + ")");
        assertEquals(0, incomplete, "files with missing bytes in " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void dnsQueriesAndAnswersAreTsharks(String name) throws Exception {
        Ours ours = ours(name);
        Oracle oracle = oracle(name);
        List<LogRecord> dns = ours.logs.records("dns");
        List<String> queries = dns.stream().map(r -> (String) r.get("query")).filter(q -> q != null).sorted()
                .toList();
        assertFalse(oracle.dnsQueries.isEmpty(), "tshark saw no DNS query in " + name);
        assertSameMultiset(oracle.dnsQueries, queries, "dns.log queries vs tshark");
        for (Map.Entry<String, List<String>> e : oracle.dnsAnswers.entrySet()) {
            String[] key = e.getKey().split(" ", 2);
            long id = Long.parseLong(key[0]);
            List<LogRecord> rows = dns.stream().filter(r -> key[1].equals(r.get("query"))
                    && Long.valueOf(id).equals(r.get("trans_id"))).toList();
            assertEquals(1, rows.size(), "dns.log rows for query " + e.getKey() + ": " + rows);
            @SuppressWarnings("unchecked")
            List<String> answers = rows.get(0).get("answers") == null ? List.of()
                    : (List<String>) rows.get(0).get("answers");
            List<String> a = answers.stream().filter(ZeekAnalysisOracleTest::isIpv4).toList();
            assertEquals(e.getValue(), a, "A records answering " + e.getKey() + " (all answers " + answers + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void httpRequestsAreTsharks(String name) throws Exception {
        List<String> ours = httpRequests(ours(name).logs);
        List<String> expected = oracle(name).httpRequests.stream().sorted().toList();
        assertFalse(expected.isEmpty(), "tshark saw no HTTP request in " + name);
        assertSameMultiset(expected, ours, "http.log (method, host, uri) vs tshark");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void connLogHasOneRowPerTsharkConversation(String name) throws Exception {
        List<String> ours = conversations(ours(name).logs);
        Oracle oracle = oracle(name);
        List<String> expected = oracle.conversations.stream().sorted().toList();
        assertFalse(expected.isEmpty(), "tshark saw no conversation in " + name);
        assertSameMultiset(expected, ours, "conn.log TCP/UDP endpoints vs tshark's conv,tcp + conv,udp");
    }

    @Test
    void sameCaptureAndSeedGiveIdenticalRecords() throws Exception {
        Path capture = capture("kitchen_boss");
        Ours a = analyse(capture, 1);
        Ours b = analyse(capture, 1);
        assertEquals(a.logs.paths(), b.logs.paths());
        for (String path : a.logs.paths()) {
            List<String> ra = a.logs.records(path).stream().map(LogRecord::toString).toList();
            List<String> rb = b.logs.records(path).stream().map(LogRecord::toString).toList();
            assertEquals(ra, rb, "records of " + path + " differ between two runs with seed 1");
        }
        assertEquals(a.summary, b.summary);
        assertEquals(a.extracted.stream().map(x -> x.file.toString()).toList(),
                b.extracted.stream().map(x -> x.file.toString()).toList(), "extracted files of two runs");
        // and another seed changes only the identifiers
        Ours c = analyse(capture, 2);
        assertEquals(conversations(a.logs), conversations(c.logs));
        assertFalse(a.logs.column("conn", "uid").equals(c.logs.column("conn", "uid")),
                "uids should depend on the seed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kitchen_boss", "driveby"})
    void slightlyShuffledCaptureGivesTheSameResults(String name) throws Exception {
        Path capture = capture(name);
        List<RawPacket> packets = new ArrayList<>();
        int linkType;
        try (CaptureReader r = CaptureReader.open(capture)) {
            RawPacket p;
            while ((p = r.next()) != null) {
                packets.add(p);
            }
            linkType = r.linkType();
        }
        // Swap some neighbouring packets; each keeps its own timestamp, so the file is no longer in time order.
        // Never a TCP SYN nor the first packet of a flow (who opened a connection stays as it was), and never two
        // packets of one connection going opposite ways: like Zeek, the engine takes an ACK of data it has not
        // seen as a hole ("ACK above hole") and then ignores the late data, so such a swap legitimately changes
        // the logs. Swapped packets are thus of different flows (interleaving) or of one flow and direction
        // (out-of-order segments, which reassembly must put back in order).
        Set<String> seenFlows = new HashSet<>();
        String[] flows = new String[packets.size()];
        boolean[] movable = new boolean[packets.size()];
        for (int i = 0; i < packets.size(); i++) {
            byte[] f = packets.get(i).data();
            flows[i] = flowKey(f);
            movable[i] = flows[i] != null && !seenFlows.add(flows[i]) && !isSyn(f);
        }
        Random rnd = new Random(42);
        int swaps = 0;
        int sameFlow = 0;
        for (int i = 0; i + 1 < packets.size(); i++) {
            boolean related = flows[i] != null && flows[i].equals(flows[i + 1]);
            boolean sameWay = related && source(packets.get(i).data()).equals(source(packets.get(i + 1).data()));
            if (movable[i] && movable[i + 1] && (!related || sameWay) && rnd.nextInt(3) == 0) {
                RawPacket x = packets.get(i);
                packets.set(i, packets.get(i + 1));
                packets.set(i + 1, x);
                String fx = flows[i];
                flows[i] = flows[i + 1];
                flows[i + 1] = fx;
                i++; // a packet moves by one place at most
                swaps++;
                sameFlow += related ? 1 : 0;
            }
        }
        Path shuffled = tmp.resolve(name + "-shuffled.pcap");
        try (PcapWriter w = PcapWriter.create(shuffled, linkType)) {
            for (RawPacket p : packets) {
                w.write(p);
            }
        }
        int backwards = 0;
        for (int i = 1; i < packets.size(); i++) {
            if (packets.get(i).timestampNanos() < packets.get(i - 1).timestampNanos()) {
                backwards++;
            }
        }
        assertTrue(swaps >= 3 && backwards >= 3 && sameFlow > 0, "the shuffle moved too little: " + swaps
                + " swaps, " + sameFlow + " within a flow");

        Ours base = ours(name);
        Ours mixed = analyse(shuffled, 1);
        assertEquals(base.summary.packets(), mixed.summary.packets());
        assertSameMultiset(conversations(base.logs), conversations(mixed.logs), "conn.log endpoints");
        assertSameMultiset(orientedConversations(base.logs), orientedConversations(mixed.logs),
                "conn.log originators");
        assertSameMultiset(httpRequests(base.logs), httpRequests(mixed.logs), "http.log requests");
        assertSameMultiset(sortedColumn(base.logs, "dns", "query"), sortedColumn(mixed.logs, "dns", "query"),
                "dns.log queries");
        assertSameMultiset(base.extracted.stream().map(x -> x.contentMd5).toList(),
                mixed.extracted.stream().map(x -> x.contentMd5).toList(), "extracted files");
        assertSameMultiset(sortedColumn(base.logs, "files", "md5"), sortedColumn(mixed.logs, "files", "md5"),
                "files.log hashes");
    }

    // ------------------------------------------------------------------ our side

    /** One extracted file with the MD5 and size of the bytes the sink received. */
    record Extracted(ExtractedFile file, String contentMd5, long contentSize) {
    }

    /** Our analysis of one capture. */
    record Ours(LogCollector logs, List<Extracted> extracted, ZeekAnalysis.Summary summary) {
    }

    private static Ours ours(String name) throws Exception {
        Ours o = OURS.get(name);
        if (o == null) {
            o = analyse(capture(name), 1);
            OURS.put(name, o);
        }
        return o;
    }

    private static Ours analyse(Path capture, long seed) throws IOException {
        LogCollector logs = new LogCollector();
        List<Extracted> extracted = new ArrayList<>();
        ZeekAnalysis.Summary s = ZeekAnalysis.builder().verifyChecksums(false).uidSeed(seed).build()
                .run(capture, logs, (file, content) -> {
                    byte[] bytes = Files.readAllBytes(content);
                    Files.delete(content);
                    extracted.add(new Extracted(file, md5(bytes), bytes.length));
                });
        return new Ours(logs, extracted, s);
    }

    private static List<String> httpRequests(LogCollector logs) {
        return logs.records("http").stream()
                .map(r -> str(r.get("method")) + " " + str(r.get("host")) + " " + str(r.get("uri")))
                .sorted().toList();
    }

    /** TCP/UDP conn.log rows as unordered endpoint pairs, sorted. */
    private static List<String> conversations(LogCollector logs) {
        return logs.records("conn").stream().filter(r -> Set.of("tcp", "udp").contains(str(r.get("proto"))))
                .map(r -> pair(str(r.get("proto")), addr(r.get("id.orig_h")), count(r.get("id.orig_p")),
                        addr(r.get("id.resp_h")), count(r.get("id.resp_p"))))
                .sorted().toList();
    }

    private static List<String> orientedConversations(LogCollector logs) {
        return logs.records("conn").stream()
                .map(r -> str(r.get("proto")) + " " + addr(r.get("id.orig_h")) + ":" + r.get("id.orig_p") + " > "
                        + addr(r.get("id.resp_h")) + ":" + r.get("id.resp_p"))
                .sorted().toList();
    }

    private static List<String> sortedColumn(LogCollector logs, String path, String field) {
        return logs.column(path, field).stream().map(ZeekAnalysisOracleTest::str).sorted().toList();
    }

    // ------------------------------------------------------------------ tshark's side

    /** One object tshark exported. */
    record ExportedObject(String name, String mime, String md5, long size) {
    }

    /** What tshark and file(1) say about one capture. */
    record Oracle(List<ExportedObject> objects, List<String> dnsQueries, Map<String, List<String>> dnsAnswers,
                  List<String> httpRequests, List<String> conversations) {
    }

    private static Oracle oracle(String name) throws Exception {
        Oracle o = ORACLE.get(name);
        if (o == null) {
            o = computeOracle(name, capture(name));
            ORACLE.put(name, o);
        }
        return o;
    }

    private static Oracle computeOracle(String name, Path capture) throws Exception {
        String c = capture.toString();

        // HTTP objects, typed by file(1)
        Path dir = Files.createDirectories(tmp.resolve(name + "-objects"));
        exec(tshark(c, "-q", "--export-objects", "http," + dir));
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.sorted().toList();
        }
        List<ExportedObject> objects = new ArrayList<>();
        if (!paths.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of(tool(FILE), "-b", "--mime-type"));
            paths.forEach(p -> cmd.add(p.toString()));
            List<String> mimes = exec(cmd).lines().toList();
            assertEquals(paths.size(), mimes.size(), "file(1) output lines");
            for (int i = 0; i < paths.size(); i++) {
                byte[] bytes = Files.readAllBytes(paths.get(i));
                objects.add(new ExportedObject(paths.get(i).getFileName().toString(), mimes.get(i).trim(),
                        md5(bytes), bytes.length));
            }
        }

        // DNS: query names of queries; A records of responses keyed by "id name"
        List<String> queries = new ArrayList<>();
        Map<String, List<String>> answers = new TreeMap<>();
        for (String line : exec(tshark(c, "-Y", "dns", "-T", "fields", "-E", "occurrence=a",
                "-E", "aggregator=,", "-e", "dns.id", "-e", "dns.flags.response", "-e", "dns.qry.name", "-e",
                "dns.a")).lines().toList()) {
            String[] f = line.split("\t", -1);
            long id = Long.decode(f[0]);
            boolean response = f[1].equals("1") || f[1].equalsIgnoreCase("true");
            if (!response) {
                queries.add(f[2]);
            } else {
                List<String> a = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                answers.put(id + " " + f[2], a);
            }
        }

        // HTTP requests over TCP (tshark also dissects SSDP's HTTP-over-UDP, which Zeek does not log in http.log).
        // Zeek logs the URI with its %XX escapes decoded (the http_request event's unescaped_URI); tshark shows it
        // as sent, so the oracle decodes it.
        List<String> requests = exec(tshark(c, "-Y", "http.request && tcp", "-T", "fields", "-e",
                "http.request.method", "-e", "http.host", "-e", "http.request.uri")).lines()
                .map(l -> l.split("\t", -1))
                .map(f -> f[0] + " " + f[1] + " " + unescapeUri(f[2])).toList();

        // conversations
        List<String> conversations = new ArrayList<>();
        for (String proto : List.of("tcp", "udp")) {
            for (String line : exec(tshark(c, "-q", "-z", "conv," + proto)).lines().toList()) {
                String[] t = line.trim().split("\\s+");
                if (t.length > 3 && t[1].equals("<->")) {
                    int a = t[0].lastIndexOf(':');
                    int b = t[2].lastIndexOf(':');
                    conversations.add(pair(proto, addr(t[0].substring(0, a)), Long.parseLong(t[0].substring(a + 1)),
                            addr(t[2].substring(0, b)), Long.parseLong(t[2].substring(b + 1))));
                }
            }
        }
        return new Oracle(objects, queries, answers, requests, conversations);
    }

    // ------------------------------------------------------------------ helpers

    /** Asserts two lists hold the same elements with the same multiplicities; the message shows only the differences. */
    static void assertSameMultiset(Collection<String> expected, Collection<String> actual, String what) {
        Map<String, Integer> diff = new TreeMap<>();
        expected.forEach(e -> diff.merge(e, 1, Integer::sum));
        actual.forEach(a -> diff.merge(a, -1, Integer::sum));
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        diff.forEach((k, v) -> {
            for (int i = 0; i < Math.abs(v); i++) {
                (v > 0 ? missing : extra).add(k);
            }
        });
        if (!missing.isEmpty() || !extra.isEmpty()) {
            fail(what + ": expected " + expected.size() + ", got " + actual.size() + "; missing " + missing
                    + "; unexpected " + extra);
        }
    }

    private static Path capture(String name) throws IOException {
        if (name.equals("driveby")) {
            Path p = tmp.resolve("driveby.pcap");
            synchronized (ZeekAnalysisOracleTest.class) {
                if (!Files.exists(p)) {
                    DriveByCapture.write(p);
                }
            }
            return p;
        }
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set: it must name the shared data folder holding "
                    + "data/pcap/" + name + ".pcap");
        }
        Path folder = Path.of(shared, "data", "pcap");
        if (!Files.isDirectory(folder)) {
            fail("shared data folder " + folder + " does not exist (system property workbench.shared=" + shared
                    + ")");
        }
        Path p = folder.resolve(name + ".pcap");
        if (!Files.isRegularFile(p)) {
            fail("reference capture " + p + " is missing from folder " + folder);
        }
        return p;
    }

    private static String tool(String path) {
        if (!Files.isExecutable(Path.of(path))) {
            fail("required tool " + path + " is missing (install the Debian package "
                    + (path.endsWith("file") ? "file" : path.endsWith("capinfos") ? "wireshark-common" : "tshark")
                    + ")");
        }
        return path;
    }

    /**
     * A tshark command line reading a capture without name resolution. Out-of-order TCP segments are reassembled
     * (off by default in tshark 4.0: the reference capture has a response whose segments arrive out of order,
     * which tshark would otherwise not export).
     */
    private static List<String> tshark(String capture, String... args) {
        List<String> cmd = new ArrayList<>(List.of(tool(TSHARK), "-n", "-o", "tcp.reassemble_out_of_order:TRUE",
                "-r", capture));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Decodes %XX escapes (two hex digits) one byte per char, leaving anything else as it is, as Zeek does. */
    static String unescapeUri(String uri) {
        StringBuilder sb = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char ch = uri.charAt(i);
            if (ch == '%' && i + 2 < uri.length() && Character.digit(uri.charAt(i + 1), 16) >= 0
                    && Character.digit(uri.charAt(i + 2), 16) >= 0) {
                sb.append((char) Integer.parseInt(uri.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Runs a command, fails on a non-zero exit, returns standard output. */
    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        Path out = Files.createTempFile(tmp, "stdout", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + Files.readString(err));
        }
        return stdout;
    }

    private static boolean isExecutableOrContainer(String mime) {
        return EXECUTABLE_OR_CONTAINER.contains(mime)
                || mime.startsWith("application/vnd.openxmlformats-officedocument.")
                || mime.startsWith("application/vnd.oasis.opendocument.");
    }

    private static String describe(Collection<ExportedObject> objects) {
        return objects.stream().map(o -> o.mime + " " + o.md5 + " " + o.size).sorted()
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String pair(String proto, String a, long ap, String b, long bp) {
        String x = a + ":" + ap;
        String y = b + ":" + bp;
        return proto + " " + (x.compareTo(y) <= 0 ? x + " " + y : y + " " + x);
    }

    private static String addr(Object o) {
        try {
            if (o instanceof InetAddress ia) {
                return ia.getHostAddress();
            }
            return InetAddress.getByName(String.valueOf(o)).getHostAddress(); // literals only: no lookup
        } catch (IOException e) {
            throw new AssertionError("not an address: " + o, e);
        }
    }

    private static boolean isIpv4(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static long count(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** Unordered IPv4 5-tuple of an Ethernet frame carrying TCP or UDP, or null. */
    private static String flowKey(byte[] f) {
        if (f.length < 34 || (f[12] & 0xff) != 0x08 || f[13] != 0x00) {
            return null;
        }
        int ihl = (f[14] & 0x0f) * 4;
        int proto = f[23] & 0xff;
        int l4 = 14 + ihl;
        if ((proto != 6 && proto != 17) || f.length < l4 + 4) {
            return null;
        }
        String a = (f[26] & 0xff) + "." + (f[27] & 0xff) + "." + (f[28] & 0xff) + "." + (f[29] & 0xff) + ":"
                + (((f[l4] & 0xff) << 8) | (f[l4 + 1] & 0xff));
        String b = (f[30] & 0xff) + "." + (f[31] & 0xff) + "." + (f[32] & 0xff) + "." + (f[33] & 0xff) + ":"
                + (((f[l4 + 2] & 0xff) << 8) | (f[l4 + 3] & 0xff));
        return proto + " " + (a.compareTo(b) <= 0 ? a + " " + b : b + " " + a);
    }

    /** Source address and port of an IPv4 TCP/UDP Ethernet frame (call only when {@link #flowKey} is not null). */
    private static String source(byte[] f) {
        int l4 = 14 + (f[14] & 0x0f) * 4;
        return (f[26] & 0xff) + "." + (f[27] & 0xff) + "." + (f[28] & 0xff) + "." + (f[29] & 0xff) + ":"
                + (((f[l4] & 0xff) << 8) | (f[l4 + 1] & 0xff));
    }

    private static boolean isSyn(byte[] f) {
        int l4 = 14 + (f[14] & 0x0f) * 4;
        return (f[23] & 0xff) == 6 && f.length > l4 + 13 && (f[l4 + 13] & 0x02) != 0;
    }
}
