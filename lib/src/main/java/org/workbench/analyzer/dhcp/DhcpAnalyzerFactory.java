package org.workbench.analyzer.dhcp;

import java.util.Objects;
import java.util.Set;
import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.AnalyzerFactory;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogSchema;
import org.workbench.zeeklog.LogSink;

/**
 * Makes DHCP analyzers, which write dhcp.log ({@link DhcpLog}) as Zeek 9 does with {@code base/protocols/dhcp}:
 * the messages of one transaction id, over however many UDP connections (client to broadcast, server to client,
 * relays), become one row.
 *
 * <p>Ports: Zeek's server ports 67/udp and 4011/udp are well-known (and so count as likely server ports, as in
 * Zeek). Zeek also starts the analyzer on its client port 68/udp, which it does not count as a server port; here a
 * connection to 68 is picked up by {@link #detect}, Zeek's DPD signature for DHCP (the magic cookie at offset 236),
 * which every DHCP message matches.
 *
 * <p>One factory holds the transaction table of one analysis run, so it must not be shared between runs; call
 * {@link #finish()} after the connection tracker's {@code finish()} to write the rows still open (Zeek writes
 * them when it terminates). Malformed datagrams become protocol violations with Zeek's reasons
 * ({@code bad cookie (N)}, {@code no DHCP message type option}, {@code Binpac exception: ...}); the only weird is
 * {@code DHCP_max_tracked_transactions_exceeded}.
 */
public final class DhcpAnalyzerFactory implements AnalyzerFactory {
    private static final Set<Integer> UDP_PORTS = Set.of(67, 4011);

    private final DhcpTransactions transactions;

    /** A factory with Zeek's default settings ({@link DhcpAnalyzerOptions#defaults()}). */
    public DhcpAnalyzerFactory(LogSink logs, WeirdReporter weirds) {
        this(logs, weirds, DhcpAnalyzerOptions.defaults());
    }

    /**
     * @param logs    receives dhcp.log records (schema {@link DhcpLog#schema(DhcpAnalyzerOptions)})
     * @param weirds  receives the DHCP weird (source {@code DHCP})
     * @param options limits and policy columns
     * @throws NullPointerException when an argument is null
     */
    public DhcpAnalyzerFactory(LogSink logs, WeirdReporter weirds, DhcpAnalyzerOptions options) {
        this.transactions = new DhcpTransactions(Objects.requireNonNull(logs, "logs"),
                Objects.requireNonNull(weirds, "weirds"), Objects.requireNonNull(options, "options"));
    }

    /** The dhcp.log schema this factory writes. */
    public LogSchema schema() {
        return transactions.schema();
    }

    @Override
    public String service() {
        return DhcpAnalyzer.SERVICE;
    }

    @Override
    public Set<Integer> wellKnownPorts(TransportProto proto) {
        return proto == TransportProto.UDP ? UDP_PORTS : Set.of();
    }

    /** Zeek's {@code dhcp_cookie} signature: a UDP payload with 99.130.83.99 at offset 236. */
    @Override
    public boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
        int c = offset + DhcpParser.COOKIE_OFFSET;
        return proto == TransportProto.UDP && length >= DhcpParser.COOKIE_OFFSET + 4
                && data[c] == 0x63 && data[c + 1] == (byte) 0x82 && data[c + 2] == 0x53 && data[c + 3] == 0x63;
    }

    @Override
    public DatagramAnalyzer newDatagramAnalyzer(ConnectionContext conn) {
        return new DhcpAnalyzer(conn, transactions);
    }

    /** Writes the rows of the transactions still open; call once at the end of the input. */
    public void finish() {
        transactions.finish();
    }

    /** Transaction ids currently tracked (bounded by {@code max_tracked_transactions}). */
    public int trackedTransactions() {
        return transactions.tracked();
    }
}
