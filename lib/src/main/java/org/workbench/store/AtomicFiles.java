package org.workbench.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file writes: content goes to a temporary file in the target's own directory, is forced to disk,
 * and is then renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}. A reader therefore sees
 * either the old file or the complete new one, never a partial one; a crash leaves at most a temporary file
 * whose name starts with {@link #TEMP_PREFIX}.
 */
public final class AtomicFiles {
    /** Name prefix of temporary files; files with it are never samples or results. */
    public static final String TEMP_PREFIX = ".tmp-";

    /** Writes the content of a temporary file. */
    @FunctionalInterface
    public interface Writer {
        /** @param out the temporary file's stream; do not close it */
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Atomically replaces (or creates) {@code target} with {@code data}.
     *
     * @throws IOException when writing or renaming fails; the target is then unchanged
     */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, out -> out.write(data));
    }

    /**
     * Atomically replaces (or creates) {@code target} with whatever {@code writer} writes.
     *
     * @throws IOException when writing or renaming fails; the target is then unchanged and the temporary file
     *                     removed
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, TEMP_PREFIX, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            commit(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Renames a complete temporary file (in the target's directory) over the target and syncs the directory.
     *
     * @throws IOException when the file system cannot rename atomically or the rename fails
     */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + target + " cannot rename atomically", e);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries to disk (best effort: some platforms cannot open directories). */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform allows syncing a directory; the rename itself is still atomic.
        }
    }
}
