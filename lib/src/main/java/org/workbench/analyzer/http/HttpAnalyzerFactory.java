package org.workbench.analyzer.http;

import java.util.Objects;
import java.util.Set;

import org.workbench.analysis.WeirdReporter;
import org.workbench.files.FileAnalysisManager;
import org.workbench.flow.AnalyzerFactory;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogSink;

/**
 * Makes HTTP/1.x analyzers for TCP connections. Each analyzer parses both directions, writes one http.log
 * record ({@link HttpLog#SCHEMA}) per request/response transaction, passes message bodies (de-chunked and
 * decompressed, multipart bodies split into parts) to file analysis with source {@code "HTTP"}, and reports
 * malformed traffic as weirds with Zeek's names and source {@code "HTTP"}. Like Zeek, an analyzer confirms the
 * {@code http} service on the first request or status line it parses, and reports a protocol violation (and stops)
 * on a first line that is not HTTP.
 *
 * <p>Behaviour follows Zeek 9's HTTP analyzer and {@code base/protocols/http} scripts as observed in Zeek's test
 * baselines: {@code version} is the reply's version; {@code request_body_len}/{@code response_body_len} count the
 * body after de-chunking and content decoding (gaps included); http.log rows are written when the final response
 * ends, or at connection end for requests left unanswered.
 */
public final class HttpAnalyzerFactory implements AnalyzerFactory {
    /**
     * Zeek's HTTP analyzer ports ({@code HTTP::ports} in {@code base/protocols/http/main.zeek}):
     * 80, 81, 631, 1080, 3128, 8000, 8080, 8888.
     */
    public static final Set<Integer> PORTS = Set.of(80, 81, 631, 1080, 3128, 8000, 8080, 8888);

    private final LogSink sink;
    private final WeirdReporter weirds;
    private final FileAnalysisManager files;
    private boolean capturePassword;
    private boolean resyncAfterGaps;

    /**
     * @param sink    receives http.log records
     * @param weirds  receives weirds
     * @param files   file analysis for message bodies (also writes files.log)
     */
    public HttpAnalyzerFactory(LogSink sink, WeirdReporter weirds, FileAnalysisManager files) {
        this.sink = Objects.requireNonNull(sink);
        this.weirds = Objects.requireNonNull(weirds);
        this.files = Objects.requireNonNull(files);
    }

    /**
     * Whether Basic-auth passwords are logged (Zeek's {@code HTTP::default_capture_password}, default false).
     *
     * @return this factory
     */
    public HttpAnalyzerFactory capturePassword(boolean capture) {
        this.capturePassword = capture;
        return this;
    }

    /**
     * What to do after a content gap that leaves a message's framing unknown (a gap in headers, between
     * messages, or running past a body's end). False (the default) stops parsing as Zeek does; true skips to the
     * next line that parses as a request (or status) line and goes on, which recovers later transactions of a
     * damaged capture at the price of differing from Zeek.
     *
     * @return this factory
     */
    public HttpAnalyzerFactory resyncAfterGaps(boolean resync) {
        this.resyncAfterGaps = resync;
        return this;
    }

    @Override
    public String service() {
        return "http";
    }

    @Override
    public Set<Integer> wellKnownPorts(TransportProto proto) {
        return proto == TransportProto.TCP ? PORTS : Set.of();
    }

    /**
     * Recognises the start of an HTTP/1.x request ({@code METHOD SP target SP HTTP/x.y}) or response
     * ({@code HTTP/x.y SP 3DIGIT}) in the first payload of a TCP connection.
     */
    @Override
    public boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
        if (proto != TransportProto.TCP || data == null || length <= 0) {
            return false;
        }
        return isOrig ? HttpSyntax.looksLikeRequest(data, offset, length)
                : HttpSyntax.looksLikeResponse(data, offset, length);
    }

    @Override
    public StreamAnalyzer newStreamAnalyzer(ConnectionContext conn) {
        return new HttpStreamAnalyzer(conn, sink, weirds, files, capturePassword, resyncAfterGaps);
    }
}
