package org.workbench.analyzer.http;

import org.workbench.zeeklog.LogSchema;

/**
 * The {@code http.log} stream as current Zeek (9.x) writes it with its default scripts: the columns of
 * {@code HTTP::Info}. Field names and types are taken from Zeek's {@code #fields}/{@code #types} header lines
 * (Zeek 9.1 test baseline {@code scripts.base.protocols.http.100-continue}).
 */
public final class HttpLog {
    /** The http.log columns in Zeek's order. */
    public static final LogSchema SCHEMA = LogSchema.builder("http")
            .field("ts", "time")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("trans_depth", "count")
            .field("method", "string")
            .field("host", "string")
            .field("uri", "string")
            .field("referrer", "string")
            .field("version", "string")
            .field("user_agent", "string")
            .field("origin", "string")
            .field("request_body_len", "count")
            .field("response_body_len", "count")
            .field("status_code", "count")
            .field("status_msg", "string")
            .field("info_code", "count")
            .field("info_msg", "string")
            .field("tags", "set[enum]")
            .field("username", "string")
            .field("password", "string")
            .field("proxied", "set[string]")
            .field("orig_fuids", "vector[string]")
            .field("orig_filenames", "vector[string]")
            .field("orig_mime_types", "vector[string]")
            .field("resp_fuids", "vector[string]")
            .field("resp_filenames", "vector[string]")
            .field("resp_mime_types", "vector[string]")
            .build();

    private HttpLog() {
    }
}
