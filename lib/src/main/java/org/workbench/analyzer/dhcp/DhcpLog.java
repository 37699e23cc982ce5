package org.workbench.analyzer.dhcp;

import org.workbench.zeeklog.LogSchema;

/**
 * The columns of dhcp.log as Zeek 9 writes them (Zeek documentation, "dhcp.log"; checked against the conformance
 * baselines). One row is one DHCP "conversation": the messages seen with one transaction id within a short time.
 *
 * <p>Java values: {@code ts}, {@code lease_time}, {@code duration} Double seconds; {@code uids} a List of String;
 * addresses {@link java.net.InetAddress}; {@code msg_types} a List of String (Zeek's message type names, e.g.
 * {@code DISCOVER}); {@code msg_orig} a List of InetAddress; strings from the wire are byte strings (one char per
 * byte, see {@link org.workbench.zeeklog.ZeekBytes}).
 */
public final class DhcpLog {
    private DhcpLog() {
    }

    /** The default dhcp.log schema (path {@code dhcp}). */
    public static final LogSchema SCHEMA = schema(DhcpAnalyzerOptions.defaults());

    /** The schema for a set of options: the default columns plus those of the policy scripts turned on. */
    public static LogSchema schema(DhcpAnalyzerOptions options) {
        LogSchema.Builder b = LogSchema.builder("dhcp")
                .field("ts", "time")
                .field("uids", "set[string]")
                .field("client_addr", "addr")
                .field("server_addr", "addr")
                .field("mac", "string")
                .field("host_name", "string")
                .field("client_fqdn", "string")
                .field("domain", "string")
                .field("requested_addr", "addr")
                .field("assigned_addr", "addr")
                .field("lease_time", "interval")
                .field("client_message", "string")
                .field("server_message", "string")
                .field("msg_types", "vector[string]")
                .field("duration", "interval");
        // Policy scripts add their fields in load order; the corpus loads at most one of them at a time.
        if (options.logMsgOrig()) {
            b.field("msg_orig", "vector[addr]");
        }
        if (options.logSoftware()) {
            b.field("client_software", "string").field("server_software", "string");
        }
        if (options.logSubOpts()) {
            b.field("circuit_id", "string").field("agent_remote_id", "string").field("subscriber_id", "string");
        }
        return b.build();
    }
}
