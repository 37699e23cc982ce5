package org.workbench.frames;

import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.ZeekLogReader;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.DataReader;
import tech.tablesaw.io.ReadOptions;
import tech.tablesaw.io.ReaderRegistry;
import tech.tablesaw.io.Source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A Tablesaw {@link DataReader} for Zeek logs (TSV or JSON lines), producing tables as
 * {@link ZeekFrames#toTable(LogStream)} does. Tablesaw's CSV options (separators, column types) are
 * ignored: the log's own header decides.
 */
public final class ZeekTableReader implements DataReader<ReadOptions> {
    /** Registers this reader for the {@code log} extension in {@code registry}. */
    public static void register(ReaderRegistry registry) {
        registry.registerExtension("log", new ZeekTableReader());
    }

    /**
     * @throws UncheckedIOException                            when the source cannot be read
     * @throws org.workbench.zeeklog.ZeekLogFormatException when the log is malformed
     */
    @Override
    public Table read(Source source) {
        try {
            if (source.file() != null) {
                return ZeekFrames.read(source.file().toPath());
            }
            InputStream in = source.inputStream();
            if (in == null) {
                Reader r = source.reader();
                StringWriter w = new StringWriter();
                r.transferTo(w);
                in = new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (LogStream s = ZeekLogReader.open(in, "zeek log")) {
                return ZeekFrames.toTable(s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Table read(ReadOptions options) {
        return read(options.source());
    }
}
