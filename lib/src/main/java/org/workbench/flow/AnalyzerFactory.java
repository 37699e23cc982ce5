package org.workbench.flow;

import java.util.Set;

/**
 * Makes protocol analyzers for new connections. The connection tracker attaches an analyzer when the
 * responder port is one of the analyzer's well-known ports, or when {@link #detect} recognises the first
 * payload (dynamic protocol detection, as Zeek does with signatures).
 */
public interface AnalyzerFactory {
    /** The service name confirmed in conn.log, lower case as Zeek writes it (e.g. {@code "dns"}, {@code "http"}). */
    String service();

    /** Responder ports on which this analyzer starts without looking at content. */
    Set<Integer> wellKnownPorts(TransportProto proto);

    /** Whether the first payload of a connection (from either side) looks like this protocol. */
    default boolean detect(TransportProto proto, boolean isOrig, byte[] data, int offset, int length) {
        return false;
    }

    /** A new analyzer for a TCP connection, or null when the protocol does not run over TCP. */
    default StreamAnalyzer newStreamAnalyzer(ConnectionContext conn) {
        return null;
    }

    /**
     * End of input: flush state this factory keeps across connections (for example DHCP transactions that span
     * several connections). Called once, after every connection is done.
     */
    default void finish() {
    }

    /** A new analyzer for a UDP connection, or null when the protocol does not run over UDP. */
    default DatagramAnalyzer newDatagramAnalyzer(ConnectionContext conn) {
        return null;
    }
}
