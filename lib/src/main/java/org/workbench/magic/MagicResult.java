package org.workbench.magic;

/**
 * What {@link FileMagic} found out about some bytes.
 *
 * @param description the libmagic description, identical to {@code file -b} (e.g. {@code PDF document, version
 *                    1.4, 1 pages}); with the Tika fallback, Tika's name for the MIME type instead
 * @param mimeType    the MIME type, as {@code file -b --mime-type} prints it (e.g. {@code application/pdf})
 * @param encoding    the character encoding, as {@code file -b --mime-encoding} prints it ({@code binary},
 *                    {@code us-ascii}, {@code utf-8}, ...); with the Tika fallback a simple byte heuristic
 * @param source      {@link FileMagic#SOURCE_LIBMAGIC} or {@link FileMagic#SOURCE_TIKA}: who answered
 */
public record MagicResult(String description, String mimeType, String encoding, String source) {
}
