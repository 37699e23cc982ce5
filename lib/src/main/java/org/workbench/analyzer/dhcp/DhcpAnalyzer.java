package org.workbench.analyzer.dhcp;

import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;

/**
 * The DHCP analyzer of one UDP connection: parses each datagram ({@link DhcpParser}, one per direction), reports
 * malformed ones as protocol violations, confirms the protocol on each message delivered, and hands the messages
 * to the run's {@link DhcpTransactions}, which joins them across connections by transaction id.
 */
final class DhcpAnalyzer implements DatagramAnalyzer {
    static final String SERVICE = "dhcp";

    private final ConnectionContext conn;
    private final DhcpTransactions transactions;
    private final DhcpParser origParser = new DhcpParser();
    private final DhcpParser respParser = new DhcpParser();

    DhcpAnalyzer(ConnectionContext conn, DhcpTransactions transactions) {
        this.conn = conn;
        this.transactions = transactions;
    }

    @Override
    public void datagram(boolean isOrig, double ts, byte[] data, int offset, int length) {
        DhcpParser.Result r = (isOrig ? origParser : respParser).parse(data, offset, length);
        if (r.violation() != null) {
            conn.protocolViolation(SERVICE, r.violation());
        }
        if (r.message() != null) {
            transactions.message(ts, conn.id(), conn.uid(), isOrig, r.message());
            conn.confirmProtocol(SERVICE);
        }
    }

    @Override
    public void connectionDone(double ts) {
        // Rows are joined across connections; they are written by the transaction table, not per connection.
    }
}
