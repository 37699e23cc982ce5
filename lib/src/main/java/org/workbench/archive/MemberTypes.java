package org.workbench.archive;

import java.util.Locale;
import org.workbench.store.TypeTags;

/**
 * The type tag of an archive member from its first bytes, then its name: the magic numbers of the formats the
 * workbench has workers for, with the file extension as a fallback.
 *
 * <p>Magic numbers: {@code MZ} (PE/COFF spec, MS-DOS stub), {@code %PDF-} within the first 1024 bytes (ISO
 * 32000-1 &sect;7.5.2 and reader practice), {@code FWS}/{@code CWS}/{@code ZWS} (SWF spec v19),
 * {@code PK\3\4} and {@code PK\5\6} (APPNOTE.TXT: local file header, empty archive; {@code jar} when the name
 * ends in {@code .jar}, {@code .war} or {@code .ear}), pcap ({@code a1b2c3d4}/{@code a1b23c4d} either byte
 * order) and pcapng ({@code 0a0d0d0a}).
 */
public final class MemberTypes {
    /** How many leading bytes {@link #typeTag} looks at. */
    public static final int HEAD_BYTES = 1024 + 5;

    private MemberTypes() {
    }

    /**
     * @param head the member's first bytes (up to {@link #HEAD_BYTES})
     * @param len  how many of them are valid
     * @param name the member's name (may be null)
     * @return a tag of {@link TypeTags}
     */
    public static String typeTag(byte[] head, int len, String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (starts(head, len, 'M', 'Z')) {
            return TypeTags.EXE;
        }
        if (starts(head, len, 'P', 'K', 3, 4) || starts(head, len, 'P', 'K', 5, 6)) {
            return isJarName(lower) ? TypeTags.JAR : TypeTags.ZIP;
        }
        if (starts(head, len, 'F', 'W', 'S') || starts(head, len, 'C', 'W', 'S') || starts(head, len, 'Z', 'W', 'S')) {
            return TypeTags.SWF;
        }
        if (starts(head, len, 0xd4, 0xc3, 0xb2, 0xa1) || starts(head, len, 0xa1, 0xb2, 0xc3, 0xd4)
                || starts(head, len, 0x4d, 0x3c, 0xb2, 0xa1) || starts(head, len, 0xa1, 0xb2, 0x3c, 0x4d)
                || starts(head, len, 0x0a, 0x0d, 0x0d, 0x0a)) {
            return TypeTags.PCAP;
        }
        if (hasPdf(head, len)) {
            return TypeTags.PDF;
        }
        if (lower.endsWith(".pdf")) {
            return TypeTags.PDF;
        }
        if (lower.endsWith(".swf")) {
            return TypeTags.SWF;
        }
        if (isJarName(lower)) {
            return TypeTags.JAR;
        }
        if (lower.endsWith(".zip")) {
            return TypeTags.ZIP;
        }
        if (lower.endsWith(".exe") || lower.endsWith(".dll") || lower.endsWith(".sys") || lower.endsWith(".scr")) {
            return TypeTags.EXE;
        }
        return TypeTags.UNKNOWN;
    }

    /** @return whether the tag names a format this package can list ({@code zip}, {@code jar}) */
    public static boolean isArchive(String tag) {
        return TypeTags.ZIP.equals(tag) || TypeTags.JAR.equals(tag);
    }

    private static boolean isJarName(String lower) {
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
    }

    private static boolean hasPdf(byte[] h, int len) {
        for (int i = 0; i + 5 <= len && i < 1024; i++) {
            if (h[i] == '%' && h[i + 1] == 'P' && h[i + 2] == 'D' && h[i + 3] == 'F' && h[i + 4] == '-') {
                return true;
            }
        }
        return false;
    }

    private static boolean starts(byte[] h, int len, int... magic) {
        if (len < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
