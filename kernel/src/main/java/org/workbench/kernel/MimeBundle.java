package org.workbench.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One displayable value as a Jupyter MIME bundle: a map from MIME type ({@code text/plain},
 * {@code text/html}, ...) to the representation in that type, as carried by the {@code data}
 * field of Jupyter {@code execute_result} and {@code display_data} messages (Jupyter messaging
 * protocol, "Display Data"). Every bundle has a {@code text/plain} entry so that text-only
 * front ends can show it. Immutable.
 *
 * <p>A cell whose last expression evaluates to a {@code MimeBundle} is displayed as that bundle,
 * so notebook code can build rich output directly: {@code MimeBundle.html("<b>hi</b>", "hi")}.
 */
public final class MimeBundle {
    /** MIME type of plain text. */
    public static final String TEXT_PLAIN = "text/plain";
    /** MIME type of HTML fragments. */
    public static final String TEXT_HTML = "text/html";
    /** MIME type of Markdown source (CommonMark). */
    public static final String TEXT_MARKDOWN = "text/markdown";
    /** MIME type of PNG images; the bundle holds them base64-encoded, as Jupyter does. */
    public static final String IMAGE_PNG = "image/png";
    /** MIME type of JPEG images; the bundle holds them base64-encoded, as Jupyter does. */
    public static final String IMAGE_JPEG = "image/jpeg";
    /** MIME type of SVG images; the bundle holds the SVG document text. */
    public static final String IMAGE_SVG = "image/svg+xml";

    private final Map<String, String> data;

    private MimeBundle(Map<String, String> data) {
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /**
     * A bundle holding only plain text.
     *
     * @param text the text, not null
     * @return the bundle {@code {text/plain: text}}
     */
    public static MimeBundle text(String text) {
        return of(Map.of(TEXT_PLAIN, Objects.requireNonNull(text, "text")));
    }

    /**
     * A bundle holding an HTML fragment and its plain-text fallback.
     *
     * @param html the HTML fragment, not null
     * @param plainText the plain-text equivalent, not null
     * @return the bundle {@code {text/plain: plainText, text/html: html}}
     */
    public static MimeBundle html(String html, String plainText) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TEXT_PLAIN, Objects.requireNonNull(plainText, "plainText"));
        m.put(TEXT_HTML, Objects.requireNonNull(html, "html"));
        return new MimeBundle(m);
    }

    /**
     * A bundle from an explicit map of MIME type to representation.
     *
     * @param data MIME type to content; must contain {@code text/plain}
     * @return the bundle, keeping the map's iteration order
     * @throws IllegalArgumentException if {@code text/plain} is missing
     */
    public static MimeBundle of(Map<String, String> data) {
        if (!data.containsKey(TEXT_PLAIN)) {
            throw new IllegalArgumentException("a MIME bundle needs a text/plain entry, got " + data.keySet());
        }
        return new MimeBundle(data);
    }

    /**
     * A copy of this bundle with one more representation (or a replaced one).
     *
     * @param mimeType the MIME type, not null
     * @param content its content, not null (base64 text for binary types)
     * @return the new bundle
     */
    public MimeBundle with(String mimeType, String content) {
        Map<String, String> m = new LinkedHashMap<>(data);
        m.put(Objects.requireNonNull(mimeType, "mimeType"), Objects.requireNonNull(content, "content"));
        return new MimeBundle(m);
    }

    /** @return MIME type to content, in insertion order, unmodifiable */
    public Map<String, String> data() {
        return data;
    }

    /** @return the {@code text/plain} representation */
    public String plainText() {
        return data.get(TEXT_PLAIN);
    }

    /**
     * @param mimeType a MIME type such as {@code text/html}
     * @return the content for that type, or null if the bundle has none
     */
    public String get(String mimeType) {
        return data.get(mimeType);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimeBundle other && other.data.equals(data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    @Override
    public String toString() {
        return plainText();
    }
}
