/**
 * Connections: the {@link org.workbench.flow.ConnectionTracker} groups decoded packets into Zeek-style
 * connections, reassembles TCP streams ({@link org.workbench.flow.TcpReassembler}), runs protocol analyzers
 * ({@link org.workbench.flow.AnalyzerFactory}) and writes conn.log ({@link org.workbench.flow.ConnLog}).
 *
 * <p>Typical use:
 * <pre>{@code
 * LogSink sink = ...;                                   // where conn.log and weird.log records go
 * WeirdLog weirds = new WeirdLog(sink);
 * ConnectionTracker tracker = new ConnectionTracker(TrackerOptions.defaults(), analyzerFactories, sink,
 *         weirds, new UidGenerator(seed));
 * for (DecodedPacket p : packets) {                     // in capture order
 *     tracker.process(p);
 * }
 * tracker.finish();                                     // end of input: remaining connections are logged
 * }</pre>
 */
package org.workbench.flow;
