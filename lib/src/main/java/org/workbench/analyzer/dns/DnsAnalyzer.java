package org.workbench.analyzer.dns;

import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.ConnId;
import org.workbench.flow.ConnectionContext;
import org.workbench.flow.DatagramAnalyzer;
import org.workbench.flow.StreamAnalyzer;
import org.workbench.flow.TransportProto;
import org.workbench.zeeklog.LogSink;

/**
 * The DNS analyzer of one connection, over UDP (one message per datagram) or TCP (length-framed messages).
 * It owns the connection's parser and session logger; all state is released by {@link #connectionDone}.
 *
 * <p>Like Zeek, when the first message is a response sent by the originator, the analyzer takes the roles to
 * have been guessed wrong and swaps originator and responder in what it logs (dns.log rows and weirds); the
 * connection context has no way to learn of this.
 */
final class DnsAnalyzer implements DatagramAnalyzer, StreamAnalyzer, DnsMessageParser.Host, DnsSessionLogger.Conn {

    static final String SERVICE = "dns";
    private static final String SOURCE = "DNS";

    private final ConnectionContext conn;
    private final WeirdReporter weirds;
    private final DnsMessageParser parser;
    private final DnsSessionLogger logger;
    private DnsTcpFramer origFramer;
    private DnsTcpFramer respFramer;
    private boolean flipped;
    private boolean confirmed;
    private boolean done;
    private double now;

    DnsAnalyzer(ConnectionContext conn, LogSink logs, WeirdReporter weirds, DnsOptions options) {
        this.conn = conn;
        this.weirds = weirds;
        ConnId id = conn.id();
        boolean netbios = id.origP() == DnsMessageParser.NETBIOS_PORT || id.respP() == DnsMessageParser.NETBIOS_PORT;
        this.logger = new DnsSessionLogger(this, logs, options);
        this.parser = new DnsMessageParser(this, logger, options, netbios);
        this.now = conn.startTime();
    }

    // ---- UDP ---------------------------------------------------------------------------------------------

    @Override
    public void datagram(boolean isOrig, double ts, byte[] data, int offset, int length) {
        if (done) {
            return;
        }
        now = ts;
        parse(data, offset, length, (isOrig ^ flipped) ? 1 : 0);
    }

    /** Parses one message; a defect in the parser costs that message, never the analysis. */
    private void parse(byte[] data, int offset, int length, int isQuery) {
        try {
            parser.parse(data, offset, length, isQuery);
        } catch (RuntimeException e) {
            conn.protocolViolation(SERVICE, "internal error: " + e);
        }
    }

    // ---- TCP ---------------------------------------------------------------------------------------------

    private DnsTcpFramer framer(boolean isOrig) {
        if (isOrig) {
            if (origFramer == null) {
                origFramer = new DnsTcpFramer((b, n, partial) -> parseFramed(true, b, n, partial));
            }
            return origFramer;
        }
        if (respFramer == null) {
            respFramer = new DnsTcpFramer((b, n, partial) -> parseFramed(false, b, n, partial));
        }
        return respFramer;
    }

    private void parseFramed(boolean isOrig, byte[] b, int n, boolean partial) {
        parse(b, 0, n, partial ? 2 : ((isOrig ^ flipped) ? 1 : 0));
    }

    @Override
    public void deliver(boolean isOrig, double ts, byte[] data, int offset, int length) {
        if (done) {
            return;
        }
        now = ts;
        framer(isOrig).deliver(data, offset, length);
    }

    @Override
    public void gap(boolean isOrig, double ts, long length) {
        if (done) {
            return;
        }
        now = ts;
        framer(isOrig).gap(length);
    }

    @Override
    public void endOfData(boolean isOrig, double ts) {
        if (done) {
            return;
        }
        now = ts;
        framer(isOrig).flush();
    }

    // ---- both --------------------------------------------------------------------------------------------

    @Override
    public void connectionDone(double ts) {
        if (done) {
            return;
        }
        now = ts;
        if (origFramer != null) {
            origFramer.flush();
        }
        if (respFramer != null) {
            respFramer.flush();
        }
        logger.finish();
        origFramer = null;
        respFramer = null;
        done = true;
    }

    // ---- host services -----------------------------------------------------------------------------------

    @Override
    public void weird(String name, String addl) {
        weirds.weird(now, name, conn.uid(), id(), addl, SOURCE);
    }

    @Override
    public void violation(String reason) {
        conn.protocolViolation(SERVICE, reason);
    }

    @Override
    public void confirm() {
        if (!confirmed) {
            confirmed = true;
            conn.confirmProtocol(SERVICE);
        }
    }

    @Override
    public int respPort() {
        return id().respP();
    }

    @Override
    public boolean isUdp() {
        return conn.id().proto() == TransportProto.UDP;
    }

    @Override
    public boolean respIsMulticast() {
        return DnsSessionLogger.isMulticast(id().respH());
    }

    @Override
    public void flipRoles() {
        flipped = !flipped;
    }

    @Override
    public String uid() {
        return conn.uid();
    }

    @Override
    public ConnId id() {
        ConnId id = conn.id();
        return flipped ? new ConnId(id.respH(), id.respP(), id.origH(), id.origP(), id.proto()) : id;
    }

    @Override
    public double now() {
        return now;
    }
}
