package org.workbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.capture.LiveCapture;
import org.workbench.files.ExtractedFileSink;
import org.workbench.files.ExtractionPolicy;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogWriterOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench zeek -r CAPTURE [-d OUTDIR] [--json] [--extract] [--verify-checksums]}: writes Zeek logs for a
 * capture, like {@code zeek -C -r CAPTURE} with Zeek's default scripts plus hashing of every file (checksums are
 * ignored unless {@code --verify-checksums}). Logs go to OUTDIR (default the
 * working directory) as {@code conn.log}, {@code dns.log}, {@code http.log}, {@code files.log},
 * {@code weird.log}; with {@code --extract}, extracted files go to {@code OUTDIR/extract_files/} under the names
 * files.log's {@code extracted} field gives them.
 *
 * <p>{@code workbench zeek -i IFACE [-f BPF] [--duration S] [--count N] ...} captures live instead (like
 * {@code zeek -i IFACE}, through libpcap; needs root or CAP_NET_RAW): the logs are flushed every second so they can
 * be read while it runs; it stops on Ctrl-C (or after {@code --duration}/{@code --count}), then logs the
 * connections still open and closes the logs, as at the end of a file.
 *
 * <p>Exit status 0 when logs were written, 1 when the input is not a capture (missing, empty, wrong magic, broken
 * file header). A capture damaged inside is still analysed, as Zeek turns malformed traffic into weirds: a last
 * record cut short, or a structurally impossible record header (the capture is analysed up to it, as if it ended
 * there, and weird.log names the record and its byte offset), and packets of a link type the decoder does not
 * support (not analysed; one weird per link type). The last two also print one {@code workbench: warning:} line
 * each on standard error, after the summary line.
 *
 * <p>With {@code -r}, {@code --progress} ({@code --no-progress}) draws (or not) a bar of the bytes read of the
 * capture on standard error; by default one is drawn when standard error is a terminal.
 */
@Command(name = "zeek", mixinStandardHelpOptions = true,
        description = "Analyze a capture (or capture live) and write Zeek logs (like 'zeek -r' / 'zeek -i').")
final class ZeekCommand implements Callable<Integer> {
    /** Where packets come from: exactly one of a file and an interface. */
    static final class Source {
        @Option(names = "-r", required = true, paramLabel = "CAPTURE",
                description = "The pcap or pcapng file to read ('-' for standard input).")
        String capture;

        @Option(names = "-i", required = true, paramLabel = "IFACE",
                description = "Capture live on this network interface (needs root or CAP_NET_RAW).")
        String iface;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "-f", paramLabel = "BPF", description = "With -i: a BPF capture filter, e.g. 'port 53'.")
    String filter;

    @Option(names = "--duration", paramLabel = "S", description = "With -i: stop after S seconds.")
    Double duration;

    @Option(names = "--count", paramLabel = "N", description = "With -i: stop after N packets.")
    Long count;

    @Option(names = {"-d", "--dir"}, paramLabel = "OUTDIR", description = "Directory for the logs (default: .).")
    Path outDir = Path.of(".");

    @Option(names = "--json", description = "Write JSON lines instead of Zeek's tab-separated format.")
    boolean json;

    @Option(names = "--extract", description = "Also write the extracted files to OUTDIR/extract_files/.")
    boolean extract;

    @Option(names = "--extract-all", description = "With --extract: extract every file, not only the "
            + "executable and container types of the default policy.")
    boolean extractAll;

    @Option(names = "-C", description = "Ignore checksums (the default, as with 'zeek -C': captures taken on a host "
            + "often carry offloaded, wrong checksums).")
    boolean ignoreChecksums;

    @Option(names = "--verify-checksums", description = "Verify IP/TCP/UDP/ICMP checksums as Zeek does without -C: "
            + "packets with a bad checksum are dropped and logged as weirds.")
    boolean verifyChecksums;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for reproducible uid/fuid values.")
    Long seed;

    @Option(names = "--progress", negatable = true, description = "Draw a progress bar on standard error "
            + "(default: when standard error is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        String capture = source.capture;
        if (capture != null && (filter != null || duration != null || count != null)) {
            throw new CliException("-f, --duration and --count go with -i (live capture), not with -r");
        }
        if (duration != null && !(duration > 0)) {
            throw new CliException("--duration wants a positive number of seconds, not " + duration);
        }
        if (count != null && count <= 0) {
            throw new CliException("--count wants a positive number of packets, not " + count);
        }
        Path input = capture == null || "-".equals(capture) ? null : Path.of(capture);
        if (input != null && !Files.exists(input)) {
            throw new CliException(capture + ": no such file");
        }
        if (input != null && Files.isDirectory(input)) {
            throw new CliException(capture + ": is a directory, not a capture file");
        }
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new CliException(outDir + ": exists and is not a directory (-d wants a directory for the logs)");
        }
        Files.createDirectories(outDir);
        ZeekAnalysis.Builder options = ZeekAnalysis.builder().verifyChecksums(verifyChecksums && !ignoreChecksums);
        if (seed != null) {
            options.uidSeed(seed);
        }
        if (TerminalProgress.wanted(progress)) {
            options.progress(TerminalProgress.onStderr(), "zeek " + (input == null ? "stdin" : input.getFileName()));
        }
        ExtractedFileSink sink = ExtractedFileSink.discarding();
        if (extract) {
            Path dir = outDir.resolve("extract_files");
            Files.createDirectories(dir);
            options.extractionPolicy(extractAll ? ExtractionPolicy.all() : ExtractionPolicy.defaults());
            sink = (file, content) -> Files.move(content, dir.resolve(file.extractedName()),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        ZeekAnalysis analysis = options.build();
        if (source.iface != null) {
            return live(analysis, sink);
        }
        ZeekAnalysis.Summary summary;
        try (DirectoryLogSink logs = new DirectoryLogSink(outDir,
                json ? LogWriterOptions.json() : LogWriterOptions.defaults())) {
            summary = input == null
                    ? analysis.run(System.in, "stdin", logs, sink)
                    : analysis.run(input, logs, sink);
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        System.err.printf("%s: %d packets, %d connections%s; logs in %s%n", summary.capture(), summary.packets(),
                summary.connections(), summary.truncated() ? ", capture truncated in its last record" : "",
                outDir);
        warnings(summary);
        return 0;
    }

    /**
     * One line on standard error per problem that made the logs cover less than the whole capture: a corrupt
     * record that ended reading (the logs are complete for the records before it), and each link type whose
     * packets could not be decoded. Both are also in weird.log.
     */
    static void warnings(ZeekAnalysis.Summary summary) {
        for (String line : summary.problems(summary.capture())) {
            System.err.println("workbench: warning: " + line);
        }
    }

    /** Captures on {@code -i} until Ctrl-C, {@code --duration} or {@code --count}. */
    private int live(ZeekAnalysis analysis, ExtractedFileSink sink) throws Exception {
        LiveCapture capture;
        try {
            capture = LiveCapture.open(source.iface, filter);
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            capture.stop();
            try {
                done.await(10, TimeUnit.SECONDS); // let the capture thread write the remaining records
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "workbench-zeek-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ZeekAnalysis.Summary summary;
        try (capture; DirectoryLogSink logs = new DirectoryLogSink(outDir,
                json ? LogWriterOptions.json() : LogWriterOptions.defaults())) {
            if (duration != null) {
                capture.duration(Math.round(duration * 1000));
            }
            if (count != null) {
                capture.maxPackets(count);
            }
            capture.tick(() -> {
                try {
                    logs.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 1000);
            System.err.println("listening on " + source.iface);
            summary = analysis.run(capture, logs, sink);
            System.err.printf("%s: %d packets, %d connections; logs in %s%n", summary.capture(), summary.packets(),
                    summary.connections(), outDir);
            warnings(summary);
        } catch (IOException e) {
            throw new CliException(e.getMessage());
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and now returns
            }
        }
        return 0;
    }
}
