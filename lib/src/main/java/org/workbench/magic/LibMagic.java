package org.workbench.magic;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * JNA binding of the part of libmagic's C API the workbench uses ({@code magic.h}, man page libmagic(3)).
 * A {@code magic_t} cookie is an opaque pointer and must not be used by two threads at once.
 */
interface LibMagic extends Library {
    /** No flags: a textual description, as {@code file} prints it. */
    int MAGIC_NONE = 0x0000000;
    /** Return the MIME type only. */
    int MAGIC_MIME_TYPE = 0x0000010;
    /** Report operating-system errors (e.g. a missing file) as errors rather than as a description. */
    int MAGIC_ERROR = 0x0000200;
    /** Return the MIME encoding only. */
    int MAGIC_MIME_ENCODING = 0x0000400;

    Pointer magic_open(int flags);

    void magic_close(Pointer cookie);

    int magic_load(Pointer cookie, String magicFiles);

    int magic_setflags(Pointer cookie, int flags);

    /** Returns a C string owned by the cookie (valid until the next call), or null on error. */
    Pointer magic_file(Pointer cookie, String path);

    /** Returns a C string owned by the cookie (valid until the next call), or null on error. */
    Pointer magic_buffer(Pointer cookie, byte[] buffer, SizeT length);

    String magic_error(Pointer cookie);

    int magic_version();

    /** C {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }
}
