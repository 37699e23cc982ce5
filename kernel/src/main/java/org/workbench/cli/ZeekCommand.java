package org.workbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFileSink;
import org.workbench.files.ExtractionPolicy;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogWriterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code workbench zeek -r CAPTURE [-d OUTDIR] [--json] [--extract] [-C]}: writes Zeek logs for a capture, like
 * {@code zeek -r CAPTURE} with Zeek's default scripts plus hashing of every file. Logs go to OUTDIR (default the
 * working directory) as {@code conn.log}, {@code dns.log}, {@code http.log}, {@code files.log},
 * {@code weird.log}; with {@code --extract}, extracted files go to {@code OUTDIR/extract_files/} under the names
 * files.log's {@code extracted} field gives them.
 */
@Command(name = "zeek", mixinStandardHelpOptions = true,
        description = "Analyze a capture and write Zeek logs (like 'zeek -r').")
final class ZeekCommand implements Callable<Integer> {
    @Option(names = "-r", required = true, paramLabel = "CAPTURE",
            description = "The pcap or pcapng file to read ('-' for standard input).")
    String capture;

    @Option(names = {"-d", "--dir"}, paramLabel = "OUTDIR", description = "Directory for the logs (default: .).")
    Path outDir = Path.of(".");

    @Option(names = "--json", description = "Write JSON lines instead of Zeek's tab-separated format.")
    boolean json;

    @Option(names = "--extract", description = "Also write the extracted files to OUTDIR/extract_files/.")
    boolean extract;

    @Option(names = "--extract-all", description = "With --extract: extract every file, not only the "
            + "executable and container types of the default policy.")
    boolean extractAll;

    @Option(names = "-C", description = "Ignore checksums (for captures taken with checksum offloading).")
    boolean ignoreChecksums;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for reproducible uid/fuid values.")
    Long seed;

    @Override
    public Integer call() throws Exception {
        Path input = "-".equals(capture) ? null : Path.of(capture);
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
        ZeekAnalysis.Builder options = ZeekAnalysis.builder().verifyChecksums(!ignoreChecksums);
        if (seed != null) {
            options.uidSeed(seed);
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
        return 0;
    }
}
