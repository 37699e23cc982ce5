/**
 * DHCP analysis in the manner of Zeek's DHCP analyzer with its {@code base/protocols/dhcp} scripts:
 * {@link org.workbench.analyzer.dhcp.DhcpAnalyzerFactory} attaches an analyzer to DHCP connections, which parses
 * BOOTP/DHCP messages ({@link org.workbench.analyzer.dhcp.DhcpParser}, {@link org.workbench.analyzer.dhcp.DhcpMessage})
 * and joins them by transaction id across connections into dhcp.log rows
 * ({@link org.workbench.analyzer.dhcp.DhcpLog}); limits and policy columns are
 * {@link org.workbench.analyzer.dhcp.DhcpAnalyzerOptions}.
 */
package org.workbench.analyzer.dhcp;
