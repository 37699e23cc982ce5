package org.workbench.analyzer.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.workbench.analysis.WeirdReporter;
import org.workbench.files.ExtractedFile;
import org.workbench.files.ExtractedFileSink;
import org.workbench.files.ExtractionPolicy;
import org.workbench.files.FileAnalysisManager;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogSink;

/** Test fixtures: a fake connection, collecting sinks, and one analyzer wired to them. */
final class HttpTestSupport {
    final List<LogRecord> records = new ArrayList<>();
    final List<String[]> weirds = new ArrayList<>();
    final List<String> confirmations = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final List<ExtractedFile> extracted = new ArrayList<>();
    final List<byte[]> extractedContent = new ArrayList<>();
    final AtomicInteger fuidCounter = new AtomicInteger();
    final LogSink sink = records::add;
    final WeirdReporter weirdReporter = (ts, name, uid, id, addl, source) ->
            weirds.add(new String[] {name, addl, source});
    final FileAnalysisManager files;
    final HttpAnalyzerFactory factory;
    final FakeConn conn;

    HttpTestSupport() {
        this(ExtractionPolicy.defaults(), true);
    }

    HttpTestSupport(ExtractionPolicy policy, boolean keepContent) {
        ExtractedFileSink ex = (file, content) -> {
            extracted.add(file);
            if (keepContent) {
                extractedContent.add(Files.readAllBytes(content));
            }
            Files.delete(content);
        };
        files = new FileAnalysisManager(sink, weirdReporter, () -> "Ftest" + fuidCounter.incrementAndGet(), policy,
                ex);
        factory = new HttpAnalyzerFactory(sink, weirdReporter, files);
        conn = new FakeConn();
    }

    StreamAnalyzer analyzer() {
        return factory.newStreamAnalyzer(conn);
    }

    /** An analyzer for a connection with the given endpoints and uid. */
    StreamAnalyzer analyzer(ConnId id, String uid) {
        return factory.newStreamAnalyzer(new FakeConn(id, uid));
    }

    List<LogRecord> log(String path) {
        return records.stream().filter(r -> r.schema().path().equals(path)).toList();
    }

    List<String> weirdNames() {
        return weirds.stream().map(w -> w[0]).toList();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void send(StreamAnalyzer a, boolean isOrig, double ts, String s) {
        byte[] d = b(s);
        a.deliver(isOrig, ts, d, 0, d.length);
    }

    static void send(StreamAnalyzer a, boolean isOrig, double ts, byte[] d) {
        a.deliver(isOrig, ts, d, 0, d.length);
    }

    static String md5(byte[] d) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(d));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** A fake TCP connection 10.0.0.1:49152 -> 93.184.216.34:80. */
    final class FakeConn implements ConnectionContext {
        private final ConnId id;
        private final String uid;

        FakeConn(ConnId id, String uid) {
            this.id = id;
            this.uid = uid;
        }

        FakeConn() {
            uid = "CtestUid1";
            try {
                id = new ConnId(InetAddress.getByName("10.0.0.1"), 49152, InetAddress.getByName("93.184.216.34"),
                        80, TransportProto.TCP);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String uid() {
            return uid;
        }

        @Override
        public ConnId id() {
            return id;
        }

        @Override
        public double startTime() {
            return 1000.0;
        }

        @Override
        public void confirmProtocol(String service) {
            confirmations.add(service);
        }

        @Override
        public void protocolViolation(String service, String reason) {
            violations.add(reason);
        }

        @Override
        public void weird(double ts, String name, String addl, String source) {
            weirds.add(new String[] {name, addl, source});
        }
    }

}
