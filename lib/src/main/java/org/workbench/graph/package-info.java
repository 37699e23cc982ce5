/**
 * The workbench's property graph. {@link org.workbench.graph.GraphStore} reads and writes through the Neo4j Java
 * driver, to an embedded Neo4j Community database under the workbench home (default) or to a configured server
 * ({@link org.workbench.graph.GraphConfig}); queries return a {@link org.workbench.graph.GraphResult} (a Tablesaw
 * table plus the {@link org.workbench.graph.Graph} and {@link org.workbench.graph.GraphPath paths} the records
 * hold). {@link org.workbench.graph.PcapGraphBuilder} and the {@code pcap_graph} / {@code pcap_http_graph}
 * workers ({@link org.workbench.graph.PcapGraphWorker}) write captures into it.
 */
package org.workbench.graph;
