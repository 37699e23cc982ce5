package org.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;
import org.workbench.magic.MagicResult;

/** {@code workbench store}: prints the MD5, guesses the type tag from libmagic. */
class StoreCommandTest {
    @TempDir
    Path home;
    @TempDir
    Path files;

    private String oldHome;

    @BeforeEach
    void setHome() {
        oldHome = System.getProperty(Workbench.HOME_PROPERTY);
        System.setProperty(Workbench.HOME_PROPERTY, home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (oldHome == null) {
            System.clearProperty(Workbench.HOME_PROPERTY);
        } else {
            System.setProperty(Workbench.HOME_PROPERTY, oldHome);
        }
    }

    static Path shared(String relative) {
        String s = System.getProperty("workbench.shared");
        assertTrue(s != null, "shared data missing: the workbench.shared system property is not set");
        Path p = Path.of(s).resolve(relative);
        assertTrue(Files.exists(p), "shared data missing: " + p);
        return p;
    }

    static String md5(Path f) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
    }

    /** Stores with the CLI; checks output and returns the stored sample's type tag. */
    private String storeAndGetType(Path f, String... extra) throws Exception {
        String[] args = new String[2 + extra.length];
        args[0] = "store";
        args[1] = f.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        String[] r = MainTest.run(args);
        assertEquals("0", r[0], r[1]);
        assertEquals("", r[1]);
        assertEquals(md5(f) + "\n", r[2], "stdout is the MD5 only");
        try (Workbench wb = Workbench.open(home)) {
            return wb.sampleInfo(md5(f)).typeTag();
        }
    }

    private static Path first(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.sorted().findFirst().orElseThrow(() -> new AssertionError("no file in " + dir));
        }
    }

    @Test
    void guessesTheTypeOfTheRealSamples() throws Exception {
        assertEquals("pcap", storeAndGetType(shared("data/pcap/kitchen_boss.pcap")));
        assertEquals("exe", storeAndGetType(first(shared("data/samples/pe/good"))));
        assertEquals("exe", storeAndGetType(first(shared("data/samples/pe/bad"))));
        assertEquals("pdf", storeAndGetType(first(shared("data/samples/pdf/good"))));
        assertEquals("swf", storeAndGetType(shared("data/samples/swf/unknown.swf")));
        assertEquals("zip", storeAndGetType(shared("data/samples/zip/good.zip")));
        // storing again prints the same MD5 and keeps the first type
        assertEquals("zip", storeAndGetType(shared("data/samples/zip/good.zip"), "--type", "unknown"));
    }

    @Test
    void guessesJarFromTheCapturesExtractedJar() throws Exception {
        String jarMd5;
        byte[] jar;
        try (Workbench wb = Workbench.open(home)) {
            String pcap = wb.storeSample(shared("data/pcap/kitchen_boss.pcap"), "pcap");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> extracted = (List<Map<String, Object>>) wb.workRequest("view_pcap_details",
                    pcap).get("extracted_files");
            jarMd5 = extracted.stream().filter(f -> "jar".equals(f.get("type_tag"))).map(f -> (String) f.get("md5"))
                    .findFirst().orElseThrow(() -> new AssertionError("no JAR extracted from kitchen_boss.pcap"));
            jar = wb.getSample(jarMd5);
        }
        Path f = files.resolve("payload.bin");
        Files.write(f, jar);
        // a fresh home, so the type is guessed again instead of kept
        Path other = files.resolve("home2");
        System.setProperty(Workbench.HOME_PROPERTY, other.toString());
        String[] r = MainTest.run("store", f.toString());
        assertEquals("0", r[0], r[1]);
        assertEquals(jarMd5 + "\n", r[2]);
        try (Workbench wb = Workbench.open(other)) {
            assertEquals("jar", wb.sampleInfo(jarMd5).typeTag());
        }
    }

    @Test
    void unknownBytesAndExplicitTypes() throws Exception {
        byte[] noise = new byte[512];
        new Random(7).nextBytes(noise);
        Path n = files.resolve("noise.bin");
        Files.write(n, noise);
        assertEquals("unknown", storeAndGetType(n));
        assertEquals("exe", storeAndGetType(n, "--type", "exe"), "a type given later replaces unknown");
        String[] r = MainTest.run("store", n.toString(), "--type", "pdf");
        assertEquals("0", r[0], r[1]);
        assertEquals(md5(n) + "\n", r[2]);
        assertEquals("note: " + md5(n) + " was already stored with type exe; kept exe (--type pdf ignored)\n", r[1]);
        try (Workbench wb = Workbench.open(home)) {
            assertEquals("exe", wb.sampleInfo(md5(n)).typeTag());
        }
        Path text = files.resolve("conn.log");
        Files.writeString(text, "#separator \\x09\n#fields\tts\n1.0\n");
        assertEquals("zeek_log", storeAndGetType(text, "--type", "zeek_log"));
        assertEquals("unknown", StoreCommand.guessType(new MagicResult("data", "application/octet-stream",
                "binary", "libmagic")));
        assertEquals("jar", StoreCommand.guessType(new MagicResult("Java archive data (JAR)", "application/zip",
                "binary", "libmagic")));
        assertEquals("pcap", StoreCommand.guessType(new MagicResult("pcapng capture file - version 1.0",
                "application/octet-stream", "binary", "libmagic")));
    }

    @Test
    void samplesListsWhatIsStoredAndHelpIsASubcommand() throws Exception {
        Path pe = first(shared("data/samples/pe/good"));
        Path odd = files.resolve("odd\u001b[31mname.bin");
        Files.write(odd, new byte[] {1, 2, 3});
        storeAndGetType(pe);
        storeAndGetType(odd);
        String[] r = MainTest.run("samples");
        assertEquals("0", r[0], r[1]);
        List<String> lines = r[2].strip().lines().toList();
        assertEquals(3, lines.size(), r[2]);
        assertTrue(lines.get(0).startsWith("MD5") && lines.get(0).contains("TYPE"), lines.get(0));
        assertTrue(lines.get(1).startsWith(md5(pe) + "  exe") && lines.get(1).contains(" " + Files.size(pe) + "  ")
                && lines.get(1).endsWith(pe.getFileName().toString()), lines.get(1));
        assertTrue(lines.get(2).startsWith(md5(odd) + "  unknown"), lines.get(2));
        assertTrue(lines.get(2).endsWith("\"odd\\u001B[31mname.bin\""), "control characters quoted: " + lines.get(2));
        assertTrue(r[2].chars().noneMatch(c -> c == 0x1b), "no raw escape character reaches the terminal");

        r = MainTest.run("samples", "--type", "exe", "--json");
        assertEquals("0", r[0], r[1]);
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(r[2].strip());
        assertEquals(md5(pe), d.get("md5").asText());
        assertEquals(Files.size(pe), d.get("file_size").asLong());
        assertEquals("exe", d.get("type_tag").asText());

        r = MainTest.run("samples", md5(odd).toUpperCase(java.util.Locale.ROOT));
        assertEquals("0", r[0], r[1]);
        assertEquals(2, r[2].strip().lines().count(), r[2]);
        r = MainTest.run("samples", "0123456789abcdef0123456789abcdef");
        assertEquals("1", r[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].contains("0123456789abcdef0123456789abcdef"), r[1]);

        r = MainTest.run("help", "samples");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[2].contains("List the stored samples"), r[2]);
    }

    @Test
    void errorsAreOneLine() throws Exception {
        String[] r = MainTest.run("store", files.resolve("missing.bin").toString());
        assertEquals("1", r[0]);
        assertEquals("workbench: file not found: " + files.resolve("missing.bin") + "\n", r[1]);
        assertEquals("", r[2]);

        r = MainTest.run("store", files.toString());
        assertEquals("1", r[0]);
        assertEquals("workbench: " + files + ": not a regular file\n", r[1]);

        Path f = files.resolve("x.bin");
        Files.write(f, new byte[] {1, 2, 3});
        r = MainTest.run("store", f.toString(), "--type", "Bad Type");
        assertEquals("1", r[0]);
        assertEquals(1, r[1].strip().lines().count(), r[1]);
        assertTrue(r[1].startsWith("workbench: ") && r[1].contains("Bad Type"), r[1]);
        assertEquals("", r[2]);

        r = MainTest.run("store");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("workbench: ") && r[1].contains("FILE"), r[1]);
    }
}
