package org.workbench.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code swf_meta} result (see {@link SwfMetaWorker}), for notebook code.
 *
 * @param header    the SWF header, or null when the sample is not a SWF or its 8 header bytes are missing
 * @param tags      the top-level tags in file order
 * @param tagCounts tag name to count, nested tags included
 * @param error     what went wrong, or null for a clean file
 */
public record SwfMeta(Header header, List<Tag> tags, Map<String, Integer> tagCounts, String error) {

    /**
     * The SWF header. Frame fields are null when the file ends before them.
     *
     * @param signature  {@code FWS}, {@code CWS} or {@code ZWS}
     * @param compressed whether the body is compressed (CWS, ZWS)
     * @param version    SWF version
     * @param fileLength declared uncompressed file length, bytes
     * @param xmin       frame rectangle, twips (1/20 pixel)
     * @param xmax       frame rectangle, twips
     * @param ymin       frame rectangle, twips
     * @param ymax       frame rectangle, twips
     * @param frameSize  the rectangle in pixels, e.g. {@code [xmin: 0 xmax: 550 ymin: 0 ymax: 400]}
     * @param frameRate  frames per second
     * @param frameCount number of frames
     */
    public record Header(String signature, boolean compressed, int version, long fileLength, Integer xmin,
                         Integer xmax, Integer ymin, Integer ymax, String frameSize, Double frameRate,
                         Integer frameCount) {
    }

    /**
     * One tag.
     *
     * @param code    tag type code
     * @param name    the specification's name for the code
     * @param offset  offset of the record header in the uncompressed file, bytes
     * @param length  body length, bytes
     * @param details the decoded fields (e.g. {@code color}, {@code symbols}, {@code abc_name}); see
     *                {@link org.workbench.swf.SwfParser}
     * @param tags    a sprite's nested tags, else empty
     */
    public record Tag(int code, String name, long offset, long length, Map<String, Object> details,
                      List<Tag> tags) {
    }

    /** @return every tag, nested ones right after their sprite */
    public List<Tag> allTags() {
        List<Tag> out = new ArrayList<>();
        collect(tags, out);
        return out;
    }

    private static void collect(List<Tag> tags, List<Tag> out) {
        for (Tag t : tags) {
            out.add(t);
            collect(t.tags(), out);
        }
    }

    /**
     * @param r a {@code swf_meta} result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    @SuppressWarnings("unchecked")
    public static SwfMeta from(Map<String, Object> r) {
        Header h = null;
        if (r.get("header") != null) {
            Map<String, Object> m = map(r.get("header"), "header");
            Map<String, Object> rect = m.get("frame_size_twips") == null ? Map.of()
                    : map(m.get("frame_size_twips"), "frame_size_twips");
            h = new Header(str(m, "signature"), Boolean.TRUE.equals(m.get("compressed")),
                    (int) num(m, "version"), num(m, "file_length"), optInt(rect, "xmin"), optInt(rect, "xmax"),
                    optInt(rect, "ymin"), optInt(rect, "ymax"), (String) m.get("frame_size"),
                    m.get("frame_rate") instanceof Number n ? n.doubleValue() : null, optInt(m, "frame_count"));
        }
        if (!(r.get("tags") instanceof List<?> list)) {
            throw new InvalidInputException("not a swf_meta result: 'tags' is missing or not a list");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (r.get("tag_counts") instanceof Map<?, ?> c) {
            c.forEach((k, v) -> counts.put(String.valueOf(k), ((Number) v).intValue()));
        }
        return new SwfMeta(h, tags((List<Object>) list), Collections.unmodifiableMap(counts),
                (String) r.get("error"));
    }

    @SuppressWarnings("unchecked")
    private static List<Tag> tags(List<Object> list) {
        List<Tag> out = new ArrayList<>(list.size());
        for (Object o : list) {
            Map<String, Object> m = map(o, "tag");
            Map<String, Object> details = new LinkedHashMap<>(m);
            for (String k : List.of("code", "name", "offset", "length", "tags")) {
                details.remove(k);
            }
            List<Tag> nested = m.get("tags") instanceof List<?> l ? tags((List<Object>) l) : List.of();
            out.add(new Tag((int) num(m, "code"), str(m, "name"), num(m, "offset"), num(m, "length"),
                    Collections.unmodifiableMap(details), nested));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new InvalidInputException("not a swf_meta result: '" + what + "' is not a map");
        }
        return (Map<String, Object>) m;
    }

    private static String str(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof String s)) {
            throw new InvalidInputException("not a swf_meta result: '" + k + "' is missing or not a string");
        }
        return s;
    }

    private static long num(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw new InvalidInputException("not a swf_meta result: '" + k + "' is missing or not a number");
        }
        return n.longValue();
    }

    private static Integer optInt(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.intValue() : null;
    }
}
