package org.workbench.files;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Names a file's type from its first bytes, the way Zeek's file-magic signatures do: each known format has a
 * strength, and of all formats whose magic matches the beginning of the data, the strongest wins. MIME names
 * and strengths follow the signature files shipped with Zeek ({@code base/frameworks/files/magic/*.sig});
 * the matching code is our own. Zeek looks at the first {@link #BOF_BUFFER_SIZE} bytes of a file.
 *
 * <p>Covered: executables (PE {@code application/x-dosexec}, ELF, Mach-O), Java (class files
 * {@code application/x-java-applet}, JAR {@code application/java-archive}), Flash, PDF, archives and compressed
 * data, Office documents, images, HTML/XHTML, XML, JSON ({@code text/json}), JavaScript
 * ({@code application/javascript}), script files with a {@code #!} line, and plain text
 * ({@code text/plain}, the weakest), web fonts, and common audio/video containers.
 */
public final class MimeSniffer {
    /** Bytes of a file's beginning that Zeek buffers before sniffing ({@code default_bof_buffer_size}). */
    public static final int BOF_BUFFER_SIZE = 4096;

    private MimeSniffer() {
    }

    /** {@link #sniff(byte[], int, int)} on a whole array. */
    public static String sniff(byte[] data) {
        return sniff(data, 0, data.length);
    }

    /**
     * @param data   buffer holding the file's first bytes
     * @param offset where the file starts in {@code data}
     * @param length how many bytes of the file are available (only the first {@link #BOF_BUFFER_SIZE} count)
     * @return the MIME type as Zeek names it, or null when no signature matches
     */
    public static String sniff(byte[] data, int offset, int length) {
        int n = Math.min(length, BOF_BUFFER_SIZE);
        if (n <= 0) {
            return null;
        }
        Matcher m = new Matcher(data, offset, n);
        m.binary();
        m.archives();
        m.office();
        m.images();
        m.media();
        m.markup();
        m.scripts();
        m.text();
        return m.best;
    }

    /** Collects the strongest matching type. */
    private static final class Matcher {
        private final byte[] d;
        private final int off;
        private final int n;
        String best;
        int bestStrength = Integer.MIN_VALUE;

        Matcher(byte[] d, int off, int n) {
            this.d = d;
            this.off = off;
            this.n = n;
        }

        int at(int i) {
            return i < n ? d[off + i] & 0xff : -1;
        }

        boolean starts(int pos, String ascii) {
            if (pos + ascii.length() > n) {
                return false;
            }
            for (int i = 0; i < ascii.length(); i++) {
                if (at(pos + i) != (ascii.charAt(i) & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        boolean startsIgnoreCase(int pos, String ascii) {
            if (pos + ascii.length() > n) {
                return false;
            }
            for (int i = 0; i < ascii.length(); i++) {
                int c = at(pos + i);
                if (Character.toLowerCase(c) != Character.toLowerCase(ascii.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        boolean bytes(int pos, int... values) {
            if (pos + values.length > n) {
                return false;
            }
            for (int i = 0; i < values.length; i++) {
                if (values[i] >= 0 && at(pos + i) != values[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Index of an ASCII needle in [from, to), or -1. */
        int indexOf(String needle, int from, int to) {
            int end = Math.min(to, n) - needle.length();
            for (int i = Math.max(0, from); i <= end; i++) {
                if (starts(i, needle)) {
                    return i;
                }
            }
            return -1;
        }

        void hit(String mime, int strength) {
            if (strength > bestStrength) {
                bestStrength = strength;
                best = mime;
            }
        }

        void binary() {
            if (starts(0, "MZ")) {
                hit("application/x-dosexec", 51);
            }
            if (bytes(0, 0x7f, 'E', 'L', 'F') && (at(4) == 1 || at(4) == 2) && n >= 18) {
                boolean little = at(5) == 1;
                int type = little ? (at(16) | at(17) << 8) : (at(16) << 8 | at(17));
                int hi = little ? at(17) : at(16);
                if (hi == 0) {
                    switch (type) {
                        case 1 -> hit("application/x-object", 50);
                        case 2 -> hit("application/x-executable", 50);
                        case 3 -> hit("application/x-sharedlib", 50);
                        case 4 -> hit("application/x-coredump", 50);
                        default -> { }
                    }
                }
            }
            if ((at(0) == 0xce || at(0) == 0xcf) && bytes(1, 0xfa, 0xed, 0xfe)) {
                hit("application/x-mach-o-executable", 100);
            }
            if (bytes(0, 0xca, 0xfe, 0xba, 0xbe) && n >= 8) {
                if (at(6) == 0 && at(7) >= 0x01 && at(7) <= 0x14) {
                    hit("application/x-mach-o-executable", 100);
                }
                if (at(7) >= 0x2d && at(7) <= 0x34) {
                    hit("application/x-java-applet", 71);
                }
            }
            if (bytes(0, 0xca, 0xfe, 0xd0, 0x0d) && n >= 5) {
                hit("application/x-java-pack200", 1);
            }
            if (starts(0, "FWS") || starts(0, "CWS") || starts(0, "ZWS")) {
                hit("application/x-shockwave-flash", 60);
            }
            if (starts(0, "%PDF-")) {
                hit("application/pdf", 80);
            }
            if (bytes(0, 0xa1, 0xb2, 0xc3, 0xd4) || bytes(0, 0xd4, 0xc3, 0xb2, 0xa1)) {
                hit("application/vnd.tcpdump.pcap", 70);
            }
            if (starts(0, "-----BEGIN CERTIFICATE-----")) {
                hit("application/x-pem", 0);
            }
            if (starts(0, "<jnlp ")) {
                hit("application/x-java-jnlp-file", 100);
            }
            if (bytes(0, 0x4c, 0, 0, 0, 0x01, 0x14, 0x02, 0)) {
                hit("application/x-ms-shortcut", 49);
            }
        }

        void archives() {
            if (bytes(0, 'P', 'K', 3, 4) && n >= 6) {
                hit("application/zip", 10);
                // A JAR's manifest entry: a local header whose name length is 20 ("META-INF/MANIFEST.MF").
                int limit = Math.min(n, 4 + 200 + 4 + 20);
                for (int i = 5; i + 24 <= n && i <= limit; i++) {
                    if (at(i) == 0x14 && at(i + 1) == 0 && starts(i + 4, "META-INF/MANIFEST.MF")) {
                        hit("application/java-archive", 100);
                        break;
                    }
                }
            }
            if (bytes(0, 'P', 'K', 7, 8, 'P', 'K', 3, 4)) {
                hit("application/zip", 10);
            }
            if (starts(0, "Rar!")) {
                hit("application/x-rar", 70);
            }
            if (bytes(0, 0x1f, 0x8b)) {
                hit("application/x-gzip", 100);
            }
            if (bytes(0, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) {
                hit("application/vnd.ms-cab-compressed", 110);
            }
            if (starts(0, "xar!")) {
                hit("application/x-xar", 100);
            }
            if (starts(0, "drpm") || bytes(0, 0xed, 0xab, 0xee, 0xdb)) {
                hit("application/x-rpm", 70);
            }
            if (starts(0, "!<arch>\ndebian")) {
                hit("application/x-debian-package", 171);
            }
            if (bytes(0, '7', 'z', 0xbc, 0xaf, 0x27, 0x1c)) {
                hit("application/x-7z-compressed", 50);
            }
            if (bytes(0, 0xfd, '7', 'z', 'X', 'Z', 0)) {
                hit("application/x-xz", 90);
            }
            if (starts(0, "BZh")) {
                hit("application/x-bzip2", 60);
            }
            if (bytes(0, 0x1f, 0x9d)) {
                hit("application/x-compress", 50);
            }
            if (n >= 262 && starts(257, "ustar")) {
                hit("application/x-tar", 100);
            }
        }

        void office() {
            if (bytes(0, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
                hit("application/msword", 50);
            }
            if (bytes(0, 'P', 'K', 3, 4, 0x14, 0, 6, 0)) {
                hit("application/vnd.openxmlformats-officedocument", 50);
            }
            if (bytes(0, 'P', 'K', 3, 4)) {
                String first = n >= 30 ? entryName(0) : "";
                if (first.equals("[Content_Types].xml") || first.equals("_rels/.rels")
                        || first.startsWith("word/") || first.startsWith("xl/") || first.startsWith("ppt/")) {
                    String[][] kinds = {
                            {"word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
                            {"xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                            {"ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"}};
                    for (String[] k : kinds) {
                        if (laterEntryStartsWith(k[0])) {
                            hit(k[1], 80);
                        }
                    }
                }
                if (starts(30, "mimetypeapplication/vnd.oasis.opendocument.")) {
                    int p = 30 + "mimetypeapplication/vnd.oasis.opendocument.".length();
                    for (String kind : new String[] {"text", "spreadsheet", "presentation", "graphics", "chart",
                            "formula", "database", "image"}) {
                        if (starts(p, kind)) {
                            boolean template = starts(p + kind.length(), "-template");
                            hit("application/vnd.oasis.opendocument." + kind + (template ? "-template" : ""),
                                    template ? 120 : 110);
                        }
                    }
                }
            }
            if (n >= 19 && (starts(4, "Standard Jet DB\0") || starts(4, "Standard ACE DB\0"))) {
                hit("application/x-msaccess", 180);
            }
        }

        /** Name of the ZIP local-file entry whose header starts at {@code pos}. */
        private String entryName(int pos) {
            int len = at(pos + 26) | at(pos + 27) << 8;
            int start = pos + 30;
            int end = Math.min(n, start + len);
            return end <= start ? "" : new String(d, off + start, end - start, StandardCharsets.ISO_8859_1);
        }

        private boolean laterEntryStartsWith(String prefix) {
            for (int i = 1; i + 30 + prefix.length() <= n; i++) {
                if (bytes(i, 'P', 'K', 3, 4) && starts(i + 30, prefix)) {
                    return true;
                }
            }
            return false;
        }

        void images() {
            if (bytes(0, 'M', 'M', 0) && (at(3) == 0x2a || at(3) == 0x2b)
                    || bytes(0, 'I', 'I') && (at(2) == 0x2a || at(2) == 0x2b) && at(3) == 0) {
                hit("image/tiff", 70);
            }
            if (starts(0, "GIF8")) {
                hit("image/gif", 70);
            }
            if (bytes(0, 0xff, 0xd8)) {
                hit("image/jpeg", 52);
            }
            if (starts(0, "BM") && n >= 16 && at(15) == 0) {
                int v = at(14);
                if (v == 0x0c || v == 0x28 || v == 0x40 || v == 0x6c || v == 0x7c || v == 0x80) {
                    hit("image/x-ms-bmp", 50);
                }
            }
            if (bytes(0, 0, 0, 1, 0)) {
                hit("image/x-icon", 70);
            }
            if (bytes(0, 0, 0, 2, 0)) {
                hit("image/x-cursor", 70);
            }
            if (starts(0, "8BPS")) {
                hit("image/vnd.adobe.photoshop", 70);
            }
            if (bytes(0, 0x89, 'P', 'N', 'G')) {
                hit("image/png", 110);
            }
            if (starts(0, "RIFF") && starts(8, "WEBP")) {
                hit("image/webp", 70);
            }
        }

        void media() {
            if (starts(0, "wOF2")) {
                hit("application/font-woff2", 70);
            }
            if (starts(0, "wOFF")) {
                hit("application/font-woff", 70);
            }
            if (bytes(0, 0, 1, 0, 0, 0)) {
                hit("application/x-font-ttf", 80);
            }
            if (starts(34, "LP")) {
                hit("application/vnd.ms-fontobject", 50);
            }
            if (starts(0, "OTTO")) {
                hit("application/vnd.ms-opentype", 70);
            }
            if (starts(0, "FLV")) {
                hit("video/x-flv", 60);
            }
            if (bytes(0, 0x8a, 'M', 'N', 'G')) {
                hit("video/x-mng", 70);
            }
            if (starts(4, "mdat") || starts(4, "moov")) {
                hit("video/quicktime", 70);
            }
            if (starts(4, "ftyp")) {
                if (starts(8, "isom") || starts(8, "mp41") || starts(8, "mp42")) {
                    hit("video/mp4", 70);
                }
                if (starts(8, "3ge") || starts(8, "3gg") || starts(8, "3gp") || starts(8, "3gs") || starts(8, "3g2")
                        || starts(8, "avc1") || starts(8, "mmp4")) {
                    hit("video/3gpp", 60);
                }
                if (starts(8, "m4a")) {
                    hit("audio/m4a", 70);
                }
            }
            if (bytes(0, 0x1a, 0x45, 0xdf, 0xa3)) {
                int docType = indexOf("B\u0082", 4, Math.min(n, 64));
                if (docType > 0 && starts(docType + 3, "matroska")) {
                    hit("video/x-matroska", 110);
                } else if (docType > 0 && starts(docType + 3, "webm")) {
                    hit("video/webm", 70);
                }
            }
            if (at(0) == 0xff) {
                int b1 = at(1);
                if (b1 == 0xe2 || b1 == 0xe3 || b1 == 0xf2 || b1 == 0xf3 || b1 == 0xf6 || b1 == 0xf7 || b1 == 0xfa
                        || b1 == 0xfb || b1 == 0xfc || b1 == 0xfd) {
                    hit("audio/mpeg", 20);
                }
            }
        }

        /** Position after leading whitespace, an optional UTF-8 BOM, comments and an XML declaration. */
        private int skipProlog(boolean allowXmlDecl) {
            int p = bytes(0, 0xef, 0xbb, 0xbf) ? 3 : 0;
            boolean progress = true;
            while (progress && p < n) {
                progress = false;
                while (p < n && isSpace(at(p))) {
                    p++;
                    progress = true;
                }
                if (starts(p, "<!--")) {
                    int e = indexOf("-->", p + 4, n);
                    if (e < 0) {
                        return p;
                    }
                    p = e + 3;
                    progress = true;
                } else if (allowXmlDecl && starts(p, "<?xml ")) {
                    int e = indexOf("?>", p + 6, n);
                    if (e < 0) {
                        return p;
                    }
                    p = e + 2;
                    progress = true;
                    allowXmlDecl = false;
                }
            }
            return p;
        }

        void markup() {
            int bom = bytes(0, 0xef, 0xbb, 0xbf) ? 3 : 0;
            int noDecl = skipProlog(false);
            if (starts(noDecl, "<?xml ")) {
                hit("application/xml", 10);
            }
            int p = skipProlog(true);
            if (startsIgnoreCase(p, "<!doctype")) {
                int q = p + 9;
                int spaces = 0;
                while (at(q) == ' ') {
                    q++;
                    spaces++;
                }
                if (spaces > 0 && startsIgnoreCase(q, "html")) {
                    hit("text/html", 100);
                }
                if (spaces > 0 && startsIgnoreCase(q, "cross-domain-policy")) {
                    hit("text/x-cross-domain-policy", 49);
                }
            }
            if (startsIgnoreCase(p, "<html")) {
                hit("text/html", 100);
            }
            if (startsIgnoreCase(p, "<meta")) {
                int q = p + 5;
                int spaces = 0;
                while (at(q) == ' ') {
                    q++;
                    spaces++;
                }
                if (spaces > 0 && startsIgnoreCase(q, "http-equiv")) {
                    hit("text/html", 100);
                }
            }
            for (String tag : new String[] {"<head", "<title", "<body"}) {
                if (startsIgnoreCase(p, tag)) {
                    hit("text/html", 20);
                }
            }
            if (startsIgnoreCase(p, "<rss")) {
                hit("text/rss", 90);
            }
            if (startsIgnoreCase(p, "<cross-domain-policy")) {
                hit("text/x-cross-domain-policy", 49);
            }
            if (startsIgnoreCase(p, "<soap:envelope") || startsIgnoreCase(p, "<soap-env:envelope")) {
                hit("application/soap+xml", 49);
            }
            if (startsIgnoreCase(p, "<methodresponse>")) {
                hit("application/xml-rpc", 49);
            }
            // JSON: an object whose first member has a key and a value start, or an array of values.
            int j = bom;
            while (j < n && isSpace(at(j))) {
                j++;
            }
            if (at(j) == '{' || at(j) == '[') {
                if (looksLikeJson(j)) {
                    hit("text/json", 1);
                }
            }
        }

        private boolean looksLikeJson(int p) {
            int open = at(p);
            int q = p + 1;
            while (q < n && isSpace(at(q))) {
                q++;
            }
            if (open == '{') {
                if (at(q) == '}') {
                    return true;
                }
                if (at(q) == '"') {
                    int e = q + 1;
                    while (e < n && at(e) != '"') {
                        e++;
                    }
                    if (e == q + 1 || e >= n) {
                        return false;
                    }
                    q = e + 1;
                } else if (Character.isLetter(at(q))) {
                    while (q < n && (Character.isLetterOrDigit(at(q)) || at(q) == '_' || at(q) == '\\')) {
                        q++;
                    }
                } else {
                    return false;
                }
                while (q < n && isSpace(at(q))) {
                    q++;
                }
                if (at(q) != ':') {
                    return false;
                }
                q++;
                while (q < n && isSpace(at(q))) {
                    q++;
                }
                int c = at(q);
                return c == '"' || c == '[' || c == '{' || (c >= '0' && c <= '9') || starts(q, "true")
                        || starts(q, "false");
            }
            int c = at(q);
            if (c == ']' || c == '{' || c == '[') {
                return true;
            }
            // a first scalar followed by a comma
            int e = q;
            if (c == '"') {
                e++;
                while (e < n && at(e) != '"') {
                    e++;
                }
                e++;
            } else if (starts(q, "true")) {
                e += 4;
            } else if (starts(q, "false")) {
                e += 5;
            } else {
                while (e < n && ((at(e) >= '0' && at(e) <= '9') || at(e) == '.')) {
                    e++;
                }
                if (e == q) {
                    return false;
                }
            }
            while (e < n && isSpace(at(e))) {
                e++;
            }
            return at(e) == ',';
        }

        void scripts() {
            if (starts(0, "#!")) {
                int eol = indexOf("\n", 0, Math.min(n, 64));
                String line = new String(d, off, eol < 0 ? Math.min(n, 64) : eol, StandardCharsets.ISO_8859_1);
                String interp = shebangInterpreter(line);
                if (interp != null) {
                    switch (interp) {
                        case "sh", "bash", "tcsh", "csh", "zsh", "fash", "aesh", "ksh" ->
                                hit("text/x-shellscript", 250);
                        case "perl" -> hit("text/x-perl", 60);
                        case "ruby" -> hit("text/x-ruby", 60);
                        case "python" -> hit("text/x-python", 60);
                        case "awk", "gawk", "nawk" -> hit("text/x-awk", 60);
                        case "wish", "tcl" -> hit("text/x-tcl", 60);
                        case "lua" -> hit("text/x-lua", 49);
                        case "node", "nodejs" -> hit("application/javascript", 60);
                        case "php" -> hit("text/x-php", 60);
                        default -> { }
                    }
                }
            }
            int p = 0;
            while (p < n && (isBlank(at(p)) || at(p) == '\r' || at(p) == '\n')) {
                p++;
            }
            if (startsIgnoreCase(p, "<script")) {
                int q = p + 7;
                int blanks = 0;
                while (isBlank(at(q))) {
                    q++;
                    blanks++;
                }
                int attr = startsIgnoreCase(q, "type=") ? 5 : startsIgnoreCase(q, "language=") ? 9 : -1;
                if (blanks > 0 && attr > 0) {
                    q += attr;
                    if (at(q) == '\'' || at(q) == '"') {
                        q++;
                    }
                    if (startsIgnoreCase(q, "text/")) {
                        q += 5;
                    }
                    if (startsIgnoreCase(q, "javascript")) {
                        hit("application/javascript", 60);
                    }
                }
                if (at(p + 7) == '>') {
                    int r = p + 8;
                    while (r < n && (isBlank(at(r)) || at(r) == '\r' || at(r) == '\n')) {
                        r++;
                    }
                    if (starts(r, "var ") || starts(r, "function ")) {
                        hit("application/javascript", 60);
                    }
                }
            }
            if (starts(p, "for (;;);")) {
                hit("application/javascript", 60);
            }
            if (starts(p, "document.write")) {
                int q = p + 14;
                if (starts(q, "ln")) {
                    q += 2;
                }
                if (isBlank(at(q)) || at(q) == ':') {
                    q++;
                }
                if (at(q) == '(') {
                    hit("application/javascript", 60);
                }
            }
            if (starts(0, "(function()")) {
                int q = 11;
                while (isBlank(at(q)) || at(q) == '\n') {
                    q++;
                }
                if (at(q) == '{') {
                    hit("application/javascript", 60);
                }
            }
            int eol = indexOf("\n", 0, n);
            if (indexOf("<?php", 0, eol < 0 ? n : eol) >= 0) {
                hit("text/x-php", 40);
            }
        }

        private static String shebangInterpreter(String line) {
            // "#!" then at most 15 other characters, then "bin/", optionally "env <ws>", then the name.
            int bin = line.indexOf("bin/");
            if (bin < 2 || bin > 17) {
                return null;
            }
            String rest = line.substring(bin + 4);
            if (rest.startsWith("env") && rest.length() > 3 && Character.isWhitespace(rest.charAt(3))) {
                rest = rest.substring(3).stripLeading();
            }
            int end = 0;
            while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
                end++;
            }
            String name = rest.substring(0, end).toLowerCase(Locale.ROOT);
            // Zeek's patterns match a prefix: "python3" is python, "bash" is sh-family.
            for (String known : new String[] {"python", "perl", "ruby", "nodejs", "node", "php", "lua", "wish",
                    "tcl", "gawk", "nawk", "awk", "bash", "tcsh", "csh", "zsh", "fash", "aesh", "ksh", "sh"}) {
                if (name.startsWith(known)) {
                    return known;
                }
            }
            return null;
        }

        void text() {
            int p = 0;
            if (bytes(0, 0xef, 0xbb, 0xbf)) {
                p = 3;
            } else if (bytes(0, 0, 0, 0xfe, 0xff)) {
                p = 4;
            } else if (bytes(0, 0xfe, 0xff)) {
                p = 2;
            } else if (bytes(0, 0xff, 0xfe, 0, 0)) {
                p = 4;
            } else if (bytes(0, 0xff, 0xfe)) {
                p = 2;
            }
            if (p + 10 > n) {
                return;
            }
            for (int i = p; i < p + 10; i++) {
                int c = at(i);
                if (!(isSpace(c) || (c >= 0x20 && c <= 0x7e))) {
                    return;
                }
            }
            hit("text/plain", -20);
        }

        private static boolean isSpace(int c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
        }

        private static boolean isBlank(int c) {
            return c == ' ' || c == '\t';
        }
    }
}
