package org.workbench.kernel;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTML fragment to show as is: {@code Html.of("<b>suspicious</b>")} as a cell's value or through
 * {@link Display#display} becomes a {@code text/html} output, with the text stripped of tags as its
 * {@code text/plain} twin. The fragment is not checked or sanitised: it is the notebook author's own.
 *
 * @param html the fragment
 */
public record Html(String html) {
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** @throws NullPointerException when html is null */
    public Html {
        Objects.requireNonNull(html, "html");
    }

    /**
     * @param html an HTML fragment, not null
     * @return the wrapper
     */
    public static Html of(String html) {
        return new Html(html);
    }

    /** @return the bundle: {@code text/html} and the tag-stripped {@code text/plain} */
    public MimeBundle bundle() {
        String text = TAG.matcher(html).replaceAll("").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", " ").replace("&amp;", "&");
        return MimeBundle.html(html, text);
    }

    @Override
    public String toString() {
        return html;
    }
}
