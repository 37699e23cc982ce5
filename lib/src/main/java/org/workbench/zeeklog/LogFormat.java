package org.workbench.zeeklog;

/** The two encodings of Zeek's ASCII log writer. */
public enum LogFormat {
    /** Tab-separated values with a {@code #}-prefixed header (Zeek's default). */
    TSV,
    /** One JSON object per line ({@code LogAscii::use_json=T}); no header. */
    JSON
}
