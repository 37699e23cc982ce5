package org.workbench.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.workbench.analysis.AnalysisConfig;

/**
 * One case of a Zeek conformance corpus (a folder with {@code manifest.json}, {@code traces/} and
 * {@code baseline/}, as described by the corpus's README): the Zeek runs that produced its expected logs.
 *
 * @param name the case name (its folder name)
 * @param dir  the case folder
 * @param runs the Zeek invocations, in order
 */
public record ConformanceCase(String name, Path dir, List<Run> runs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One Zeek invocation of a case.
     *
     * @param index      0-based position in the manifest's {@code runs}
     * @param trace      the trace file (gzip-compressed when {@code gzip})
     * @param gzip       whether the trace is gzip-compressed
     * @param bareMode   {@code zeek -b}
     * @param flags      switches such as {@code -C}
     * @param bpfFilter  the {@code -f} filter, or null
     * @param loads      loaded scripts
     * @param redefs     settings
     * @param logs       the expected logs of this run
     */
    public record Run(int index, Path trace, boolean gzip, boolean bareMode, List<String> flags, String bpfFilter,
                      List<String> loads, List<String> redefs, List<ExpectedLog> logs) {

        /** The analysis configuration this run describes. */
        public AnalysisConfig config() {
            return AnalysisConfig.fromZeek(bareMode, loads, redefs, flags, bpfFilter);
        }
    }

    /**
     * An expected log of a run.
     *
     * @param log      log type ({@code conn}, {@code dns}, ...)
     * @param baseline the expected file
     * @param format   {@code tsv}, {@code tsv-minimal} or {@code json}
     */
    public record ExpectedLog(String log, Path baseline, String format) {
    }

    /** The log types this case covers, without duplicates, in manifest order. */
    public List<String> logTypes() {
        List<String> out = new ArrayList<>();
        for (Run r : runs) {
            for (ExpectedLog l : r.logs()) {
                if (!out.contains(l.log())) {
                    out.add(l.log());
                }
            }
        }
        return out;
    }

    /** Where a run's logs go below a case's output folder: the folder itself, or {@code run<N>/} for several runs. */
    public Path runDirectory(Path caseOut, Run run) {
        return runs.size() == 1 ? caseOut : caseOut.resolve("run" + run.index());
    }

    /**
     * Reads a case folder's {@code manifest.json}.
     *
     * @throws IOException when it cannot be read or is not a manifest
     */
    public static ConformanceCase read(Path dir) throws IOException {
        Path manifest = dir.resolve("manifest.json");
        JsonNode m = JSON.readTree(manifest.toFile());
        JsonNode runsNode = m.path("runs");
        if (!runsNode.isArray()) {
            throw new IOException(manifest + ": no 'runs' array");
        }
        List<Run> runs = new ArrayList<>();
        int i = 0;
        for (JsonNode r : runsNode) {
            List<ExpectedLog> logs = new ArrayList<>();
            for (JsonNode l : r.path("logs")) {
                logs.add(new ExpectedLog(l.path("log").asText(), dir.resolve(l.path("baseline").asText()),
                        l.path("format").asText("tsv")));
            }
            String trace = r.path("trace").asText(null);
            if (trace == null) {
                throw new IOException(manifest + ": run " + i + " has no trace");
            }
            runs.add(new Run(i, dir.resolve(trace), "gzip".equals(r.path("trace_compression").asText(null)),
                    r.path("bare_mode").asBoolean(false), strings(r.path("flags")),
                    r.path("bpf_filter").isNull() ? null : r.path("bpf_filter").asText(null),
                    strings(r.path("loads")), strings(r.path("redefs")), List.copyOf(logs)));
            i++;
        }
        String name = m.path("case").asText(dir.getFileName().toString());
        return new ConformanceCase(name, dir, List.copyOf(runs));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    /**
     * The case folders of a corpus ({@code CORPUS/cases/*} holding a {@code manifest.json}), sorted by name.
     *
     * @throws IOException when the corpus has no {@code cases} folder
     */
    public static List<Path> caseDirectories(Path corpus) throws IOException {
        Path cases = corpus.resolve("cases");
        if (!Files.isDirectory(cases)) {
            throw new IOException(corpus + ": not a conformance corpus (no cases/ folder)");
        }
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(cases)) {
            s.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).sorted().forEach(out::add);
        }
        return out;
    }
}
