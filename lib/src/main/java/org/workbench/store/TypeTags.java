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

    /**
     * The type tag for a file of the given MIME type, as Zeek's file analysis or libmagic names it: {@code exe}
     * for PE ({@code application/x-dosexec}, {@code application/x-msdownload}), {@code pdf}, {@code swf}
     * ({@code application/x-shockwave-flash}), {@code jar} ({@code application/java-archive}), {@code zip},
     * else {@code unknown}.
     *
     * @param mimeType a MIME type, or null
     * @return one of this class's tags
     */
    public static String forMimeType(String mimeType) {
        if (mimeType == null) {
            return UNKNOWN;
        }
        switch (mimeType) {
            case "application/x-dosexec":
            case "application/x-msdownload":
            case "application/vnd.microsoft.portable-executable":
                return EXE;
            case "application/pdf":
                return PDF;
            case "application/x-shockwave-flash":
            case "application/vnd.adobe.flash.movie":
                return SWF;
            case "application/java-archive":
            case "application/x-java-archive":
                return JAR;
            case "application/zip":
                return ZIP;
            default:
                return UNKNOWN;
        }
    }
}
