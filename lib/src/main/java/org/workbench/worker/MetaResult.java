package org.workbench.worker;

import java.time.Instant;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code meta} result (see {@link MetaWorker}), for notebook code.
 *
 * @param md5         lowercase hex MD5
 * @param sha1        lowercase hex SHA-1
 * @param sha256      lowercase hex SHA-256
 * @param fileSize    size in bytes
 * @param filename    the first name the sample was stored under
 * @param importTime  when it was first stored (UTC)
 * @param typeTag     its type tag
 * @param mimeType    MIME type ({@code file -b --mime-type})
 * @param encoding    MIME encoding ({@code file -b --mime-encoding})
 * @param fileType    libmagic description ({@code file -b})
 * @param magicSource {@code libmagic} or {@code tika}
 */
public record MetaResult(String md5, String sha1, String sha256, long fileSize, String filename,
                         Instant importTime, String typeTag, String mimeType, String encoding, String fileType,
                         String magicSource) {

    /**
     * @param meta a {@code meta} worker result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    public static MetaResult from(Map<String, Object> meta) {
        return new MetaResult(str(meta, "md5"), str(meta, "sha1"), str(meta, "sha256"), num(meta, "file_size"),
                str(meta, "filename"), Instant.parse(str(meta, "import_time")), str(meta, "type_tag"),
                str(meta, "mime_type"), str(meta, "encoding"), str(meta, "file_type"), str(meta, "magic_source"));
    }

    private static String str(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof String s)) {
            throw new InvalidInputException("not a meta result: '" + k + "' is missing or not a string");
        }
        return s;
    }

    private static long num(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof Number n)) {
            throw new InvalidInputException("not a meta result: '" + k + "' is missing or not a number");
        }
        return n.longValue();
    }
}
