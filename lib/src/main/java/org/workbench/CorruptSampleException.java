package org.workbench;

import java.nio.file.Path;

/**
 * A stored sample's bytes no longer match its MD5 (or recorded size): the file was changed or damaged on disk
 * after it was stored.
 */
public class CorruptSampleException extends WorkbenchException {
    private final String md5;
    private final Path path;

    /**
     * @param md5    the sample's MD5 (its identity in the store)
     * @param path   the damaged file
     * @param detail what was found (e.g. the MD5 actually read)
     */
    public CorruptSampleException(String md5, Path path, String detail) {
        super("sample " + md5 + " is corrupted on disk at " + path + ": " + detail);
        this.md5 = md5;
        this.path = path;
    }

    /** @return the sample's MD5 */
    public String md5() {
        return md5;
    }

    /** @return the damaged file */
    public Path path() {
        return path;
    }
}
