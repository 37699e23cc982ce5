package org.workbench.swf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link SwfParser} found in a SWF file: the header (null when even the 8 header bytes are unusable), the
 * ordered tag list (tags parsed before any problem), and the problems, if any.
 *
 * @param header the header, or null
 * @param tags   the top-level tags in file order (sprites hold their nested tags)
 * @param errors human-readable problems (truncation, limits, bad signature, ...); empty for a clean file
 */
public record SwfDocument(SwfHeader header, List<SwfTag> tags, List<String> errors) {

    /** Copies the lists. */
    public SwfDocument {
        tags = List.copyOf(tags);
        errors = List.copyOf(errors);
    }

    /** @return every tag, nested ones right after their sprite (depth first, file order) */
    public List<SwfTag> allTags() {
        List<SwfTag> out = new ArrayList<>();
        collect(tags, out);
        return out;
    }

    private static void collect(List<SwfTag> tags, List<SwfTag> out) {
        for (SwfTag t : tags) {
            out.add(t);
            collect(t.tags(), out);
        }
    }

    /** @return tag name to number of tags with it, nested tags included, in first-seen order */
    public Map<String, Integer> tagCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (SwfTag t : allTags()) {
            counts.merge(t.name(), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * @return the {@code swf_meta} result: {@code header} (if any, see {@link SwfHeader#toMap()}), {@code tags}
     *         (see {@link SwfTag#toMap()}), {@code tag_counts} and, when there were problems, {@code error} (the
     *         problems joined with {@code "; "})
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (header != null) {
            m.put("header", header.toMap());
        }
        List<Object> list = new ArrayList<>(tags.size());
        for (SwfTag t : tags) {
            list.add(t.toMap());
        }
        m.put("tags", list);
        m.put("tag_counts", new LinkedHashMap<String, Object>(tagCounts()));
        if (!errors.isEmpty()) {
            m.put("error", String.join("; ", errors));
        }
        return m;
    }
}
