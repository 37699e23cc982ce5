package org.workbench.archive;

import org.workbench.InvalidInputException;

/**
 * Limits against archive bombs, applied to one archive and everything nested in it together.
 *
 * @param maxTotalBytes  most uncompressed bytes read from all members, nested ones included; when reached the
 *                       listing stops and is marked truncated
 * @param maxEntryBytes  most uncompressed bytes of one member (declared or actually inflated); a larger member is
 *                       listed but not extracted
 * @param maxRatio       highest uncompressed/compressed size ratio of one member, checked on the declared sizes
 *                       and while inflating, once a member has produced more than {@link #RATIO_GRACE_BYTES}
 *                       (deflate peaks near 1032:1 on runs of zeros; ordinary files stay well under 100:1)
 * @param maxEntries     most entries listed, nested ones included
 * @param maxDepth       deepest archive nesting opened: 1 lists the archive only, 2 also the archives inside it, ...
 */
public record ArchiveLimits(long maxTotalBytes, long maxEntryBytes, double maxRatio, int maxEntries,
                            int maxDepth) {
    /** Bytes a member may produce before the compression ratio is checked (1 MiB). */
    public static final long RATIO_GRACE_BYTES = 1024 * 1024;

    /** @throws InvalidInputException when a limit is not positive */
    public ArchiveLimits {
        if (maxTotalBytes <= 0 || maxEntryBytes <= 0 || !(maxRatio > 0) || maxEntries <= 0 || maxDepth <= 0) {
            throw new InvalidInputException("archive limits must be positive: " + maxTotalBytes + ", "
                    + maxEntryBytes + ", " + maxRatio + ", " + maxEntries + ", " + maxDepth);
        }
    }

    /** @return 1 GiB total, 512 MiB per member, ratio 100, 10,000 entries, depth 3 */
    public static ArchiveLimits defaults() {
        return new ArchiveLimits(1L << 30, 512L << 20, 100.0, 10_000, 3);
    }
}
