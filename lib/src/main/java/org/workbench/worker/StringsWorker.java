package org.workbench.worker;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.workbench.InvalidInputException;

/**
 * {@code strings}: runs of printable characters in a sample, like the Unix {@code strings} tool with
 * {@code -e s} (single-byte) and {@code -e l} (16-bit little-endian). Applies to every sample type; no
 * dependencies. The sample is streamed once, in 64 KiB blocks, so memory stays bounded whatever its size.
 *
 * <p>A character is printable when it is ASCII 0x20-0x7e or a tab. An ASCII string is a run of at least
 * {@code min_length} printable bytes; a UTF-16LE string is a run of at least {@code min_length} 2-byte units
 * each a printable ASCII byte followed by 0x00, at even or odd offsets (non-ASCII UTF-16 characters end a run).
 *
 * <p>Result: {@code ascii} and {@code utf16le} (lists of strings in file order, duplicates kept, at most
 * {@code max_strings} each, each cut to {@code max_string_length} characters), {@code ascii_count} and
 * {@code utf16le_count} (how many strings were found, listed or not), {@code truncated} (true when a list
 * was capped) and {@code bytes_scanned}. {@link StringsResult#from(Map)} gives a typed view.
 *
 * <p>Settings: {@code min_length} (characters, default 4, at least 1), {@code max_strings} (per list, default
 * 100000), {@code max_string_length} (characters kept of one string, default 4096).
 */
public final class StringsWorker implements Worker {
    /** The worker's name. */
    public static final String NAME = "strings";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "printable ASCII and UTF-16LE strings";
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public Map<String, Object> defaultConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("min_length", 4);
        c.put("max_strings", 100_000);
        c.put("max_string_length", 4096);
        return c;
    }

    @Override
    public Map<String, Object> execute(WorkerContext ctx) throws IOException {
        int minLength = positive(ctx, "min_length");
        int maxStrings = positive(ctx, "max_strings");
        int maxStringLength = positive(ctx, "max_string_length");
        try (InputStream in = ctx.openSample()) {
            return scan(in, minLength, maxStrings, maxStringLength, ctx::checkCancelled);
        }
    }

    private static int positive(WorkerContext ctx, String key) {
        long v = ctx.config(key, Number.class).longValue();
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new InvalidInputException("setting '" + key + "' of worker '" + NAME
                    + "' must be a positive integer, got " + v);
        }
        return (int) v;
    }

    /**
     * Scans a stream (not closed) for strings; the result has the shape described in the class comment.
     *
     * @param in              the bytes
     * @param minLength       shortest run reported, characters
     * @param maxStrings      most strings listed per kind
     * @param maxStringLength most characters kept of one string
     * @return the result document
     * @throws IOException when reading fails
     */
    public static Map<String, Object> scan(InputStream in, int minLength, int maxStrings, int maxStringLength)
            throws IOException {
        return scan(in, minLength, maxStrings, maxStringLength, () -> { });
    }

    private static Map<String, Object> scan(InputStream in, int minLength, int maxStrings, int maxStringLength,
                                            Runnable checkCancelled) throws IOException {
        Run ascii = new Run(minLength, maxStrings, maxStringLength);
        Run utf16 = new Run(minLength, maxStrings, maxStringLength);
        Run[] byParity = {utf16, new Run(utf16)};
        byte[] buf = new byte[1 << 16];
        long offset = 0;
        int prev = -1;
        int n;
        while ((n = in.read(buf)) > 0) {
            checkCancelled.run();
            for (int i = 0; i < n; i++) {
                int c = buf[i] & 0xff;
                if (printable(c)) {
                    ascii.add(c);
                } else {
                    ascii.end();
                }
                if (prev >= 0) {
                    // the 2-byte unit starting at offset-1 (its parity picks the run it continues)
                    Run r = byParity[(int) ((offset - 1) & 1)];
                    if (c == 0 && printable(prev)) {
                        r.add(prev);
                    } else {
                        r.end();
                    }
                }
                prev = c;
                offset++;
            }
        }
        ascii.end();
        byParity[0].end();
        byParity[1].end();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ascii", ascii.sink.list);
        out.put("utf16le", utf16.sink.list);
        out.put("ascii_count", ascii.sink.count);
        out.put("utf16le_count", utf16.sink.count);
        out.put("truncated", ascii.sink.count > ascii.sink.list.size() || utf16.sink.count > utf16.sink.list.size());
        out.put("bytes_scanned", offset);
        return out;
    }

    private static boolean printable(int c) {
        return (c >= 0x20 && c <= 0x7e) || c == '\t';
    }

    /** Collected strings of one kind. */
    private static final class Sink {
        final List<String> list = new ArrayList<>();
        long count;
    }

    /** One run being built; runs of the same kind share a sink. */
    private static final class Run {
        final int minLength;
        final int maxStrings;
        final int maxStringLength;
        final Sink sink;
        final StringBuilder sb = new StringBuilder();
        long length;

        Run(int minLength, int maxStrings, int maxStringLength) {
            this.minLength = minLength;
            this.maxStrings = maxStrings;
            this.maxStringLength = maxStringLength;
            this.sink = new Sink();
        }

        Run(Run sameKind) {
            this.minLength = sameKind.minLength;
            this.maxStrings = sameKind.maxStrings;
            this.maxStringLength = sameKind.maxStringLength;
            this.sink = sameKind.sink;
        }

        void add(int c) {
            if (sb.length() < maxStringLength) {
                sb.append((char) c);
            }
            length++;
        }

        void end() {
            if (length >= minLength) {
                sink.count++;
                if (sink.list.size() < maxStrings) {
                    sink.list.add(sb.toString());
                }
            }
            sb.setLength(0);
            length = 0;
        }
    }
}
