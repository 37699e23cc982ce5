package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code pdf_meta} result (see {@link PdfMetaWorker}), for notebook code.
 *
 * @param fileSize       size in bytes
 * @param version        the header's version ({@code 1.6}), or null
 * @param headerOffset   bytes before {@code %PDF-}, or null when there is no header
 * @param catalogVersion the catalog's {@code /Version}, or null
 * @param opened         whether PDFBox parsed the file
 * @param encrypted      whether the file is encrypted
 * @param encryption     the {@code /Encrypt} facts ({@code filter, v, r, length_bits, permissions}), or null
 * @param pageCount      page count, or null when unknown
 * @param info           the document information ({@code title, author, ...}; values may be null), or an empty map
 * @param keywords       keyword to count (every scanned keyword)
 * @param hexEscaped     keyword to the count of its {@code #xx}-escaped occurrences (non-zero only)
 * @param risky          the risky keywords that occur
 * @param eofMarkers     number of {@code %%EOF} markers
 * @param error          what is wrong with the input, or null
 * @param structureError what PDFBox could not read, or null
 */
public record PdfMeta(long fileSize, String version, Long headerOffset, String catalogVersion, boolean opened,
                      boolean encrypted, Map<String, Object> encryption, Integer pageCount,
                      Map<String, String> info, Map<String, Long> keywords, Map<String, Long> hexEscaped,
                      List<String> risky, long eofMarkers, String error, String structureError) {

    /**
     * @param keyword a keyword such as {@code /JavaScript} or {@code obj}
     * @return its count (0 when not scanned)
     */
    public long count(String keyword) {
        return keywords.getOrDefault(keyword, 0L);
    }

    /** @return the title, or null */
    public String title() {
        return info.get("title");
    }

    /** @return the author, or null */
    public String author() {
        return info.get("author");
    }

    /** @return the producer, or null */
    public String producer() {
        return info.get("producer");
    }

    /** @return the creator, or null */
    public String creator() {
        return info.get("creator");
    }

    /**
     * @param r a {@code pdf_meta} worker result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    @SuppressWarnings("unchecked")
    public static PdfMeta from(Map<String, Object> r) {
        Map<String, String> info = new LinkedHashMap<>();
        if (r.get("info") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> info.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        Map<String, Long> keywords = longs(r, "keywords");
        Map<String, Long> hex = longs(r, "hex_escaped");
        List<String> risky = new ArrayList<>();
        if (!(r.get("risky") instanceof List<?> l)) {
            throw bad("risky");
        }
        l.forEach(x -> risky.add(String.valueOf(x)));
        Object enc = r.get("encryption");
        Number headerOffset = optNum(r, "header_offset");
        Number pages = optNum(r, "page_count");
        return new PdfMeta(num(r, "file_size").longValue(), optStr(r, "version"),
                headerOffset == null ? null : headerOffset.longValue(), optStr(r, "catalog_version"),
                bool(r, "opened"), bool(r, "encrypted"),
                enc instanceof Map<?, ?> em ? Collections.unmodifiableMap((Map<String, Object>) em) : null,
                pages == null ? null : pages.intValue(), Collections.unmodifiableMap(info), keywords, hex,
                List.copyOf(risky), num(r, "eof_markers").longValue(), optStr(r, "error"),
                optStr(r, "structure_error"));
    }

    private static Map<String, Long> longs(Map<String, Object> r, String k) {
        if (!(r.get(k) instanceof Map<?, ?> m)) {
            throw bad(k);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        m.forEach((key, v) -> out.put(String.valueOf(key), v instanceof Number n ? n.longValue() : 0L));
        return Collections.unmodifiableMap(out);
    }

    private static Number num(Map<String, Object> r, String k) {
        if (!(r.get(k) instanceof Number n)) {
            throw bad(k);
        }
        return n;
    }

    private static Number optNum(Map<String, Object> r, String k) {
        Object v = r.get(k);
        if (v != null && !(v instanceof Number)) {
            throw bad(k);
        }
        return (Number) v;
    }

    private static String optStr(Map<String, Object> r, String k) {
        Object v = r.get(k);
        if (v != null && !(v instanceof String)) {
            throw bad(k);
        }
        return (String) v;
    }

    private static boolean bool(Map<String, Object> r, String k) {
        if (!(r.get(k) instanceof Boolean b)) {
            throw bad(k);
        }
        return b;
    }

    private static InvalidInputException bad(String k) {
        return new InvalidInputException("not a pdf_meta result: '" + k + "' is missing or has the wrong type");
    }
}
