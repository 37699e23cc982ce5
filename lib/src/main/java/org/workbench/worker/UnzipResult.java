package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of an {@code unzip} result (see {@link UnzipWorker}), for notebook code.
 *
 * @param format                 {@code zip} or {@code jar}
 * @param reader                 {@code central_directory}, {@code local_headers}, or null when nothing was read
 * @param parent                 the archive's MD5
 * @param entries                every entry listed (nested ones included)
 * @param children               every stored member
 * @param manifest               JAR main attributes, or null
 * @param classes                binary class names of the outermost archive
 * @param classCount             number of {@code .class} members of the outermost archive
 * @param encryptedEntries       number of entries flagged encrypted
 * @param suspiciousNames        paths of entries whose names could escape an extraction folder
 * @param totalUncompressedBytes bytes read from members
 * @param truncated              whether a limit stopped the listing
 * @param error                  the archive-level problems, or null
 */
public record UnzipResult(String format, String reader, String parent, List<Entry> entries, List<Child> children,
                          Map<String, String> manifest, List<String> classes, int classCount,
                          long encryptedEntries, List<String> suspiciousNames, long totalUncompressedBytes,
                          boolean truncated, String error) {

    /**
     * One archive entry.
     *
     * @param name           the name as stored
     * @param path           container names joined by {@code !/}
     * @param depth          1 for members of the outermost archive
     * @param container      MD5 of the archive holding it
     * @param directory      whether it is a directory entry
     * @param size           declared uncompressed size in bytes, or null
     * @param compressedSize declared compressed size in bytes, or null
     * @param methodName     compression method name ({@code STORED}, {@code DEFLATED}, ...), or null
     * @param crc            declared CRC-32 (8 hex digits), or null
     * @param crcOk          whether the data matched it, or null when not read
     * @param encrypted      the encryption flag
     * @param nameIssues     see {@link org.workbench.archive.EntryNames}
     * @param extracted      whether it was stored as a sample
     * @param md5            its sample MD5, or null
     * @param typeTag        its type tag, or null when not read
     * @param readBytes      uncompressed bytes read, or null
     * @param nested         for archive members: how they were listed, or why not; else null
     * @param skipped        why it was not read (encrypted, unsupported method), or null
     * @param error          what went wrong with it, or null
     */
    public record Entry(String name, String path, int depth, String container, boolean directory, Long size,
                       Long compressedSize, String methodName, String crc, Boolean crcOk, boolean encrypted,
                       List<String> nameIssues, boolean extracted, String md5, String typeTag, Long readBytes,
                       String nested, String skipped, String error) {
    }

    /**
     * One stored member.
     *
     * @param name    its name in the archive
     * @param md5     its sample MD5
     * @param size    its size in bytes
     * @param typeTag its type tag
     * @param parent  MD5 of the archive directly holding it
     * @param depth   1 for members of the outermost archive
     * @param path    container names joined by {@code !/}
     */
    public record Child(String name, String md5, long size, String typeTag, String parent, int depth, String path) {
    }

    /** @return the outermost archive's entry names, in listing order */
    public List<String> names() {
        return entries.stream().filter(e -> e.depth() == 1).map(Entry::name).toList();
    }

    /**
     * @param r an {@code unzip} worker result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    public static UnzipResult from(Map<String, Object> r) {
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> e : maps(r, "entries")) {
            entries.add(new Entry(str(e, "name"), str(e, "path"), num(e, "depth").intValue(), str(e, "container"),
                    Boolean.TRUE.equals(e.get("directory")), optLong(e, "size"), optLong(e, "compressed_size"),
                    str(e, "method_name"), str(e, "crc"), (Boolean) e.get("crc_ok"),
                    Boolean.TRUE.equals(e.get("encrypted")), strings(e.get("name_issues")),
                    Boolean.TRUE.equals(e.get("extracted")), str(e, "md5"), str(e, "type_tag"),
                    optLong(e, "read_bytes"), str(e, "nested"), str(e, "skipped"), str(e, "error")));
        }
        List<Child> children = new ArrayList<>();
        for (Map<String, Object> c : maps(r, "children")) {
            children.add(new Child(str(c, "name"), str(c, "md5"), num(c, "size").longValue(), str(c, "type_tag"),
                    str(c, "parent"), num(c, "depth").intValue(), str(c, "path")));
        }
        Map<String, String> manifest = null;
        if (r.get("manifest") instanceof Map<?, ?> m) {
            Map<String, String> mm = new LinkedHashMap<>();
            m.forEach((k, v) -> mm.put(String.valueOf(k), String.valueOf(v)));
            manifest = Collections.unmodifiableMap(mm);
        }
        return new UnzipResult(str(r, "format"), str(r, "reader"), str(r, "parent"), List.copyOf(entries),
                List.copyOf(children), manifest, strings(r.get("classes")), num(r, "class_count").intValue(),
                num(r, "encrypted_entries").longValue(), strings(r.get("suspicious_names")),
                num(r, "total_uncompressed_bytes").longValue(), Boolean.TRUE.equals(r.get("truncated")),
                str(r, "error"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> r, String k) {
        if (!(r.get(k) instanceof List<?> l)) {
            throw bad(k);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?> m)) {
                throw bad(k);
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return List.copyOf(out);
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v != null && !(v instanceof String)) {
            throw bad(k);
        }
        return (String) v;
    }

    private static Number num(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw bad(k);
        }
        return n;
    }

    private static Long optLong(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v != null && !(v instanceof Number)) {
            throw bad(k);
        }
        return v == null ? null : ((Number) v).longValue();
    }

    private static InvalidInputException bad(String k) {
        return new InvalidInputException("not an unzip result: '" + k + "' is missing or has the wrong type");
    }
}
