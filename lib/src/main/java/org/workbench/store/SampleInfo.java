package org.workbench.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * What the store knows about one sample. Stored as JSON next to the sample (keys {@code md5, sha1, sha256,
 * file_size, filename, filenames, type_tag, import_time}).
 *
 * @param md5        lowercase hex MD5 of the bytes: the sample's identity in the store
 * @param sha1       lowercase hex SHA-1 of the bytes
 * @param sha256     lowercase hex SHA-256 of the bytes
 * @param fileSize   size in bytes
 * @param filename   the filename given when the sample was first stored
 * @param filenames  every filename the same bytes were stored under, first one first (never empty)
 * @param typeTag    the type tag given when first stored ({@code pcap}, {@code exe}, {@code pdf}, ...; see
 *                   {@link TypeTags})
 * @param importTime when the sample was first stored (UTC, millisecond precision)
 */
public record SampleInfo(String md5, String sha1, String sha256, long fileSize, String filename,
                         List<String> filenames, String typeTag, Instant importTime) {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Checks that no component is null and copies {@code filenames}. */
    public SampleInfo {
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(sha1, "sha1");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(typeTag, "typeTag");
        Objects.requireNonNull(importTime, "importTime");
        filenames = List.copyOf(filenames);
    }

    /** @return {@link #importTime()} as ISO 8601 UTC with milliseconds, e.g. {@code 2014-02-05T13:37:00.000Z} */
    public String importTimeIso() {
        return formatInstant(importTime);
    }

    /** Formats an instant the way the store records times: ISO 8601, UTC, milliseconds, {@code Z} suffix. */
    public static String formatInstant(Instant t) {
        return ISO_MILLIS.format(t);
    }
}
