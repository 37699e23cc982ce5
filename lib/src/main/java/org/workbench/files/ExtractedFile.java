package org.workbench.files;

import org.workbench.flow.ConnId;

/**
 * Description of one extracted file, handed to an {@link ExtractedFileSink}.
 *
 * @param fuid          the file's Zeek id ({@code F...}), as in files.log
 * @param uid           the connection's uid
 * @param id            the connection's endpoints
 * @param source        the protocol that carried the file, e.g. {@code "HTTP"}
 * @param isOrig        whether the connection's originator sent the file
 * @param ts            time the file was first seen, seconds since the epoch
 * @param mimeType      the sniffed MIME type as Zeek names it, or null when unknown
 * @param filename      the file name the protocol announced (e.g. Content-Disposition), or null
 * @param extractedName the name files.log gives in {@code extracted}
 *                      ({@code extract-<time>-<source>-<fuid>})
 * @param size          bytes written to the temporary file, gaps included
 * @param missingBytes  bytes that were never seen (zero-filled in the temporary file)
 * @param cutoff        whether extraction stopped at the size limit before the file ended
 * @param md5           hex MD5 of the whole file, or null when bytes were missing
 * @param sha1          hex SHA-1, or null when bytes were missing
 * @param sha256        hex SHA-256, or null when bytes were missing
 */
public record ExtractedFile(String fuid, String uid, ConnId id, String source, boolean isOrig, double ts,
                            String mimeType, String filename, String extractedName, long size,
                            long missingBytes, boolean cutoff, String md5, String sha1, String sha256) {
}
