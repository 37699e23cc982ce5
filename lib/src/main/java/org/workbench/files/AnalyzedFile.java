package org.workbench.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.workbench.flow.ConnId;
import org.workbench.zeeklog.LogRecord;

/**
 * One file under analysis, made by {@link FileAnalysisManager#newFile}. Bytes arrive in order through
 * {@link #data}; bytes that were never seen are announced with {@link #gap}. {@link #end} finishes the file and
 * writes its files.log record. Methods never throw on odd input (negative lengths are ignored).
 */
public final class AnalyzedFile {
    private static final HexFormat HEX = HexFormat.of();

    private final FileAnalysisManager mgr;
    private final String fuid;
    private final double ts;
    private final String uid;
    private final ConnId id;
    private final String source;
    private final boolean isOrig;
    private final Boolean localOrig;
    private long depth;
    private String filename;
    private Long totalBytes;
    private String parentFuid;
    String handle; // set by FileAnalysisManager#fileByHandle

    private double lastTs;
    private long seen;
    private long missing;
    private boolean ended;

    private byte[] bof = new byte[256];
    private int bofLen;
    private boolean sniffed;
    private String mimeType;

    private MessageDigest md5;
    private MessageDigest sha1;
    private MessageDigest sha256;

    private boolean extracting;
    private String extractedName;
    private Path tempPath;
    private FileChannel out;
    private long extractedBytes;
    private boolean cutoff;

    AnalyzedFile(FileAnalysisManager mgr, String fuid, double ts, String uid, ConnId id, String source,
                 boolean isOrig, Boolean localOrig) {
        this.mgr = mgr;
        this.fuid = fuid;
        this.ts = ts;
        this.lastTs = ts;
        this.uid = uid;
        this.id = id;
        this.source = source;
        this.isOrig = isOrig;
        this.localOrig = localOrig;
        try {
            md5 = MessageDigest.getInstance("MD5");
            sha1 = MessageDigest.getInstance("SHA-1");
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JVM lacks a standard digest", e);
        }
    }

    /** The file's id ({@code F...}). */
    public String fuid() {
        return fuid;
    }

    String uid() {
        return uid;
    }

    ConnId connId() {
        return id;
    }

    /** The sniffed MIME type, or null while not yet sniffed or when no signature matched. */
    public String mimeType() {
        return mimeType;
    }

    /** The announced file name, or null. */
    public String filename() {
        return filename;
    }

    /** Bytes seen so far. */
    public long seenBytes() {
        return seen;
    }

    /** Bytes announced missing so far. */
    public long missingBytes() {
        return missing;
    }

    /** Whether {@link #end} (or the manager's close) has run. */
    public boolean isEnded() {
        return ended;
    }

    /** Sets the file name the protocol announced (files.log {@code filename}). */
    public void setFilename(String name) {
        this.filename = name;
    }

    /** Sets the announced total size in bytes (files.log {@code total_bytes}), e.g. from Content-Length. */
    public void setTotalBytes(long bytes) {
        if (bytes >= 0) {
            this.totalBytes = bytes;
        }
    }

    /** Sets files.log {@code depth} (e.g. HTTP's MIME entity depth; default 0). */
    public void setDepth(long depth) {
        this.depth = depth;
    }

    /** Sets files.log {@code parent_fuid}, for files found inside other files. */
    public void setParentFuid(String parent) {
        this.parentFuid = parent;
    }

    /**
     * Delivers the next in-order bytes of the file.
     *
     * @param ts time of the packet carrying them, seconds since the epoch
     */
    public void data(double ts, byte[] b, int off, int len) {
        if (ended || len <= 0) {
            return;
        }
        lastTs = Math.max(lastTs, ts);
        seen += len;
        if (missing == 0) {
            md5.update(b, off, len);
            sha1.update(b, off, len);
            sha256.update(b, off, len);
        }
        if (!sniffed) {
            int take = Math.min(len, MimeSniffer.BOF_BUFFER_SIZE - bofLen);
            ensureBof(bofLen + take);
            System.arraycopy(b, off, bof, bofLen, take);
            bofLen += take;
            if (bofLen < MimeSniffer.BOF_BUFFER_SIZE) {
                return;
            }
            sniffNow();
            off += take;
            len -= take;
        }
        if (extracting && len > 0) {
            writeExtract(ByteBuffer.wrap(b, off, len));
        }
    }

    /**
     * Delivers bytes that belong at {@code offset} in the file (a piece of a partial transfer, such as an HTTP
     * 206 response's Content-Range). Bytes after the current end of the file's content first add the bytes in
     * between as missing; bytes before it (already delivered or already counted missing) are dropped.
     *
     * @param ts     time of the packet carrying them, seconds since the epoch
     * @param offset where in the file {@code b[off]} belongs
     */
    public void dataAt(double ts, long offset, byte[] b, int off, int len) {
        if (ended || len <= 0 || offset < 0) {
            return;
        }
        long position = seen + missing;
        if (offset > position) {
            gap(ts, offset - position);
        } else if (offset < position) {
            long skip = position - offset;
            if (skip >= len) {
                return;
            }
            off += (int) skip;
            len -= (int) skip;
        }
        data(ts, b, off, len);
    }

    /**
     * Announces {@code length} bytes of the file that were never seen. The hashes of a file with missing bytes
     * are not computed (as Zeek's hash analyzers stop at a gap); extraction leaves zeros in their place.
     */
    public void gap(double ts, long length) {
        if (ended || length <= 0) {
            return;
        }
        lastTs = Math.max(lastTs, ts);
        if (!sniffed) {
            sniffNow();
        }
        missing += length;
        if (extracting) {
            skipExtract(length);
        }
    }

    /**
     * Ends the file and writes its files.log record; hands the extracted content, if any, to the sink.
     *
     * @param ts time the file ended, seconds since the epoch
     */
    public void end(double ts) {
        finish(ts, false);
    }

    void finish(double endTs, boolean atShutdown) {
        if (ended) {
            return;
        }
        ended = true;
        mgr.ended(this);
        if (!sniffed) {
            sniffNow();
        }
        boolean complete = missing == 0;
        String hMd5 = complete ? HEX.formatHex(md5.digest()) : null;
        String hSha1 = complete ? HEX.formatHex(sha1.digest()) : null;
        String hSha256 = complete ? HEX.formatHex(sha256.digest()) : null;
        boolean timedout = atShutdown && totalBytes != null && seen + missing < totalBytes;

        LogRecord r = new LogRecord(FilesLog.SCHEMA);
        r.set("ts", ts);
        r.set("fuid", fuid);
        r.set("uid", uid);
        if (id != null) {
            r.set("id.orig_h", id.origH());
            r.set("id.orig_p", id.origP());
            r.set("id.resp_h", id.respH());
            r.set("id.resp_p", id.respP());
        }
        r.set("source", source);
        r.set("depth", depth);
        List<String> analyzers = mgr.logsHashes() ? new ArrayList<>(List.of("MD5", "SHA1", "SHA256"))
                : new ArrayList<>();
        if (extractedName != null) {
            analyzers.add("EXTRACT");
        }
        r.set("analyzers", analyzers);
        r.set("mime_type", mimeType);
        r.set("filename", filename);
        r.set("duration", Math.max(0.0, lastTs - ts));
        r.set("local_orig", localOrig);
        r.set("is_orig", isOrig);
        r.set("seen_bytes", seen);
        r.set("total_bytes", totalBytes);
        r.set("missing_bytes", missing);
        r.set("overflow_bytes", 0L);
        r.set("timedout", timedout);
        r.set("parent_fuid", parentFuid);
        if (mgr.logsHashes()) {
            r.set("md5", hMd5);
            r.set("sha1", hSha1);
            r.set("sha256", hSha256);
        }
        if (extractedName != null) {
            r.set("extracted", extractedName);
            r.set("extracted_cutoff", cutoff);
            if (cutoff) {
                r.set("extracted_size", mgr.extractLimitBytes());
            }
        }
        handOver(endTs, hMd5, hSha1, hSha256);
        mgr.sink().write(r);
        bof = null;
    }

    private void handOver(double endTs, String hMd5, String hSha1, String hSha256) {
        if (tempPath == null) {
            return;
        }
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            mgr.weird(endTs, "file_extraction_failed", this, e.getMessage());
        }
        out = null;
        ExtractedFile info = new ExtractedFile(fuid, uid, id, source, isOrig, ts, mimeType, filename,
                extractedName, extractedBytes, missing, cutoff, hMd5, hSha1, hSha256);
        try {
            mgr.extractedSink().accept(info, tempPath);
        } catch (IOException | RuntimeException e) {
            mgr.weird(endTs, "file_extraction_failed", this, String.valueOf(e.getMessage()));
            deleteQuietly(tempPath);
        }
        tempPath = null;
    }

    private void ensureBof(int size) {
        if (size > bof.length) {
            byte[] n = new byte[Math.min(MimeSniffer.BOF_BUFFER_SIZE, Math.max(size, bof.length * 2))];
            System.arraycopy(bof, 0, n, 0, bofLen);
            bof = n;
        }
    }

    private void sniffNow() {
        sniffed = true;
        mimeType = bofLen == 0 ? null : MimeSniffer.sniff(bof, 0, bofLen);
        boolean extract;
        try {
            extract = mgr.policy().shouldExtract(mimeType);
        } catch (RuntimeException e) {
            extract = false;
        }
        if (extract) {
            extractedName = "extract-" + String.format(Locale.ROOT, "%.6f", lastTs) + "-" + source + "-" + fuid;
            try {
                tempPath = mgr.createTempFile(fuid);
                out = FileChannel.open(tempPath, StandardOpenOption.WRITE);
                extracting = true;
            } catch (IOException e) {
                mgr.weird(lastTs, "file_extraction_failed", this, e.getMessage());
                if (tempPath != null) {
                    deleteQuietly(tempPath);
                }
                tempPath = null;
                extracting = false;
            }
        }
        if (extracting && bofLen > 0) {
            writeExtract(ByteBuffer.wrap(bof, 0, bofLen));
        }
        bof = new byte[0];
        bofLen = 0;
    }

    private long room(long want) {
        long limit = mgr.extractLimitBytes();
        if (limit <= 0) {
            return want;
        }
        long left = limit - extractedBytes;
        if (want > left) {
            cutoff = true;
            return Math.max(0, left);
        }
        return want;
    }

    private void writeExtract(ByteBuffer buf) {
        long n = room(buf.remaining());
        if (n < buf.remaining()) {
            buf.limit(buf.position() + (int) n);
        }
        try {
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            extractedBytes += n;
        } catch (IOException e) {
            failExtraction(e);
        }
        if (cutoff) {
            stopExtracting();
        }
    }

    private void skipExtract(long length) {
        long n = room(length);
        extractedBytes += n;
        try {
            // Grow the file so that the zero-filled hole exists even when nothing follows it.
            out.write(ByteBuffer.allocate(0), extractedBytes);
            out.position(extractedBytes);
            if (out.size() < extractedBytes) {
                out.write(ByteBuffer.wrap(new byte[1]), extractedBytes - 1);
                out.position(extractedBytes);
            }
        } catch (IOException e) {
            failExtraction(e);
        }
        if (cutoff) {
            stopExtracting();
        }
    }

    private void stopExtracting() {
        extracting = false;
        try {
            out.close();
        } catch (IOException e) {
            failExtraction(e);
        }
    }

    private void failExtraction(IOException e) {
        mgr.weird(lastTs, "file_extraction_failed", this, e.getMessage());
        extracting = false;
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
        out = null;
        if (tempPath != null) {
            deleteQuietly(tempPath);
        }
        tempPath = null;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
