package org.workbench.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.workbench.analyzer.dhcp.DhcpAnalyzerOptions;
import org.workbench.analyzer.dhcp.DhcpAnalyzerOptions;
import org.workbench.analyzer.dns.DnsOptions;
import org.workbench.flow.TrackerOptions;

/**
 * How one analysis is configured, in Zeek's terms: which scripts are loaded ({@code zeek -b} bare mode and its
 * {@code @load}s, or Zeek's default {@code base/} scripts), which {@code redef}/{@code name=value} settings apply,
 * the {@code -C} switch and the {@code -f} capture filter. {@link ZeekAnalysis.Builder#config(AnalysisConfig)}
 * accepts it; {@link #fromZeek} builds it from the pieces of a Zeek command line (as a conformance manifest
 * lists them).
 *
 * <p><b>Loaded scripts.</b> In default mode every analyzer we implement is active and {@code likely_server_ports}
 * are Zeek's defaults. In bare mode only the analyzers whose protocol scripts are loaded run (so conn.log's
 * {@code service} only names those), and {@code likely_server_ports} holds only the ports of the loaded protocol
 * scripts (see {@link #PROTOCOL_SERVER_PORTS}) plus the tunnel ports Zeek's always-loaded
 * {@code base/packet-protocols} register. A load names a protocol when it contains {@code protocols/NAME}
 * ({@code base/protocols/dns}, {@code policy/protocols/dns/auth-addl}, {@code protocols/ssl/validate-certs});
 * {@code base/protocols/ftp} also loads {@code base/protocols/ssl} (its GridFTP script does), and
 * {@code base/files/x509} and the SSL scripts make the {@code x509} analyzer active.
 *
 * <p><b>Policy scripts honoured:</b> {@code protocols/dns/auth-addl} ({@link DnsOptions#withAuthAddl()}),
 * {@code protocols/dns/log-original-query-case} ({@link DnsOptions#withOriginalQuery()}),
 * {@code protocols/conn/mac-logging} ({@link #connL2Addresses()}), {@code protocols/conn/vlan-logging}
 * ({@link #connVlans()}), {@code protocols/conn/pppoe-session-id-logging} ({@link #connPppoeSessions()}).
 *
 * <p><b>Settings honoured</b> (as {@code redef NAME = VALUE;}, {@code redef NAME += {...};} or
 * {@code NAME=VALUE}):
 * <ul>
 *   <li>{@code Site::local_nets} (= or +=): local networks for {@code local_orig}/{@code local_resp};</li>
 *   <li>{@code Site::private_address_space_is_local};</li>
 *   <li>{@code ignore_checksums} (like {@code -C});</li>
 *   <li>{@code LogAscii::use_json}: JSON-lines logs ({@link #jsonLogs()}, for whoever writes the files);</li>
 *   <li>{@code Log::default_field_name_map}, {@code Log::default_scope_sep}: column renaming
 *       ({@link #fieldNameMap()}, {@link #scopeSeparator()}, for whoever writes the files);</li>
 *   <li>{@code PacketFilter::restricted_filter} (and {@code PacketFilter::default_capture_filter}): combined
 *       with {@code -f} into {@link #bpfFilter()};</li>
 *   <li>{@code Analyzer::disable_all} and {@code Analyzer::requested_analyzers},
 *       {@code Analyzer::disabled_analyzers}: which analyzers run, including the core's {@code connsize} (without
 *       it conn.log's packet and IP byte counts are unset);</li>
 *   <li>{@code report_gaps_for_partial}, {@code max_analyzer_violations}, {@code tcp_inactivity_timeout},
 *       {@code udp_inactivity_timeout}, {@code icmp_inactivity_timeout}, {@code likely_server_ports} (+=):
 *       connection tracking;</li>
 *   <li>{@code dns_max_queries}, {@code dns_max_compression_chain_depth}, {@code dns_skip_all_auth},
 *       {@code dns_skip_all_addl}, {@code DNS::max_pending_msgs}, {@code DNS::max_pending_query_ids}: DNS;</li>
 *   <li>{@code HTTP::default_capture_password}: HTTP.</li>
 * </ul>
 * Every setting, honoured or not, stays readable through {@link #setting(String)}, so an analyzer plug-in can
 * pick up its own (for example {@code DHCP::max_tracked_transactions}).
 *
 * <p>Immutable; build with {@link #builder()} or {@link #fromZeek}.
 */
public final class AnalysisConfig {
    /** Analyzer names (Zeek's, lower case) that {@link ZeekAnalysis} knows how to plug in. */
    public static final List<String> ANALYZER_NAMES = List.of("dns", "http", "ssl", "dtls", "x509", "dhcp");

    /**
     * Analyzers Zeek's core attaches to every connection whatever scripts are loaded: {@code connsize} (conn.log's
     * {@code orig_pkts}, {@code orig_ip_bytes}, {@code resp_pkts}, {@code resp_ip_bytes}).
     */
    public static final Set<String> CORE_ANALYZERS = Set.of("connsize");

    /**
     * Server ports each of Zeek 9's protocol scripts registers ({@code Analyzer::register_for_ports}, which also
     * adds them to {@code likely_server_ports}); {@code "tcp"}/{@code "udp"} key the transport. Used in bare mode.
     */
    public static final Map<String, Map<String, Set<Integer>>> PROTOCOL_SERVER_PORTS = Map.ofEntries(
            Map.entry("dce-rpc", Map.of("tcp", Set.of(135))),
            Map.entry("dhcp", Map.of("udp", Set.of(67, 4011))),
            Map.entry("dnp3", Map.of("tcp", Set.of(20000), "udp", Set.of(20000))),
            Map.entry("dns", Map.of("tcp", Set.of(53), "udp", Set.of(53, 137, 5353, 5355))),
            Map.entry("finger", Map.of("tcp", Set.of(79))),
            Map.entry("ftp", Map.of("tcp", Set.of(21, 2811))),
            Map.entry("http", Map.of("tcp", Set.of(80, 81, 631, 1080, 3128, 8000, 8080, 8888))),
            Map.entry("imap", Map.of("tcp", Set.of(143))),
            Map.entry("irc", Map.of("tcp", Set.of(6666, 6667, 6668, 6669))),
            Map.entry("krb", Map.of("tcp", Set.of(88), "udp", Set.of(88))),
            Map.entry("ldap", Map.of("tcp", Set.of(389, 3268), "udp", Set.of(389))),
            Map.entry("modbus", Map.of("tcp", Set.of(502))),
            Map.entry("mqtt", Map.of("tcp", Set.of(1883))),
            Map.entry("mysql", Map.of("tcp", Set.of(1434, 3306))),
            Map.entry("ntp", Map.of("udp", Set.of(123))),
            Map.entry("postgresql", Map.of("tcp", Set.of(5432))),
            Map.entry("radius", Map.of("udp", Set.of(1812))),
            Map.entry("rdp", Map.of("tcp", Set.of(3389), "udp", Set.of(3389))),
            Map.entry("redis", Map.of("tcp", Set.of(6379))),
            Map.entry("sip", Map.of("udp", Set.of(5060))),
            Map.entry("smb", Map.of("tcp", Set.of(139, 445))),
            Map.entry("smtp", Map.of("tcp", Set.of(25, 587))),
            Map.entry("snmp", Map.of("udp", Set.of(161, 162))),
            Map.entry("socks", Map.of("tcp", Set.of(1080))),
            Map.entry("ssh", Map.of("tcp", Set.of(22))),
            Map.entry("ssl", Map.of("tcp", Set.of(443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223),
                    "udp", Set.of(443))),
            Map.entry("syslog", Map.of("tcp", Set.of(514), "udp", Set.of(514))),
            Map.entry("xmpp", Map.of("tcp", Set.of(5222, 5269))));

    /**
     * UDP ports of the tunnel packet analyzers in {@code base/packet-protocols}, which {@code init-bare.zeek}
     * always loads: AYIYA 5072, Geneve 6081, GRE-in-UDP 4754, GTPv1 2152/2123, Teredo 3544, VXLAN 4789.
     */
    public static final Set<Integer> TUNNEL_UDP_PORTS = Set.of(5072, 6081, 4754, 2152, 2123, 3544, 4789);

    /** One setting: {@code name}, operator ({@code =}, {@code +=} or {@code -=}) and the value as written. */
    public record Setting(String name, String op, String value) {
    }

    private final boolean bareMode;
    private final Set<String> loadedProtocols;
    private final List<String> loads;
    private final List<Setting> settings;
    private final boolean verifyChecksums;
    private final boolean hashAllFiles;
    private final String commandLineFilter;

    private AnalysisConfig(Builder b) {
        this.bareMode = b.bareMode;
        this.loads = List.copyOf(b.loads);
        this.settings = List.copyOf(b.settings);
        this.verifyChecksums = b.verifyChecksums;
        this.hashAllFiles = b.hashAllFiles;
        this.commandLineFilter = b.bpfFilter;
        Set<String> protos = new HashSet<>();
        for (String load : loads) {
            protos.addAll(protocolsOf(load));
        }
        this.loadedProtocols = Set.copyOf(protos);
    }

    /** Zeek with its default scripts, no settings, checksums verified, no filter. */
    public static AnalysisConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration of a Zeek command line, given as its pieces.
     *
     * @param bareMode  {@code -b}
     * @param loads     scripts loaded ({@code @load}s and scripts on the command line), in order
     * @param redefs    {@code redef ...;} statements and {@code name=value} command-line settings
     * @param flags     switches; {@code -C} turns checksum verification off, others are ignored
     * @param bpfFilter the {@code -f} filter, or null
     * @throws IllegalArgumentException when a setting cannot be parsed
     */
    public static AnalysisConfig fromZeek(boolean bareMode, Collection<String> loads, Collection<String> redefs,
                                          Collection<String> flags, String bpfFilter) {
        Builder b = builder().bareMode(bareMode).bpfFilter(bpfFilter);
        // Zeek hashes files only when its hash-all-files policy is loaded
        b.hashAllFiles(loads.stream().anyMatch(l -> l.contains("frameworks/files/hash-all-files")));
        loads.forEach(b::load);
        redefs.forEach(b::redef);
        if (flags.contains("-C")) {
            b.verifyChecksums(false);
        }
        return b.build();
    }

    // ------------------------------------------------------------------ scripts

    /** Protocol names a load path makes active (see the class comment). */
    static Set<String> protocolsOf(String load) {
        Set<String> out = new HashSet<>();
        String l = load.toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(?:^|/)protocols/([a-z0-9_-]+)").matcher(l);
        if (m.find()) {
            String p = m.group(1);
            out.add(p);
            if (p.equals("ftp") || p.equals("ssl")) {
                out.add("ssl");
                out.add("x509");
            }
            if (p.equals("ssl")) {
                out.add("dtls"); // Zeek's ssl scripts load the DTLS analyzer too
            }
            if (p.equals("krb")) {
                out.add("x509");
            }
        }
        if (l.matches("(?:base/)?files/x509(?:/.*)?")) {
            out.add("x509");
        }
        return out;
    }

    /** Whether Zeek runs in bare mode ({@code -b}). */
    public boolean bareMode() {
        return bareMode;
    }

    /** The loaded scripts, in order. */
    public List<String> loads() {
        return loads;
    }

    /** Whether a script whose path contains {@code fragment} is loaded. */
    public boolean loaded(String fragment) {
        for (String l : loads) {
            if (l.contains(fragment)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the analyzer with this (Zeek, lower-case) name runs: in default mode every analyzer, in bare mode
     * those whose scripts are loaded; {@code Analyzer::disable_all = T} leaves only
     * {@code Analyzer::requested_analyzers}, and {@code Analyzer::disabled_analyzers} removes some.
     */
    public boolean analyzerActive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        boolean active = !bareMode || loadedProtocols.contains(n) || CORE_ANALYZERS.contains(n);
        if (active && "T".equals(setting("Analyzer::disable_all").orElse("F"))) {
            active = analyzerListed("Analyzer::requested_analyzers", n);
        }
        return active && !analyzerListed("Analyzer::disabled_analyzers", n);
    }

    private boolean analyzerListed(String setting, String name) {
        String tag = "analyzer_" + name.replace('-', '_');
        for (Setting s : settings) {
            if (s.name().equals(setting) && !s.op().equals("-=")
                    && s.value().toLowerCase(Locale.ROOT).matches("(?s).*\\b" + Pattern.quote(tag) + "\\b.*")) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ settings

    /** All settings, in order. */
    public List<Setting> settings() {
        return settings;
    }

    /** The value of the last {@code =} assignment of a setting (surrounding quotes removed), if any. */
    public Optional<String> setting(String name) {
        String v = null;
        for (Setting s : settings) {
            if (s.name().equals(name) && s.op().equals("=")) {
                v = unquote(s.value());
            }
        }
        return Optional.ofNullable(v);
    }

    private boolean flag(String name, boolean dflt) {
        return setting(name).map(v -> v.equals("T")).orElse(dflt);
    }

    private Optional<Double> number(String name) {
        return setting(name).map(v -> {
            Matcher m = Pattern.compile("^([0-9.]+)\\s*(usecs?|msecs?|secs?|mins?|hrs?|days?)?$").matcher(v.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException(name + ": not a number or interval: " + v);
            }
            double d = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2).replaceAll("s$", "");
            switch (unit) {
                case "usec": return d / 1e6;
                case "msec": return d / 1e3;
                case "min": return d * 60;
                case "hr": return d * 3600;
                case "day": return d * 86400;
                default: return d;
            }
        });
    }

    /** Whether checksums are verified: false with {@code -C} or {@code ignore_checksums = T}. */
    public boolean verifyChecksums() {
        return verifyChecksums && !flag("ignore_checksums", false);
    }

    /**
     * The BPF filter packets must pass, or null for all packets: the {@code -f} filter (else
     * {@code PacketFilter::default_capture_filter}), combined with {@code PacketFilter::restricted_filter} as
     * Zeek combines them ({@code (capture) and (restricted)}).
     */
    public String bpfFilter() {
        String capture = commandLineFilter != null ? commandLineFilter
                : setting("PacketFilter::default_capture_filter").orElse(null);
        String restricted = setting("PacketFilter::restricted_filter").orElse(null);
        if (capture != null && capture.isBlank()) {
            capture = null;
        }
        if (restricted != null && restricted.isBlank()) {
            restricted = null;
        }
        if (capture == null) {
            return restricted;
        }
        return restricted == null ? capture : "(" + capture + ") and (" + restricted + ")";
    }

    /** {@code LogAscii::use_json}: whether logs are written as JSON lines. */
    public boolean jsonLogs() {
        return flag("LogAscii::use_json", false);
    }

    /** {@code Log::default_scope_sep}: the separator of record field names (default {@code "."}). */
    public String scopeSeparator() {
        return setting("Log::default_scope_sep").orElse(".");
    }

    /** {@code Log::default_field_name_map}: column renames (empty by default). */
    public Map<String, String> fieldNameMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : settings) {
            if (s.name().equals("Log::default_field_name_map")) {
                Matcher m = Pattern.compile("\\[\\s*\"([^\"]*)\"\\s*]\\s*=\\s*\"([^\"]*)\"").matcher(s.value());
                if (s.op().equals("=")) {
                    out.clear();
                }
                while (m.find()) {
                    out.put(m.group(1), m.group(2));
                }
            }
        }
        return out;
    }

    /** Whether conn.log carries {@code orig_l2_addr}/{@code resp_l2_addr} ({@code protocols/conn/mac-logging}). */
    public boolean connL2Addresses() {
        return loaded("protocols/conn/mac-logging");
    }

    /** Whether conn.log carries {@code vlan}/{@code inner_vlan} ({@code protocols/conn/vlan-logging}). */
    public boolean connVlans() {
        return loaded("protocols/conn/vlan-logging");
    }

    /** Whether conn.log carries {@code pppoe_session_id} ({@code protocols/conn/pppoe-session-id-logging}). */
    public boolean connPppoeSessions() {
        return loaded("protocols/conn/pppoe-session-id-logging");
    }

    /**
     * {@code Tunnel::max_depth} (default 2): how many tunnel layers are decoded; deeper ones give the weird
     * {@code exceeded_tunnel_max_depth} (applied through {@code PacketDecoder.maxTunnelDepth}).
     */
    public int tunnelMaxDepth() {
        return number("Tunnel::max_depth").map(Double::intValue).orElse(2);
    }

    /**
     * {@code Tunnel::delay_teredo_confirmation} (default true): a Teredo tunnel is confirmed only once both
     * directions were seen. Not yet applied by our packet decoder; exposed for it.
     */
    public boolean delayTeredoConfirmation() {
        return flag("Tunnel::delay_teredo_confirmation", true);
    }

    /** {@code HTTP::default_capture_password}. */
    public boolean httpCapturePassword() {
        return flag("HTTP::default_capture_password", false);
    }

    /** DNS settings: the DNS policy scripts and {@code dns_*} / {@code DNS::*} settings applied to the defaults. */
    public DnsOptions dnsOptions() {
        DnsOptions o = DnsOptions.defaults();
        if (loaded("protocols/dns/auth-addl")) {
            o = o.withAuthAddl();
        }
        if (loaded("protocols/dns/log-original-query-case")) {
            o = o.withOriginalQuery();
        }
        Optional<Double> q = number("dns_max_queries");
        if (q.isPresent()) {
            o = o.withMaxQueries(q.get().intValue());
        }
        Optional<Double> depth = number("dns_max_compression_chain_depth");
        if (depth.isPresent()) {
            o = o.withMaxCompressionChainDepth(depth.get().intValue());
        }
        o = o.withSkips(flag("dns_skip_all_auth", o.skipAllAuth()), flag("dns_skip_all_addl", o.skipAllAddl()));
        o = o.withPendingLimits(number("DNS::max_pending_msgs").map(Double::intValue).orElse(o.maxPendingMsgs()),
                number("DNS::max_pending_query_ids").map(Double::intValue).orElse(o.maxPendingQueryIds()));
        return o;
    }

    /**
     * DHCP settings: the DHCP policy scripts ({@code protocols/dhcp/sub-opts}, {@code software},
     * {@code msg-orig}) and the {@code DHCP::max_*} limits applied to the defaults.
     */
    public DhcpAnalyzerOptions dhcpOptions() {
        DhcpAnalyzerOptions o = DhcpAnalyzerOptions.defaults();
        if (loaded("protocols/dhcp/sub-opts")) {
            o = o.withSubOpts();
        }
        if (loaded("protocols/dhcp/software")) {
            o = o.withSoftware();
        }
        if (loaded("protocols/dhcp/msg-orig")) {
            o = o.withMsgOrig();
        }
        Optional<Double> tracked = number("DHCP::max_tracked_transactions");
        if (tracked.isPresent()) {
            o = o.withMaxTrackedTransactions(tracked.get().intValue());
        }
        Optional<Double> watch = number("DHCP::max_txid_watch_time");
        if (watch.isPresent()) {
            o = o.withMaxTxidWatchTime(watch.get());
        }
        Optional<Double> uids = number("DHCP::max_uids_per_log_entry");
        Optional<Double> types = number("DHCP::max_msg_types_per_log_entry");
        if (uids.isPresent() || types.isPresent()) {
            o = o.withEntryLimits(uids.map(Double::intValue).orElse(o.maxUidsPerLogEntry()),
                    types.map(Double::intValue).orElse(o.maxMsgTypesPerLogEntry()));
        }
        return o;
    }

    /** Local networks from {@code Site::local_nets}, as CIDR strings. */
    public List<String> localNets() {
        List<String> nets = new ArrayList<>();
        for (Setting s : settings) {
            if (s.name().equals("Site::local_nets")) {
                if (s.op().equals("=")) {
                    nets.clear();
                }
                Matcher m = Pattern.compile("[0-9A-Fa-f:.\\[\\]]+/\\d+").matcher(s.value());
                while (m.find()) {
                    String net = m.group().replace("[", "").replace("]", "");
                    if (s.op().equals("-=")) {
                        nets.remove(net);
                    } else {
                        nets.add(net);
                    }
                }
            }
        }
        return nets;
    }

    /**
     * Connection tracking options: {@code base} with this configuration's local networks, likely server ports
     * (bare mode: only those of loaded scripts) and tracking settings.
     */
    public TrackerOptions applyTo(TrackerOptions base) {
        TrackerOptions.Builder b = base.toBuilder();
        List<String> nets = localNets();
        if (!nets.isEmpty()) {
            List<String> all = new ArrayList<>(base.localNets());
            all.addAll(nets);
            b.localNets(all);
        }
        setting("Site::private_address_space_is_local").ifPresent(v -> b.privateAddressSpaceIsLocal(v.equals("T")));
        Set<Integer> tcp = new HashSet<>();
        Set<Integer> udp = new HashSet<>();
        if (bareMode) {
            udp.addAll(TUNNEL_UDP_PORTS);
            for (String p : loadedProtocols) {
                Map<String, Set<Integer>> ports = PROTOCOL_SERVER_PORTS.getOrDefault(p, Map.of());
                tcp.addAll(ports.getOrDefault("tcp", Set.of()));
                udp.addAll(ports.getOrDefault("udp", Set.of()));
            }
        } else {
            tcp.addAll(base.likelyServerTcpPorts());
            udp.addAll(base.likelyServerUdpPorts());
        }
        for (Setting s : settings) {
            if (s.name().equals("likely_server_ports") && !s.op().equals("-=")) {
                Matcher m = Pattern.compile("(\\d+)/(tcp|udp)").matcher(s.value());
                while (m.find()) {
                    (m.group(2).equals("tcp") ? tcp : udp).add(Integer.parseInt(m.group(1)));
                }
            }
        }
        b.likelyServerTcpPorts(tcp).likelyServerUdpPorts(udp);
        setting("report_gaps_for_partial").ifPresent(v -> b.reportGapsForPartial(v.equals("T")));
        number("max_analyzer_violations").ifPresent(v -> b.maxAnalyzerViolations(v.intValue()));
        number("tcp_inactivity_timeout").ifPresent(b::tcpInactivityTimeout);
        number("udp_inactivity_timeout").ifPresent(b::udpInactivityTimeout);
        number("icmp_inactivity_timeout").ifPresent(b::icmpInactivityTimeout);
        return b.build();
    }

    private static String unquote(String v) {
        String t = v.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /**
     * Parses one setting: {@code redef NAME OP VALUE;} or {@code NAME=VALUE}.
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static Setting parseSetting(String text) {
        String t = text.trim();
        Matcher m = Pattern.compile("(?s)^(?:redef\\s+)?([A-Za-z_][A-Za-z0-9_:]*)\\s*(\\+=|-=|=)\\s*(.*?)\\s*;?\\s*$")
                .matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Zeek setting: " + text);
        }
        return new Setting(m.group(1), m.group(2), m.group(3));
    }

    @Override
    public String toString() {
        return "AnalysisConfig[bare=" + bareMode + ", loads=" + loads + ", settings=" + settings
                + ", verifyChecksums=" + verifyChecksums + ", filter=" + bpfFilter() + "]";
    }

    /**
     * Whether every file is hashed with MD5, SHA-1 and SHA-256 (Zeek's {@code frameworks/files/hash-all-files}
     * policy). True by default, as this workbench always hashes; false for a Zeek configuration without that
     * policy, whose files.log then has empty {@code analyzers} and unset hashes.
     */
    public boolean hashAllFiles() {
        return hashAllFiles;
    }

    /** Mutable builder. */
    public static final class Builder {
        private boolean bareMode;
        private final List<String> loads = new ArrayList<>();
        private final List<Setting> settings = new ArrayList<>();
        private boolean verifyChecksums = true;
        private boolean hashAllFiles = true;
        private String bpfFilter;

        private Builder() {
        }

        /** See {@link AnalysisConfig#hashAllFiles()}. */
        public Builder hashAllFiles(boolean hash) {
            this.hashAllFiles = hash;
            return this;
        }

        /** Bare mode ({@code zeek -b}): only loaded scripts run. */
        public Builder bareMode(boolean bare) {
            this.bareMode = bare;
            return this;
        }

        /** Adds a loaded script ({@code base/protocols/dns}, {@code protocols/conn/mac-logging}, ...). */
        public Builder load(String script) {
            loads.add(Objects.requireNonNull(script));
            return this;
        }

        /**
         * Adds a setting written as {@code redef NAME = VALUE;}, {@code redef NAME += {...};} or {@code NAME=VALUE}.
         *
         * @throws IllegalArgumentException when it cannot be parsed
         */
        public Builder redef(String setting) {
            settings.add(parseSetting(setting));
            return this;
        }

        /** False is {@code zeek -C}. */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** The {@code -f} capture filter (BPF syntax), or null. */
        public Builder bpfFilter(String filter) {
            this.bpfFilter = filter;
            return this;
        }

        public AnalysisConfig build() {
            return new AnalysisConfig(this);
        }
    }
}
