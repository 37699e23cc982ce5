package org.workbench.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.workbench.InvalidInputException;
import org.workbench.store.TypeTags;

class EntryNamesAndMemberTypesTest {
    @Test
    void nameIssues() {
        assertEquals(List.of(), EntryNames.issues("dir/file.txt"));
        assertEquals(List.of(), EntryNames.issues("a..b/..c"));
        assertEquals(List.of(EntryNames.PARENT_TRAVERSAL), EntryNames.issues("../../etc/passwd"));
        assertEquals(List.of(EntryNames.PARENT_TRAVERSAL), EntryNames.issues("a/b/../../../c"));
        assertEquals(List.of(EntryNames.ABSOLUTE), EntryNames.issues("/etc/passwd"));
        assertEquals(List.of(EntryNames.PARENT_TRAVERSAL, EntryNames.BACKSLASH),
                EntryNames.issues("..\\..\\windows\\win.ini"));
        assertEquals(List.of(EntryNames.DRIVE_LETTER, EntryNames.BACKSLASH), EntryNames.issues("C:\\boot.ini"));
        assertEquals(List.of(EntryNames.ABSOLUTE, EntryNames.BACKSLASH), EntryNames.issues("\\server\\x"));
        assertEquals(List.of(EntryNames.CONTROL_CHARS), EntryNames.issues("evil\u0000.txt"));
        assertEquals(List.of(EntryNames.EMPTY), EntryNames.issues(""));
        assertEquals("evil?.txt", EntryNames.label("evil\u0000.txt", "f"));
        assertEquals("f", EntryNames.label("\u0001\u0002", "f"));
        assertEquals("../../etc/passwd", EntryNames.label("../../etc/passwd", "f"));
    }

    private static String tag(String head, String name) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        return MemberTypes.typeTag(b, b.length, name);
    }

    @Test
    void typesByMagicThenExtension() {
        assertEquals(TypeTags.EXE, tag("MZ\u0090\u0000", "readme.txt"));
        assertEquals(TypeTags.PDF, tag("%PDF-1.4", "x"));
        assertEquals(TypeTags.PDF, tag("   \n%PDF-1.4", "x"));
        assertEquals(TypeTags.SWF, tag("CWS\n", "x"));
        assertEquals(TypeTags.SWF, tag("FWS\u0009", "x"));
        assertEquals(TypeTags.ZIP, tag("PK\u0003\u0004", "inner.bin"));
        assertEquals(TypeTags.JAR, tag("PK\u0003\u0004", "lib/x.JAR"));
        assertEquals(TypeTags.PCAP, tag("\u00d4\u00c3\u00b2\u00a1", "x"));
        assertEquals(TypeTags.PCAP, tag("\n\r\r\n", "x"));
        assertEquals(TypeTags.PDF, tag("no magic", "doc.pdf"));
        assertEquals(TypeTags.UNKNOWN, tag("\u00ca\u00fe\u00ba\u00be", "A.class"));
        assertEquals(TypeTags.UNKNOWN, tag("", "empty"));
        assertEquals(TypeTags.UNKNOWN, MemberTypes.typeTag(new byte[0], 0, null));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(InvalidInputException.class, () -> new ArchiveLimits(0, 1, 1, 1, 1));
        assertThrows(InvalidInputException.class, () -> new ArchiveLimits(1, 1, Double.NaN, 1, 1));
        assertEquals(3, ArchiveLimits.defaults().maxDepth());
        assertEquals("a.b.C$D", ZipExtractor.className("a/b/C$D.class"));
    }
}
