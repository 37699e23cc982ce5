package org.workbench.magic;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.tika.Tika;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;
import org.workbench.WorkbenchException;

/**
 * File typing with libmagic, the library behind the {@code file} command, called through JNA.
 *
 * <p>With libmagic (Debian package libmagic1, {@code libmagic.so.1}) each answer has three parts, each equal to
 * what {@code file} prints for the same file: the description ({@code file -b}, flag {@code MAGIC_NONE}), the
 * MIME type ({@code file -b --mime-type}, {@code MAGIC_MIME_TYPE}) and the encoding
 * ({@code file -b --mime-encoding}, {@code MAGIC_MIME_ENCODING}). The magic database is the system default
 * ({@code magic_load(cookie, NULL)}, which honours the {@code MAGIC} environment variable).
 *
 * <p>When libmagic cannot be loaded, Apache Tika (tika-core) answers instead: the MIME type comes from Tika's
 * detector, the description is Tika's name for that type, the encoding a simple byte heuristic, and
 * {@link MagicResult#source()} says {@value #SOURCE_TIKA}. {@link #fallbackReason()} tells why.
 *
 * <p>Thread-safe: libmagic cookies are not, so each call borrows a cookie from a small pool and returns it.
 * Close the instance to free the native cookies.
 */
public final class FileMagic implements AutoCloseable {
    /** {@link MagicResult#source()} when libmagic answered. */
    public static final String SOURCE_LIBMAGIC = "libmagic";
    /** {@link MagicResult#source()} when the Tika fallback answered. */
    public static final String SOURCE_TIKA = "tika";
    /** Library names tried by {@link #open()}: the development symlink, then Debian's runtime soname. */
    public static final List<String> DEFAULT_LIBRARY_NAMES = List.of("magic", "libmagic.so.1");

    private static final int MAX_IDLE_COOKIES = 4;
    /** How many leading bytes the Tika fallback looks at for its encoding guess. */
    private static final int ENCODING_SNIFF_BYTES = 64 * 1024;

    private final LibMagic lib;
    private final String fallbackReason;
    private final BlockingQueue<Pointer> idle = new ArrayBlockingQueue<>(MAX_IDLE_COOKIES);
    /** Only built for the fallback: Tika's start-up reads its whole MIME database. */
    private final Tika tika;
    private volatile boolean closed;

    private FileMagic(LibMagic lib, Pointer firstCookie, String fallbackReason) {
        this.lib = lib;
        this.fallbackReason = fallbackReason;
        this.tika = lib == null ? new Tika() : null;
        if (firstCookie != null) {
            idle.add(firstCookie);
        }
    }

    /**
     * Loads libmagic (trying {@link #DEFAULT_LIBRARY_NAMES}) and its default database, or falls back to Tika.
     *
     * @return a ready instance; never fails for lack of libmagic
     */
    public static FileMagic open() {
        return open(DEFAULT_LIBRARY_NAMES);
    }

    /**
     * Loads libmagic under the first of the given library names that works, or falls back to Tika.
     *
     * @param libraryNames names for JNA's {@code Native.load} (e.g. {@code magic}, {@code libmagic.so.1}); an empty
     *                     list means "use Tika"
     * @return a ready instance; never fails for lack of libmagic
     */
    public static FileMagic open(List<String> libraryNames) {
        List<String> problems = new ArrayList<>();
        for (String name : libraryNames) {
            LibMagic lib;
            try {
                lib = Native.load(name, LibMagic.class);
            } catch (UnsatisfiedLinkError e) {
                problems.add(name + ": " + firstLine(e.getMessage()));
                continue;
            }
            try {
                Pointer cookie = newCookie(lib);
                return new FileMagic(lib, cookie, null);
            } catch (WorkbenchException | UnsatisfiedLinkError e) {
                problems.add(name + ": " + e.getMessage());
            }
        }
        String reason = libraryNames.isEmpty() ? "no libmagic library names given"
                : "libmagic could not be loaded (" + String.join("; ", problems) + ")";
        return new FileMagic(null, null, reason);
    }

    /** @return whether answers come from libmagic ({@code true}) or from the Tika fallback */
    public boolean usesLibmagic() {
        return lib != null;
    }

    /** @return {@value #SOURCE_LIBMAGIC} or {@value #SOURCE_TIKA} */
    public String source() {
        return lib != null ? SOURCE_LIBMAGIC : SOURCE_TIKA;
    }

    /** @return why libmagic is not used, or null when it is */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** @return libmagic's version number (e.g. 544 for file 5.44), or -1 with the Tika fallback */
    public int libmagicVersion() {
        return lib == null ? -1 : lib.magic_version();
    }

    /**
     * Types a file, as {@code file -b}, {@code file -b --mime-type} and {@code file -b --mime-encoding} would.
     *
     * @param file a readable file (only its bytes are read)
     * @return description, MIME type, encoding and source
     * @throws WorkbenchException when the file cannot be read or libmagic reports an error, or this instance is
     *                            closed
     */
    public MagicResult describe(Path file) {
        Objects.requireNonNull(file, "file");
        checkOpen();
        if (lib == null) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] head = in.readNBytes(ENCODING_SNIFF_BYTES);
                if (head.length == ENCODING_SNIFF_BYTES) {
                    // Do not let a UTF-8 sequence cut at the sniff limit look malformed.
                    head = java.util.Arrays.copyOf(head, head.length - 3);
                }
                return tikaResult(tika.detect(file), head);
            } catch (IOException e) {
                throw new WorkbenchException("cannot type " + file + ": " + e, e);
            }
        }
        String p = file.toString();
        // MAGIC_ERROR makes a missing or unreadable file an error instead of a "cannot open" description.
        return withCookie(c -> new MagicResult(
                query(c, LibMagic.MAGIC_ERROR, () -> lib.magic_file(c, p), p),
                query(c, LibMagic.MAGIC_ERROR | LibMagic.MAGIC_MIME_TYPE, () -> lib.magic_file(c, p), p),
                query(c, LibMagic.MAGIC_ERROR | LibMagic.MAGIC_MIME_ENCODING, () -> lib.magic_file(c, p), p),
                SOURCE_LIBMAGIC));
    }

    /**
     * Types bytes held in memory ({@code magic_buffer}). Usually the same answer as for a file with these bytes;
     * prefer {@link #describe(Path)} when a file exists, which is exactly what {@code file} does.
     *
     * @param data the bytes (may be empty)
     * @return description, MIME type, encoding and source
     * @throws WorkbenchException when libmagic reports an error or this instance is closed
     */
    public MagicResult describe(byte[] data) {
        Objects.requireNonNull(data, "data");
        checkOpen();
        if (lib == null) {
            return tikaResult(tika.detect(data), data);
        }
        LibMagic.SizeT len = new LibMagic.SizeT(data.length);
        String what = "a buffer of " + data.length + " bytes";
        return withCookie(c -> new MagicResult(
                query(c, LibMagic.MAGIC_NONE, () -> lib.magic_buffer(c, data, len), what),
                query(c, LibMagic.MAGIC_MIME_TYPE, () -> lib.magic_buffer(c, data, len), what),
                query(c, LibMagic.MAGIC_MIME_ENCODING, () -> lib.magic_buffer(c, data, len), what),
                SOURCE_LIBMAGIC));
    }

    /** Frees the native cookies; later calls fail. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Pointer c;
        while ((c = idle.poll()) != null) {
            lib.magic_close(c);
        }
    }

    // ---------------------------------------------------------------------------------------------------

    private interface CookieCall<T> {
        T call(Pointer cookie);
    }

    private interface NativeCall {
        Pointer call();
    }

    private void checkOpen() {
        if (closed) {
            throw new WorkbenchException("FileMagic is closed");
        }
    }

    private <T> T withCookie(CookieCall<T> call) {
        Pointer c = idle.poll();
        if (c == null) {
            c = newCookie(lib);
        }
        try {
            return call.call(c);
        } finally {
            if (closed || !idle.offer(c)) {
                lib.magic_close(c);
            }
        }
    }

    private String query(Pointer cookie, int flags, NativeCall call, String what) {
        if (lib.magic_setflags(cookie, flags) != 0) {
            throw new WorkbenchException("libmagic rejected flags " + flags + ": " + lib.magic_error(cookie));
        }
        Pointer r = call.call();
        if (r == null) {
            throw new WorkbenchException("libmagic could not type " + what + ": " + lib.magic_error(cookie));
        }
        return r.getString(0, StandardCharsets.UTF_8.name());
    }

    private static Pointer newCookie(LibMagic lib) {
        Pointer c = lib.magic_open(LibMagic.MAGIC_NONE);
        if (c == null) {
            throw new WorkbenchException("magic_open failed (out of memory?)");
        }
        if (lib.magic_load(c, null) != 0) {
            String err = lib.magic_error(c);
            lib.magic_close(c);
            throw new WorkbenchException("magic_load could not load the default magic database: " + err);
        }
        return c;
    }

    private static MagicResult tikaResult(String mime, byte[] head) {
        String description = mime;
        try {
            MimeType t = MimeTypes.getDefaultMimeTypes().forName(mime);
            if (t.getDescription() != null && !t.getDescription().isBlank()) {
                description = t.getDescription();
            }
        } catch (MimeTypeException e) {
            // Keep the MIME type itself as description.
        }
        return new MagicResult(description, mime, guessEncoding(head), SOURCE_TIKA);
    }

    /**
     * A rough stand-in for libmagic's encoding answer, using its names: {@code binary} when NUL or most control
     * bytes appear, {@code us-ascii} for 7-bit text, {@code utf-8} for valid UTF-8, else {@code unknown-8bit}.
     */
    static String guessEncoding(byte[] head) {
        if (head.length == 0) {
            return "binary";
        }
        boolean ascii = true;
        for (byte b : head) {
            int v = b & 0xff;
            if (v == 0 || (v < 0x20 && v != '\t' && v != '\n' && v != '\r' && v != '\f' && v != 0x1b) || v == 0x7f) {
                return "binary";
            }
            if (v >= 0x80) {
                ascii = false;
            }
        }
        if (ascii) {
            return "us-ascii";
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(head));
            return "utf-8";
        } catch (CharacterCodingException e) {
            return "unknown-8bit";
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
