package org.workbench.analyzer.dhcp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.workbench.analysis.WeirdLog;
import org.workbench.analyzer.dns.DnsAnalyzerFactory;
import org.workbench.analyzer.http.HttpAnalyzerFactory;
import org.workbench.capture.CaptureReader;
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
import org.workbench.zeeklog.DirectoryLogSink;
import org.workbench.zeeklog.LogSink;

/**
 * Test-only copy of ZeekAnalysis' wiring plus {@link DhcpAnalyzerFactory}, until the lead wires the factory into
 * ZeekAnalysis. {@code main(trace, outDir, [-C], [--sub-opts], [--software], [--msg-orig], [--max-tracked N])}
 * writes the logs of one capture.
 */
public final class DhcpTestPipeline {
    private DhcpTestPipeline() {
    }

    public static void run(Path capture, LogSink logs, boolean verifyChecksums, DhcpAnalyzerOptions options)
            throws IOException {
        TrackerOptions trackerOptions = TrackerOptions.defaults();
        UidGenerator uids = new UidGenerator();
        WeirdLog weirds = new WeirdLog(logs);
        FileAnalysisManager files = new FileAnalysisManager(logs, weirds, uids::fileUid, ExtractionPolicy.defaults(),
                ExtractedFileSink.discarding()).localNets(trackerOptions.localAddresses());
        DhcpAnalyzerFactory dhcp = new DhcpAnalyzerFactory(logs, weirds, options);
        List<AnalyzerFactory> analyzers = List.of(
                new DnsAnalyzerFactory(logs, weirds),
                new HttpAnalyzerFactory(logs, weirds, files),
                dhcp);
        ConnectionTracker tracker = new ConnectionTracker(trackerOptions, analyzers, logs, weirds, uids);
        PacketDecoder decoder = new PacketDecoder(weirds, verifyChecksums);
        DecodedPacket decoded = new DecodedPacket();
        double last = 0;
        try (CaptureReader reader = CaptureReader.open(capture,
                (p, name, detail) -> weirds.weird(p == null ? 0 : p.timestampSeconds(), name, null, null, detail,
                        "capture"))) {
            RawPacket raw;
            while ((raw = reader.next()) != null) {
                last = raw.timestampSeconds();
                decoded.clear();
                if (decoder.decode(raw, decoded)) {
                    tracker.process(decoded);
                }
            }
        }
        tracker.finish();
        dhcp.finish();
        files.closeAll(last);
    }

    public static void main(String[] args) throws IOException {
        Path trace = Path.of(args[0]);
        Path out = Path.of(args[1]);
        boolean verify = true;
        DhcpAnalyzerOptions options = DhcpAnalyzerOptions.defaults();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "-C" -> verify = false;
                case "--sub-opts" -> options = options.withSubOpts();
                case "--software" -> options = options.withSoftware();
                case "--msg-orig" -> options = options.withMsgOrig();
                case "--max-tracked" -> options = options.withMaxTrackedTransactions(Integer.parseInt(args[++i]));
                case "--entry-limits" -> options = options.withEntryLimits(Integer.parseInt(args[++i]),
                        Integer.parseInt(args[++i]));
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        try (DirectoryLogSink sink = new DirectoryLogSink(out)) {
            run(trace, sink, verify, options);
        }
    }
}
