package org.workbench.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.workbench.CorruptSampleException;
import org.workbench.InvalidInputException;
import org.workbench.UnknownSampleException;
import org.workbench.WorkbenchException;

/**
 * A durable, content-addressed store of samples (captures, executables, documents, logs, extracted files).
 *
 * <p>Each sample is identified by the MD5 of its bytes; SHA-1 and SHA-256 are recorded too. Storing the same
 * bytes again returns the same MD5 and keeps the first metadata (filename, type tag, import time), only adding
 * the new filename to {@link SampleInfo#filenames()}; the one exception is a first type tag of
 * {@link TypeTags#UNKNOWN}, which a later specific tag replaces (so typing an untyped sample works). Samples of any size are hashed while being copied, never
 * held in memory (except for the {@code byte[]} overload).
 *
 * <p>Layout under the home directory: {@code samples/data/<md5>} holds the bytes and
 * {@code samples/info/<md5>.json} the {@link SampleInfo}. Every file is written to a temporary file in its own
 * directory and renamed into place atomically (see {@link AtomicFiles}), the bytes before the metadata, so a
 * crash never leaves a partial sample: a sample exists once its metadata file exists. Temporary files left by a
 * crash are ignored and removed when a store is opened an hour or more later.
 *
 * <p>Thread-safe, and several stores (or processes) may share one home: metadata updates are serialized by a
 * lock file ({@code samples/.lock}).
 */
public final class SampleStore {
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path home;
    private final Path dataDir;
    private final Path infoDir;
    private final Path lockFile;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock commitLock = new ReentrantLock();

    private SampleStore(Path home) {
        this.home = home;
        this.dataDir = home.resolve("samples").resolve("data");
        this.infoDir = home.resolve("samples").resolve("info");
        this.lockFile = home.resolve("samples").resolve(".lock");
    }

    /**
     * Opens (creating if needed) the store under a workbench home directory.
     *
     * @param home the workbench home; created if absent
     * @throws WorkbenchException when the directories cannot be created
     */
    public static SampleStore openAt(Path home) {
        Objects.requireNonNull(home, "home");
        SampleStore store = new SampleStore(home.toAbsolutePath().normalize());
        try {
            Files.createDirectories(store.dataDir);
            Files.createDirectories(store.infoDir);
        } catch (IOException e) {
            throw new WorkbenchException("cannot create the sample store under " + home + ": " + e, e);
        }
        store.removeStaleTempFiles();
        return store;
    }

    /** @return the workbench home directory this store lives in (absolute) */
    public Path home() {
        return home;
    }

    /**
     * Stores bytes held in memory.
     *
     * @param data     the sample's bytes (may be empty)
     * @param filename the sample's name, e.g. {@code kitchen_boss.pcap}; not blank
     * @param typeTag  the kind of sample, e.g. {@code pcap} (see {@link TypeTags})
     * @return the sample's MD5 (lowercase hex)
     * @throws InvalidInputException when an argument is null or blank or the type tag is malformed
     * @throws WorkbenchException    when writing fails (nothing already stored is affected)
     */
    public String storeSample(byte[] data, String filename, String typeTag) {
        if (data == null) {
            throw new InvalidInputException("sample data is null");
        }
        return storeSample(new ByteArrayInputStream(data), filename, typeTag);
    }

    /**
     * Stores a file, streaming and hashing it; its file name becomes the sample's filename.
     *
     * @param file    a readable regular file of any size
     * @param typeTag the kind of sample (see {@link TypeTags})
     * @return the sample's MD5 (lowercase hex)
     * @throws InvalidInputException when the path is null, not a regular file, or the type tag is malformed
     * @throws WorkbenchException    when reading or writing fails
     */
    public String storeSample(Path file, String typeTag) {
        if (file == null) {
            throw new InvalidInputException("sample path is null");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("not a readable regular file: " + file);
        }
        Path name = file.getFileName();
        checkArguments(name == null ? null : name.toString(), typeTag);
        try (InputStream in = Files.newInputStream(file)) {
            return storeSample(in, name.toString(), typeTag);
        } catch (IOException e) {
            throw new WorkbenchException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * Stores everything an input stream delivers, streaming and hashing it without holding it in memory. The
     * stream is read to its end but not closed.
     *
     * @param in       the sample's bytes
     * @param filename the sample's name; not blank
     * @param typeTag  the kind of sample (see {@link TypeTags})
     * @return the sample's MD5 (lowercase hex)
     * @throws InvalidInputException when an argument is null or blank or the type tag is malformed
     * @throws WorkbenchException    when reading or writing fails; no partial sample is left behind
     */
    public String storeSample(InputStream in, String filename, String typeTag) {
        if (in == null) {
            throw new InvalidInputException("sample stream is null");
        }
        checkArguments(filename, typeTag);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dataDir, AtomicFiles.TEMP_PREFIX, ".tmp");
            Digests digests = new Digests();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                byte[] buf = new byte[BUFFER_SIZE];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    digests.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
                out.flush();
                ch.force(true);
            }
            Digests.Result hashes = digests.finish();
            commit(tmp, hashes, filename, typeTag);
            return hashes.md5();
        } catch (IOException e) {
            throw new WorkbenchException("cannot store sample '" + filename + "' under " + home + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // Left for the stale-temp cleanup of a later open.
                }
            }
        }
    }

    /**
     * @param md5 an MD5 in hex (either case)
     * @return whether a sample with that MD5 is stored
     * @throws InvalidInputException when {@code md5} is not 32 hex digits
     */
    public boolean has(String md5) {
        String m = checkMd5(md5);
        return Files.isRegularFile(infoPath(m)) && Files.isRegularFile(dataPath(m));
    }

    /**
     * @param md5 an MD5 in hex (either case)
     * @return the sample's metadata
     * @throws InvalidInputException   when {@code md5} is not 32 hex digits
     * @throws UnknownSampleException  when no such sample is stored
     * @throws WorkbenchException      when the metadata file cannot be read or parsed
     */
    public SampleInfo info(String md5) {
        String m = checkMd5(md5);
        SampleInfo info = readInfo(m);
        if (info == null || !Files.isRegularFile(dataPath(m))) {
            throw new UnknownSampleException(m);
        }
        return info;
    }

    /**
     * Opens a stored sample for reading. The size is checked now and the MD5 when the stream reaches its end:
     * a damaged sample raises {@link CorruptSampleException} (naming the MD5 and the path) at the latest there.
     *
     * @param md5 an MD5 in hex (either case)
     * @return a stream of the sample's bytes; the caller closes it
     * @throws InvalidInputException  when {@code md5} is not 32 hex digits
     * @throws UnknownSampleException when no such sample is stored
     * @throws CorruptSampleException when the file's size differs from the recorded one
     */
    public InputStream open(String md5) {
        SampleInfo info = info(md5);
        Path p = dataPath(info.md5());
        try {
            checkSize(info, p);
            return new VerifyingInputStream(Files.newInputStream(p), info.md5(), p);
        } catch (NoSuchFileException e) {
            throw new UnknownSampleException(info.md5());
        } catch (IOException e) {
            throw new WorkbenchException("cannot read sample " + info.md5() + " at " + p + ": " + e, e);
        }
    }

    /**
     * Reads a whole stored sample into memory, verifying its MD5.
     *
     * @param md5 an MD5 in hex (either case)
     * @return the sample's bytes
     * @throws UnknownSampleException  when no such sample is stored
     * @throws CorruptSampleException  when the bytes no longer match the MD5
     * @throws InvalidInputException   when the sample is larger than a Java array can hold (2 GiB)
     */
    public byte[] bytes(String md5) {
        SampleInfo info = info(md5);
        if (info.fileSize() > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("sample " + info.md5() + " is " + info.fileSize()
                    + " bytes, too large for one array; read it with open(md5)");
        }
        try (InputStream in = open(info.md5())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new WorkbenchException("cannot read sample " + info.md5() + ": " + e, e);
        }
    }

    /**
     * Reads a stored sample to its end and checks its size and MD5.
     *
     * @param md5 an MD5 in hex (either case)
     * @throws UnknownSampleException when no such sample is stored
     * @throws CorruptSampleException when the bytes no longer match
     */
    public void verify(String md5) {
        try (InputStream in = open(md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new WorkbenchException("cannot read sample " + md5 + ": " + e, e);
        }
    }

    /**
     * The file holding a sample's bytes, for tools that need a path (libpcap, libmagic). The file must be
     * treated as read-only; its content is not verified by this call (use {@link #verify(String)}).
     *
     * @param md5 an MD5 in hex (either case)
     * @return the absolute path of the sample's bytes
     * @throws UnknownSampleException when no such sample is stored
     */
    public Path path(String md5) {
        return dataPath(info(md5).md5());
    }

    /**
     * Whether a stored sample's first bytes satisfy a test: how workers recognise samples by magic number whatever
     * their type tag. Reads at most {@code max} bytes (fewer when the sample is shorter); an unknown sample or a
     * read failure counts as no match.
     *
     * @param md5  the sample's MD5
     * @param max  how many leading bytes the test needs
     * @param test the test on those bytes
     * @return the test's answer, or false when the bytes cannot be read
     */
    public boolean headMatches(String md5, int max, java.util.function.Predicate<byte[]> test) {
        try (InputStream in = Files.newInputStream(path(md5))) {
            return test.test(in.readNBytes(max));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @return every stored sample, oldest import first (ties by MD5)
     * @throws WorkbenchException when the store cannot be listed
     */
    public List<SampleInfo> list() {
        List<SampleInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(infoDir, "*.json")) {
            for (Path p : dir) {
                String name = p.getFileName().toString();
                String m = name.substring(0, name.length() - ".json".length());
                if (!MD5.matcher(m).matches()) {
                    continue;
                }
                SampleInfo info = readInfo(m);
                if (info != null && Files.isRegularFile(dataPath(m))) {
                    out.add(info);
                }
            }
        } catch (IOException e) {
            throw new WorkbenchException("cannot list the samples in " + infoDir + ": " + e, e);
        }
        out.sort(Comparator.comparing(SampleInfo::importTime).thenComparing(SampleInfo::md5));
        return out;
    }

    /**
     * Checks MD5 syntax and normalizes it.
     *
     * @param md5 a candidate MD5
     * @return the MD5 in lowercase
     * @throws InvalidInputException when it is null or not 32 hex digits
     */
    public static String checkMd5(String md5) {
        if (md5 == null) {
            throw new InvalidInputException("md5 is null");
        }
        String m = md5.strip().toLowerCase(Locale.ROOT);
        if (!MD5.matcher(m).matches()) {
            throw new InvalidInputException("not an md5 (32 hex digits): '" + md5 + "'");
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------------

    private static void checkArguments(String filename, String typeTag) {
        if (filename == null || filename.isBlank()) {
            throw new InvalidInputException("a sample needs a filename (got " + (filename == null ? "null" : "'"
                    + filename + "'") + ")");
        }
        if (typeTag == null || !TypeTags.SYNTAX.matcher(typeTag).matches()) {
            throw new InvalidInputException("bad type tag " + (typeTag == null ? "null" : "'" + typeTag + "'")
                    + ": expected lowercase letters, digits and '_' (e.g. pcap, exe, pdf, zeek_log)");
        }
    }

    private Path dataPath(String md5) {
        return dataDir.resolve(md5);
    }

    private Path infoPath(String md5) {
        return infoDir.resolve(md5 + ".json");
    }

    private static void checkSize(SampleInfo info, Path p) throws IOException {
        long size = Files.size(p);
        if (size != info.fileSize()) {
            throw new CorruptSampleException(info.md5(), p,
                    "its size is " + size + " bytes, " + info.fileSize() + " were stored");
        }
    }

    /** Moves a complete, hashed temporary file into place and records or updates its metadata. */
    private void commit(Path tmp, Digests.Result hashes, String filename, String typeTag) throws IOException {
        String md5 = hashes.md5();
        withStoreLock(() -> {
            SampleInfo existing = readInfo(md5);
            Path data = dataPath(md5);
            if (existing == null || !Files.isRegularFile(data) || Files.size(data) != hashes.size()) {
                // New sample, bytes missing after a crash, or a truncated copy: put the fresh bytes in place
                // (before the metadata, so the sample is never visible without its bytes).
                AtomicFiles.commit(tmp, data);
            }
            if (existing == null) {
                writeInfo(new SampleInfo(md5, hashes.sha1(), hashes.sha256(), hashes.size(), filename,
                        List.of(filename), typeTag, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            } else {
                boolean newName = !existing.filenames().contains(filename);
                boolean typed = existing.typeTag().equals(TypeTags.UNKNOWN) && !typeTag.equals(TypeTags.UNKNOWN);
                if (newName || typed) {
                    List<String> names = new ArrayList<>(existing.filenames());
                    if (newName) {
                        names.add(filename);
                    }
                    writeInfo(new SampleInfo(existing.md5(), existing.sha1(), existing.sha256(), existing.fileSize(),
                            existing.filename(), names, typed ? typeTag : existing.typeTag(), existing.importTime()));
                }
            }
        });
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /** Runs an action while holding this store's lock and the home's lock file (for other stores/processes). */
    private void withStoreLock(IoAction action) throws IOException {
        commitLock.lock();
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = null;
            while (lock == null) {
                try {
                    lock = ch.lock();
                } catch (OverlappingFileLockException e) {
                    // Another store object in this JVM holds it: wait briefly and retry.
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the store lock", ie);
                    }
                }
            }
            try {
                action.run();
            } finally {
                lock.release();
            }
        } finally {
            commitLock.unlock();
        }
    }

    private void writeInfo(SampleInfo info) throws IOException {
        ObjectNode n = json.createObjectNode();
        n.put("md5", info.md5());
        n.put("sha1", info.sha1());
        n.put("sha256", info.sha256());
        n.put("file_size", info.fileSize());
        n.put("filename", info.filename());
        ArrayNode names = n.putArray("filenames");
        info.filenames().forEach(names::add);
        n.put("type_tag", info.typeTag());
        n.put("import_time", info.importTimeIso());
        AtomicFiles.write(infoPath(info.md5()), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    }

    /** @return the metadata, or null when there is no metadata file */
    private SampleInfo readInfo(String md5) {
        Path p = infoPath(md5);
        JsonNode n;
        try {
            n = json.readTree(p.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            if (!Files.exists(p)) {
                return null;
            }
            // java.io reports any failure to open as FileNotFoundException: an existing file is not "no sample"
            try {
                n = json.readTree(p.toFile());
            } catch (IOException again) {
                throw new WorkbenchException("cannot read the metadata of sample " + md5 + " at " + p + ": "
                        + again, again);
            }
        } catch (IOException e) {
            throw new WorkbenchException("cannot read the metadata of sample " + md5 + " at " + p + ": " + e, e);
        }
        try {
            List<String> names = new ArrayList<>();
            n.path("filenames").forEach(x -> names.add(x.asText()));
            String filename = text(n, "filename");
            if (names.isEmpty()) {
                names.add(filename);
            }
            SampleInfo info = new SampleInfo(text(n, "md5"), text(n, "sha1"), text(n, "sha256"),
                    n.required("file_size").asLong(), filename, names, text(n, "type_tag"),
                    Instant.parse(text(n, "import_time")));
            if (!info.md5().equals(md5)) {
                throw new IllegalArgumentException("it names md5 " + info.md5());
            }
            return info;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new WorkbenchException("damaged metadata of sample " + md5 + " at " + p + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    private void removeStaleTempFiles() {
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP_AGE));
        for (Path dir : List.of(dataDir, infoDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, AtomicFiles.TEMP_PREFIX + "*")) {
                for (Path p : ds) {
                    try {
                        if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                            Files.deleteIfExists(p);
                        }
                    } catch (IOException e) {
                        // Another process may have removed it; ignore.
                    }
                }
            } catch (IOException e) {
                // Cleanup is best effort; temporary files are never mistaken for samples.
            }
        }
    }
}
