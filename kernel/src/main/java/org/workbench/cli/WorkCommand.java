package org.workbench.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.workbench.Workbench;
import org.workbench.WorkbenchException;
import org.workbench.worker.BatchResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code workbench work WORKER MD5 [MD5...] [--json] [--config KEY=VALUE ...] [--threads N]}: runs a worker on
 * stored samples (in the workbench home, see {@link Workbench#defaultHome()}) and prints each result as it
 * finishes, in completion order (not necessarily the order given), through {@link Workbench#batchWorkStream}.
 * Results are cached in the home, so asking again is instant.
 *
 * <p>Output: by default indented text ({@code key: value}, see {@link PrettyText}), preceded by a line
 * {@code == WORKER MD5 ==} when there are several samples; a sample that fails prints one line
 * {@code workbench: MESSAGE} on standard error. With {@code --json}: one JSON document per line on standard
 * output for every sample, {@code {"md5", "worker", "result"}} or {@code {"md5", "worker", "error",
 * "error_type"}}. The exit status is 0 when every sample succeeded, 1 when one failed (the others still run) or
 * the request is wrong (unknown worker or setting), 2 for a usage error. An MD5 of {@code -} reads
 * whitespace-separated MD5s from standard input (e.g. piped from {@code workbench store}).
 *
 * <p>{@code --config KEY=VALUE} overrides one of the worker's settings; VALUE is read as JSON when it is valid
 * JSON ({@code true}, {@code 3}, {@code ["application/pdf"]}, {@code "x"}) and as a plain string otherwise
 * ({@code extract=all}).
 *
 * <p>{@code --progress} ({@code --no-progress}) draws (or not) a progress bar on standard error; by default one is
 * drawn when standard error is a terminal: samples done of the batch, or for a single sample the worker's own
 * progress (bytes of a capture read by {@code pcap_zeek}).
 */
@Command(name = "work", mixinStandardHelpOptions = true,
        description = "Run a worker on stored samples and print each result as it finishes.")
final class WorkCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "WORKER", description = "Worker name or alias (see 'workbench workers').")
    String worker;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "MD5",
            description = "Samples' MD5s ('-' reads MD5s from standard input).")
    List<String> md5s;

    @Option(names = "--json", description = "Print one JSON document per line: {md5, worker, result|error}.")
    boolean json;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE",
            description = "Override a worker setting (VALUE is JSON if it parses, else a string). Repeatable.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--threads", paramLabel = "N",
            description = "Samples to run at once (default: the number of processors).")
    Integer threads;

    @Option(names = "--progress", negatable = true, description = "Draw a progress bar on standard error "
            + "(default: when standard error is a terminal).")
    Boolean progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<String> all = expand(md5s);
        if (all.isEmpty()) {
            throw new CliException("no MD5 given");
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new CliException("--threads must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (Workbench wb = Workbench.open()
                .progress(TerminalProgress.wanted(progress) ? TerminalProgress.onStderr() : null);
             Stream<Map<String, Object>> docs = wb.batchWorkStream(worker, all, settings(config), n)) {
            for (var it = docs.iterator(); it.hasNext(); ) {
                Map<String, Object> doc = it.next();
                BatchResult r = BatchResult.from(doc);
                if (!r.ok()) {
                    failed++;
                }
                if (json) {
                    out.println(JSON.writeValueAsString(doc));
                } else if (r.ok()) {
                    if (all.size() > 1) {
                        out.println("== " + r.worker() + " " + r.md5() + " ==");
                    }
                    out.print(PrettyText.render(r.result()));
                } else {
                    err.println("workbench: " + r.error().strip().replace('\n', ' '));
                    err.flush();
                }
                out.flush();
            }
        } catch (WorkbenchException e) {
            throw StoreCommand.cli(e);
        }
        return failed == 0 ? 0 : 1;
    }

    /** MD5 arguments with each "-" replaced by the whitespace-separated words of standard input. */
    private static List<String> expand(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if (!a.equals("-")) {
                out.add(a.strip().toLowerCase(java.util.Locale.ROOT));
                continue;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                for (String w : line.trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        out.add(w.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
        }
        return out;
    }

    /**
     * @param raw KEY=VALUE pairs as typed
     * @return the settings: each value parsed as JSON when it is valid JSON, else kept as a string
     */
    static Map<String, Object> settings(Map<String, String> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            out.put(e.getKey(), value(e.getValue()));
        }
        return out;
    }

    private static Object value(String s) {
        if (s == null) {
            return "";
        }
        try {
            return JSON.readValue(s, Object.class);
        } catch (JsonProcessingException e) {
            return s;
        }
    }
}
