/**
 * Zeek-compatible log records and files. Analyzers emit {@link org.workbench.zeeklog.LogRecord}s to a
 * {@link org.workbench.zeeklog.LogSink}: {@link org.workbench.zeeklog.DirectoryLogSink} writes Zeek 9's
 * ASCII TSV or JSON-lines files ({@link org.workbench.zeeklog.ZeekLogWriter},
 * {@link org.workbench.zeeklog.ZeekTsvFormat}, {@link org.workbench.zeeklog.ZeekJsonFormat}),
 * {@link org.workbench.zeeklog.LogCollector} keeps them in memory. {@link org.workbench.zeeklog.ZeekLogReader}
 * streams existing logs (Zeek and Bro 2.x TSV, JSON lines) back as {@link org.workbench.zeeklog.LogStream}s.
 */
package org.workbench.zeeklog;
