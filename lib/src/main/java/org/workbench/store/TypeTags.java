package org.workbench.store;

import java.util.regex.Pattern;

/**
 * The type tags the workbench itself uses. A type tag says what kind of sample a file is, and workers use it to
 * decide whether they apply. Any tag matching {@code [a-z0-9][a-z0-9_]{0,31}} is accepted; these are the
 * conventional ones.
 */
public final class TypeTags {
    /** A packet capture (libpcap or pcapng). */
    public static final String PCAP = "pcap";
    /** A Windows PE executable or DLL. */
    public static final String EXE = "exe";
    /** A PDF document. */
    public static final String PDF = "pdf";
    /** A Flash (SWF) file. */
    public static final String SWF = "swf";
    /** A Java archive. */
    public static final String JAR = "jar";
    /** A ZIP archive. */
    public static final String ZIP = "zip";
    /** A Zeek (Bro) log file, TSV or JSON. */
    public static final String ZEEK_LOG = "zeek_log";
    /** Anything else. */
    public static final String UNKNOWN = "unknown";

    static final Pattern SYNTAX = Pattern.compile("[a-z0-9][a-z0-9_]{0,31}");

    private TypeTags() {
    }
}
