package org.workbench.zeeklog;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How {@link ZeekLogWriter} and {@link DirectoryLogSink} write logs. Immutable; start from
 * {@link #defaults()} (Zeek 9's defaults: TSV, UTF-8 on, header on) or {@link #json()}.
 *
 * <p>{@code #open}/{@code #close} stamps are the wall-clock time when the file is opened/closed,
 * formatted {@code YYYY-MM-DD-HH-MM-SS} in the options' zone; Zeek uses the local time zone, which is
 * the default here too ({@link Clock#systemDefaultZone()}).
 */
public final class LogWriterOptions {
    private final LogFormat format;
    private final ZeekTsvFormat tsv;
    private final ZeekJsonFormat json;
    private final boolean includeMeta;
    private final Clock clock;
    private final String fileSuffix;

    private LogWriterOptions(LogFormat format, ZeekTsvFormat tsv, ZeekJsonFormat json, boolean includeMeta,
                             Clock clock, String fileSuffix) {
        this.format = Objects.requireNonNull(format);
        this.tsv = Objects.requireNonNull(tsv);
        this.json = Objects.requireNonNull(json);
        this.includeMeta = includeMeta;
        this.clock = Objects.requireNonNull(clock);
        this.fileSuffix = Objects.requireNonNull(fileSuffix);
    }

    /** TSV with Zeek's default separators, UTF-8 enabled, header and {@code #close} line, local time. */
    public static LogWriterOptions defaults() {
        return new LogWriterOptions(LogFormat.TSV, ZeekTsvFormat.DEFAULT, ZeekJsonFormat.DEFAULT, true,
                Clock.systemDefaultZone(), "log");
    }

    /** JSON lines with Zeek's defaults (epoch timestamps, unset fields omitted). */
    public static LogWriterOptions json() {
        return defaults().withFormat(LogFormat.JSON);
    }

    /** The same options with another output format. */
    public LogWriterOptions withFormat(LogFormat f) {
        return new LogWriterOptions(f, tsv, json, includeMeta, clock, fileSuffix);
    }

    /** Separators, markers and UTF-8 handling for TSV output. */
    public LogWriterOptions withTsv(ZeekTsvFormat t) {
        return new LogWriterOptions(format, t, json, includeMeta, clock, fileSuffix);
    }

    /** JSON settings (unset-field handling). */
    public LogWriterOptions withJson(ZeekJsonFormat j) {
        return new LogWriterOptions(format, tsv, j, includeMeta, clock, fileSuffix);
    }

    /** Zeek's {@code LogAscii::include_meta}: whether TSV files get the header and {@code #close} lines. */
    public LogWriterOptions withIncludeMeta(boolean include) {
        return new LogWriterOptions(format, tsv, json, include, clock, fileSuffix);
    }

    /** The clock (and its zone) for {@code #open}/{@code #close} stamps, e.g. a fixed clock in tests. */
    public LogWriterOptions withClock(Clock c) {
        return new LogWriterOptions(format, tsv, json, includeMeta, c, fileSuffix);
    }

    /** The clock's instant shown in another zone. */
    public LogWriterOptions withZone(ZoneId zone) {
        return withClock(clock.withZone(zone));
    }

    /** File name suffix used by {@link DirectoryLogSink} (Zeek's {@code ZEEK_LOG_SUFFIX}, default {@code log}). */
    public LogWriterOptions withFileSuffix(String suffix) {
        return new LogWriterOptions(format, tsv, json, includeMeta, clock, suffix);
    }

    /** TSV or JSON. */
    public LogFormat format() {
        return format;
    }

    /** TSV separators, markers and UTF-8 handling. */
    public ZeekTsvFormat tsv() {
        return tsv;
    }

    /** JSON settings. */
    public ZeekJsonFormat jsonFormat() {
        return json;
    }

    /** Whether TSV files get header and {@code #close} lines. */
    public boolean includeMeta() {
        return includeMeta;
    }

    /** Clock and zone of {@code #open}/{@code #close} stamps. */
    public Clock clock() {
        return clock;
    }

    /** File name suffix, without dot. */
    public String fileSuffix() {
        return fileSuffix;
    }
}
