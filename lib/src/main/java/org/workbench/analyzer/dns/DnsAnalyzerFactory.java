package org.workbench.analyzer.dns;

import java.util.Objects;
import java.util.Set;

import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.AnalyzerFactory;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Makes DNS analyzers, which write dns.log rows ({@link DnsLog#SCHEMA}) and DNS weirds as Zeek 9 does with its
 * default scripts.
 *
 * <p>Ports are Zeek's {@code DNS::ports}: 53/udp, 53/tcp, 137/udp (NetBIOS name service, which Zeek analyses as
 * DNS and logs in dns.log with NetBIOS opcode names and decoded names), 5353/udp (mDNS) and 5355/udp (LLMNR).
 * Zeek has no content signature for DNS, so {@link #detect} never claims a connection.
 *
 * <p>Usage: register the factory with the connection tracker; it calls {@link #newDatagramAnalyzer} or
 * {@link #newStreamAnalyzer} per connection and {@code connectionDone} when the connection ends, at which point
 * unanswered queries and unmatched responses are logged.
 */
public final class DnsAnalyzerFactory implements AnalyzerFactory {
    private static final Set<Integer> UDP_PORTS = Set.of(53, 137, 5353, 5355);
    private static final Set<Integer> TCP_PORTS = Set.of(53);

    private final LogSink logs;
    private final WeirdReporter weirds;
    private final DnsOptions options;

    /** A factory with Zeek's default settings ({@link DnsOptions#defaults()}). */
    public DnsAnalyzerFactory(LogSink logs, WeirdReporter weirds) {
        this(logs, weirds, DnsOptions.defaults());
    }

    /**
     * @param logs    receives dns.log records (schema {@link DnsLog#schema(DnsOptions)})
     * @param weirds  receives DNS weirds (source {@code DNS})
     * @param options limits and optional columns
     * @throws NullPointerException when an argument is null
     */
    public DnsAnalyzerFactory(LogSink logs, WeirdReporter weirds, DnsOptions options) {
        this.logs = Objects.requireNonNull(logs, "logs");
        this.weirds = Objects.requireNonNull(weirds, "weirds");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The dns.log schema this factory's analyzers write. */
    public LogSchema schema() {
        return DnsLog.schema(options);
    }

    @Override
    public String service() {
        return DnsAnalyzer.SERVICE;
    }

    @Override
    public Set<Integer> wellKnownPorts(TransportProto proto) {
        switch (proto) {
            case UDP: return UDP_PORTS;
            case TCP: return TCP_PORTS;
            default: return Set.of();
        }
    }

    @Override
    public StreamAnalyzer newStreamAnalyzer(ConnectionContext conn) {
        return new DnsAnalyzer(conn, logs, weirds, options);
    }

    @Override
    public DatagramAnalyzer newDatagramAnalyzer(ConnectionContext conn) {
        return new DnsAnalyzer(conn, logs, weirds, options);
    }
}
