package org.workbench.analyzer.ssl;

import org.workbench.zeeklog.LogSchema;

/**
 * The columns of ssl.log as Zeek 9 writes them with its default scripts (checked against the conformance
 * baselines). Java values: {@code ts} Double; ports Integer; addresses InetAddress; flags Boolean;
 * {@code cert_chain_fps}/{@code client_cert_chain_fps} Lists of String.
 */
public final class SslLog {
    private SslLog() {
    }

    public static final LogSchema SCHEMA = LogSchema.builder("ssl")
            .field("ts", "time")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("version", "string")
            .field("cipher", "string")
            .field("curve", "string")
            .field("server_name", "string")
            .field("resumed", "bool")
            .field("last_alert", "string")
            .field("next_protocol", "string")
            .field("established", "bool")
            .field("ssl_history", "string")
            .field("cert_chain_fps", "vector[string]")
            .field("client_cert_chain_fps", "vector[string]")
            .field("sni_matches_cert", "bool")
            .build();
}
