package org.workbench.worker;

import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * Typed view of a {@code meta_deep} result (see {@link MetaDeepWorker}), for notebook code.
 *
 * @param meta         the {@code meta} part
 * @param ssdeep       the ssdeep digest, {@code blocksize:hash1:hash2}
 * @param ssdeepSource {@code libfuzzy} or {@code java}
 * @param entropy      Shannon entropy, bits per byte (0 to 8)
 */
public record MetaDeepResult(MetaResult meta, String ssdeep, String ssdeepSource, double entropy) {

    /**
     * @param metaDeep a {@code meta_deep} worker result
     * @return its typed view
     * @throws InvalidInputException when a key is missing or has the wrong type
     */
    public static MetaDeepResult from(Map<String, Object> metaDeep) {
        MetaResult meta = MetaResult.from(metaDeep);
        if (!(metaDeep.get("ssdeep") instanceof String s) || !(metaDeep.get("ssdeep_source") instanceof String src)) {
            throw new InvalidInputException("not a meta_deep result: 'ssdeep' or 'ssdeep_source' is missing");
        }
        if (!(metaDeep.get("entropy") instanceof Number e)) {
            throw new InvalidInputException("not a meta_deep result: 'entropy' is missing or not a number");
        }
        return new MetaDeepResult(meta, s, src, e.doubleValue());
    }

    /** @return the sample's MD5 */
    public String md5() {
        return meta.md5();
    }

    /** @return the sample's size in bytes */
    public long fileSize() {
        return meta.fileSize();
    }

    /** @return libmagic's description ({@code file -b}) */
    public String fileType() {
        return meta.fileType();
    }
}
