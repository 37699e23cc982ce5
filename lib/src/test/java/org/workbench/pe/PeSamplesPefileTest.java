package org.workbench.pe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.workbench.Workbench;

/**
 * Every PE under {@code samples/pe/{good,bad}} and the PE carried in {@code kitchen_boss.pcap}: the imports (DLL
 * and function names, {@code #n} for ordinals) and the sections (names, raw and virtual sizes) {@link PeImage}
 * reads equal what Debian's python3-pefile reports, and so do the section entropies and the computed checksum
 * (pefile's {@code generate_checksum} over the file's own bytes: by default it checksums its re-serialisation
 * {@code PE.write()}, which for some malformed files differs from the file).
 * The samples are live malware: they are only read as bytes, here and by pefile.
 */
class PeSamplesPefileTest {
    /** Kitchen Boss's extracted PE (MD5 prefix). */
    static final String KITCHEN_BOSS_PE = "4410133f";

    private static final String PEFILE_SCRIPT = String.join("\n",
            "import json, sys",
            "try:",
            "    import pefile",
            "except ImportError:",
            "    print(json.dumps({'missing': 'pefile'})); sys.exit(0)",
            "for p in sys.argv[1:]:",
            "    r = {'path': p}",
            "    try:",
            "        pe = pefile.PE(p)",
            "    except Exception as e:",
            "        r['error'] = str(e); print(json.dumps(r)); continue",
            "    imps = []",
            "    for d in getattr(pe, 'DIRECTORY_ENTRY_IMPORT', []):",
            "        fs = [('#%d' % i.ordinal) if i.import_by_ordinal else i.name.decode('latin1') for i in d.imports]",
            "        imps.append([d.dll.decode('latin1'), fs])",
            "    r['imports'] = imps",
            "    r['sections'] = [[s.Name.split(b'\\0')[0].decode('latin1'), s.SizeOfRawData, s.Misc_VirtualSize,",
            "                      s.get_entropy()] for s in pe.sections]",
            "    raw = open(p, 'rb').read()",
            "    pe.write = lambda: bytearray(raw)  # checksum of the file itself, not of pefile's re-serialisation",
            "    r['checksum'] = pe.generate_checksum()",
            "    print(json.dumps(r))",
            "");

    static Path samplesDir() {
        String shared = System.getProperty("workbench.shared");
        if (shared == null) {
            fail("system property workbench.shared is not set (surefire sets it to ../shared)");
        }
        Path dir = Path.of(shared, "data", "samples", "pe");
        if (!Files.isDirectory(dir)) {
            fail("shared PE samples folder is missing: " + dir.toAbsolutePath());
        }
        return dir;
    }

    /** @return every file under samples/pe/good and samples/pe/bad, sorted */
    static List<Path> samples() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String kind : List.of("good", "bad")) {
            try (Stream<Path> s = Files.list(samplesDir().resolve(kind))) {
                s.filter(Files::isRegularFile).sorted().forEach(out::add);
            }
        }
        assertTrue(out.size() > 10, "too few PE samples: " + out);
        return out;
    }

    /** Extracts Kitchen Boss's PE through the {@code view_pcap_details} worker; returns its bytes. */
    static byte[] kitchenBossPe(Path home) throws IOException {
        Path pcap = Path.of(System.getProperty("workbench.shared"), "data", "pcap", "kitchen_boss.pcap");
        if (!Files.isRegularFile(pcap)) {
            fail("shared capture missing: " + pcap.toAbsolutePath());
        }
        try (Workbench wb = Workbench.open(home)) {
            String md5 = wb.storeSample(pcap, "pcap");
            Map<String, Object> details = wb.workRequest("view_pcap_details", md5);
            for (Object o : (List<?>) details.get("extracted_files")) {
                String m = (String) ((Map<?, ?>) o).get("md5");
                if (m.startsWith(KITCHEN_BOSS_PE)) {
                    return wb.getSample(m);
                }
            }
        }
        return fail("view_pcap_details did not extract the PE " + KITCHEN_BOSS_PE + "... from kitchen_boss.pcap");
    }

    static Map<String, JsonNode> pefile(List<Path> files) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            fail("/usr/bin/python3 is missing (needed with python3-pefile as the reference PE parser)");
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", PEFILE_SCRIPT));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "pefile did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "python3 with pefile failed: " + text);
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byPath = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            JsonNode n = json.readTree(line);
            if (n.has("missing")) {
                fail("the Python module pefile is missing (Debian package python3-pefile)");
            }
            byPath.put(n.get("path").asText(), n);
        }
        assertEquals(files.size(), byPath.size(), "pefile printed an unexpected number of results: " + text);
        return byPath;
    }

    /** @return the differences between our reading and pefile's (empty when they agree) */
    static List<String> compare(PeImage pe, JsonNode ref) {
        List<String> diffs = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (PeImage.ImportedDll d : pe.imports()) {
            ours.add(d.dll() + " " + d.functions().stream().map(PeImage.ImportedFunction::label).toList());
        }
        List<String> theirs = new ArrayList<>();
        for (JsonNode d : ref.get("imports")) {
            List<String> fs = new ArrayList<>();
            d.get(1).forEach(f -> fs.add(f.asText()));
            theirs.add(d.get(0).asText() + " " + fs);
        }
        if (!ours.equals(theirs)) {
            diffs.add("imports: ours " + ours + " pefile " + theirs);
        }
        // pefile keeps its sections sorted by virtual address (stable sort)
        List<PeImage.Section> sorted = new ArrayList<>(pe.sections());
        sorted.sort(Comparator.comparingLong(PeImage.Section::virtualAddress));
        List<String> os = new ArrayList<>();
        List<String> ts = new ArrayList<>();
        for (PeImage.Section s : sorted) {
            os.add(s.name() + " raw=" + s.sizeOfRawData() + " virtual=" + s.virtualSize()
                    + String.format(" entropy=%.6f", s.entropy()));
        }
        for (JsonNode s : ref.get("sections")) {
            ts.add(s.get(0).asText() + " raw=" + s.get(1).asLong() + " virtual=" + s.get(2).asLong()
                    + String.format(" entropy=%.6f", s.get(3).asDouble()));
        }
        if (!os.equals(ts)) {
            diffs.add("sections: ours " + os + " pefile " + ts);
        }
        if (pe.computedChecksum() != ref.get("checksum").asLong()) {
            diffs.add("checksum: ours " + pe.computedChecksum() + " pefile " + ref.get("checksum").asLong());
        }
        return diffs;
    }

    @Test
    void importsAndSectionsAgreeWithPefile(@TempDir Path tmp) throws Exception {
        List<Path> files = new ArrayList<>(samples());
        Path kb = tmp.resolve("kitchen_boss_pe.bin");
        Files.write(kb, kitchenBossPe(tmp.resolve("home")));
        files.add(kb);
        Map<String, JsonNode> ref = pefile(files);
        int agree = 0;
        List<String> disagreements = new ArrayList<>();
        for (Path f : files) {
            JsonNode r = ref.get(f.toString());
            String label = f.getParent().getFileName() + "/" + f.getFileName();
            if (r.has("error")) {
                disagreements.add(label + ": pefile cannot parse it: " + r.get("error").asText());
                continue;
            }
            PeImage pe;
            try {
                pe = PeImage.parse(Files.readAllBytes(f));
            } catch (PeFormatException e) {
                disagreements.add(label + ": we cannot parse it: " + e.getMessage());
                continue;
            }
            List<String> d = compare(pe, r);
            if (d.isEmpty()) {
                agree++;
            } else {
                disagreements.add(label + ": " + d);
            }
        }
        System.out.println("PeSamplesPefileTest: " + agree + " of " + files.size()
                + " PE files agree with pefile (imports, sections, checksum, entropy)");
        assertEquals(files.size(), agree, String.join("\n", disagreements));
    }
}
