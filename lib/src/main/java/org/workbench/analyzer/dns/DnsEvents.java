package org.workbench.analyzer.dns;

/**
 * What the message parser reports, in message order. The split mirrors Zeek's: the parser (Zeek's DNS analyzer)
 * raises events, the session logger (Zeek's {@code base/protocols/dns} script) turns them into dns.log rows.
 */
interface DnsEvents {
    /** A message with a supported opcode starts (Zeek event {@code dns_message}). */
    void message(DnsHeader hdr);

    /** A question in a query (Zeek {@code dns_request}); {@code query} lower-cased, {@code original} as sent. */
    void request(DnsHeader hdr, String query, String original, int qtype, int qclass);

    /** A question in a response without any records (Zeek {@code dns_rejected}). */
    void rejected(DnsHeader hdr, String query, int qtype, int qclass);

    /**
     * A record Zeek's default script summarises, rendered as Zeek renders it ({@code reply} may be empty: the
     * record counts for the flags and rtt but adds no answer).
     */
    void reply(DnsHeader hdr, DnsAnswer ans, String reply);

    /** A dynamic-update prerequisite (RFC 2136 section 2.4; Zeek {@code dns_dynamic_update_pre}). */
    void dynamicUpdatePrerequisite(DnsHeader hdr, DnsAnswer ans);

    /** A dynamic-update deletion (RFC 2136 section 2.5.2-2.5.4; Zeek {@code dns_dynamic_update_del}). */
    void dynamicUpdateDelete(DnsHeader hdr, DnsAnswer ans);

    /** The message is done, however far parsing got (Zeek {@code dns_end}). */
    void end(DnsHeader hdr);
}
