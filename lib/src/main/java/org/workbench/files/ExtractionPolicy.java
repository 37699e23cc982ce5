package org.workbench.files;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Decides which files are written to disk, by their sniffed MIME type (Zeek's names, see
 * {@link MimeSniffer}). Every file is hashed whatever the policy says; only extraction is decided here.
 */
@FunctionalInterface
public interface ExtractionPolicy {
    /**
     * @param mimeType the sniffed MIME type, or null when none matched
     * @return whether the file's bytes are to be extracted
     */
    boolean shouldExtract(String mimeType);

    /**
     * The default allow-list: executables (PE, ELF, Mach-O), Java classes and archives, Flash, PDF, archives and
     * compressed containers (ZIP, RAR, 7z, gzip, bzip2, xz, tar, CAB, RPM, DEB, DMG, XAR), and Office documents
     * (OLE2 and OOXML/OpenDocument). Scripts, stylesheets, HTML, JSON/XML, plain text, images and fonts are not
     * extracted.
     */
    Set<String> DEFAULT_TYPES = Set.of(
            "application/x-dosexec", "application/x-executable", "application/x-sharedlib",
            "application/x-object", "application/x-mach-o-executable",
            "application/x-java-applet", "application/java-archive", "application/x-java-pack200",
            "application/x-shockwave-flash", "application/pdf",
            "application/zip", "application/x-rar", "application/x-7z-compressed", "application/x-gzip",
            "application/x-bzip2", "application/x-xz", "application/x-tar", "application/vnd.ms-cab-compressed",
            "application/x-rpm", "application/x-debian-package", "application/x-dmg", "application/x-xar",
            "application/x-lzh", "application/x-arj", "application/x-ace", "application/x-lzma",
            "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/rtf", "application/x-msaccess",
            "application/vnd.openxmlformats-officedocument",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation", "application/vnd.oasis.opendocument.graphics");

    /** The default policy: extract types in {@link #DEFAULT_TYPES}. */
    static ExtractionPolicy defaults() {
        return ofMimeTypes(DEFAULT_TYPES);
    }

    /** Extracts exactly the given MIME types (compared case-insensitively). */
    static ExtractionPolicy ofMimeTypes(Set<String> mimeTypes) {
        Set<String> lower = mimeTypes.stream().map(s -> s.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        return mime -> mime != null && lower.contains(mime.toLowerCase(Locale.ROOT));
    }

    /** Extracts the files whose MIME type (possibly null) the predicate accepts. */
    static ExtractionPolicy of(Predicate<String> predicate) {
        Objects.requireNonNull(predicate);
        return predicate::test;
    }

    /** Extracts nothing (hashing only). */
    static ExtractionPolicy none() {
        return mime -> false;
    }

    /** Extracts every file, whatever its type. */
    static ExtractionPolicy all() {
        return mime -> true;
    }
}
