package org.workbench.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.workbench.analyzer.dhcp.DhcpAnalyzerFactory;
import org.workbench.analyzer.dns.DnsAnalyzerFactory;
import org.workbench.analyzer.ssl.SslAnalyzerFactory;
import org.workbench.analyzer.http.HttpAnalyzerFactory;
import org.workbench.capture.CaptureReader;
import org.workbench.capture.PacketSource;
import org.workbench.capture.RawPacket;
import org.workbench.files.ExtractedFileSink;
import org.workbench.files.ExtractionPolicy;
import org.workbench.files.FileAnalysisManager;
import org.workbench.flow.AnalyzerFactory;
import org.workbench.flow.ConnectionTracker;
import org.workbench.flow.TrackerOptions;
import org.workbench.flow.UidGenerator;
import org.workbench.packet.DecodedPacket;
import org.workbench.packet.PacketDecoder;
import org.workbench.progress.Progress;
import org.workbench.progress.ProgressListener;
import org.workbench.progress.ProgressTracker;
import org.workbench.zeeklog.LogSink;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Analyzes one capture the way {@code zeek -r CAPTURE} does with its default scripts plus hashing and extraction
 * of files: packets are read ({@link CaptureReader}), decoded ({@link PacketDecoder}), tracked as connections with
 * TCP reassembly ({@link ConnectionTracker}), handed to the protocol analyzers (DNS, HTTP, TLS/DTLS, DHCP) and
 * to file analysis, and every finished record goes to one {@link LogSink}: conn, dns, http, ssl, x509, dhcp,
 * files, tunnel and weird records.
 *
 * <p>A plain library call: no global state, one thread, memory bounded by the number of connections alive at once
 * (not by the capture's size). An instance holds only options and can run any number of captures, also
 * concurrently.
 *
 * <p>What runs is set by an {@link AnalysisConfig} ({@link Builder#config}): which analyzers are active (Zeek's
 * bare mode and loaded scripts), checksum verification, a BPF capture filter, local networks, DNS/HTTP settings.
 * Analyzers are plug-ins registered by name in {@link #ANALYZERS}: a new protocol analyzer is one line there.
 *
 * <pre>{@code
 * ZeekAnalysis.Summary s = ZeekAnalysis.builder().build()
 *         .run(Path.of("trace.pcap"), new DirectoryLogSink(outDir), ExtractedFileSink.discarding());
 * }</pre>
 */
public final class ZeekAnalysis {
    /** How often (in packets) a run checks its cancellation signal. */
    private static final int CANCEL_CHECK_INTERVAL = 4096;
    /** How often (in packets, a power of two) a run with a progress listener measures how far it got. */
    private static final int PROGRESS_CHECK_INTERVAL = 256;

    /**
     * Makes the {@link AnalyzerFactory} of one protocol analyzer for a run. Registered by Zeek analyzer name in
     * {@link #ANALYZERS}; the run calls it only when {@link AnalysisConfig#analyzerActive(String)} says so.
     */
    @FunctionalInterface
    public interface AnalyzerPlugin {
        AnalyzerFactory create(AnalyzerEnvironment env);
    }

    /**
     * What a plug-in may use: the run's log sink, weird log, file analysis and configuration (for its settings,
     * e.g. {@code config.setting("DHCP::max_tracked_transactions")}).
     */
    public record AnalyzerEnvironment(LogSink logs, WeirdLog weirds, FileAnalysisManager files,
                                      AnalysisConfig config) {
    }

    /**
     * The protocol analyzers by Zeek analyzer name, in the order they are offered connections. To plug in an
     * analyzer, add one line: {@code m.put("ssl", env -> new SslAnalyzerFactory(env.logs(), env.weirds(),
     * env.files()));} (names in {@link AnalysisConfig#ANALYZER_NAMES} are already understood by the
     * configuration's bare-mode rules).
     */
    public static final Map<String, AnalyzerPlugin> ANALYZERS;

    static {
        Map<String, AnalyzerPlugin> m = new LinkedHashMap<>();
        m.put("dns", env -> new DnsAnalyzerFactory(env.logs(), env.weirds(), env.config().dnsOptions()));
        m.put("http", env -> new HttpAnalyzerFactory(env.logs(), env.weirds(), env.files())
                .capturePassword(env.config().httpCapturePassword()));
        m.put("ssl", env -> new SslAnalyzerFactory(env.logs(), env.weirds(), env.files()));
        m.put("dtls", env -> new SslAnalyzerFactory(env.logs(), env.weirds(), env.files()).dtlsFactory());
        m.put("dhcp", env -> new DhcpAnalyzerFactory(env.logs(), env.weirds(), env.config().dhcpOptions()));
        ANALYZERS = java.util.Collections.unmodifiableMap(m);
    }

    /** libpcap's PCAP_NETMASK_UNKNOWN (255.255.255.255): filters using {@code ip broadcast} cannot be compiled. */
    private static final java.net.Inet4Address NETMASK_UNKNOWN;

    static {
        try {
            NETMASK_UNKNOWN = (java.net.Inet4Address) java.net.InetAddress.getByAddress(
                    new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 255});
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AnalysisConfig config;
    private final TrackerOptions trackerOptions;
    private final boolean verifyChecksums;
    private final ExtractionPolicy extractionPolicy;
    private final Long uidSeed;
    private final Path tempDirectory;
    private final BooleanSupplier cancelled;
    private final NetworkClock networkClock;
    private final Map<String, AnalyzerPlugin> plugins;
    private final ProgressListener progress;
    private final String progressTask;

    private ZeekAnalysis(Builder b) {
        this.config = b.config;
        this.trackerOptions = b.trackerOptions;
        this.verifyChecksums = b.verifyChecksums;
        this.extractionPolicy = b.extractionPolicy;
        this.uidSeed = b.uidSeed;
        this.tempDirectory = b.tempDirectory;
        this.cancelled = b.cancelled;
        this.networkClock = b.networkClock;
        this.plugins = Map.copyOf(b.plugins);
        this.progress = b.progress;
        this.progressTask = b.progressTask;
    }

    /** Starts the options of an analysis; every option has Zeek's default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run saw.
     *
     * @param capture       the capture's display name
     * @param format        {@code pcap} or {@code pcapng}
     * @param linkType      the first interface's link type (tcpdump.org LINKTYPE_ number)
     * @param packets       packet records read
     * @param bytes         captured bytes of those records
     * @param anomalies     capture-file anomalies reported (each also logged as a weird)
     * @param truncated     whether the file ended in the middle of a record
     * @param connections   connections logged to conn.log
     * @param firstTs       time of the earliest packet, seconds since the epoch (NaN without packets)
     * @param lastTs        time of the latest packet, seconds since the epoch (NaN without packets)
     * @param corruptRecord when reading ended early at a structurally impossible record header (weird
     *                      {@value CaptureReader#CORRUPT_CAPTURE_RECORD}): one line naming the capture, the
     *                      record's index (from 0) and byte offset; null otherwise. The logs then cover exactly
     *                      the records before it, as if the capture ended there.
     * @param unsupportedLinkTypes packets read per link type (tcpdump.org LINKTYPE_ number) that the decoder does
     *                      not understand ({@link PacketDecoder#supportsLinkType}), in increasing link type order;
     *                      those packets are counted in {@code packets} and {@code bytes} but not analysed, and
     *                      each such link type gave one weird {@value #UNSUPPORTED_LINK_TYPE}. Empty when all
     *                      packets could be decoded.
     */
    public record Summary(String capture, String format, int linkType, long packets, long bytes, long anomalies,
                          boolean truncated, long connections, double firstTs, double lastTs, String corruptRecord,
                          Map<Integer, Long> unsupportedLinkTypes) {
        /** Packets of unsupported link types (the sum of {@link #unsupportedLinkTypes()}). */
        public long undecodedPackets() {
            return unsupportedLinkTypes.values().stream().mapToLong(Long::longValue).sum();
        }

        /**
         * One line per problem that made the logs cover less than the whole capture: the corrupt record that ended
         * reading, then each unsupported link type; each line names the weird that records it too.
         *
         * @param name how the lines name the capture (a path on the command line, a sample's file name in a
         *             worker result)
         * @return the lines, empty when the capture was analysed whole
         */
        public List<String> problems(String name) {
            List<String> lines = new ArrayList<>();
            if (corruptRecord != null) {
                String detail = corruptRecord.startsWith(capture + ": ")
                        ? corruptRecord.substring(capture.length() + 2) : corruptRecord;
                lines.add(name + ": " + detail + "; the logs cover the " + packets + " packets before it (weird "
                        + CaptureReader.CORRUPT_CAPTURE_RECORD + ")");
            }
            for (Map.Entry<Integer, Long> e : unsupportedLinkTypes.entrySet()) {
                lines.add(name + ": link type " + e.getKey() + " is not supported: its " + e.getValue()
                        + " packets were not analysed (weird " + UNSUPPORTED_LINK_TYPE + ")");
            }
            return lines;
        }
    }

    /**
     * Weird name (ours; Zeek documents no weird for it: its optional {@code policy/misc/unknown-protocols.zeek}
     * logs protocols it cannot process to {@code unknown_protocols.log} instead): packets whose link type the
     * decoder does not understand. Written once per link type, at the first such packet, with {@code addl} naming
     * the link type number and the packet's index; the packets are not analysed.
     */
    public static final String UNSUPPORTED_LINK_TYPE = "unsupported_link_type";

    /**
     * Analyzes a capture file (pcap or pcapng, optionally gzip-compressed when named {@code .gz}).
     *
     * @param capture   the capture file
     * @param logs      receives every log record (conn, dns, http, ssl, x509, dhcp, files, tunnel, weird)
     * @param extracted receives the files the extraction policy selects; it owns the temporary file it is given
     * @return what the run saw
     * @throws org.workbench.capture.CaptureFormatException when the file is empty, not a capture, or its file
     *                                                      header is broken (message names it); a record cut
     *                                                      short or structurally impossible is not an error
     *                                                      but a weird that ends the capture (see
     *                                                      {@link Summary#corruptRecord()})
     * @throws IOException                                  when the file cannot be read
     * @throws CancellationException                        when the cancellation signal was raised
     */
    public Summary run(Path capture, LogSink logs, ExtractedFileSink extracted) throws IOException {
        Run run = new Run(logs, extracted);
        try (CaptureReader reader = CaptureReader.open(capture, run::anomaly)) {
            // progress counts the bytes read of the file's size; a compressed file's decompressed size is unknown
            long total = progress == ProgressListener.NONE || gzip(capture) ? -1 : java.nio.file.Files.size(capture);
            return run.process(reader, reader::position, total);
        }
    }

    private static boolean gzip(Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Analyzes a capture read from a stream (for example standard input); see {@link #run(Path, LogSink,
     * ExtractedFileSink)}.
     *
     * @param name the name to use in messages
     */
    public Summary run(InputStream capture, String name, LogSink logs, ExtractedFileSink extracted)
            throws IOException {
        Run run = new Run(logs, extracted);
        try (CaptureReader reader = CaptureReader.open(capture, name, run::anomaly)) {
            return run.process(reader, reader::position, -1);
        }
    }

    /**
     * Analyzes the packets of any source until it ends (for example a {@link org.workbench.capture.LiveCapture},
     * which ends when stopped); see {@link #run(Path, LogSink, ExtractedFileSink)}. The caller owns the source
     * and closes it. At the end, connections still open are logged and file analysis is finished, as at the end of
     * a file.
     */
    public Summary run(PacketSource source, LogSink logs, ExtractedFileSink extracted) throws IOException {
        Objects.requireNonNull(source, "source");
        return new Run(logs, extracted).process(source, null, -1);
    }

    /** The state of one run: the pipeline's stages wired together. */
    private final class Run {
        private final WeirdLog weirds;
        private final FileAnalysisManager files;
        private final ConnectionTracker tracker;
        private final List<AnalyzerFactory> analyzers;
        private final PacketDecoder decoder;
        private final String filter = config.bpfFilter();
        private final Map<Integer, BpfProgram> programs = new HashMap<>();
        private final ConnFields connFields;
        private double lastSeen = Double.NaN;

        Run(LogSink logs, ExtractedFileSink extracted) {
            Objects.requireNonNull(logs, "logs");
            Objects.requireNonNull(extracted, "extracted");
            boolean sizes = config.analyzerActive("connsize");
            this.connFields = config.connL2Addresses() || config.connVlans() || config.connPppoeSessions() || !sizes
                    ? new ConnFields(logs, config.connL2Addresses(), config.connVlans(), sizes,
                    config.connPppoeSessions()) : null;
            if (connFields != null) {
                logs = connFields;
            }
            UidGenerator uids = uidSeed == null ? new UidGenerator() : new UidGenerator(uidSeed);
            this.weirds = new WeirdLog(logs);
            this.files = new FileAnalysisManager(logs, weirds, uids::fileUid, extractionPolicy, extracted)
                    .localNets(trackerOptions.localAddresses())
                    .logHashes(config.hashAllFiles());
            if (tempDirectory != null) {
                files.tempDirectory(tempDirectory);
            }
            AnalyzerEnvironment env = new AnalyzerEnvironment(logs, weirds, files, config);
            List<AnalyzerFactory> analyzers = new ArrayList<>();
            for (Map.Entry<String, AnalyzerPlugin> e : ANALYZERS.entrySet()) {
                if (config.analyzerActive(e.getKey())) {
                    analyzers.add(plugins.getOrDefault(e.getKey(), e.getValue()).create(env));
                }
            }
            this.analyzers = analyzers;
            this.tracker = new ConnectionTracker(trackerOptions, analyzers, logs, weirds, uids);
            this.decoder = new PacketDecoder(weirds, verifyChecksums).maxTunnelDepth(config.tunnelMaxDepth());
        }

        void anomaly(RawPacket packet, String name, String detail) {
            double ts = packet != null ? packet.timestampSeconds() : lastSeen;
            weirds.weird(Double.isNaN(ts) ? 0 : ts, name, null, null, detail, "capture");
        }

        /** Whether a packet passes the BPF filter (always true without one). */
        boolean passes(RawPacket raw) {
            if (filter == null) {
                return true;
            }
            BpfProgram program = programs.get(raw.linkType());
            if (program == null) {
                program = compile(raw.linkType());
                programs.put(raw.linkType(), program);
            }
            return program.applyFilter(raw.data());
        }

        private BpfProgram compile(int linkType) {
            // pcap_compile wants the DLT_ number; LINKTYPE_RAW (101) is DLT_RAW (12) on Linux
            int dlt = linkType == 101 ? 12 : linkType;
            try {
                return Pcaps.compileFilter(65535, DataLinkType.getInstance(dlt), filter,
                        BpfProgram.BpfCompileMode.OPTIMIZE, NETMASK_UNKNOWN);
            } catch (PcapNativeException | RuntimeException e) {
                throw new IllegalArgumentException("BPF filter '" + filter + "' cannot be compiled for link type "
                        + linkType + ": " + e.getMessage(), e);
            }
        }

        void dispose() {
            programs.values().forEach(BpfProgram::free);
            programs.clear();
        }

        /**
         * @param position bytes of the source consumed so far, for progress; null when not measurable
         * @param total    the source's size in bytes, or -1 when unknown
         */
        Summary process(PacketSource reader, java.util.function.LongSupplier position, long total)
                throws IOException {
            ProgressTracker report = ProgressTracker.start(position == null ? ProgressListener.NONE : progress,
                    progressTask != null ? progressTask : "zeek " + reader.displayName(), total, Progress.BYTES);
            try {
                Summary s = processAll(reader, report, position);
                if (position != null) {
                    report.update(position.getAsLong()); // the final count (the total, when it was unknown)
                }
                report.finish();
                return s;
            } finally {
                report.close(); // reports a failure unless finished
                dispose();
            }
        }

        private Summary processAll(PacketSource reader, ProgressTracker progressTracker,
                                   java.util.function.LongSupplier position) throws IOException {
            boolean reportProgress = progressTracker.active();
            DecodedPacket decoded = new DecodedPacket();
            long packets = 0;
            long bytes = 0;
            double first = Double.NaN;
            double last = Double.NaN;
            // link type -> packets, for the few link types the decoder does not understand (bounded by 65536)
            java.util.TreeMap<Integer, Long> unsupported = new java.util.TreeMap<>();
            int knownGood = Integer.MIN_VALUE;
            RawPacket raw;
            while ((raw = reader.next()) != null) {
                if (++packets % CANCEL_CHECK_INTERVAL == 0 && (cancelled.getAsBoolean()
                        || Thread.currentThread().isInterrupted())) {
                    throw new CancellationException("analysis of " + reader.displayName() + " cancelled after "
                            + packets + " packets");
                }
                if (reportProgress && (packets & (PROGRESS_CHECK_INTERVAL - 1)) == 0) {
                    progressTracker.update(position.getAsLong());
                }
                int lt = raw.linkType();
                boolean decodable = true;
                if (lt != knownGood) {
                    if (PacketDecoder.supportsLinkType(lt)) {
                        knownGood = lt;
                    } else {
                        // counted and timed like any packet, but neither filtered nor decoded
                        decodable = false;
                        Long seen = unsupported.merge(lt, 1L, Long::sum);
                        if (seen == 1L) {
                            weirds.weird(raw.timestampSeconds(), UNSUPPORTED_LINK_TYPE, null, null, String.format(
                                    "%s: link type %d is not supported; its packets are not analysed"
                                            + " (first: packet %d)", reader.displayName(), lt, raw.index()),
                                    "capture");
                        }
                    }
                }
                if (decodable && !passes(raw)) {
                    continue;
                }
                bytes += raw.capturedLength();
                double ts = raw.timestampSeconds();
                first = Double.isNaN(first) ? ts : Math.min(first, ts);
                last = Double.isNaN(last) ? ts : Math.max(last, ts);
                lastSeen = ts;
                if (networkClock != null) {
                    networkClock.advance(ts);
                }
                if (!decodable) {
                    continue;
                }
                decoded.clear();
                if (decoder.decode(raw, decoded)) {
                    if (connFields != null && connFields.observing()) {
                        connFields.observe(decoded);
                    }
                    tracker.process(decoded);
                }
            }
            tracker.finish();
            for (AnalyzerFactory a : analyzers) {
                a.finish();
            }
            files.closeAll(Double.isNaN(last) ? 0 : last);
            return new Summary(reader.displayName(), reader.format(), reader.linkType(), packets, bytes,
                    reader.anomalyCount(), reader.endedWithTruncatedRecord(), tracker.connectionsLogged(), first,
                    last, reader.corruptRecordDetail(), java.util.Collections.unmodifiableMap(unsupported));
        }
    }

    /** Options of an analysis. */
    public static final class Builder {
        private AnalysisConfig config = AnalysisConfig.defaults();
        private TrackerOptions trackerOptions = TrackerOptions.defaults();
        private boolean verifyChecksums = true;
        private ExtractionPolicy extractionPolicy = ExtractionPolicy.defaults();
        private Long uidSeed;
        private Path tempDirectory;
        private BooleanSupplier cancelled = () -> false;
        private NetworkClock networkClock;
        private final Map<String, AnalyzerPlugin> plugins = new HashMap<>();
        private ProgressListener progress = ProgressListener.NONE;
        private String progressTask;

        private Builder() {
        }

        /**
         * Reports the run's progress: bytes of the capture file read, of its size (size unknown for a stream or a
         * gzip-compressed file; no reports for a live capture). Default none.
         *
         * @param listener where reports go (null for none)
         * @param task     the task name in the reports, or null for {@code "zeek " + the capture's name}
         */
        public Builder progress(ProgressListener listener, String task) {
            this.progress = listener == null ? ProgressListener.NONE : listener;
            this.progressTask = task;
            return this;
        }

        /**
         * Replaces the plug-in registered in {@link #ANALYZERS} under {@code name} for this analysis (for example
         * to give the SSL analyzer an {@code X509Log} with other caching settings); default the registered one.
         *
         * @throws IllegalArgumentException when no analyzer of that name is registered
         */
        public Builder analyzer(String name, AnalyzerPlugin plugin) {
            if (!ANALYZERS.containsKey(name)) {
                throw new IllegalArgumentException("no analyzer named " + name + " in ZeekAnalysis.ANALYZERS");
            }
            plugins.put(name, Objects.requireNonNull(plugin));
            return this;
        }

        /**
         * The configuration (see {@link AnalysisConfig}): sets the active analyzers and their settings, and
         * replaces the checksum option ({@link AnalysisConfig#verifyChecksums()}) and the tracker options
         * ({@link AnalysisConfig#applyTo(TrackerOptions)} of the current ones). Later calls of
         * {@link #verifyChecksums} or {@link #trackerOptions} override those. Default
         * {@link AnalysisConfig#defaults()}.
         *
         * @throws IllegalArgumentException when the configuration's tracker settings are invalid
         */
        public Builder config(AnalysisConfig config) {
            this.config = Objects.requireNonNull(config);
            this.verifyChecksums = config.verifyChecksums();
            this.trackerOptions = config.applyTo(trackerOptions);
            return this;
        }

        /** A clock the run advances to each packet's time (see {@link NetworkClock}); default none. */
        public Builder networkClock(NetworkClock clock) {
            this.networkClock = clock;
            return this;
        }

        /** Connection tracking options (timeouts, local networks...); default {@link TrackerOptions#defaults()}. */
        public Builder trackerOptions(TrackerOptions options) {
            this.trackerOptions = Objects.requireNonNull(options);
            return this;
        }

        /**
         * Whether IP/TCP/UDP/ICMP checksums are verified (default true, as Zeek). False is {@code zeek -C}: needed
         * for captures taken on a host with checksum offloading.
         */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** Which file types are extracted; default {@link ExtractionPolicy#defaults()}. */
        public Builder extractionPolicy(ExtractionPolicy policy) {
            this.extractionPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Makes UIDs reproducible: the same seed and capture give the same {@code uid}/{@code fuid} values. */
        public Builder uidSeed(long seed) {
            this.uidSeed = seed;
            return this;
        }

        /** Directory for temporary extraction files (default: the JVM's temporary directory). */
        public Builder tempDirectory(Path dir) {
            this.tempDirectory = dir;
            return this;
        }

        /**
         * A signal checked every few thousand packets; when it returns true (or the thread is interrupted) the run
         * stops with a {@link CancellationException}.
         */
        public Builder cancelled(BooleanSupplier signal) {
            this.cancelled = Objects.requireNonNull(signal);
            return this;
        }

        public ZeekAnalysis build() {
            return new ZeekAnalysis(this);
        }
    }
}
