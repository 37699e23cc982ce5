package org.workbench.flow;

/** One protocol analyzer attached to a connection, and the {@link ConnectionContext} it was given. */
final class AnalyzerSlot implements ConnectionContext {
    final Connection conn;
    final AnalyzerFactory factory;
    StreamAnalyzer stream;
    DatagramAnalyzer datagram;
    int violations;
    boolean removed;
    boolean tooManyReported;

    AnalyzerSlot(Connection conn, AnalyzerFactory factory) {
        this.conn = conn;
        this.factory = factory;
    }

    @Override
    public String uid() {
        return conn.uid;
    }

    @Override
    public ConnId id() {
        return conn.id;
    }

    @Override
    public double startTime() {
        return conn.startTime;
    }

    @Override
    public void confirmProtocol(String service) {
        conn.tracker.confirm(conn, service);
    }

    @Override
    public void protocolViolation(String service, String reason) {
        conn.tracker.violation(this, service, reason);
    }

    @Override
    public void weird(double ts, String name, String addl, String source) {
        conn.tracker.weird(conn, ts, name, addl, source);
    }

    @Override
    public void analyzerLimitReached() {
        conn.tracker.markX(conn);
    }

    @Override
    public void flipRoles() {
        conn.tracker.flipRolesForAnalyzer(conn);
    }
}
