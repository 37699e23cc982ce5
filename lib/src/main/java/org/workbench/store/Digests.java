package org.workbench.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** MD5, SHA-1 and SHA-256 computed together over one pass of the bytes. */
final class Digests {
    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");
    private long size;

    void update(byte[] b, int off, int len) {
        md5.update(b, off, len);
        sha1.update(b, off, len);
        sha256.update(b, off, len);
        size += len;
    }

    /** Finishes all three digests; call once. */
    Result finish() {
        HexFormat hex = HexFormat.of();
        return new Result(hex.formatHex(md5.digest()), hex.formatHex(sha1.digest()),
                hex.formatHex(sha256.digest()), size);
    }

    record Result(String md5, String sha1, String sha256, long size) {
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e); // every JDK has these three
        }
    }
}
