package org.workbench.hash;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.workbench.WorkbenchException;

/**
 * ssdeep fuzzy hashing with libfuzzy (the library behind the {@code ssdeep} tool; Debian package libfuzzy2,
 * {@code libfuzzy.so.2}) called through JNA, or, when libfuzzy cannot be loaded, with the pure-Java
 * {@link Ssdeep}. Both give the digest {@code ssdeep -b} prints, e.g. {@code 3:iKFSMPn:rJPn} for
 * {@code hello world}; {@link #source()} says which one answers ({@value #SOURCE_LIBFUZZY} or
 * {@value #SOURCE_JAVA}) and {@link #fallbackReason()} why libfuzzy is not used.
 *
 * <p>libfuzzy is probed once, in {@link #open()}: loaded, then asked for the digest of a known input, which must
 * match the Java implementation's; a library that fails either step is not used. Thread-safe; holds no native
 * state, so nothing to close.
 */
public final class FuzzyHasher {
    /** {@link #source()} when libfuzzy answers. */
    public static final String SOURCE_LIBFUZZY = "libfuzzy";
    /** {@link #source()} when the pure-Java implementation answers. */
    public static final String SOURCE_JAVA = "java";
    /** Library names tried by {@link #open()}: the development symlink, then Debian's runtime soname. */
    public static final List<String> DEFAULT_LIBRARY_NAMES = List.of("fuzzy", "libfuzzy.so.2");

    private static final byte[] PROBE = "hello world".getBytes(StandardCharsets.US_ASCII);
    private static final String PROBE_DIGEST = "3:iKFSMPn:rJPn";

    private final LibFuzzy lib;
    private final String fallbackReason;

    private FuzzyHasher(LibFuzzy lib, String fallbackReason) {
        this.lib = lib;
        this.fallbackReason = fallbackReason;
    }

    /**
     * Loads libfuzzy (trying {@link #DEFAULT_LIBRARY_NAMES}), or falls back to the Java implementation.
     *
     * @return a ready instance; never fails for lack of libfuzzy
     */
    public static FuzzyHasher open() {
        return open(DEFAULT_LIBRARY_NAMES);
    }

    /**
     * Loads libfuzzy under the first of the given library names that works, or falls back to Java.
     *
     * @param libraryNames names for JNA's {@code Native.load}; an empty list means "use the Java implementation"
     * @return a ready instance; never fails for lack of libfuzzy
     */
    public static FuzzyHasher open(List<String> libraryNames) {
        List<String> problems = new ArrayList<>();
        for (String name : libraryNames) {
            LibFuzzy lib;
            try {
                lib = Native.load(name, LibFuzzy.class);
            } catch (UnsatisfiedLinkError e) {
                problems.add(name + ": " + firstLine(e.getMessage()));
                continue;
            }
            try {
                String got = callBuf(lib, PROBE);
                if (PROBE_DIGEST.equals(got)) {
                    return new FuzzyHasher(lib, null);
                }
                problems.add(name + ": probe digest " + got + " instead of " + PROBE_DIGEST);
            } catch (WorkbenchException | UnsatisfiedLinkError e) {
                problems.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        String reason = libraryNames.isEmpty() ? "no libfuzzy library names given"
                : "libfuzzy could not be loaded (" + String.join("; ", problems) + ")";
        return new FuzzyHasher(null, reason);
    }

    /** @return whether libfuzzy answers */
    public boolean usesLibfuzzy() {
        return lib != null;
    }

    /** @return {@value #SOURCE_LIBFUZZY} or {@value #SOURCE_JAVA} */
    public String source() {
        return lib != null ? SOURCE_LIBFUZZY : SOURCE_JAVA;
    }

    /** @return why libfuzzy is not used, or null when it is */
    public String fallbackReason() {
        return fallbackReason;
    }

    /**
     * The digest of a file, as {@code ssdeep -b file} prints it (without the file name).
     *
     * @param file a readable file
     * @return {@code blocksize:hash1:hash2}
     * @throws WorkbenchException when the file cannot be read or is too large (over {@link Ssdeep#TOTAL_SIZE_MAX}
     *                            bytes)
     */
    public String hashFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (lib == null) {
            try (InputStream in = Files.newInputStream(file)) {
                return Ssdeep.hash(in);
            } catch (IOException | IllegalStateException e) {
                throw new WorkbenchException("cannot compute the ssdeep digest of " + file + ": " + e, e);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new WorkbenchException("cannot compute the ssdeep digest of " + file + ": not a readable file");
        }
        byte[] result = new byte[Ssdeep.FUZZY_MAX_RESULT];
        int rc = lib.fuzzy_hash_filename(file.toAbsolutePath().toString(), result);
        if (rc != 0) {
            throw new WorkbenchException("libfuzzy could not hash " + file + " (fuzzy_hash_filename returned " + rc
                    + "; unreadable, or larger than " + Ssdeep.TOTAL_SIZE_MAX + " bytes?)");
        }
        return cString(result);
    }

    /**
     * The digest of bytes in memory.
     *
     * @param data bytes
     * @return {@code blocksize:hash1:hash2}
     * @throws WorkbenchException when libfuzzy reports an error
     */
    public String hash(byte[] data) {
        Objects.requireNonNull(data, "data");
        return lib == null ? Ssdeep.hash(data) : callBuf(lib, data);
    }

    private static String callBuf(LibFuzzy lib, byte[] data) {
        byte[] result = new byte[Ssdeep.FUZZY_MAX_RESULT];
        // fuzzy_hash_buf may not accept a NULL buffer; give it one byte of room for empty input.
        byte[] buf = data.length == 0 ? new byte[1] : data;
        int rc = lib.fuzzy_hash_buf(buf, data.length, result);
        if (rc != 0) {
            throw new WorkbenchException("libfuzzy could not hash a buffer of " + data.length
                    + " bytes (fuzzy_hash_buf returned " + rc + ")");
        }
        return cString(result);
    }

    private static String cString(byte[] b) {
        int len = 0;
        while (len < b.length && b[len] != 0) {
            len++;
        }
        return new String(b, 0, len, StandardCharsets.US_ASCII);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not found";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
