package org.workbench.analyzer.dns;

import org.workbench.zeeklog.LogSchema;

/**
 * The columns of dns.log as Zeek 9 writes them with its default scripts (Zeek documentation, "dns.log";
 * checked against the conformance baselines). One row is one query/response transaction, or an unmatched
 * query or response.
 *
 * <p>Java values: {@code ts} and {@code rtt} Double seconds; {@code trans_id}, {@code qclass}, {@code qtype},
 * {@code rcode}, {@code Z}, {@code opcode} Long; flags Boolean; {@code answers} a List of String (one rendered
 * record each, in Zeek's form, e.g. an address, a name, {@code TXT 5 hello}); {@code TTLs} a List of Double
 * seconds parallel to {@code answers}; {@code proto} the String {@code udp} or {@code tcp}.
 */
public final class DnsLog {
    private DnsLog() {
    }

    /** The default dns.log schema (path {@code dns}). */
    public static final LogSchema SCHEMA = schema(false, false);

    /**
     * The schema with optional columns added by Zeek policy scripts.
     *
     * @param authAddl      add {@code auth} and {@code addl} ({@code set[string]}), as {@code auth-addl} does
     * @param originalQuery add {@code original_query} ({@code string}), as {@code log-original-query-case} does
     */
    public static LogSchema schema(boolean authAddl, boolean originalQuery) {
        LogSchema.Builder b = LogSchema.builder("dns")
                .field("ts", "time")
                .field("uid", "string")
                .field("id.orig_h", "addr")
                .field("id.orig_p", "port")
                .field("id.resp_h", "addr")
                .field("id.resp_p", "port")
                .field("proto", "enum")
                .field("trans_id", "count")
                .field("rtt", "interval")
                .field("query", "string")
                .field("qclass", "count")
                .field("qclass_name", "string")
                .field("qtype", "count")
                .field("qtype_name", "string")
                .field("rcode", "count")
                .field("rcode_name", "string")
                .field("AA", "bool")
                .field("TC", "bool")
                .field("RD", "bool")
                .field("RA", "bool")
                .field("Z", "count")
                .field("answers", "vector[string]")
                .field("TTLs", "vector[interval]")
                .field("rejected", "bool")
                .field("opcode", "count")
                .field("opcode_name", "string");
        if (authAddl) {
            b.field("auth", "set[string]").field("addl", "set[string]");
        }
        if (originalQuery) {
            b.field("original_query", "string");
        }
        return b.build();
    }

    /** The schema matching a set of options. */
    public static LogSchema schema(DnsOptions options) {
        return schema(options.logAuthAddl(), options.logOriginalQuery());
    }
}
