package org.workbench;

/** The store holds no sample with the requested MD5. */
public class UnknownSampleException extends WorkbenchException {
    private final String md5;

    /** @param md5 the requested (well-formed) MD5 */
    public UnknownSampleException(String md5) {
        super("no sample with md5 " + md5 + " in the store");
        this.md5 = md5;
    }

    /** @return the MD5 that was not found */
    public String md5() {
        return md5;
    }
}
