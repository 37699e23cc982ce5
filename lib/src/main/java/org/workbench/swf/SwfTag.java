package org.workbench.swf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tag of a SWF file (a RECORDHEADER and its body; Adobe SWF File Format Specification v19, "Tag format").
 *
 * @param code    the tag type code (10 bits)
 * @param name    the specification's name for the code ({@link SwfTagCodes#name(int)})
 * @param offset  where the tag's record header starts, in bytes from the start of the uncompressed file
 * @param length  the body length in bytes (excluding the 2- or 6-byte record header)
 * @param details tag-specific fields decoded from the body, in result form (see {@link SwfParser}); may be empty
 * @param tags    the tags nested in a {@code DefineSprite}, else empty
 */
public record SwfTag(int code, String name, long offset, long length, Map<String, Object> details,
                     List<SwfTag> tags) {

    /** Copies the collections. */
    public SwfTag {
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        tags = List.copyOf(tags);
    }

    /**
     * @return the tag as the {@code swf_meta} worker reports it: {@code code, name, offset, length}, the details'
     *         keys, and for a sprite {@code tags} (the nested tags, same shape)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("offset", offset);
        m.put("length", length);
        m.putAll(details);
        if (code == SwfTagCodes.DEFINE_SPRITE) {
            List<Object> nested = new ArrayList<>(tags.size());
            for (SwfTag t : tags) {
                nested.add(t.toMap());
            }
            m.put("tags", nested);
        }
        return m;
    }
}
