package org.workbench.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Receives files that the {@link FileAnalysisManager} extracted. Each file arrives once, when its analysis
 * ends, as a temporary file on disk plus its description; the sink takes ownership of the temporary file
 * (move it into a store, or delete it). When the sink throws, the manager deletes the temporary file.
 */
@FunctionalInterface
public interface ExtractedFileSink {
    /**
     * @param file    what is known of the file (hashes are null when bytes were missing)
     * @param content the temporary file holding the extracted bytes ({@code file.size()} bytes; gaps are
     *                zero-filled)
     * @throws IOException when the sink cannot store the file
     */
    void accept(ExtractedFile file, Path content) throws IOException;

    /** A sink that deletes every extracted file (extraction then only costs disk time). */
    static ExtractedFileSink discarding() {
        return (file, content) -> java.nio.file.Files.deleteIfExists(content);
    }
}
