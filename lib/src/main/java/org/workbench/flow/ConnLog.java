package org.workbench.flow;

import org.workbench.zeeklog.LogSchema;

/**
 * The conn.log stream as Zeek 9 writes it with its default scripts ({@code Conn::Info} in
 * {@code scripts/base/protocols/conn/main.zeek}): one row per connection, written when the connection ends.
 */
public final class ConnLog {
    /** Field names and types exactly as on the {@code #fields} and {@code #types} lines of Zeek 9's conn.log. */
    public static final LogSchema SCHEMA = LogSchema.builder("conn")
            .field("ts", "time")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("proto", "enum")
            .field("service", "string")
            .field("duration", "interval")
            .field("orig_bytes", "count")
            .field("resp_bytes", "count")
            .field("conn_state", "string")
            .field("local_orig", "bool")
            .field("local_resp", "bool")
            .field("missed_bytes", "count")
            .field("history", "string")
            .field("orig_pkts", "count")
            .field("orig_ip_bytes", "count")
            .field("resp_pkts", "count")
            .field("resp_ip_bytes", "count")
            .field("tunnel_parents", "set[string]")
            .field("ip_proto", "count")
            .build();

    private ConnLog() {
    }
}
