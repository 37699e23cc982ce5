package org.workbench.files;

import org.workbench.zeeklog.LogSchema;

/**
 * The {@code files.log} stream as current Zeek (9.x) writes it with its default scripts plus file hashing
 * and extraction loaded: the columns of {@code Files::Info} followed by the hash fields ({@code md5},
 * {@code sha1}, {@code sha256}) and the extraction fields ({@code extracted}, {@code extracted_cutoff},
 * {@code extracted_size}). Field names and types are taken from Zeek's {@code #fields}/{@code #types} header
 * lines (Zeek 9.1 test baselines, e.g. {@code scripts.base.protocols.smb.smb2-read-write}).
 */
public final class FilesLog {
    /** The files.log columns in Zeek's order. */
    public static final LogSchema SCHEMA = LogSchema.builder("files")
            .field("ts", "time")
            .field("fuid", "string")
            .field("uid", "string")
            .field("id.orig_h", "addr")
            .field("id.orig_p", "port")
            .field("id.resp_h", "addr")
            .field("id.resp_p", "port")
            .field("source", "string")
            .field("depth", "count")
            .field("analyzers", "set[string]")
            .field("mime_type", "string")
            .field("filename", "string")
            .field("duration", "interval")
            .field("local_orig", "bool")
            .field("is_orig", "bool")
            .field("seen_bytes", "count")
            .field("total_bytes", "count")
            .field("missing_bytes", "count")
            .field("overflow_bytes", "count")
            .field("timedout", "bool")
            .field("parent_fuid", "string")
            .field("md5", "string")
            .field("sha1", "string")
            .field("sha256", "string")
            .field("extracted", "string")
            .field("extracted_cutoff", "bool")
            .field("extracted_size", "count")
            .build();

    private FilesLog() {
    }
}
