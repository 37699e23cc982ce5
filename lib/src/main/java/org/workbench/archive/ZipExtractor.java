package org.workbench.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.archivers.zip.ZipMethod;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * Lists a ZIP archive (APPNOTE.TXT 6.3; JARs are ZIPs, see the JAR File Specification) and streams every member
 * to a {@link MemberSink}, checking CRCs and the bomb {@link ArchiveLimits}, and opening nested archives up to
 * the depth limit. Member names are reported and used as labels only, never turned into filesystem paths.
 *
 * <p>The archive is read with Apache Commons Compress: first {@link ZipFile} over a {@link SeekableByteChannel}
 * (the central directory: reader {@value #READER_CENTRAL}); when that fails (truncated file, damaged or missing
 * central directory) the local file headers are streamed with {@link ZipArchiveInputStream} (reader
 * {@value #READER_LOCAL}), which lists what precedes the damage.
 *
 * <p>Per member: declared sizes, the CRC-32 of the bytes actually read against the declared one, the encryption
 * flag (general purpose bit 0; encrypted members are listed and skipped, not failed), and members whose data
 * Commons Compress cannot decode (unsupported methods) are skipped likewise. A member that breaks a limit is
 * listed with an {@code error} and not stored; passing {@link ArchiveLimits#maxTotalBytes()} or
 * {@link ArchiveLimits#maxEntries()} stops the whole listing ({@link Listing#truncated()}).
 *
 * <p>Not thread-safe; one instance lists one archive tree.
 */
public final class ZipExtractor {
    /** Reader name: the central directory was read by {@link ZipFile}. */
    public static final String READER_CENTRAL = "central_directory";
    /** Reader name: the local headers were streamed by {@link ZipArchiveInputStream}. */
    public static final String READER_LOCAL = "local_headers";
    /** Largest manifest parsed, bytes. */
    public static final int MAX_MANIFEST_BYTES = 1 << 20;
    /** Most class names listed (all are counted). */
    public static final int MAX_CLASS_NAMES = 10_000;
    /** The JAR manifest's member name (JAR File Specification). */
    public static final String MANIFEST_NAME = "META-INF/MANIFEST.MF";

    /** Where extracted members go. */
    public interface MemberSink {
        /**
         * Stores a member, reading {@code in} to its end (without closing it).
         *
         * @param in      the member's bytes; reading may throw {@link IOException} when a limit is hit
         * @param label   the member's name, for the record only
         * @param typeTag its type tag
         * @return the stored member's MD5
         * @throws Exception when storing fails
         */
        String store(InputStream in, String label, String typeTag) throws Exception;

        /**
         * @param md5 a member stored by {@link #store}
         * @return its file, to open a nested archive
         */
        Path path(String md5);
    }

    /**
     * The listing of an archive tree.
     *
     * @param reader     how the outermost archive was read: {@value #READER_CENTRAL} or {@value #READER_LOCAL}
     * @param entries    every entry listed, nested ones after their container's entry (see {@link #list})
     * @param children   every extracted member: {@code name, md5, size} (bytes), {@code type_tag, parent}
     *                   (the containing archive's MD5), {@code depth, path}
     * @param manifest   main attributes of the outermost archive's {@value #MANIFEST_NAME}, or null
     * @param classNames binary names of the outermost archive's {@code .class} members (first
     *                   {@value #MAX_CLASS_NAMES})
     * @param classCount how many {@code .class} members the outermost archive has
     * @param totalBytes uncompressed bytes read
     * @param truncated  whether a limit stopped the listing early
     * @param errors     problems with the archives themselves (not with single members), in order
     */
    public record Listing(String reader, List<Map<String, Object>> entries, List<Map<String, Object>> children,
                          Map<String, String> manifest, List<String> classNames, int classCount, long totalBytes,
                          boolean truncated, List<String> errors) {
    }

    private final ArchiveLimits limits;
    private final MemberSink sink;
    private final Runnable cancelCheck;

    private long totalBytes;
    private int entryCount;
    private boolean truncated;
    private boolean stopAll;
    private final Set<String> expanded = new HashSet<>();
    private final List<Map<String, Object>> entries = new ArrayList<>();
    private final List<Map<String, Object>> children = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private Map<String, String> manifest;
    private final List<String> classNames = new ArrayList<>();
    private int classCount;
    /** Streaming only: the CRC check of the last member, run once its data descriptor has been read. */
    private Runnable pendingCheck;

    private ZipExtractor(ArchiveLimits limits, MemberSink sink, Runnable cancelCheck) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sink = sink;
        this.cancelCheck = cancelCheck == null ? () -> { } : cancelCheck;
    }

    /**
     * Lists an archive and everything in it.
     *
     * <p>Each entry is a map: {@code name} (as stored), {@code path} (container paths joined by {@code !/} for
     * nested members), {@code depth} (1 for the outermost archive's members), {@code container} (MD5 of the
     * archive holding it), {@code directory}, {@code size} and {@code compressed_size} (declared, bytes, null when
     * unknown), {@code method} (APPNOTE 4.4.5 code) and {@code method_name}, {@code crc} (declared, 8 hex digits,
     * or null), {@code crc_ok} (whether the bytes read match it; null when not read), {@code encrypted},
     * {@code mtime} (ISO 8601, or null), {@code name_issues} (see {@link EntryNames}), {@code extracted},
     * {@code md5}, {@code type_tag}, {@code read_bytes} (uncompressed bytes read), {@code nested} (for archive
     * members: the reader that listed it, {@code depth_limit} or {@code already_listed}; else null),
     * {@code skipped} (why an unread member was not read: {@code encrypted}, or an unsupported method; else null)
     * and {@code error} (what went wrong with this member, or null).
     *
     * @param zip         the archive file
     * @param md5         its MD5 (recorded as the container of its members)
     * @param limits      the bomb limits
     * @param sink        where members go; null to read and check them without storing (then nested archives
     *                    are not opened)
     * @param cancelCheck called between members; may throw to cancel (the exception propagates)
     * @return the listing; problems are in it, never thrown
     */
    public static Listing list(Path zip, String md5, ArchiveLimits limits, MemberSink sink, Runnable cancelCheck) {
        ZipExtractor x = new ZipExtractor(limits, sink, cancelCheck);
        x.expanded.add(md5);
        String reader = x.listArchive(zip, md5, 1, "");
        return new Listing(reader, Collections.unmodifiableList(x.entries),
                Collections.unmodifiableList(x.children), x.manifest, List.copyOf(x.classNames), x.classCount,
                x.totalBytes, x.truncated, List.copyOf(x.errors));
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private String listArchive(Path path, String md5, int depth, String prefix) {
        String where = prefix.isEmpty() ? "" : prefix + ": ";
        SeekableByteChannel ch;
        try {
            ch = Files.newByteChannel(path, StandardOpenOption.READ);
        } catch (IOException e) {
            errors.add(where + "cannot read the archive: " + describe(e));
            return null;
        }
        ZipFile zf;
        try {
            zf = ZipFile.builder().setSeekableByteChannel(ch).get();
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            errors.add(where + "central directory unreadable (" + describe(e)
                    + "); listed by streaming the local file headers");
            listStreaming(path, md5, depth, prefix, where);
            return READER_LOCAL;
        }
        try (zf) {
            Enumeration<ZipArchiveEntry> en = zf.getEntries();
            while (en.hasMoreElements() && !stopAll) {
                cancelCheck.run();
                ZipArchiveEntry e = en.nextElement();
                member(e, () -> zf.getInputStream(e), zf.canReadEntryData(e), depth, md5, prefix, false);
            }
        } catch (IOException e) {
            errors.add(where + "closing the archive: " + describe(e));
        }
        return READER_CENTRAL;
    }

    private void listStreaming(Path path, String md5, int depth, String prefix, String where) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 64 * 1024);
             ZipArchiveInputStream zin = new ZipArchiveInputStream(raw, "UTF-8", true, true, true)) {
            while (!stopAll) {
                cancelCheck.run();
                ZipArchiveEntry e;
                try {
                    e = zin.getNextEntry();
                    runPendingCheck();
                } catch (IOException | RuntimeException ex) {
                    pendingCheck = null;
                    int n = countIn(md5);
                    errors.add(where + (n == 0 ? "no ZIP entries found (" + describe(ex) + ")"
                            : "local headers: stopped at damaged data after " + n + " entries: " + describe(ex)));
                    return;
                }
                if (e == null) {
                    if (countIn(md5) == 0) {
                        errors.add(where + "no ZIP entries found: not a ZIP archive, or damaged at its start");
                    }
                    return;
                }
                if (!member(e, () -> nonClosing(zin), zin.canReadEntryData(e), depth, md5, prefix, true)) {
                    pendingCheck = null;
                    errors.add(where + "local headers: stopped after a damaged or oversized member");
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add(where + "local headers unreadable: " + describe(e));
        }
    }

    private int countIn(String md5) {
        int n = 0;
        for (Map<String, Object> e : entries) {
            if (md5.equals(e.get("container"))) {
                n++;
            }
        }
        return n;
    }

    /** @return whether to go on with the next member of this archive */
    private boolean member(ZipArchiveEntry e, Opener opener, boolean canRead, int depth, String container,
                           String prefix, boolean streaming) {
        if (entryCount >= limits.maxEntries()) {
            truncated = true;
            stopAll = true;
            errors.add("more than max_entries (" + limits.maxEntries() + ") entries: listing stopped");
            return false;
        }
        entryCount++;
        String name = storedName(e);
        String path = prefix.isEmpty() ? name : prefix + "!/" + name;
        long size = e.getSize();
        long csize = e.getCompressedSize();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("path", path);
        m.put("depth", depth);
        m.put("container", container);
        m.put("directory", e.isDirectory());
        m.put("size", size < 0 ? null : size);
        m.put("compressed_size", csize < 0 ? null : csize);
        int method = e.getMethod();
        m.put("method", method < 0 ? null : method);
        m.put("method_name", methodName(method));
        m.put("crc", e.getCrc() < 0 || streaming && usesDescriptor(e) ? null : crcHex(e.getCrc()));
        m.put("crc_ok", null);
        boolean encrypted = e.getGeneralPurposeBit().usesEncryption();
        m.put("encrypted", encrypted);
        long t = e.getTime();
        m.put("mtime", t > 0 ? Instant.ofEpochMilli(t).toString() : null);
        m.put("name_issues", EntryNames.issues(name));
        m.put("extracted", false);
        m.put("md5", null);
        m.put("type_tag", null);
        m.put("read_bytes", null);
        m.put("nested", null);
        m.put("skipped", null);
        m.put("error", null);
        entries.add(m);

        if (e.isDirectory()) {
            return true;
        }
        if (depth == 1 && name.endsWith(".class")) {
            classCount++;
            if (classNames.size() < MAX_CLASS_NAMES) {
                classNames.add(className(name));
            }
        }
        if (encrypted) {
            m.put("skipped", "encrypted");
            return true;
        }
        if (!canRead) {
            m.put("skipped", "unsupported compression method " + methodName(method) + " (" + method + ")");
            return true;
        }
        if (size > limits.maxEntryBytes()) {
            m.put("error", "declared size " + size + " bytes is over max_entry_bytes (" + limits.maxEntryBytes()
                    + "): not extracted");
            return true;
        }
        if (size > ArchiveLimits.RATIO_GRACE_BYTES && csize > 0 && (double) size / csize > limits.maxRatio()) {
            m.put("error", String.format(Locale.ROOT,
                    "declared compression ratio %.0f:1 is over max_ratio (%.0f): not extracted",
                    (double) size / csize, limits.maxRatio()));
            return true;
        }
        if (size > 0 && totalBytes + size > limits.maxTotalBytes()) {
            m.put("error", "declared size " + size + " bytes would pass max_total_bytes (" + limits.maxTotalBytes()
                    + "): listing stopped");
            errors.add("max_total_bytes (" + limits.maxTotalBytes() + ") would be passed by " + path
                    + ": listing stopped");
            truncated = true;
            stopAll = true;
            return false;
        }

        Guard g = null;
        try (InputStream in = opener.open()) {
            g = new Guard(in, in instanceof InputStreamStatistics s ? s : null, csize);
            byte[] head = g.readNBytes(MemberTypes.HEAD_BYTES);
            String tag = MemberTypes.typeTag(head, head.length, name);
            InputStream body = new SequenceInputStream(new ByteArrayInputStream(head), g);
            if (depth == 1 && name.equalsIgnoreCase(MANIFEST_NAME)) {
                byte[] bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
                if (bytes.length <= MAX_MANIFEST_BYTES) {
                    parseManifest(bytes);
                } else {
                    errors.add(MANIFEST_NAME + " is over " + MAX_MANIFEST_BYTES + " bytes: not parsed");
                }
                body = new SequenceInputStream(new ByteArrayInputStream(bytes), body);
            }
            String md5 = null;
            if (sink != null) {
                md5 = sink.store(body, EntryNames.label(name, container + "_member_" + entryCount), tag);
            } else {
                body.transferTo(OutputStream.nullOutputStream());
            }
            m.put("read_bytes", g.count);
            long crcValue = g.crc.getValue();
            long readCount = g.count;
            if (streaming && usesDescriptor(e)) {
                // The CRC and sizes follow the data (APPNOTE 4.3.9): known once the stream moves past it.
                pendingCheck = () -> checkRead(e, m, crcValue, readCount);
            } else {
                checkRead(e, m, crcValue, readCount);
            }
            m.put("type_tag", tag);
            if (md5 == null) {
                return true;
            }
            m.put("extracted", true);
            m.put("md5", md5);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name);
            c.put("md5", md5);
            c.put("size", g.count);
            c.put("type_tag", tag);
            c.put("parent", container);
            c.put("depth", depth);
            c.put("path", path);
            children.add(c);
            if (MemberTypes.isArchive(tag)) {
                if (depth >= limits.maxDepth()) {
                    m.put("nested", "depth_limit");
                } else if (!expanded.add(md5)) {
                    m.put("nested", "already_listed");
                } else {
                    Runnable outerCheck = pendingCheck;
                    pendingCheck = null;
                    m.put("nested", listArchive(sink.path(md5), md5, depth + 1, path));
                    pendingCheck = outerCheck;
                }
            }
            return true;
        } catch (RuntimeException | Error ex) {
            if (g != null && g.tripped != null) {
                return tripped(m, g, streaming);
            }
            if (ex instanceof Error err && !(ex instanceof StackOverflowError)) {
                throw err;
            }
            if (isCancellation(ex)) {
                throw (RuntimeException) ex;
            }
            m.put("error", "unreadable: " + describe(rootCause(ex)));
            return !streaming;
        } catch (Exception ex) {
            if (g != null && g.tripped != null) {
                return tripped(m, g, streaming);
            }
            m.put("error", "unreadable: " + describe(rootCause(ex)));
            if (g != null) {
                m.put("read_bytes", g.count);
            }
            return !streaming;
        }
    }

    private static void checkRead(ZipArchiveEntry e, Map<String, Object> m, long crcValue, long count) {
        long crc = e.getCrc();
        if (crc >= 0) {
            m.put("crc", crcHex(crc));
            m.put("crc_ok", crc == crcValue);
            if (crc != crcValue) {
                m.put("error", "CRC mismatch: declared " + crcHex(crc) + ", data " + crcHex(crcValue));
            }
        }
        if (e.getSize() >= 0) {
            m.put("size", e.getSize());
            if (e.getSize() != count && m.get("error") == null) {
                m.put("error", "declared size " + e.getSize() + " bytes but " + count + " bytes read");
            }
        }
        if (e.getCompressedSize() >= 0) {
            m.put("compressed_size", e.getCompressedSize());
        }
    }

    private void runPendingCheck() {
        Runnable r = pendingCheck;
        pendingCheck = null;
        if (r != null) {
            r.run();
        }
    }

    private boolean tripped(Map<String, Object> m, Guard g, boolean streaming) {
        m.put("error", g.tripped + ": not extracted");
        m.put("read_bytes", g.count);
        if (g.total) {
            truncated = true;
            stopAll = true;
            errors.add("max_total_bytes (" + limits.maxTotalBytes() + ") reached: listing stopped");
            return false;
        }
        // A stream positioned inside an oversized member would have to inflate the rest to go on.
        return !streaming;
    }

    private static boolean isCancellation(Throwable ex) {
        return ex instanceof org.workbench.WorkCancelledException;
    }

    private void parseManifest(byte[] bytes) {
        try {
            Manifest mf = new Manifest(new ByteArrayInputStream(bytes));
            Map<String, String> main = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> a : mf.getMainAttributes().entrySet()) {
                if (main.size() >= 1000) {
                    break;
                }
                main.put(((Attributes.Name) a.getKey()).toString(), String.valueOf(a.getValue()));
            }
            manifest = Collections.unmodifiableMap(main);
        } catch (IOException | RuntimeException e) {
            errors.add(MANIFEST_NAME + " unparseable: " + describe(e));
        }
    }

    /**
     * Counts, checksums and limits the bytes of one member. Limit breaches throw an {@link IOException} and are
     * remembered in {@link #tripped}, since the sample store wraps what reading throws.
     */
    private final class Guard extends InputStream {
        private final InputStream in;
        private final InputStreamStatistics stats;
        private final long declaredCompressed;
        final CRC32 crc = new CRC32();
        long count;
        String tripped;
        boolean total;

        Guard(InputStream in, InputStreamStatistics stats, long declaredCompressed) {
            this.in = in;
            this.stats = stats;
            this.declaredCompressed = declaredCompressed;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (tripped != null) {
                throw new IOException(tripped);
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
                totalBytes += n;
                crc.update(b, off, n);
                check();
            }
            return n;
        }

        private void check() throws IOException {
            if (count > limits.maxEntryBytes()) {
                trip("member inflates past max_entry_bytes (" + limits.maxEntryBytes() + " bytes)", false);
            }
            if (totalBytes > limits.maxTotalBytes()) {
                trip("archive inflates past max_total_bytes (" + limits.maxTotalBytes() + " bytes)", true);
            }
            if (count > ArchiveLimits.RATIO_GRACE_BYTES) {
                long c = stats != null ? stats.getCompressedCount() : declaredCompressed;
                if (c > 0 && (double) count / c > limits.maxRatio()) {
                    trip(String.format(Locale.ROOT, "compression ratio over max_ratio (%.0f): %d bytes from %d",
                            limits.maxRatio(), count, c), false);
                }
            }
        }

        private void trip(String why, boolean isTotal) throws IOException {
            tripped = why;
            total = isTotal;
            throw new IOException(why);
        }

        @Override
        public void close() {
            // the caller closes the member stream
        }
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the archive stream stays open for the next entry
            }
        };
    }

    private static boolean usesDescriptor(ZipArchiveEntry e) {
        return e.getGeneralPurposeBit().usesDataDescriptor();
    }

    /**
     * The name as the header stores it: Commons Compress turns backslashes into slashes for archives made on
     * FAT/DOS systems, which would hide {@code ..\} traversal names; the raw bytes keep them.
     */
    private static String storedName(ZipArchiveEntry e) {
        String name = e.getName();
        byte[] raw = e.getRawName();
        if (raw != null && name != null) {
            String rawName = new String(raw, java.nio.charset.StandardCharsets.UTF_8);
            if (!rawName.equals(name) && rawName.replace('\\', '/').equals(name)) {
                return rawName;
            }
        }
        return name;
    }

    static String className(String member) {
        String n = member.substring(0, member.length() - ".class".length());
        return n.replace('/', '.');
    }

    private static String methodName(int method) {
        if (method < 0) {
            return null;
        }
        ZipMethod m = ZipMethod.getMethodByCode(method);
        return m == null ? "UNKNOWN" : m.name();
    }

    private static String crcHex(long crc) {
        return String.format(Locale.ROOT, "%08x", crc & 0xffffffffL);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t instanceof RuntimeException)) {
            t = t.getCause();
        }
        return t;
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
