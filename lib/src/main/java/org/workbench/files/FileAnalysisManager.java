package org.workbench.files;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.workbench.analysis.WeirdReporter;
import org.workbench.flow.ConnId;
import org.workbench.zeeklog.LogSink;

/**
 * File analysis for one analysis run, in the manner of Zeek's file analysis framework: protocol analyzers open
 * a file per transferred object ({@link #newFile}), feed its bytes and gaps in order, and end it. Every file is
 * typed from its first bytes ({@link MimeSniffer}), hashed with MD5, SHA-1 and SHA-256 (Zeek's
 * {@code hash-all-files} with all three hash analyzers), and, when the {@link ExtractionPolicy} allows its type,
 * streamed to a temporary file that is handed to the {@link ExtractedFileSink} when the file ends. Each ended
 * file becomes one files.log record ({@link FilesLog#SCHEMA}).
 *
 * <p>Memory per open file is bounded: at most {@link MimeSniffer#BOF_BUFFER_SIZE} bytes are held before the
 * type is known, after that bytes go straight to the digests and the extraction file. Not thread-safe: one
 * manager serves one single-threaded analysis.
 */
public final class FileAnalysisManager {
    private final LogSink sink;
    private final WeirdReporter weirds;
    private final Supplier<String> fuids;
    private final ExtractionPolicy policy;
    private final ExtractedFileSink extractedSink;
    private Predicate<InetAddress> localNets = FileAnalysisManager::isPrivateAddress;
    private Path tempDirectory;
    private long extractLimit;
    private boolean logHashes = true;
    private final Set<AnalyzedFile> open = new LinkedHashSet<>();
    private final java.util.Map<String, AnalyzedFile> byHandle = new java.util.HashMap<>();

    /**
     * @param sink          receives one files.log record per ended file
     * @param weirds        receives weirds raised by file analysis (e.g. a failing extraction sink)
     * @param fuids         makes file ids ({@code F} followed by base62 characters, as Zeek's)
     * @param policy        which sniffed types are extracted
     * @param extractedSink receives extracted files
     */
    public FileAnalysisManager(LogSink sink, WeirdReporter weirds, Supplier<String> fuids, ExtractionPolicy policy,
                               ExtractedFileSink extractedSink) {
        this.sink = Objects.requireNonNull(sink);
        this.weirds = Objects.requireNonNull(weirds);
        this.fuids = Objects.requireNonNull(fuids);
        this.policy = Objects.requireNonNull(policy);
        this.extractedSink = Objects.requireNonNull(extractedSink);
    }

    /**
     * Sets which addresses count as local for files.log's {@code local_orig} (Zeek's {@code Site::local_nets}).
     * The default is the private address space (Zeek's {@code Site::private_address_space}, which Zeek treats as
     * local by default): 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16, fc00::/7, fe80::/10, ::1.
     *
     * @return this manager
     */
    public FileAnalysisManager localNets(Predicate<InetAddress> isLocal) {
        this.localNets = Objects.requireNonNull(isLocal);
        return this;
    }

    /** Directory for temporary extraction files (default: the JVM's temporary directory). @return this */
    public FileAnalysisManager tempDirectory(Path dir) {
        this.tempDirectory = dir;
        return this;
    }

    /**
     * Whether files.log lists the MD5, SHA1 and SHA256 analyzers and their hashes (default true, as with Zeek's
     * {@code policy/frameworks/files/hash-all-files}; false as in Zeek's base scripts alone, where
     * {@code analyzers} is empty and the hash fields unset). Hashes are still computed for extracted files.
     *
     * @return this manager
     */
    public FileAnalysisManager logHashes(boolean log) {
        this.logHashes = log;
        return this;
    }

    boolean logsHashes() {
        return logHashes;
    }

    /**
     * Maximum bytes extracted per file, gaps included (Zeek's {@code FileExtract::default_limit}); 0, the default,
     * means unlimited. A file cut off at the limit logs {@code extracted_cutoff=T} and
     * {@code extracted_size=limit}.
     *
     * @return this manager
     */
    public FileAnalysisManager extractLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative extract limit " + bytes);
        }
        this.extractLimit = bytes;
        return this;
    }

    /**
     * Opens a file.
     *
     * @param ts     time the file was first seen, seconds since the epoch
     * @param uid    the carrying connection's uid
     * @param id     the carrying connection's endpoints
     * @param source the analyzer that carried it, as files.log's {@code source} (e.g. {@code "HTTP"})
     * @param isOrig whether the connection's originator sent the file
     * @return the new file; feed it with {@link AnalyzedFile#data}, {@link AnalyzedFile#gap} and end it with
     *     {@link AnalyzedFile#end}
     */
    public AnalyzedFile newFile(double ts, String uid, ConnId id, String source, boolean isOrig) {
        InetAddress sender = id == null ? null : (isOrig ? id.origH() : id.respH());
        Boolean local = sender == null ? null : localNets.test(sender);
        AnalyzedFile f = new AnalyzedFile(this, fuids.get(), ts, uid, id, source, isOrig, local);
        open.add(f);
        return f;
    }

    /**
     * The open file known by {@code handle}, or a new one registered under it. As Zeek's file handles do, this
     * lets pieces of one resource carried by several messages (e.g. the parts of HTTP range responses for one
     * URL) add up to one file with one id. The handle is forgotten when the file ends.
     *
     * @param handle an analyzer-chosen key naming the resource (e.g. direction, client address and URL)
     * @return the file, new or already open
     */
    public AnalyzedFile fileByHandle(String handle, double ts, String uid, ConnId id, String source,
                                     boolean isOrig) {
        AnalyzedFile f = byHandle.get(handle);
        if (f != null && !f.isEnded()) {
            return f;
        }
        f = newFile(ts, uid, id, source, isOrig);
        f.handle = handle;
        byHandle.put(handle, f);
        return f;
    }

    /** Files opened and not yet ended. */
    public int openFiles() {
        return open.size();
    }

    /**
     * Ends every file still open, as at the end of the analysis; files that had not received all their announced
     * bytes are logged with {@code timedout=T}, as Zeek does for files that time out.
     *
     * @param ts the analysis end time, seconds since the epoch
     */
    public void closeAll(double ts) {
        for (AnalyzedFile f : open.toArray(new AnalyzedFile[0])) {
            f.finish(ts, true);
        }
    }

    // --- used by AnalyzedFile ---

    void ended(AnalyzedFile f) {
        open.remove(f);
        if (f.handle != null) {
            byHandle.remove(f.handle, f);
        }
    }

    LogSink sink() {
        return sink;
    }

    ExtractionPolicy policy() {
        return policy;
    }

    ExtractedFileSink extractedSink() {
        return extractedSink;
    }

    long extractLimitBytes() {
        return extractLimit;
    }

    Path createTempFile(String fuid) throws IOException {
        return tempDirectory == null ? Files.createTempFile("wb-extract-" + fuid + "-", ".bin")
                : Files.createTempFile(tempDirectory, "wb-extract-" + fuid + "-", ".bin");
    }

    void weird(double ts, String name, AnalyzedFile f, String addl) {
        try {
            weirds.weird(ts, name, f.uid(), f.connId(), addl, "FILE_ANALYSIS");
        } catch (RuntimeException e) {
            // a failing reporter must not stop analysis
        }
    }

    /**
     * Whether an address is in the private address space as Zeek's {@code Site::private_address_space} lists it.
     */
    public static boolean isPrivateAddress(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 10 || b0 == 127 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)
                    || (b0 == 100 && b1 >= 64 && b1 <= 127) || (b0 == 169 && b1 == 254);
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            return (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b[1] & 0xc0) == 0x80) || a.isLoopbackAddress();
        }
        return false;
    }
}
