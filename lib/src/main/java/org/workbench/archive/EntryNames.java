package org.workbench.archive;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of archive member names, which are attacker-controlled text: they are reported and used as labels,
 * never as filesystem paths. The issues are those behind "zip slip" path traversal (APPNOTE.TXT 4.4.17 says names
 * are relative, use forward slashes and carry no drive letter).
 */
public final class EntryNames {
    /** A {@code ..} segment: extracting to a path built from the name could leave the target folder. */
    public static final String PARENT_TRAVERSAL = "parent_traversal";
    /** Starts with {@code /} or {@code \}. */
    public static final String ABSOLUTE = "absolute";
    /** Starts with a drive letter such as {@code C:}. */
    public static final String DRIVE_LETTER = "drive_letter";
    /** Contains {@code \}, which Windows tools treat as a separator. */
    public static final String BACKSLASH = "backslash";
    /** Contains control characters (including NUL). */
    public static final String CONTROL_CHARS = "control_chars";
    /** Empty. */
    public static final String EMPTY = "empty";

    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private EntryNames() {
    }

    /**
     * @param name a member name as stored in the archive
     * @return the issues found, in the order of the constants above (empty when the name is harmless)
     */
    public static List<String> issues(String name) {
        List<String> out = new ArrayList<>();
        if (name == null || name.isEmpty()) {
            out.add(EMPTY);
            return out;
        }
        for (String seg : name.split("[/\\\\]", -1)) {
            if (seg.equals("..")) {
                out.add(PARENT_TRAVERSAL);
                break;
            }
        }
        if (name.startsWith("/") || name.startsWith("\\")) {
            out.add(ABSOLUTE);
        }
        if (DRIVE.matcher(name).matches()) {
            out.add(DRIVE_LETTER);
        }
        if (name.indexOf('\\') >= 0) {
            out.add(BACKSLASH);
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            out.add(CONTROL_CHARS);
        }
        return out;
    }

    /**
     * A label for a member: the name with control characters replaced by {@code ?}, or {@code fallback} when
     * nothing printable is left. Only ever a label (for the sample store's filename metadata), never a path.
     */
    public static String label(String name, String fallback) {
        if (name == null) {
            return fallback;
        }
        StringBuilder b = new StringBuilder(Math.min(name.length(), 1024));
        boolean printable = false;
        for (int c : name.codePoints().limit(1024).toArray()) {
            boolean control = c < 0x20 || c == 0x7f;
            printable |= !control && !Character.isWhitespace(c);
            b.appendCodePoint(control ? '?' : c);
        }
        return printable ? b.toString() : fallback;
    }
}
