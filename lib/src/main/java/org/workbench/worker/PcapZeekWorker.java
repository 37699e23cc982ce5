package org.workbench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.workbench.InvalidInputException;
import org.workbench.analysis.NetworkClock;
import org.workbench.analysis.ZeekAnalysis;
import org.workbench.files.ExtractedFile;
import org.workbench.files.ExtractionPolicy;
import org.workbench.store.TypeTags;
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogWriterOptions;

/**
 * {@code pcap_zeek} (alias {@code pcap_bro}, the seed's name): runs the Zeek-compatible analysis
 * ({@link ZeekAnalysis}) on a stored capture and stores what it produces as samples of their own: each log as a
 * {@value TypeTags#ZEEK_LOG} sample named {@code <path>.log}, each extracted file under its type tag.
 *
 * <p>Result: one entry per log, keyed {@code <path>_log} ({@code conn_log}, {@code dns_log}, {@code http_log},
 * {@code files_log}, {@code weird_log}, ...), with the log sample's MD5; {@code extracted_files}: one entry per
 * extracted file in the order the files ended ({@code md5}, {@code fuid}, {@code uid}, {@code ts} seconds,
 * {@code source}, {@code zeek_mime_type}, {@code filename}, {@code file_size} bytes, {@code type_tag}); and
 * {@code packets}, {@code bytes}, {@code connections}, {@code truncated}; {@code undecoded_packets}: packets of a
 * link type the decoder does not support (not analysed); {@code notes}: one line per problem that made the logs
 * cover less than the whole capture (a structurally impossible record header, which ends the capture there: the
 * logs are complete and consistent for the records before it; a link type not supported), empty when there is
 * none. Each such problem is also a weird.log entry ({@code corrupt_capture_record}, {@code unsupported_link_type}).
 * A sample that is not a capture at all (empty, wrong magic, broken file header) is an
 * {@link InvalidInputException} naming the sample.
 *
 * <p>Settings: {@code ignore_checksums} (default true: like the seed, which ran {@code bro -C}, since captures
 * taken on the victim host often carry offloaded, wrong checksums), {@code extract} ({@code "default"} for the
 * executable/container allow-list of {@link ExtractionPolicy#defaults()}, {@code "all"}, {@code "none"}, or a
 * list of MIME types), {@code json_logs} (default false: Zeek TSV). UIDs are seeded from the capture's MD5, so
 * the same capture gives the same uids, and the logs' {@code #open}/{@code #close} headers carry the capture's time
 * (not the wall clock), so the same capture always gives the same log samples.
 */
public final class PcapZeekWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "pcap_zeek";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Zeek-style logs (conn, dns, http, files, weird) of a capture, stored as samples, plus the files it carried.";
    }

    @Override
    public String version() {
        return "1.2";
    }

    @Override
    public Set<String> acceptedTypes() {
        return Set.of(TypeTags.PCAP);
    }

    @Override
    public Map<String, Object> defaultConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ignore_checksums", true);
        c.put("extract", "default");
        c.put("json_logs", false);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws Exception {
        boolean ignoreChecksums = ctx.config("ignore_checksums", Boolean.class);
        boolean json = ctx.config("json_logs", Boolean.class);
        ExtractionPolicy policy = policy(ctx.config().get("extract"));
        Path work = Files.createTempDirectory("workbench-zeek-");
        try {
            Path logDir = work.resolve("logs");
            List<Map<String, Object>> extracted = new ArrayList<>();
            // headers read the capture's time, so the same capture always gives byte-identical logs
            NetworkClock clock = new NetworkClock();
            ZeekAnalysis analysis = ZeekAnalysis.builder()
                    .networkClock(clock)
                    .verifyChecksums(!ignoreChecksums)
                    .extractionPolicy(policy)
                    .uidSeed(Long.parseUnsignedLong(ctx.md5().substring(0, 16), 16))
                    .tempDirectory(work)
                    .cancelled(ctx::isCancelled)
                    .progress(ctx.progressListener(), ctx.progressTask())
                    .build();
            ZeekAnalysis.Summary summary;
            String where = ctx.samplePath().toString();
            try (DirectoryLogSink logs = new DirectoryLogSink(logDir,
                    (json ? LogWriterOptions.json() : LogWriterOptions.defaults()).withClock(clock).withZone(java.time.ZoneOffset.UTC))) {
                summary = analysis.run(ctx.samplePath(), logs, (file, content) -> {
                    try {
                        extracted.add(storeExtracted(ctx, file, content));
                    } finally {
                        Files.deleteIfExists(content);
                    }
                });
            } catch (org.workbench.capture.CaptureFormatException e) {
                // name the sample as the analyst knows it, not the store's internal path
                String msg = e.getMessage().startsWith(where) ? e.getMessage().substring(where.length()) : ": "
                        + e.getMessage();
                throw new InvalidInputException("sample " + ctx.md5() + " ('" + ctx.sample().filename()
                        + "') is not a readable capture" + msg);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Object> logs = new TreeMap<>();
            try (Stream<Path> files = Files.list(logDir)) {
                for (Path log : files.sorted(Comparator.naturalOrder()).toList()) {
                    String name = log.getFileName().toString();
                    String path = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
                    logs.put(path + "_log", ctx.store().storeSample(log, TypeTags.ZEEK_LOG));
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // no packets produced any record: no log files
            }
            out.putAll(logs);
            out.put("extracted_files", extracted);
            out.put("packets", summary.packets());
            out.put("bytes", summary.bytes());
            out.put("connections", summary.connections());
            out.put("truncated", summary.truncated());
            out.put("undecoded_packets", summary.undecodedPackets());
            out.put("notes", summary.problems("'" + ctx.sample().filename() + "'"));
            return out;
        } finally {
            deleteTree(work);
        }
    }

    private static Map<String, Object> storeExtracted(WorkerContext ctx, ExtractedFile file, Path content)
            throws IOException {
        String typeTag = TypeTags.forMimeType(file.mimeType());
        String filename = file.filename() != null && !file.filename().isBlank() ? file.filename()
                : file.extractedName();
        String md5;
        try (var in = Files.newInputStream(content)) {
            md5 = ctx.store().storeSample(in, filename, typeTag);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("md5", md5);
        e.put("fuid", file.fuid());
        e.put("uid", file.uid());
        e.put("ts", file.ts());
        e.put("source", file.source());
        e.put("zeek_mime_type", file.mimeType());
        e.put("filename", filename);
        e.put("file_size", file.size());
        e.put("missing_bytes", file.missingBytes());
        e.put("type_tag", typeTag);
        return e;
    }

    private static ExtractionPolicy policy(Object setting) {
        if (setting instanceof List<?> types) {
            Set<String> mimes = new java.util.HashSet<>();
            for (Object t : types) {
                mimes.add(String.valueOf(t));
            }
            return ExtractionPolicy.ofMimeTypes(mimes);
        }
        String s = String.valueOf(setting);
        switch (s) {
            case "default":
                return ExtractionPolicy.defaults();
            case "all":
                return ExtractionPolicy.all();
            case "none":
                return ExtractionPolicy.none();
            default:
                throw new InvalidInputException("worker 'pcap_zeek': setting 'extract' must be \"default\", \"all\", "
                        + "\"none\" or a list of MIME types, not '" + s + "'");
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temporary files only
        }
    }
}
