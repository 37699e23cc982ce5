package org.workbench.kernel;

import java.util.Objects;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Markdown text to show formatted: {@code Markdown.of("**3** files extracted")} becomes an output
 * with {@code text/markdown} (the source, which Jupyter front ends render themselves),
 * {@code text/html} (rendered here with commonmark-java, CommonMark 0.31 rules; raw HTML in the
 * source is escaped and shows as text, since Markdown built in a cell often quotes captured data such as URIs
 * and User-Agents: use {@link Html#of} for HTML you trust) and {@code text/plain} (the source).
 *
 * @param source the Markdown source
 */
public record Markdown(String source) {
    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().escapeHtml(true).build();

    /** @throws NullPointerException when source is null */
    public Markdown {
        Objects.requireNonNull(source, "source");
    }

    /**
     * @param source Markdown (CommonMark) text, not null
     * @return the wrapper
     */
    public static Markdown of(String source) {
        return new Markdown(source);
    }

    /** @return the source rendered to an HTML fragment */
    public String html() {
        return HTML.render(PARSER.parse(source));
    }

    /** @return the bundle: {@code text/plain}, {@code text/html}, {@code text/markdown} */
    public MimeBundle bundle() {
        return MimeBundle.html(html(), source).with(MimeBundle.TEXT_MARKDOWN, source);
    }

    @Override
    public String toString() {
        return source;
    }
}
