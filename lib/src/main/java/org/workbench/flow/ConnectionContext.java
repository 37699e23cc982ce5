package org.workbench.flow;

/**
 * What a protocol analyzer may know of and do to the connection it analyzes.
 */
public interface ConnectionContext {
    /** The connection's Zeek-style UID ({@code C} followed by base62 characters). */
    String uid();

    /** The connection's endpoints. */
    ConnId id();

    /** Time of the connection's first packet, seconds since the epoch. */
    double startTime();

    /** Marks the protocol as confirmed, which adds the analyzer's service name to conn.log's {@code service}. */
    void confirmProtocol(String service);

    /**
     * Reports a protocol violation (input that does not parse as the protocol). Current Zeek also removes the
     * analyzer after a violation; the connection tracker decides that.
     */
    void protocolViolation(String service, String reason);

    /** Logs a weird for this connection (weird.log with this connection's uid and id). */
    void weird(double ts, String name, String addl, String source);

    /**
     * Tells that the analyzer stopped analyzing part of the connection because one of its limits was reached
     * (Zeek then adds {@code X} to conn.log's {@code history}, once). The default does nothing.
     */
    default void analyzerLimitReached() {
    }

    /**
     * Swaps originator and responder (Zeek's {@code Connection::FlipRoles}, {@code ^} in the history), for an
     * analyzer that finds the first packet came from the server (e.g. a DNS response first). Later deliveries use
     * the new roles. The default does nothing.
     */
    default void flipRoles() {
    }
}
