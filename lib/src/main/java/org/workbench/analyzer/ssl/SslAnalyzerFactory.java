package org.workbench.analyzer.ssl;

import java.util.Objects;
import java.util.Set;
import org.workbench.analysis.WeirdReporter;
import org.workbench.files.FileAnalysisManager;
import org.workbench.files.x509.X509Log;
import org.workbench.flow.AnalyzerFactory;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogSink;

/**
 * Makes {@link SslAnalyzer}s: service {@code ssl}, started on Zeek's {@code SSL::ssl_ports} (443, 465, 563, 585,
 * 614, 636, 989, 990, 992, 993, 995, 5223 over TCP) or when the first payload matches Zeek's {@code dpd_tls_client}
 * / {@code dpd_tls_server} signatures (a TLS handshake record holding a ClientHello from the originator or a
 * ServerHello, optionally after an alert record, from the responder). DTLS 1.0/1.2 over UDP is its companion
 * {@link #dtlsFactory()}.
 *
 * <p>Protocols that switch to TLS in the middle of a connection (STARTTLS in SMTP, IMAP, XMPP..., RDP, MySQL)
 * can hand the rest of the stream to {@link #newStreamAnalyzer} of the run's factory, as Zeek's analyzers attach
 * an SSL child analyzer.
 *
 * <p>Certificates are logged to x509.log with Zeek's default log caching, shared by all connections of one run
 * (one factory per run). As in Zeek's default configuration ({@code X509::log_x509_in_files_log=F}), certificates
 * do not appear in files.log, so the file analysis manager is not fed.
 */
public final class SslAnalyzerFactory implements AnalyzerFactory {
    /** Zeek's {@code SSL::ssl_ports}. */
    public static final Set<Integer> PORTS = Set.of(443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223);

    /** Zeek's {@code SSL::dtls_ports}. */
    public static final Set<Integer> DTLS_PORTS = Set.of(443);

    private final LogSink sink;
    private final WeirdReporter weirds;
    private final FileAnalysisManager files;
    private final X509Log x509;

    /**
     * @param sink   receives ssl.log and x509.log records
     * @param weirds the run's weird reporter (weirds of connections go through the connection context)
     * @param files  the run's file analysis (kept for certificate files should they be logged in files.log)
     */
    public SslAnalyzerFactory(LogSink sink, WeirdReporter weirds, FileAnalysisManager files) {
        this(sink, weirds, files, new X509Log(sink));
    }

    /** With a specific x509.log writer (for example without caching, or host certificates only). */
    public SslAnalyzerFactory(LogSink sink, WeirdReporter weirds, FileAnalysisManager files, X509Log x509) {
        this.sink = Objects.requireNonNull(sink);
        this.weirds = Objects.requireNonNull(weirds);
        this.files = files;
        this.x509 = Objects.requireNonNull(x509);
    }

    @Override
    public String service() {
        return "ssl";
    }

    @Override
    public Set<Integer> wellKnownPorts(TransportProto proto) {
        return proto == TransportProto.TCP ? PORTS : Set.of();
    }

    @Override
    public boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
        if (proto != TransportProto.TCP) {
            return false;
        }
        return isOrig ? isClientHello(data, offset, length) : isServerHello(data, offset, length);
    }

    /** {@code ^\x16\x03[\x00-\x03]..\x01...\x03[\x00-\x03]} */
    static boolean isClientHello(byte[] d, int off, int len) {
        if (len < 11) {
            return false;
        }
        return (d[off] & 0xff) == 0x16 && d[off + 1] == 3 && (d[off + 2] & 0xff) <= 3 && d[off + 5] == 1
                && d[off + 9] == 3 && (d[off + 10] & 0xff) <= 3;
    }

    /** {@code ^(\x15\x03[\x00-\x03]....)?\x16\x03[\x00-\x03]..\x02...(\x03[\x00-\x04]|\x7F[\x00-\x50])} */
    static boolean isServerHello(byte[] d, int off, int len) {
        if (len >= 7 && (d[off] & 0xff) == 0x15 && d[off + 1] == 3 && (d[off + 2] & 0xff) <= 3
                && serverHelloAt(d, off + 7, len - 7)) {
            return true;
        }
        return serverHelloAt(d, off, len);
    }

    private static boolean serverHelloAt(byte[] d, int off, int len) {
        if (len < 11) {
            return false;
        }
        if ((d[off] & 0xff) != 0x16 || d[off + 1] != 3 || (d[off + 2] & 0xff) > 3 || d[off + 5] != 2) {
            return false;
        }
        int v0 = d[off + 9] & 0xff;
        int v1 = d[off + 10] & 0xff;
        return (v0 == 3 && v1 <= 4) || (v0 == 0x7f && v1 <= 0x50);
    }

    /** Zeek's {@code dpd_dtls_client}: {@code ^\x16\xfe[\xff\xfd]\x00{7}...\x01.{11}\xfe[\xff\xfd]}. */
    static boolean isDtlsClientHello(byte[] d, int off, int len) {
        if (len < 27) {
            return false;
        }
        if ((d[off] & 0xff) != 0x16 || (d[off + 1] & 0xff) != 0xfe) {
            return false;
        }
        int v = d[off + 2] & 0xff;
        if (v != 0xff && v != 0xfd) {
            return false;
        }
        for (int i = 3; i < 10; i++) {
            if (d[off + i] != 0) {
                return false;
            }
        }
        if (d[off + 13] != 1 || (d[off + 25] & 0xff) != 0xfe) {
            return false;
        }
        int v2 = d[off + 26] & 0xff;
        return v2 == 0xff || v2 == 0xfd;
    }

    /**
     * The DTLS companion of this factory (Zeek's separate DTLS analyzer, service {@code dtls}): UDP only, on
     * {@link #DTLS_PORTS} or after a datagram matching {@code dpd_dtls_client}; it shares this factory's x509.log
     * writer and so its certificate cache. Wire both into the connection tracker.
     */
    public AnalyzerFactory dtlsFactory() {
        return dtls;
    }

    private final AnalyzerFactory dtls = new AnalyzerFactory() {
        @Override
        public String service() {
            return "dtls";
        }

        @Override
        public Set<Integer> wellKnownPorts(TransportProto proto) {
            return proto == TransportProto.UDP ? DTLS_PORTS : Set.of();
        }

        @Override
        public boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
            return proto == TransportProto.UDP && isDtlsClientHello(data, offset, length);
        }

        @Override
        public DatagramAnalyzer newDatagramAnalyzer(ConnectionContext conn) {
            return new SslAnalyzer(conn, sink, x509).dtls();
        }
    };

    @Override
    public StreamAnalyzer newStreamAnalyzer(ConnectionContext conn) {
        return new SslAnalyzer(conn, sink, x509);
    }
}
