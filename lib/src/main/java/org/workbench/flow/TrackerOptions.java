package org.workbench.flow;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link ConnectionTracker}. {@link #defaults()} gives Zeek 9's defaults; each getter names the
 * Zeek script constant it mirrors (declared in Zeek's {@code scripts/base/init-bare.zeek} unless said otherwise).
 * Times are in seconds, sizes in bytes. Instances are immutable; change a copy with {@link #toBuilder()}.
 */
public final class TrackerOptions {
    /**
     * Server ports that Zeek 9's default scripts register (and so add to {@code likely_server_ports}) with
     * {@code Analyzer::register_for_ports} in {@code scripts/base/protocols/*&#47;main.zeek}: TCP part.
     */
    public static final Set<Integer> ZEEK_LIKELY_SERVER_TCP_PORTS = Set.of(
            21, 2811, 22, 25, 587, 53, 79, 80, 81, 631, 1080, 3128, 8000, 8080, 8888, 88, 135, 139, 445, 143,
            389, 3268, 443, 465, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, 502, 514, 1434, 3306, 1883,
            3389, 5222, 5269, 5432, 6379, 6666, 6667, 6668, 6669, 20000);

    /**
     * UDP part of the same set, plus the tunnel ports of {@code scripts/base/packet-protocols} (AYIYA 5072,
     * Geneve 6081, GRE-in-UDP 4754, GTPv1 2152/2123, Teredo 3544, VXLAN 4789).
     */
    public static final Set<Integer> ZEEK_LIKELY_SERVER_UDP_PORTS = Set.of(
            53, 137, 5353, 5355, 67, 4011, 88, 123, 161, 162, 389, 443, 514, 1812, 3389, 5060, 20000,
            5072, 6081, 4754, 2152, 2123, 3544, 4789);

    private final double tcpInactivityTimeout, udpInactivityTimeout, icmpInactivityTimeout, unknownIpInactivityTimeout;
    private final double tcpSynTimeout, tcpSessionTimer, tcpConnectionLinger, tcpAttemptDelay, tcpCloseDelay;
    private final double tcpResetDelay, tcpPartialCloseDelay;
    private final boolean armResetAndPartialCloseTimers;
    private final long tcpMaxInitialWindow, tcpMaxAboveHoleWithoutAnyAcks, tcpExcessiveDataWithoutFurtherAcks;
    private final int tcpStormThresh;
    private final double tcpStormInterarrivalThresh;
    private final boolean reportGapsForPartial, partialConnectionOk, tcpSynAckOk, privateAddressSpaceIsLocal;
    private final List<String> localNets;
    private final Set<Integer> likelyServerTcpPorts, likelyServerUdpPorts;
    private final int dpdBufferSize;
    private final int maxAnalyzerViolations;
    private final long ignoreViolationsAfter;
    private final Map<Integer, Double> tcpPortInactivityTimeouts;
    private final Map<String, Double> serviceInactivityTimeouts;
    private final Set<Integer> nonSessionIpProtos;

    private TrackerOptions(Builder b) {
        tcpInactivityTimeout = b.tcpInactivityTimeout;
        udpInactivityTimeout = b.udpInactivityTimeout;
        icmpInactivityTimeout = b.icmpInactivityTimeout;
        unknownIpInactivityTimeout = b.unknownIpInactivityTimeout;
        tcpSynTimeout = b.tcpSynTimeout;
        tcpSessionTimer = b.tcpSessionTimer;
        tcpConnectionLinger = b.tcpConnectionLinger;
        tcpAttemptDelay = b.tcpAttemptDelay;
        tcpCloseDelay = b.tcpCloseDelay;
        tcpResetDelay = b.tcpResetDelay;
        tcpPartialCloseDelay = b.tcpPartialCloseDelay;
        armResetAndPartialCloseTimers = b.armResetAndPartialCloseTimers;
        tcpMaxInitialWindow = b.tcpMaxInitialWindow;
        tcpMaxAboveHoleWithoutAnyAcks = b.tcpMaxAboveHoleWithoutAnyAcks;
        tcpExcessiveDataWithoutFurtherAcks = b.tcpExcessiveDataWithoutFurtherAcks;
        tcpStormThresh = b.tcpStormThresh;
        tcpStormInterarrivalThresh = b.tcpStormInterarrivalThresh;
        reportGapsForPartial = b.reportGapsForPartial;
        partialConnectionOk = b.partialConnectionOk;
        tcpSynAckOk = b.tcpSynAckOk;
        privateAddressSpaceIsLocal = b.privateAddressSpaceIsLocal;
        localNets = List.copyOf(b.localNets);
        likelyServerTcpPorts = Set.copyOf(b.likelyServerTcpPorts);
        likelyServerUdpPorts = Set.copyOf(b.likelyServerUdpPorts);
        dpdBufferSize = b.dpdBufferSize;
        maxAnalyzerViolations = b.maxAnalyzerViolations;
        ignoreViolationsAfter = b.ignoreViolationsAfter;
        tcpPortInactivityTimeouts = Map.copyOf(b.tcpPortInactivityTimeouts);
        serviceInactivityTimeouts = Map.copyOf(b.serviceInactivityTimeouts);
        nonSessionIpProtos = Set.copyOf(b.nonSessionIpProtos);
        for (String net : localNets) {
            Cidr.parse(net); // validate early
        }
    }

    /** Zeek 9's default settings, with no extra local networks. */
    public static TrackerOptions defaults() {
        return new Builder().build();
    }

    /** A builder starting from Zeek's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this instance's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tcpInactivityTimeout = tcpInactivityTimeout;
        b.udpInactivityTimeout = udpInactivityTimeout;
        b.icmpInactivityTimeout = icmpInactivityTimeout;
        b.unknownIpInactivityTimeout = unknownIpInactivityTimeout;
        b.tcpSynTimeout = tcpSynTimeout;
        b.tcpSessionTimer = tcpSessionTimer;
        b.tcpConnectionLinger = tcpConnectionLinger;
        b.tcpAttemptDelay = tcpAttemptDelay;
        b.tcpCloseDelay = tcpCloseDelay;
        b.tcpResetDelay = tcpResetDelay;
        b.tcpPartialCloseDelay = tcpPartialCloseDelay;
        b.armResetAndPartialCloseTimers = armResetAndPartialCloseTimers;
        b.tcpMaxInitialWindow = tcpMaxInitialWindow;
        b.tcpMaxAboveHoleWithoutAnyAcks = tcpMaxAboveHoleWithoutAnyAcks;
        b.tcpExcessiveDataWithoutFurtherAcks = tcpExcessiveDataWithoutFurtherAcks;
        b.tcpStormThresh = tcpStormThresh;
        b.tcpStormInterarrivalThresh = tcpStormInterarrivalThresh;
        b.reportGapsForPartial = reportGapsForPartial;
        b.partialConnectionOk = partialConnectionOk;
        b.tcpSynAckOk = tcpSynAckOk;
        b.privateAddressSpaceIsLocal = privateAddressSpaceIsLocal;
        b.localNets = localNets;
        b.likelyServerTcpPorts = likelyServerTcpPorts;
        b.likelyServerUdpPorts = likelyServerUdpPorts;
        b.dpdBufferSize = dpdBufferSize;
        b.maxAnalyzerViolations = maxAnalyzerViolations;
        b.ignoreViolationsAfter = ignoreViolationsAfter;
        b.tcpPortInactivityTimeouts = tcpPortInactivityTimeouts;
        b.serviceInactivityTimeouts = serviceInactivityTimeouts;
        b.nonSessionIpProtos = nonSessionIpProtos;
        return b;
    }

    /** {@code tcp_inactivity_timeout}: 300 s without packets ends an established TCP connection. */
    public double tcpInactivityTimeout() { return tcpInactivityTimeout; }

    /**
     * {@code udp_inactivity_timeout}: 60 s. Zeek also uses it for TCP connections that are still in the
     * handshake (see {@code TCPAnalyzer::MakeSessionAdapter} in Zeek's source).
     */
    public double udpInactivityTimeout() { return udpInactivityTimeout; }

    /** {@code icmp_inactivity_timeout}: 60 s. */
    public double icmpInactivityTimeout() { return icmpInactivityTimeout; }

    /** {@code unknown_ip_inactivity_timeout}: 60 s, for IP protocols other than TCP, UDP and ICMP. */
    public double unknownIpInactivityTimeout() { return unknownIpInactivityTimeout; }

    /** {@code tcp_SYN_timeout}: 5 s until the first check whether a new TCP connection is dead. */
    public double tcpSynTimeout() { return tcpSynTimeout; }

    /** {@code tcp_session_timer}: 6 s between later checks of a TCP connection that has (half) closed. */
    public double tcpSessionTimer() { return tcpSessionTimer; }

    /** {@code tcp_connection_linger}: 5 s of quiet after a close before a half-closed connection is dropped. */
    public double tcpConnectionLinger() { return tcpConnectionLinger; }

    /** {@code tcp_attempt_delay}: 5 s after an unanswered SYN the attempt is logged (state S0). */
    public double tcpAttemptDelay() { return tcpAttemptDelay; }

    /** {@code tcp_close_delay}: 5 s after both sides closed (or a RST) the connection is logged. */
    public double tcpCloseDelay() { return tcpCloseDelay; }

    /**
     * {@code tcp_reset_delay}: 5 s. Zeek arms this timer after a RST that follows a FIN only when a script
     * handles {@code connection_reset}; its default scripts do not, so it is used only when
     * {@link #armResetAndPartialCloseTimers()} is true.
     */
    public double tcpResetDelay() { return tcpResetDelay; }

    /**
     * {@code tcp_partial_close_delay}: 3 s. Zeek arms this timer when one side closes before the other was
     * seen at all, only when a script handles {@code connection_partial_close} (none of the default scripts
     * does); used only when {@link #armResetAndPartialCloseTimers()} is true.
     */
    public double tcpPartialCloseDelay() { return tcpPartialCloseDelay; }

    /** False (Zeek's default scripts): the reset and partial-close timers are not armed. */
    public boolean armResetAndPartialCloseTimers() { return armResetAndPartialCloseTimers; }

    /**
     * {@code tcp_max_initial_window}: 16384 bytes of unacknowledged data after which delivered data is no
     * longer kept for acknowledgement tracking.
     */
    public long tcpMaxInitialWindow() { return tcpMaxInitialWindow; }

    /**
     * {@code tcp_max_above_hole_without_any_acks}: 16384 bytes buffered above a hole with nothing ever
     * acknowledged makes the reassembler give up ({@code above_hole_data_without_any_acks} weird).
     */
    public long tcpMaxAboveHoleWithoutAnyAcks() { return tcpMaxAboveHoleWithoutAnyAcks; }

    /**
     * {@code tcp_excessive_data_without_further_acks}: 10 MiB; the bound on out-of-order bytes one direction
     * may buffer. Past it the reassembler gives up ({@code excessive_data_without_further_acks} weird).
     */
    public long tcpExcessiveDataWithoutFurtherAcks() { return tcpExcessiveDataWithoutFurtherAcks; }

    /** Same as {@link #tcpExcessiveDataWithoutFurtherAcks()}: the most out-of-order bytes buffered per direction. */
    public long maxBufferedOutOfOrderBytes() { return tcpExcessiveDataWithoutFurtherAcks; }

    /** {@code tcp_storm_thresh}: 1000 FINs/RSTs before {@code FIN_storm}/{@code RST_storm} weirds. */
    public int tcpStormThresh() { return tcpStormThresh; }

    /** {@code tcp_storm_interarrival_thresh}: 1 s maximum spacing for the storm weirds. */
    public double tcpStormInterarrivalThresh() { return tcpStormInterarrivalThresh; }

    /** {@code report_gaps_for_partial}: false; gaps of not-cleanly-established connections count too when true. */
    public boolean reportGapsForPartial() { return reportGapsForPartial; }

    /** {@code partial_connection_ok}: true; track TCP connections whose first packet is not a SYN. */
    public boolean partialConnectionOk() { return partialConnectionOk; }

    /** {@code tcp_SYN_ack_ok}: true; track TCP connections whose first packet is a SYN-ACK. */
    public boolean tcpSynAckOk() { return tcpSynAckOk; }

    /**
     * {@code Site::private_address_space_is_local} ({@code scripts/base/utils/site.zeek}): true, private and
     * special-purpose ranges count as local in {@code local_orig}/{@code local_resp}.
     */
    public boolean privateAddressSpaceIsLocal() { return privateAddressSpaceIsLocal; }

    /** {@code Site::local_nets}: extra local networks as CIDR strings ({@code "10.1.0.0/16"}); empty by default. */
    /**
     * Whether an address is local by these options: inside one of {@link #localNets()} or, when
     * {@link #privateAddressSpaceIsLocal()}, inside Zeek's private address space. The same rule fills conn.log's
     * {@code local_orig}/{@code local_resp} and files.log's {@code local_orig}.
     *
     * @return a predicate over IPv4 and IPv6 addresses
     * @throws IllegalArgumentException when a local network is not valid CIDR notation
     */
    public java.util.function.Predicate<java.net.InetAddress> localAddresses() {
        List<Cidr> nets = Cidr.localNets(localNets, privateAddressSpaceIsLocal);
        return a -> {
            byte[] a16 = Cidr.to16(a.getAddress());
            for (Cidr c : nets) {
                if (c.contains(a16)) {
                    return true;
                }
            }
            return false;
        };
    }

    public List<String> localNets() { return localNets; }

    /** {@code likely_server_ports}, TCP part (ports of Zeek's default analyzers; see the constants). */
    public Set<Integer> likelyServerTcpPorts() { return likelyServerTcpPorts; }

    /** {@code likely_server_ports}, UDP part. */
    public Set<Integer> likelyServerUdpPorts() { return likelyServerUdpPorts; }

    /** {@code dpd_buffer_size}: 1024 bytes per direction are looked at for dynamic protocol detection. */
    public int dpdBufferSize() { return dpdBufferSize; }

    /** {@code max_analyzer_violations}: 1000; later violations only give {@code too_many_analyzer_violations}. */
    public int maxAnalyzerViolations() { return maxAnalyzerViolations; }

    /**
     * {@code DPD::ignore_violations_after} ({@code scripts/base/frameworks/analyzer/dpd.zeek}): 10240 bytes;
     * violations after this many connection bytes no longer remove the analyzer.
     */
    public long ignoreViolationsAfter() { return ignoreViolationsAfter; }

    /**
     * {@code Conn::port_inactivity_timeouts} ({@code scripts/base/protocols/conn/inactivity.zeek}): 1 hour for
     * TCP ports 21, 22, 23 and 513, applied when the connection is established.
     */
    public Map<Integer, Double> tcpPortInactivityTimeouts() { return tcpPortInactivityTimeouts; }

    /**
     * {@code Conn::analyzer_inactivity_timeouts} (same script): 1 hour once {@code ssh} or {@code ftp} is
     * confirmed.
     */
    public Map<String, Double> serviceInactivityTimeouts() { return serviceInactivityTimeouts; }

    /**
     * IP protocols that never become conn.log rows because Zeek hands them to other packet analyzers
     * (IGMP 2, IP-in-IP 4, IPv6-in-IP 41, GRE 47; {@code scripts/base/packet-protocols}). Other protocols
     * besides TCP, UDP, ICMP and ICMPv6 become {@code unknown_transport} connections.
     */
    public Set<Integer> nonSessionIpProtos() { return nonSessionIpProtos; }

    /** Mutable builder; every setter returns the builder. */
    public static final class Builder {
        private double tcpInactivityTimeout = 300, udpInactivityTimeout = 60, icmpInactivityTimeout = 60,
                unknownIpInactivityTimeout = 60;
        private double tcpSynTimeout = 5, tcpSessionTimer = 6, tcpConnectionLinger = 5, tcpAttemptDelay = 5,
                tcpCloseDelay = 5, tcpResetDelay = 5, tcpPartialCloseDelay = 3;
        private boolean armResetAndPartialCloseTimers = false;
        private long tcpMaxInitialWindow = 16384, tcpMaxAboveHoleWithoutAnyAcks = 16384,
                tcpExcessiveDataWithoutFurtherAcks = 10L * 1024 * 1024;
        private int tcpStormThresh = 1000;
        private double tcpStormInterarrivalThresh = 1;
        private boolean reportGapsForPartial = false, partialConnectionOk = true, tcpSynAckOk = true,
                privateAddressSpaceIsLocal = true;
        private List<String> localNets = List.of();
        private Set<Integer> likelyServerTcpPorts = ZEEK_LIKELY_SERVER_TCP_PORTS;
        private Set<Integer> likelyServerUdpPorts = ZEEK_LIKELY_SERVER_UDP_PORTS;
        private int dpdBufferSize = 1024;
        private int maxAnalyzerViolations = 1000;
        private long ignoreViolationsAfter = 10 * 1024;
        private Map<Integer, Double> tcpPortInactivityTimeouts = Map.of(21, 3600.0, 22, 3600.0, 23, 3600.0,
                513, 3600.0);
        private Map<String, Double> serviceInactivityTimeouts = Map.of("ssh", 3600.0, "ftp", 3600.0);
        private Set<Integer> nonSessionIpProtos = Set.of(2, 4, 41, 47);

        private Builder() {
        }

        public Builder tcpInactivityTimeout(double s) { tcpInactivityTimeout = s; return this; }
        public Builder udpInactivityTimeout(double s) { udpInactivityTimeout = s; return this; }
        public Builder icmpInactivityTimeout(double s) { icmpInactivityTimeout = s; return this; }
        public Builder unknownIpInactivityTimeout(double s) { unknownIpInactivityTimeout = s; return this; }
        public Builder tcpSynTimeout(double s) { tcpSynTimeout = s; return this; }
        public Builder tcpSessionTimer(double s) { tcpSessionTimer = s; return this; }
        public Builder tcpConnectionLinger(double s) { tcpConnectionLinger = s; return this; }
        public Builder tcpAttemptDelay(double s) { tcpAttemptDelay = s; return this; }
        public Builder tcpCloseDelay(double s) { tcpCloseDelay = s; return this; }
        public Builder tcpResetDelay(double s) { tcpResetDelay = s; return this; }
        public Builder tcpPartialCloseDelay(double s) { tcpPartialCloseDelay = s; return this; }
        public Builder armResetAndPartialCloseTimers(boolean v) { armResetAndPartialCloseTimers = v; return this; }
        public Builder tcpMaxInitialWindow(long n) { tcpMaxInitialWindow = n; return this; }
        public Builder tcpMaxAboveHoleWithoutAnyAcks(long n) { tcpMaxAboveHoleWithoutAnyAcks = n; return this; }
        public Builder tcpExcessiveDataWithoutFurtherAcks(long n) { tcpExcessiveDataWithoutFurtherAcks = n; return this; }
        /** Alias of {@link #tcpExcessiveDataWithoutFurtherAcks(long)}. */
        public Builder maxBufferedOutOfOrderBytes(long n) { tcpExcessiveDataWithoutFurtherAcks = n; return this; }
        public Builder tcpStormThresh(int n) { tcpStormThresh = n; return this; }
        public Builder tcpStormInterarrivalThresh(double s) { tcpStormInterarrivalThresh = s; return this; }
        public Builder reportGapsForPartial(boolean v) { reportGapsForPartial = v; return this; }
        public Builder partialConnectionOk(boolean v) { partialConnectionOk = v; return this; }
        public Builder tcpSynAckOk(boolean v) { tcpSynAckOk = v; return this; }
        public Builder privateAddressSpaceIsLocal(boolean v) { privateAddressSpaceIsLocal = v; return this; }
        /** @throws IllegalArgumentException (at {@link #build()}) naming a string that is not a CIDR */
        public Builder localNets(List<String> nets) { localNets = Objects.requireNonNull(nets); return this; }
        public Builder likelyServerTcpPorts(Set<Integer> p) { likelyServerTcpPorts = p; return this; }
        public Builder likelyServerUdpPorts(Set<Integer> p) { likelyServerUdpPorts = p; return this; }
        public Builder dpdBufferSize(int n) { dpdBufferSize = n; return this; }
        public Builder maxAnalyzerViolations(int n) { maxAnalyzerViolations = n; return this; }
        public Builder ignoreViolationsAfter(long n) { ignoreViolationsAfter = n; return this; }
        public Builder tcpPortInactivityTimeouts(Map<Integer, Double> m) { tcpPortInactivityTimeouts = m; return this; }
        public Builder serviceInactivityTimeouts(Map<String, Double> m) { serviceInactivityTimeouts = m; return this; }
        public Builder nonSessionIpProtos(Set<Integer> p) { nonSessionIpProtos = p; return this; }

        /**
         * @throws IllegalArgumentException when a local network is not a valid CIDR string
         */
        public TrackerOptions build() {
            return new TrackerOptions(this);
        }
    }
}
