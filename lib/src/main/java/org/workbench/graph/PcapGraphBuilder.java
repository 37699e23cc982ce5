package org.workbench.graph;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.workbench.WorkCancelledException;
import org.workbench.WorkbenchException;
import org.workbench.store.SampleInfo;
import org.workbench.store.SampleStore;
import org.workbench.zeeklog.LogRecord;
import org.workbench.zeeklog.LogStream;
import org.workbench.zeeklog.ZeekLogReader;

/**
 * Writes the graph of one capture from its Zeek logs (the {@code pcap_zeek} result's {@code conn_log},
 * {@code dns_log}, {@code http_log}, {@code files_log} and {@code weird_log} samples and its
 * {@code extracted_files}) into a {@link GraphStore}.
 *
 * <p>Nodes (labels, key property):
 * <ul>
 *   <li>{@code host} ({@code name}: the IP address as Zeek writes it); the capture's clients (originators of
 *       conn.log connections; for the HTTP-only graph, of http.log requests) also carry {@code origin};</li>
 *   <li>{@code domain} ({@code name}: a DNS query name or HTTP {@code Host} value, lower case, without a
 *       trailing dot or {@code :port});</li>
 *   <li>{@code file}: each file {@code pcap_zeek} extracted and stored (its {@code extracted_files}: by default
 *       the executables and containers), joined to its files.log line by {@code fuid}; {@code md5} is the stored
 *       sample's MD5 (so a node leads to the sample), {@code mime_type} Zeek's MIME type, {@code size} the stored
 *       size in bytes; also {@code small} when the size is under {@value #SMALL_FILE_BYTES} bytes and
 *       {@code missing} when files.log reports {@code missing_bytes} &gt; 0. Other files (pages, scripts,
 *       images) are not nodes.</li>
 * </ul>
 * Relationships: {@code (host)-[:DNS_QUERY]->(domain)} (dns.log originator and query);
 * {@code (domain)-[:RESOLVES_TO {qtype}]->(host)} for each address answer of an A or AAAA query (from the queried
 * name); {@code (domain)-[:CNAME]->(domain)} along the chain of name answers of an A, AAAA or CNAME query;
 * {@code (host)-[:HTTP_REQUEST {method, uri, status}]->(domain)} (http.log; {@code status} is 0 when no reply was
 * seen; requests without a Host header are left out); {@code (domain)-[:SERVED_BY]->(host)} (the server
 * address of those requests); {@code (host)-[:SENT_FILE]->(file)-[:RECEIVED_BY]->(host)} (files.log; the sender
 * is the responder unless {@code is_orig} is true); {@code (host)-[:CONNECTED {service, proto}]->(host)}
 * (conn.log; {@code service} {@code "-"} when Zeek found none); {@code (host)-[:WEIRD {names}]->(host)} for each
 * originator/responder pair of weird.log, {@code names} the weird names seen (each once). The HTTP-only variant writes
 * hosts, domains, files, {@code HTTP_REQUEST}, {@code SERVED_BY}, {@code SENT_FILE} and {@code RECEIVED_BY} from
 * http.log and the HTTP files of files.log.
 *
 * <p>Every node and relationship gets a {@code captures} list holding the MD5 of each capture it came from, so
 * several captures share one graph. Writes use {@code UNWIND} batches and {@code MERGE}, so building the same
 * capture again changes nothing (and a second capture adds to the graph without removing anything). Uniqueness
 * constraints on {@code host.name}, {@code domain.name} and {@code file.md5} are created if absent. Builds into
 * one store are serialised.
 */
public final class PcapGraphBuilder {
    /** Files under this size (bytes) carry the label {@code small}: 50 KiB. */
    public static final long SMALL_FILE_BYTES = 50L * 1024;
    /** Rows per write transaction. */
    public static final int BATCH_ROWS = 2000;

    private static final String CAPTURES = " SET %1$s.captures = CASE WHEN %1$s.captures IS NULL THEN [$capture]"
            + " WHEN $capture IN %1$s.captures THEN %1$s.captures ELSE %1$s.captures + $capture END";

    private final boolean httpOnly;

    private PcapGraphBuilder(boolean httpOnly) {
        this.httpOnly = httpOnly;
    }

    /** @return the builder of the whole graph (DNS, HTTP, files, connections, weirds) */
    public static PcapGraphBuilder full() {
        return new PcapGraphBuilder(false);
    }

    /** @return the builder of the HTTP graph only (hosts, domains, HTTP requests, files sent over HTTP) */
    public static PcapGraphBuilder httpOnly() {
        return new PcapGraphBuilder(true);
    }

    /** @return whether this builder writes the HTTP graph only */
    public boolean isHttpOnly() {
        return httpOnly;
    }

    /** What one capture contributes, gathered from its logs before writing. */
    private static final class Parts {
        final Map<String, Boolean> hosts = new LinkedHashMap<>();
        final Set<String> domains = new LinkedHashSet<>();
        final Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        final Map<String, Map<String, Map<String, Object>>> rels = new LinkedHashMap<>();

        void host(String ip, boolean origin) {
            hosts.merge(ip, origin, Boolean::logicalOr);
        }

        void rel(String type, Map<String, Object> row) {
            rels.computeIfAbsent(type, t -> new LinkedHashMap<>()).putIfAbsent(row.toString(), row);
        }
    }

    /**
     * Reads the capture's logs and writes its graph.
     *
     * @param graph the graph store to write into
     * @param samples the sample store holding the log samples
     * @param captureMd5 the capture's MD5 (recorded in every {@code captures} list)
     * @param zeekResult the capture's {@code pcap_zeek} result (log handles {@code conn_log}, {@code dns_log}, ...);
     *                   a missing log counts as empty
     * @param cancelled checked between logs and batches
     * @return {@code capture}, {@code graph} (the store's URI), {@code nodes} and {@code relationships} (distinct
     *         elements this capture has, by label/type in {@code node_counts} and {@code relationship_counts}),
     *         {@code nodes_created} and {@code relationships_created} (new in the graph), {@code seconds} taken
     * @throws WorkbenchException when a log cannot be read; {@link GraphQueryException} or
     *         {@link GraphUnavailableException} when writing fails; {@link WorkCancelledException} when cancelled
     */
    public Map<String, Object> build(GraphStore graph, SampleStore samples, String captureMd5,
            Map<String, ?> zeekResult, BooleanSupplier cancelled) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(captureMd5, "captureMd5");
        long t0 = System.nanoTime();
        Parts p = new Parts();
        if (!httpOnly) {
            read(samples, zeekResult, "conn_log", cancelled, r -> conn(p, r));
            read(samples, zeekResult, "dns_log", cancelled, r -> dns(p, r));
        }
        read(samples, zeekResult, "http_log", cancelled, r -> http(p, r));
        Map<String, Map<?, ?>> extracted = new LinkedHashMap<>();
        if (zeekResult.get("extracted_files") instanceof List<?> xs) {
            for (Object o : xs) {
                if (o instanceof Map<?, ?> x && x.get("fuid") instanceof String fuid) {
                    extracted.put(fuid, x);
                }
            }
        }
        read(samples, zeekResult, "files_log", cancelled, r -> file(p, r, extracted));
        if (!httpOnly) {
            read(samples, zeekResult, "weird_log", cancelled, r -> weird(p, r));
        }
        WriteCounts written;
        synchronized (graph) {
            written = write(graph, p, captureMd5, cancelled);
        }
        Map<String, Object> nodeCounts = new LinkedHashMap<>();
        nodeCounts.put("host", p.hosts.size());
        nodeCounts.put("domain", p.domains.size());
        nodeCounts.put("file", p.files.size());
        Map<String, Object> relCounts = new LinkedHashMap<>();
        long rels = 0;
        for (Map.Entry<String, Map<String, Map<String, Object>>> e : p.rels.entrySet()) {
            relCounts.put(e.getKey(), e.getValue().size());
            rels += e.getValue().size();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("capture", captureMd5);
        out.put("graph", graph.uri());
        out.put("nodes", p.hosts.size() + p.domains.size() + p.files.size());
        out.put("relationships", rels);
        out.put("node_counts", nodeCounts);
        out.put("relationship_counts", relCounts);
        out.put("nodes_created", written.nodesCreated());
        out.put("relationships_created", written.relationshipsCreated());
        out.put("seconds", Math.round((System.nanoTime() - t0) / 1e6) / 1e3);
        return out;
    }

    // ---- reading the logs --------------------------------------------------------------------------------

    private static void read(SampleStore samples, Map<String, ?> zeek, String key, BooleanSupplier cancelled,
            Consumer<LogRecord> each) {
        check(cancelled);
        Object md5 = zeek.get(key);
        if (!(md5 instanceof String m)) {
            return;
        }
        SampleInfo info = samples.info(m);
        try (LogStream s = ZeekLogReader.open(samples.open(m), info.filename())) {
            for (LogRecord r : s) {
                each.accept(r);
            }
        } catch (IOException e) {
            throw new WorkbenchException("cannot read " + key + " sample " + m + ": " + e.getMessage(), e);
        }
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new WorkCancelledException("building the graph was cancelled");
        }
    }

    private void conn(Parts p, LogRecord r) {
        String a = addr(r.get("id.orig_h"));
        String b = addr(r.get("id.resp_h"));
        if (a == null || b == null) {
            return;
        }
        p.host(a, true);
        p.host(b, false);
        p.rel("CONNECTED", row("a", a, "b", b, "service", text(r.get("service"), "-"),
                "proto", text(r.get("proto"), "-")));
    }

    private void dns(Parts p, LogRecord r) {
        String client = addr(r.get("id.orig_h"));
        String query = domain(r.get("query"));
        if (client == null || query == null) {
            return;
        }
        p.host(client, false);
        p.domains.add(query);
        p.rel("DNS_QUERY", row("a", client, "b", query));
        String qtype = text(r.get("qtype_name"), "-");
        boolean address = qtype.equals("A") || qtype.equals("AAAA");
        if (!(r.get("answers") instanceof List<?> answers) || !(address || qtype.equals("CNAME"))) {
            return;
        }
        String prev = query;
        for (Object o : answers) {
            String ans = o == null ? null : o.toString().strip();
            if (ans == null || ans.isEmpty()) {
                continue;
            }
            if (InetAddresses.isInetAddress(ans)) {
                if (address) {
                    String ip = InetAddresses.toAddrString(InetAddresses.forString(ans));
                    p.host(ip, false);
                    p.rel("RESOLVES_TO", row("a", query, "b", ip, "qtype", qtype));
                }
            } else {
                String name = domain(ans);
                if (name != null && !name.equals(prev)) {
                    p.domains.add(name);
                    p.rel("CNAME", row("a", prev, "b", name));
                    prev = name;
                }
            }
        }
    }

    private void http(Parts p, LogRecord r) {
        String client = addr(r.get("id.orig_h"));
        String server = addr(r.get("id.resp_h"));
        if (client == null || server == null) {
            return;
        }
        p.host(client, httpOnly);
        p.host(server, false);
        String host = hostHeader(r.get("host"));
        if (host == null) {
            return;
        }
        p.domains.add(host);
        Object status = r.get("status_code");
        p.rel("HTTP_REQUEST", row("a", client, "b", host, "method", text(r.get("method"), "-"),
                "uri", text(r.get("uri"), ""), "status", status instanceof Number n ? n.longValue() : 0L));
        p.rel("SERVED_BY", row("a", host, "b", server));
    }

    private void file(Parts p, LogRecord r, Map<String, Map<?, ?>> extracted) {
        Map<?, ?> x = r.get("fuid") instanceof String fuid ? extracted.get(fuid) : null;
        String orig = addr(r.get("id.orig_h"));
        String resp = addr(r.get("id.resp_h"));
        if (x == null || !(x.get("md5") instanceof String md5) || orig == null || resp == null) {
            return;
        }
        if (httpOnly && !"HTTP".equalsIgnoreCase(text(r.get("source"), ""))) {
            return;
        }
        boolean upload = Boolean.TRUE.equals(r.get("is_orig"));
        String sender = upload ? orig : resp;
        String receiver = upload ? resp : orig;
        long size = x.get("file_size") instanceof Number n ? n.longValue() : 0L;
        boolean missing = r.get("missing_bytes") instanceof Number n && n.longValue() > 0
                || x.get("missing_bytes") instanceof Number m && m.longValue() > 0;
        Object mime = x.get("zeek_mime_type") instanceof String z ? z : r.get("mime_type");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("md5", md5);
        f.put("mime_type", mime instanceof String ms ? ms : null);
        f.put("size", size);
        f.put("small", size < SMALL_FILE_BYTES);
        f.put("missing", missing);
        p.files.merge(md5, f, (old, nu) -> {
            old.put("missing", (Boolean) old.get("missing") || missing);
            return old;
        });
        p.host(sender, false);
        p.host(receiver, false);
        p.rel("SENT_FILE", row("a", sender, "b", md5));
        p.rel("RECEIVED_BY", row("a", md5, "b", receiver));
    }

    private void weird(Parts p, LogRecord r) {
        String a = addr(r.get("id.orig_h"));
        String b = addr(r.get("id.resp_h"));
        String name = text(r.get("name"), null);
        if (a == null || b == null || name == null) {
            return;
        }
        p.host(a, false);
        p.host(b, false);
        Map<String, Map<String, Object>> weirds = p.rels.computeIfAbsent("WEIRD", t -> new LinkedHashMap<>());
        Map<String, Object> row = weirds.computeIfAbsent(a + " " + b, k -> row("a", a, "b", b, "names",
                new ArrayList<String>()));
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) row.get("names");
        if (!names.contains(name)) {
            names.add(name);
            names.sort(null);
        }
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** An address field as Zeek writes it, or null. */
    static String addr(Object v) {
        if (v instanceof InetAddress a) {
            return InetAddresses.toAddrString(a);
        }
        if (v instanceof String s && !s.isBlank()) {
            return InetAddresses.isInetAddress(s) ? InetAddresses.toAddrString(InetAddresses.forString(s)) : s;
        }
        return null;
    }

    private static String text(Object v, String dflt) {
        if (v == null) {
            return dflt;
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? dflt : String.join(",", l.stream().map(String::valueOf).toList());
        }
        String s = v.toString();
        return s.isEmpty() ? dflt : s;
    }

    /** A DNS name: lower case, no trailing dot; null when empty. */
    static String domain(Object v) {
        if (!(v instanceof String s)) {
            return null;
        }
        String d = s.strip().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d;
    }

    /** An HTTP Host value without its port ({@code [v6]:port} and {@code name:port}); null when absent. */
    static String hostHeader(Object v) {
        String d = domain(v);
        if (d == null) {
            return null;
        }
        if (d.startsWith("[")) {
            int close = d.indexOf(']');
            return close > 1 ? d.substring(1, close) : d;
        }
        int colon = d.lastIndexOf(':');
        if (colon > 0 && d.indexOf(':') == colon && d.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            d = d.substring(0, colon);
        }
        return d.isEmpty() ? null : d;
    }

    // ---- writing -----------------------------------------------------------------------------------------

    private static final Map<String, String[]> ENDS = Map.of(
            "CONNECTED", new String[] {"host", "name", "host", "name"},
            "DNS_QUERY", new String[] {"host", "name", "domain", "name"},
            "RESOLVES_TO", new String[] {"domain", "name", "host", "name"},
            "CNAME", new String[] {"domain", "name", "domain", "name"},
            "HTTP_REQUEST", new String[] {"host", "name", "domain", "name"},
            "SERVED_BY", new String[] {"domain", "name", "host", "name"},
            "SENT_FILE", new String[] {"host", "name", "file", "md5"},
            "RECEIVED_BY", new String[] {"file", "md5", "host", "name"},
            "WEIRD", new String[] {"host", "name", "host", "name"});

    /** Relationship properties that identify it (part of its MERGE pattern). */
    private static final Map<String, List<String>> KEYS = Map.of(
            "CONNECTED", List.of("service", "proto"),
            "RESOLVES_TO", List.of("qtype"),
            "HTTP_REQUEST", List.of("method", "uri", "status"));

    private static WriteCounts write(GraphStore g, Parts p, String capture, BooleanSupplier cancelled) {
        for (String[] c : List.of(new String[] {"host", "name"}, new String[] {"domain", "name"},
                new String[] {"file", "md5"})) {
            g.query("CREATE CONSTRAINT workbench_" + c[0] + "_" + c[1] + " IF NOT EXISTS FOR (n:" + c[0]
                    + ") REQUIRE n." + c[1] + " IS UNIQUE");
        }
        Map<String, Object> params = Map.of("capture", capture);
        WriteCounts w = WriteCounts.NONE;
        List<Map<String, Object>> hosts = new ArrayList<>();
        p.hosts.forEach((ip, origin) -> hosts.add(row("name", ip, "origin", origin)));
        w = w.plus(batches(g, "UNWIND $rows AS r MERGE (n:host {name: r.name})" + String.format(CAPTURES, "n")
                + " FOREACH (_ IN CASE WHEN r.origin THEN [1] ELSE [] END | SET n:origin)", hosts, params, cancelled));
        List<Map<String, Object>> domains = new ArrayList<>();
        p.domains.forEach(d -> domains.add(row("name", d)));
        w = w.plus(batches(g, "UNWIND $rows AS r MERGE (n:domain {name: r.name})" + String.format(CAPTURES, "n"),
                domains, params, cancelled));
        w = w.plus(batches(g, "UNWIND $rows AS r MERGE (n:file {md5: r.md5})" + String.format(CAPTURES, "n")
                + ", n.mime_type = coalesce(r.mime_type, n.mime_type), n.size = r.size"
                + " FOREACH (_ IN CASE WHEN r.small THEN [1] ELSE [] END | SET n:small)"
                + " FOREACH (_ IN CASE WHEN r.missing THEN [1] ELSE [] END | SET n:missing)",
                new ArrayList<>(p.files.values()), params, cancelled));
        for (Map.Entry<String, Map<String, Map<String, Object>>> e : p.rels.entrySet()) {
            String type = e.getKey();
            String[] ends = ENDS.get(type);
            StringBuilder key = new StringBuilder();
            for (String k : KEYS.getOrDefault(type, List.of())) {
                key.append(key.length() == 0 ? " {" : ", ").append(k).append(": r.").append(k);
            }
            if (key.length() > 0) {
                key.append('}');
            }
            String cypher = "UNWIND $rows AS r MATCH (a:" + ends[0] + " {" + ends[1] + ": r.a}) MATCH (b:" + ends[2]
                    + " {" + ends[3] + ": r.b}) MERGE (a)-[x:" + type + key + "]->(b)" + String.format(CAPTURES, "x");
            if (type.equals("WEIRD")) {
                cypher += ", x.names = reduce(acc = coalesce(x.names, []), n IN r.names |"
                        + " CASE WHEN n IN acc THEN acc ELSE acc + n END)";
            }
            w = w.plus(batches(g, cypher, new ArrayList<>(e.getValue().values()), params, cancelled));
        }
        return w;
    }

    private static WriteCounts batches(GraphStore g, String cypher, List<Map<String, Object>> rows,
            Map<String, Object> params, BooleanSupplier cancelled) {
        WriteCounts w = WriteCounts.NONE;
        for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
            check(cancelled);
            w = w.plus(g.writeBatches(cypher, rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS)),
                    BATCH_ROWS, params));
        }
        return w;
    }
}
