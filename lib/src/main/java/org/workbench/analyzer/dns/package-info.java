/**
 * DNS analysis producing Zeek-compatible dns.log rows and DNS weirds.
 *
 * <p>Entry point: {@link org.workbench.analyzer.dns.DnsAnalyzerFactory}, registered with the connection tracker.
 * Per connection, a parser (mirroring Zeek's DNS analyzer: what is parsed, how far, which weirds) reports events
 * to a session logger (mirroring Zeek's {@code base/protocols/dns} script: transaction pairing and the rendering
 * of answers). {@link org.workbench.analyzer.dns.DnsLog} holds the schema, {@link org.workbench.analyzer.dns.DnsNames}
 * Zeek's names for types, classes, response codes and opcodes, {@link org.workbench.analyzer.dns.DnsOptions} the
 * limits.
 */
package org.workbench.analyzer.dns;
