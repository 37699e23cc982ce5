package org.workbench.hash;

import com.sun.jna.Library;

/**
 * JNA binding of the part of libfuzzy's C API the workbench uses ({@code fuzzy.h} of ssdeep 2.x; Debian package
 * libfuzzy2, {@code libfuzzy.so.2}). Both functions write a NUL-terminated digest of at most
 * {@link Ssdeep#FUZZY_MAX_RESULT} bytes (including the NUL) into {@code result} and return 0 on success, non-zero
 * on error. They keep no state between calls, so they are safe to call from several threads.
 */
interface LibFuzzy extends Library {
    /** {@code int fuzzy_hash_buf(const unsigned char *buf, uint32_t buf_len, char *result)}. */
    int fuzzy_hash_buf(byte[] buf, int bufLen, byte[] result);

    /** {@code int fuzzy_hash_filename(const char *filename, char *result)}. */
    int fuzzy_hash_filename(String filename, byte[] result);
}
